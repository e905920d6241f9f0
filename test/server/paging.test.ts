/**
 * Keyset cursor paging of Query Reviews over 1,000 reviews: every sort returns each
 * visible review exactly once and in order (also while reviews are inserted between
 * pages), cursors carry the query, `prev` goes back, and bad or foreign cursors fail.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Review } from '../../src/api/schema.js';
import { startTestServer, type TestServer } from './helpers.js';
import {
  bulkCreate,
  comparator,
  expectedIds,
  inParallel,
  pageThrough,
  queryPage,
  rng,
  vote,
  type Page,
  type ReviewInput,
  type SortSpec,
} from './review-data.js';

const FILTER = { namespace: 'stores' };
const WORDS = ['quality', 'color', 'delivery', 'price', 'fits', 'size', 'value', 'sturdy', 'bright', 'soft'];

const SORTS: SortSpec[] = [
  [],
  [{ fieldName: 'createdDate', order: 'DESC' }],
  [{ fieldName: 'content.rating', order: 'ASC' }],
  [{ fieldName: 'content.rating', order: 'DESC' }],
  [{ fieldName: 'helpfulness', order: 'ASC' }],
  [{ fieldName: 'helpfulness', order: 'DESC' }],
  [{ fieldName: 'relevanceScore', order: 'ASC' }],
  [{ fieldName: 'relevanceScore', order: 'DESC' }],
  [{ fieldName: 'verified', order: 'ASC' }],
  [{ fieldName: 'verified', order: 'DESC' }],
  [{ fieldName: 'origin.type', order: 'ASC' }],
  [{ fieldName: 'origin.type', order: 'DESC' }],
  [{ fieldName: 'content.rating', order: 'DESC' }, { fieldName: 'createdDate', order: 'ASC' }],
  [{ fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'createdDate', order: 'DESC' }],
  [{ fieldName: 'verified', order: 'ASC' }, { fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'relevanceScore', order: 'ASC' }],
  [{ fieldName: 'origin.type', order: 'DESC' }, { fieldName: 'content.rating', order: 'ASC' }, { fieldName: 'verified', order: 'DESC' }],
];

const label = (sort: SortSpec) => (sort.length ? sort.map((s) => `${s.fieldName} ${s.order}`).join(', ') : 'the default sort');

function reviewInputs(n: number, seed: number, namespace = 'stores'): ReviewInput[] {
  const rand = rng(seed);
  return Array.from({ length: n }, () => ({
    namespace,
    entityId: `p-${Math.floor(rand() * 5)}`,
    contactId: randomUUID(),
    rating: 1 + Math.floor(rand() * 5),
    title: 'Paging',
    body: Array.from({ length: Math.floor(rand() * 90) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' '),
    verified: rand() < 0.35,
    appId: rand() < 0.3 ? 'app-import' : undefined,
    imageUrl: rand() < 0.2 ? 'https://img.example.com/photo.jpg' : undefined,
  }));
}

describe('cursor paging', () => {
  let server: TestServer;
  const all = new Map<string, Review>();
  const visible = (r: Review) => r.namespace === 'stores' && r.moderation!.moderationStatus === 'APPROVED';
  const flat = (pages: Page[]) => pages.flatMap((p) => p.ids);

  before(async () => {
    server = await startTestServer();
    const main = await bulkCreate(server, reviewInputs(1000, 7));
    const extra = await bulkCreate(server, [...reviewInputs(50, 8), ...reviewInputs(40, 9, 'bookings')]);
    for (const r of [...main, ...extra]) all.set(r.id, r);

    // 50 more reviews in the namespace, rejected: never visible to visitors.
    const rejected = extra.slice(0, 50).map((r) => r.id);
    const mod = await server.call('POST', '/reviews/v1/bulk/reviews/moderate', { filter: { id: { $in: rejected } }, status: 'REJECTED' }, { owner: true });
    assert.equal(mod.status, 200, JSON.stringify(mod.body));
    for (const id of rejected) {
      const r = all.get(id)!;
      all.set(id, { ...r, moderation: { ...r.moderation!, moderationStatus: 'REJECTED' } });
    }

    // Helpfulness: 1-4 votes on every tenth review (the response carries the new counts).
    const rand = rng(99);
    const targets = main.filter((_, i) => i % 10 === 0);
    await inParallel(targets, 12, async (r) => {
      const votes = 1 + Math.floor(rand() * 4);
      for (let v = 0; v < votes; v++) all.set(r.id, await vote(server, r.id, randomUUID(), rand() < 0.6 ? 'HELPFUL' : 'UNHELPFUL'));
    });
  });
  after(() => server.close());

  it('starts from 1,000 visible reviews with many ties in every sort field', async () => {
    const vis = [...all.values()].filter(visible);
    assert.equal(vis.length, 1000);
    assert.equal((await server.call('POST', '/reviews/v1/reviews/count', { filter: FILTER })).body.count, 1000);
    assert.ok(new Set(vis.map((r) => r.helpfulness)).size >= 5);
    assert.ok(new Set(vis.map((r) => r.relevanceScore)).size >= 50);
    // Ties make the id tie-breaker matter on every page.
    assert.ok(new Set(vis.map((r) => r.relevanceScore)).size < 1000);
  });

  describe('forward through every sort', () => {
    for (const [i, sort] of SORTS.entries()) {
      const limit = i % 3 === 0 ? 37 : 100;
      it(`returns each visible review exactly once, in order, by ${label(sort)} (limit ${limit})`, async () => {
        const expected = expectedIds(all.values(), sort, visible);
        const pages = await pageThrough(server, { filter: FILTER, ...(sort.length ? { sort } : {}) }, { limit });
        const got = flat(pages);
        assert.equal(new Set(got).size, got.length, 'no review twice');
        assert.deepEqual(got, expected);
        assert.equal(pages.length, Math.ceil(expected.length / limit));
        assert.equal(pages[0]!.prev, undefined, 'the first page has no prev cursor');
        for (const p of pages.slice(1)) assert.ok(p.prev, 'later pages have a prev cursor');
        assert.equal(pages.at(-1)!.next, undefined, 'the last page has no next cursor');
      });
    }

    it('pages through private reviews for the owner', async () => {
      const sort: SortSpec = [{ fieldName: 'content.rating', order: 'DESC' }, { fieldName: 'createdDate', order: 'DESC' }];
      const pages = await pageThrough(server, { filter: FILTER, sort }, { owner: true, returnPrivateReviews: true, limit: 100 });
      assert.deepEqual(flat(pages), expectedIds(all.values(), sort, (r) => r.namespace === 'stores'));
      assert.equal(flat(pages).length, 1050);
    });
  });

  describe('prev cursors', () => {
    const cases: [SortSpec, number][] = [
      [[], 100],
      [[{ fieldName: 'content.rating', order: 'DESC' }, { fieldName: 'createdDate', order: 'ASC' }], 37],
      [[{ fieldName: 'verified', order: 'ASC' }, { fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'relevanceScore', order: 'ASC' }], 64],
      [[{ fieldName: 'relevanceScore', order: 'DESC' }], 100],
    ];
    for (const [sort, limit] of cases) {
      it(`walks back from the last page to the first by ${label(sort)} (limit ${limit})`, async () => {
        const forward = await pageThrough(server, { filter: FILTER, ...(sort.length ? { sort } : {}) }, { limit });
        assert.ok(forward.length >= 10);
        let page = forward.at(-1)!;
        for (let i = forward.length - 2; i >= 0; i--) {
          assert.ok(page.prev, `page ${i + 2} has a prev cursor`);
          page = await queryPage(server, { query: { cursorPaging: { limit, cursor: page.prev } } });
          assert.deepEqual(page.ids, forward[i]!.ids, `prev of page ${i + 2} is page ${i + 1}`);
          assert.ok(page.next, `page ${i + 1} reached by prev has a next cursor`);
        }
        assert.equal(page.prev, undefined, 'the first page reached by prev has no prev cursor');
      });
    }

    it('goes forward again from a page reached by prev', async () => {
      const sort: SortSpec = [{ fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'createdDate', order: 'DESC' }];
      const expected = expectedIds(all.values(), sort, visible);
      const p1 = await queryPage(server, { query: { filter: FILTER, sort, cursorPaging: { limit: 50 } } });
      const p2 = await queryPage(server, { query: { cursorPaging: { cursor: p1.next } } });
      const p3 = await queryPage(server, { query: { cursorPaging: { cursor: p2.next } } });
      assert.deepEqual([...p1.ids, ...p2.ids, ...p3.ids], expected.slice(0, 150));
      const back2 = await queryPage(server, { query: { cursorPaging: { cursor: p3.prev } } });
      assert.deepEqual(back2.ids, p2.ids);
      const again3 = await queryPage(server, { query: { cursorPaging: { cursor: back2.next } } });
      assert.deepEqual(again3.ids, p3.ids);
      const back1 = await queryPage(server, { query: { cursorPaging: { cursor: back2.prev } } });
      assert.deepEqual(back1.ids, p1.ids);
      assert.equal(back1.prev, undefined);
    });
  });

  describe('what the cursor carries', () => {
    it('keeps filter, sort and limit; a new limit applies from that page on', async () => {
      const sort: SortSpec = [{ fieldName: 'content.rating', order: 'ASC' }];
      const filter = { entityId: { $in: ['p-1', 'p-3'] }, verified: true };
      const expected = expectedIds(all.values(), sort, (r) => visible(r) && ['p-1', 'p-3'].includes(r.entityId) && r.verified === true);
      assert.ok(expected.length > 40);
      const p1 = await queryPage(server, { query: { filter: { namespace: 'stores', ...filter }, sort, cursorPaging: { limit: 15 } } });
      const p2 = await queryPage(server, { query: { cursorPaging: { cursor: p1.next } } });
      const p3 = await queryPage(server, { query: { cursorPaging: { limit: 4, cursor: p2.next } } });
      assert.deepEqual(p1.ids, expected.slice(0, 15));
      assert.deepEqual(p2.ids, expected.slice(15, 30), 'the limit comes from the cursor');
      assert.deepEqual(p3.ids, expected.slice(30, 34), 'a limit sent with the cursor wins');
    });

    it('ignores filter and sort sent beside a cursor', async () => {
      const sort: SortSpec = [{ fieldName: 'relevanceScore', order: 'DESC' }];
      const expected = expectedIds(all.values(), sort, visible);
      const p1 = await queryPage(server, { query: { filter: FILTER, sort, cursorPaging: { limit: 20 } } });
      const p2 = await queryPage(server, {
        query: { filter: { 'content.rating': 1 }, sort: [{ fieldName: 'content.rating', order: 'ASC' }], cursorPaging: { limit: 20, cursor: p1.next } },
      });
      assert.deepEqual([...p1.ids, ...p2.ids], expected.slice(0, 40));
    });

    it('has no next cursor when everything fits on one page, and none on an exact last page', async () => {
      const one = await queryPage(server, { query: { filter: { ...FILTER, entityId: 'p-2', 'content.rating': 5, verified: true } } });
      assert.ok(one.ids.length > 0 && one.ids.length < 100);
      assert.equal(one.next, undefined);
      assert.equal(one.prev, undefined);
      const pages = await pageThrough(server, { filter: FILTER }, { limit: 100 });
      assert.equal(pages.length, 10);
      assert.equal(pages[9]!.ids.length, 100);
      assert.equal(pages[9]!.next, undefined);
    });
  });

  describe('cursors that are not ours', () => {
    let cursor: string;
    before(async () => {
      const p = await queryPage(server, { query: { filter: FILTER, cursorPaging: { limit: 5 } } });
      cursor = p.next!;
      assert.ok(cursor);
    });

    const mangled: [string, (c: string) => string][] = [
      ['garbage', () => 'this-is-not-a-cursor'],
      ['empty JSON in base64', () => Buffer.from('{}').toString('base64url')],
      ['truncated', (c) => c.slice(0, Math.floor(c.length / 2))],
      ['reversed', (c) => [...c].reverse().join('')],
      ['case-swapped', (c) => [...c].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('')],
    ];
    for (const [name, mangle] of mangled) {
      it(`refuses a ${name} cursor with a 400 that names the cursor`, async () => {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { limit: 5, cursor: mangle(cursor) } } });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.message, /cursor/i);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, 'query.cursorPaging.cursor');
      });
    }

    it('refuses a cursor whose content was edited, with a 400 rather than a database error', async () => {
      // This server's cursors are base64url JSON (src/server/query.ts); edit what is inside.
      const decode = (c: string) => JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
      const encode = (p: unknown) => Buffer.from(JSON.stringify(p)).toString('base64url');
      const byDate = decode(cursor);
      const byRating = decode((await queryPage(server, { query: { sort: [{ fieldName: 'content.rating', order: 'DESC' }], cursorPaging: { limit: 3 } } })).next!);
      assert.equal(byDate.k.length, 2);
      assert.equal(byRating.k.length, 2);
      const edits: [string, unknown, string][] = [
        ['date key "1"', { ...byDate, k: ['1', byDate.k[1]] }, 'query.cursorPaging.cursor'],
        ['date key in prose', { ...byDate, k: ['Jan 1, 2020', byDate.k[1]] }, 'query.cursorPaging.cursor'],
        ['date key with a 6-digit year', { ...byDate, k: ['+099999-01-01T00:00:00.000Z', byDate.k[1]] }, 'query.cursorPaging.cursor'],
        ['id key with NUL', { ...byDate, k: [byDate.k[0], 'a\u0000b'] }, 'query.cursorPaging.cursor'],
        ['missing id key', { ...byDate, k: [byDate.k[0]] }, 'query.cursorPaging.cursor'],
        ['rating key beyond 32 bits', { ...byRating, k: [2 ** 40, byRating.k[1]] }, 'query.cursorPaging.cursor'],
        ['rating key as text', { ...byRating, k: ['5', byRating.k[1]] }, 'query.cursorPaging.cursor'],
        ['unsortable field', { ...byDate, s: [['namespace', 'ASC']] }, 'query.cursorPaging.cursor'],
        ['limit 1000', { ...byDate, l: 1000 }, 'query.cursorPaging.cursor'],
        ['filter on an unknown field', { ...byDate, f: { title: 'x' } }, 'query.filter.title'],
        ['filter value with NUL', { ...byDate, f: { entityId: 'p-\u00001' } }, 'query.filter.entityId.$eq'],
      ];
      for (const [name, payload, field] of edits) {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { cursor: encode(payload) } } });
        assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, field, name);
      }
      // The unedited payload still works, so the edits are what was refused.
      assert.equal((await server.call('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { cursor: encode(byDate) } } })).status, 200);
    });

    it("refuses the owner's private cursors (next and prev) to visitors with a 403", async () => {
      const p1 = await queryPage(server, { query: { filter: FILTER, cursorPaging: { limit: 30 } }, returnPrivateReviews: true }, true);
      const p2 = await queryPage(server, { query: { cursorPaging: { cursor: p1.next } } }, true);
      for (const c of [p1.next, p2.next, p2.prev]) {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { cursor: c } } });
        assert.equal(res.status, 403);
        assert.equal(res.body.details.applicationError.code, 'PERMISSION_DENIED');
      }
      const expected = expectedIds(all.values(), undefined, (r) => r.namespace === 'stores');
      assert.deepEqual([...p1.ids, ...p2.ids], expected.slice(0, 60));
      const back = await queryPage(server, { query: { cursorPaging: { cursor: p2.prev } } }, true);
      assert.deepEqual(back.ids, p1.ids);
    });
  });

  describe('inserts between pages', () => {
    // Where the new reviews land relative to the cursor: new reviews have the latest dates.
    const cases: [SortSpec, number, 'after' | 'before' | 'both'][] = [
      [[], 80, 'after'],
      [[{ fieldName: 'content.rating', order: 'DESC' }], 80, 'both'],
      [[{ fieldName: 'createdDate', order: 'DESC' }], 90, 'before'],
      [[{ fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'createdDate', order: 'DESC' }], 75, 'both'],
      [[{ fieldName: 'verified', order: 'ASC' }, { fieldName: 'content.rating', order: 'ASC' }, { fieldName: 'createdDate', order: 'DESC' }], 100, 'both'],
      [[{ fieldName: 'relevanceScore', order: 'ASC' }], 100, 'both'],
    ];
    let seed = 1000;
    for (const [sort, limit, lands] of cases) {
      it(`still returns every earlier review once, in order, by ${label(sort)}`, async () => {
        const before = expectedIds(all.values(), sort, visible);
        const cmp = comparator(sort);
        const inserted: { review: Review; afterCursor: boolean }[] = [];
        const pages = await pageThrough(server, { filter: FILTER, ...(sort.length ? { sort } : {}) }, {
          limit,
          between: async (_, page) => {
            // New reviews on both sides of the cursor: ratings 1 and 5, verified or not, long and empty bodies.
            const last = all.get(page.ids.at(-1)!)!;
            const inputs = reviewInputs(6, seed++).map((r, i) => ({ ...r, rating: i % 2 ? 1 : 5, verified: i % 3 === 0, body: i < 3 ? null : 'x'.repeat(700) }));
            const created = await bulkCreate(server, inputs);
            for (const review of created) all.set(review.id, review);
            // In helpfulness order, votes move some of them to either end.
            if (sort.some((k) => k.fieldName === 'helpfulness')) {
              for (const [i, choice, times] of [[1, 'UNHELPFUL', 2], [4, 'HELPFUL', 3]] as const) {
                for (let t = 0; t < times; t++) all.set(created[i]!.id, await vote(server, created[i]!.id, randomUUID(), choice));
              }
            }
            for (const { id } of created) inserted.push({ review: all.get(id)!, afterCursor: cmp(all.get(id)!, last) > 0 });
          },
        });
        const got = flat(pages);
        assert.equal(new Set(got).size, got.length, 'no review twice');
        const old = new Set(before);
        assert.deepEqual(got.filter((id) => old.has(id)), before, 'every earlier review once, in order');
        // Keyset semantics: a review inserted after the cursor position shows up later, one before it does not.
        const shown = new Set(got);
        for (const { review, afterCursor } of inserted) assert.equal(shown.has(review.id), afterCursor, `inserted review ${review.id} (rating ${review.content.rating})`);
        assert.equal(inserted.length, 6 * (pages.length - 1));
        assert.equal(inserted.some((x) => x.afterCursor), lands !== 'before', 'some inserts land after the cursor');
        assert.equal(inserted.some((x) => !x.afterCursor), lands !== 'after', 'some inserts land before the cursor');
        const reviews = got.map((id) => all.get(id)!);
        for (let i = 1; i < reviews.length; i++) assert.ok(cmp(reviews[i - 1]!, reviews[i]!) < 0, `item ${i} is in order`);
      });
    }
  });
});
