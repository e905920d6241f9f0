/**
 * Query Ratings (`POST /ratings/v1/ratings/query`): every filter and operator of
 * reference §7 (plus `$and/$or/$not`), every sort, keyset paging forwards and backwards,
 * cursors, limits, errors, and what visitors may see and ask. Results are checked against
 * the expected rows computed in JS from a deterministic data set.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Rating } from '../../src/api/ratings.js';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';
import { rng } from './review-data.js';

const R = '/ratings/v1/ratings';
const Q = `${R}/query`;
const owner = { owner: true } as const;

type Sort = { fieldName: string; order?: 'ASC' | 'DESC' }[];

interface Page {
  ratings: Rating[];
  ids: string[];
  next?: string;
  prev?: string;
  hasNext: boolean;
}

describe('Query Ratings', () => {
  let server: TestServer;
  let t = Date.parse('2032-05-01T08:00:00.000Z');
  const all: Rating[] = [];
  let hiddenReviewRatings: Rating[] = [];
  const visitors = Array.from({ length: 4 }, () => randomUUID());

  before(async () => {
    server = await startTestServer({ clock: () => new Date(t), deliveryIntervalMs: 0 });
    const random = rng(4242);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const seen = new Set<string>();
    for (let i = 0; all.length < 140; i++) {
      // Every other rating shares its creation time with the one before: ties on createdDate.
      if (i % 2 === 0) t += 1000;
      const kind = i % 3;
      const r = {
        namespace: i % 10 === 9 ? 'comments' : 'reviews',
        group: pick(['stores', 'stores', 'bookings']),
        entityId: pick(['e1', 'e2', 'e3']),
        attributeName: pick(['quality', 'value', 'fit']),
        value: Math.floor(random() * 11) * 10,
        owner: kind === 0 ? { contactId: `c${i % 9}` } : kind === 1 ? { memberId: `m${i % 5}` } : { anonymousVisitorId: pick(visitors) },
        relatedEntityIds: ['r1', 'r2', 'r3', 'r4'].filter(() => random() < 0.3),
      };
      const key = JSON.stringify([r.namespace, r.group, r.entityId, r.attributeName, r.owner]);
      if (seen.has(key)) continue;
      seen.add(key);
      const res = await server.call('POST', R, { rating: r }, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      all.push(res.body.rating);
    }
    // Ratings of a review that was rejected: only the owner sees them.
    const review = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: 'e1' }), owner);
    hiddenReviewRatings = [];
    for (const attributeName of ['quality', 'value']) {
      t += 1000;
      const res = await server.call('POST', R, { rating: { group: 'stores', entityId: 'e1', attributeName, value: 50, owner: { contactId: review.body.review.author.contactId }, relatedEntityIds: [review.body.review.id] } }, owner);
      hiddenReviewRatings.push(res.body.rating);
      all.push(res.body.rating);
    }
    const rejected = await server.call('PATCH', `/reviews/v1/reviews/${review.body.review.id}/moderate`, { status: 'REJECTED' }, owner);
    assert.equal(rejected.status, 200);
  });
  after(() => server.close());

  function sortValue(r: Rating, field: string): string | number {
    switch (field) {
      case 'value':
        return r.value;
      case 'createdDate':
        return r.createdDate;
      case 'updatedDate':
        return r.updatedDate!;
      case 'id':
        return r.id;
      default:
        throw new Error(field);
    }
  }

  /** The server's order: the keys (default createdDate ASC), then the id in the last key's direction. */
  function expected(keep: (r: Rating) => boolean, sort?: Sort, from: readonly Rating[] = all): string[] {
    const keys = sort?.length ? sort : [{ fieldName: 'createdDate', order: 'ASC' as const }];
    const lastDesc = keys.at(-1)!.order === 'DESC';
    const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
    return from
      .filter(keep)
      .sort((a, b) => {
        for (const k of keys) {
          const c = cmp(sortValue(a, k.fieldName), sortValue(b, k.fieldName));
          if (c) return k.order === 'DESC' ? -c : c;
        }
        return lastDesc ? -cmp(a.id, b.id) : cmp(a.id, b.id);
      })
      .map((r) => r.id);
  }

  async function page(body: unknown, init: { owner?: boolean } = owner): Promise<Page> {
    const res = await server.call('POST', Q, body, init);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['metadata', 'ratings']);
    const ratings = res.body.ratings as Rating[];
    assert.equal(res.body.metadata.count, ratings.length);
    const cursors = res.body.metadata.cursors;
    return { ratings, ids: ratings.map((r) => r.id), next: cursors.next, prev: cursors.prev, hasNext: res.body.metadata.hasNext };
  }

  /** Pages forward (the first request with the query, then cursors only); returns each page. */
  async function forward(query: Record<string, unknown>, limit: number, init: { owner?: boolean } = owner): Promise<Page[]> {
    const pages = [await page({ query: { ...query, cursorPaging: { limit } } }, init)];
    while (pages.at(-1)!.next) {
      assert.equal(pages.at(-1)!.ids.length, limit, 'a page followed by another is full');
      assert.ok(pages.length < 500);
      pages.push(await page({ query: { cursorPaging: { cursor: pages.at(-1)!.next } } }, init));
    }
    assert.equal(pages.at(-1)!.hasNext, false);
    return pages;
  }

  const ids = async (query: Record<string, unknown>, init: { owner?: boolean } = owner) => (await forward(query, 100, init)).flatMap((p) => p.ids);

  describe('filters', () => {
    const related = (r: Rating) => r.relatedEntityIds ?? [];
    const o = (r: Rating) => r.owner ?? {};
    const t0 = () => all[40]!.createdDate;
    const t1 = () => all[90]!.createdDate;
    const cases: [string, () => unknown, (r: Rating) => boolean][] = [
      ['id $eq', () => ({ id: all[3]!.id }), (r) => r.id === all[3]!.id],
      ['id shorthand through the _id alias', () => ({ _id: all[4]!.id }), (r) => r.id === all[4]!.id],
      ['id $ne', () => ({ id: { $ne: all[3]!.id } }), (r) => r.id !== all[3]!.id],
      ['id $in', () => ({ id: { $in: [all[1]!.id, all[7]!.id, 'nope'] } }), (r) => [all[1]!.id, all[7]!.id].includes(r.id)],
      ['namespace', () => ({ namespace: 'comments' }), (r) => r.namespace === 'comments'],
      ['group', () => ({ group: 'bookings' }), (r) => r.group === 'bookings'],
      ['group $ne', () => ({ group: { $ne: 'bookings' } }), (r) => r.group !== 'bookings'],
      ['entityId $in', () => ({ entityId: { $in: ['e1', 'e3'] } }), (r) => ['e1', 'e3'].includes(r.entityId)],
      ['attributeName', () => ({ attributeName: 'fit' }), (r) => r.attributeName === 'fit'],
      ['attributeId (2022 alias)', () => ({ attributeId: { $in: ['value', 'fit'] } }), (r) => ['value', 'fit'].includes(r.attributeName)],
      ['value $eq', () => ({ value: 50 }), (r) => r.value === 50],
      ['value $ne', () => ({ value: { $ne: 50 } }), (r) => r.value !== 50],
      ['value $in', () => ({ value: { $in: [0, 100] } }), (r) => r.value === 0 || r.value === 100],
      ['value $gt and $lte', () => ({ value: { $gt: 30, $lte: 70 } }), (r) => r.value > 30 && r.value <= 70],
      ['value $gte', () => ({ value: { $gte: 90 } }), (r) => r.value >= 90],
      ['value $lt', () => ({ value: { $lt: 10 } }), (r) => r.value < 10],
      ['owner.contactId', () => ({ 'owner.contactId': 'c3' }), (r) => o(r).contactId === 'c3'],
      ['owner.contactId $in', () => ({ 'owner.contactId': { $in: ['c0', 'c6'] } }), (r) => ['c0', 'c6'].includes(o(r).contactId ?? '')],
      ['owner.contactId $ne includes ratings of members and visitors', () => ({ 'owner.contactId': { $ne: 'c3' } }), (r) => o(r).contactId !== 'c3'],
      ['owner.memberId', () => ({ 'owner.memberId': 'm2' }), (r) => o(r).memberId === 'm2'],
      ['owner.anonymousVisitorId', () => ({ 'owner.anonymousVisitorId': visitors[1] }), (r) => o(r).anonymousVisitorId === visitors[1]],
      ['relatedEntityIds $hasSome', () => ({ relatedEntityIds: { $hasSome: ['r1', 'r4'] } }), (r) => related(r).some((x) => ['r1', 'r4'].includes(x))],
      ['relatedEntityIds $hasAll', () => ({ relatedEntityIds: { $hasAll: ['r1', 'r2'] } }), (r) => ['r1', 'r2'].every((x) => related(r).includes(x))],
      ['relatedEntityIds $hasSome []', () => ({ relatedEntityIds: { $hasSome: [] } }), () => false],
      ['relatedEntityIds $hasAll []', () => ({ relatedEntityIds: { $hasAll: [] } }), () => true],
      ['createdDate $gte and $lt', () => ({ createdDate: { $gte: t0(), $lt: t1() } }), (r) => r.createdDate >= t0() && r.createdDate < t1()],
      ['createdDate as {$date}', () => ({ createdDate: { $gt: { $date: t1() } } }), (r) => r.createdDate > t1()],
      ['updatedDate $lte', () => ({ updatedDate: { $lte: t0() } }), (r) => r.updatedDate! <= t0()],
      ['$and', () => ({ $and: [{ entityId: 'e2' }, { attributeName: 'quality' }] }), (r) => r.entityId === 'e2' && r.attributeName === 'quality'],
      ['$or', () => ({ $or: [{ value: 100 }, { 'owner.memberId': 'm1' }] }), (r) => r.value === 100 || o(r).memberId === 'm1'],
      ['$not', () => ({ $not: { 'owner.anonymousVisitorId': visitors[0] } }), (r) => o(r).anonymousVisitorId !== visitors[0]],
      ['fields together', () => ({ group: 'stores', entityId: 'e1', value: { $gte: 50 } }), (r) => r.group === 'stores' && r.entityId === 'e1' && r.value >= 50],
    ];
    for (const [name, filter, keep] of cases) {
      it(name, async () => {
        const want = expected(keep);
        assert.deepEqual(await ids({ filter: filter() }), want);
        if (name !== 'relatedEntityIds $hasSome []') assert.ok(want.length > 0, 'the case selects something');
        if (name !== 'relatedEntityIds $hasAll []') assert.ok(want.length < all.length, 'the case leaves something out');
      });
    }

    it('refuses unknown fields, operators and wrong types with a 400 naming the path', async () => {
      const bad: [unknown, string, RegExp][] = [
        [{ rating: 5 }, 'query.filter.rating', /unknown field "rating".*attributeName/],
        [{ value: { $hasSome: [1] } }, 'query.filter.value.$hasSome', /not supported for "value"/],
        [{ relatedEntityIds: 'r1' }, 'query.filter.relatedEntityIds.$eq', /supported: \$hasSome \$hasAll/],
        [{ relatedEntityIds: { $hasAll: 'r1' } }, 'query.filter.relatedEntityIds.$hasAll', /must be an array/],
        [{ relatedEntityIds: { $hasSome: [1] } }, 'query.filter.relatedEntityIds.$hasSome[0]', /must be a string/],
        [{ value: '50' }, 'query.filter.value.$eq', /integer/],
        [{ attributeName: { $gt: 'a' } }, 'query.filter.attributeName.$gt', /not supported/],
        [{ createdDate: { $gt: 'yesterday' } }, 'query.filter.createdDate.$gt', /ISO-8601/],
        [{ $or: [] }, 'query.filter.$or', /non-empty array/],
        [{ $where: 'true' }, 'query.filter.$where', /not a supported operator/],
      ];
      for (const [filter, field, description] of bad) {
        const res = await server.call('POST', Q, { query: { filter } }, owner);
        assert.equal(res.status, 400, JSON.stringify(filter));
        const v = res.body.details.validationError.fieldViolations[0];
        assert.equal(v.field, field, JSON.stringify(filter));
        assert.match(v.description, description);
      }
      const notObject = await server.call('POST', Q, { query: { filter: [1] } }, owner);
      assert.equal(notObject.body.details.validationError.fieldViolations[0].field, 'query.filter');
      const unknownKey = await server.call('POST', Q, { query: { filters: {} } }, owner);
      assert.equal(unknownKey.status, 400);
      assert.match(unknownKey.body.message, /filters/);
    });
  });

  describe('sorting', () => {
    const sorts: Sort[] = [
      [],
      [{ fieldName: 'createdDate', order: 'DESC' }],
      [{ fieldName: 'value' }],
      [{ fieldName: 'value', order: 'DESC' }],
      [{ fieldName: 'value', order: 'ASC' }, { fieldName: 'createdDate', order: 'DESC' }],
      [{ fieldName: 'id', order: 'DESC' }],
      [{ fieldName: 'updatedDate', order: 'DESC' }, { fieldName: 'value' }],
    ];
    for (const sort of sorts) {
      it(`orders by ${JSON.stringify(sort)}, the id breaking ties`, async () => {
        assert.deepEqual(await ids({ sort }), expected(() => true, sort));
      });
    }

    it('refuses a field that is not sortable or not known', async () => {
      for (const [fieldName, description] of [['group', /not sortable; sortable: id, value, createdDate, updatedDate/], ['stars', /unknown field/]] as const) {
        const res = await server.call('POST', Q, { query: { sort: [{ fieldName }] } }, owner);
        assert.equal(res.status, 400);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, 'query.sort[0].fieldName');
        assert.match(res.body.message, description);
      }
      const order = await server.call('POST', Q, { query: { sort: [{ fieldName: 'value', order: 'down' }] } }, owner);
      assert.equal(order.body.details.validationError.fieldViolations[0].field, 'query.sort.0.order');
    });
  });

  describe('paging', () => {
    it('sends 50 by default, at most 100, and refuses 0 or 101', async () => {
      assert.ok(all.length > 100);
      const first = await page({});
      assert.deepEqual(first.ids, expected(() => true).slice(0, 50));
      assert.equal(first.hasNext, true);
      assert.ok(first.next);
      assert.equal(first.prev, undefined);
      const empty = await page(undefined);
      assert.deepEqual(empty.ids, first.ids, 'an empty body is an empty query');
      assert.equal((await page({ query: { cursorPaging: { limit: 100 } } })).ids.length, 100);
      for (const limit of [0, 101, 2.5]) {
        const res = await server.call('POST', Q, { query: { cursorPaging: { limit } } }, owner);
        assert.equal(res.status, 400, String(limit));
        assert.equal(res.body.details.validationError.fieldViolations[0].field, 'query.cursorPaging.limit');
      }
    });

    for (const sort of [[], [{ fieldName: 'value', order: 'DESC' }]] as Sort[]) {
      it(`pages forwards and back again with ${JSON.stringify(sort)}`, async () => {
        const want = expected((r) => r.namespace === 'reviews', sort);
        const pages = await forward({ filter: { namespace: 'reviews' }, sort }, 7);
        assert.deepEqual(pages.flatMap((p) => p.ids), want);
        assert.equal(pages[0]!.prev, undefined, 'the first page has no previous page');
        pages.slice(1).forEach((p) => assert.ok(p.prev, 'every later page has one'));
        // Back from the last page: each prev cursor gives the page before, in order.
        let at = pages.at(-1)!;
        for (let i = pages.length - 2; i >= 0; i--) {
          at = await page({ query: { cursorPaging: { cursor: at.prev } } });
          assert.deepEqual(at.ids, pages[i]!.ids, `page ${i} again`);
          assert.ok(at.next, 'a page reached backwards has a next cursor');
        }
        assert.equal(at.prev, undefined);
        // And forward again from there.
        const again = await page({ query: { cursorPaging: { cursor: at.next } } });
        assert.deepEqual(again.ids, pages[1]!.ids);
      });
    }

    it('lets a cursor request change the limit, and refuses a cursor that was altered', async () => {
      const first = await page({ query: { sort: [{ fieldName: 'value' }], cursorPaging: { limit: 5 } } });
      const next = await page({ query: { cursorPaging: { limit: 20, cursor: first.next } } });
      assert.deepEqual(next.ids, expected(() => true, [{ fieldName: 'value' }]).slice(5, 25));
      const state = JSON.parse(Buffer.from(first.next!, 'base64url').toString());
      for (const altered of [
        'not-a-cursor',
        Buffer.from(JSON.stringify({ ...state, s: [['group', 'ASC']] })).toString('base64url'),
        Buffer.from(JSON.stringify({ ...state, k: ["'; DROP TABLE ratings; --", 'x'] })).toString('base64url'),
        Buffer.from(JSON.stringify({ ...state, l: 1000 })).toString('base64url'),
      ]) {
        const res = await server.call('POST', Q, { query: { cursorPaging: { cursor: altered } } }, owner);
        assert.equal(res.status, 400);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, 'query.cursorPaging.cursor');
      }
    });

    it('keeps pages exact while ratings are added between requests', async () => {
      const filter = { entityId: 'e2', group: 'stores' };
      const first = await page({ query: { filter, sort: [{ fieldName: 'createdDate', order: 'DESC' }], cursorPaging: { limit: 4 } } });
      t += 60_000;
      const added = await server.call('POST', R, { rating: { group: 'stores', entityId: 'e2', attributeName: 'late', value: 1, owner: { contactId: 'late' } } }, owner);
      assert.equal(added.status, 200);
      try {
        const second = await page({ query: { cursorPaging: { cursor: first.next } } });
        const want = expected((r) => r.entityId === 'e2' && r.group === 'stores', [{ fieldName: 'createdDate', order: 'DESC' }]);
        assert.deepEqual(second.ids, want.slice(4, 8), 'the newer rating does not shift the next page');
        const fresh = await page({ query: { filter, sort: [{ fieldName: 'createdDate', order: 'DESC' }], cursorPaging: { limit: 4 } } });
        assert.equal(fresh.ids[0], added.body.rating.id, 'a new query sees it first');
      } finally {
        await server.call('DELETE', `${R}/${added.body.rating.id}?revision=1`, undefined, owner);
      }
    });
  });

  describe('visitors', () => {
    it('see ratings without their owner', async () => {
      const p = await page({ query: { cursorPaging: { limit: 100 } } }, {});
      assert.equal(p.ratings.length, 100);
      assert.ok(p.ratings.every((r) => !('owner' in r)));
      const asOwner = await page({ query: { cursorPaging: { limit: 100 } } });
      assert.deepEqual(p.ratings, asOwner.ratings.filter((r) => !hiddenReviewRatings.some((h) => h.id === r.id)).slice(0, 100).map(({ owner: _o, ...rest }) => rest));
    });

    it('do not see ratings of a rejected review; the owner does', async () => {
      const filter = { relatedEntityIds: { $hasSome: hiddenReviewRatings[0]!.relatedEntityIds } };
      assert.deepEqual(await ids({ filter }), hiddenReviewRatings.map((r) => r.id));
      assert.deepEqual(await ids({ filter }, {}), []);
      const everything = await ids({}, {});
      assert.deepEqual(everything, expected((r) => !hiddenReviewRatings.includes(r)));
    });

    it('may find their own ratings by visitor id', async () => {
      const mine = await ids({ filter: { 'owner.anonymousVisitorId': visitors[2] } }, {});
      assert.deepEqual(mine, expected((r) => r.owner?.anonymousVisitorId === visitors[2]));
      assert.ok(mine.length > 0);
    });

    it('may not filter on contact or member ids (403), however nested or sent in a cursor', async () => {
      for (const filter of [
        { 'owner.contactId': 'c3' },
        { 'owner.memberId': { $in: ['m1'] } },
        { $or: [{ value: 1 }, { 'owner.contactId': 'c1' }] },
        { $not: { $and: [{ 'owner.memberId': 'm1' }] } },
        // As deep as the compiler allows.
        Array.from({ length: 7 }).reduce<Record<string, unknown>>((inner) => ({ $and: [inner] }), { 'owner.contactId': 'c1' }),
      ]) {
        const res = await server.call('POST', Q, { query: { filter } }, {});
        assert.equal(res.status, 403, JSON.stringify(filter));
        assert.equal(res.body.details.applicationError.code, 'PERMISSION_DENIED');
        assert.match(res.body.message, /owner\.(contactId|memberId) needs the owner API key/);
      }
      const ownerPage = await page({ query: { filter: { 'owner.contactId': { $ne: 'zzz' } }, cursorPaging: { limit: 2 } } });
      assert.ok(ownerPage.next);
      const replay = await server.call('POST', Q, { query: { cursorPaging: { cursor: ownerPage.next } } }, {});
      assert.equal(replay.status, 403);
    });
  });
});
