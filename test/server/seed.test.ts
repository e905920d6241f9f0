/**
 * The demo data set: a server started with `seed: 'demo'` serves it over HTTP with the
 * counts `seedDemo` reports, a realistic shape (J-shaped ratings, one weak product, an
 * empty one, a moderation queue, photos, other languages), and two fresh databases
 * seeded independently hold identical rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EntitySummary, Review } from '../../src/api/schema.js';
import { openDb, type Db } from '../../src/server/db.js';
import { DEMO_PRODUCTS, seedDemo } from '../../src/server/seed.js';
import { startTestServer, type TestServer } from './helpers.js';

const BASE_DATE = '2026-11-01T12:00:00.000Z';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Every review, including private ones, through the owner's Query Reviews, page by page. */
async function allReviews(server: TestServer): Promise<Review[]> {
  const reviews: Review[] = [];
  let body: unknown = { query: { cursorPaging: { limit: 100 } }, returnPrivateReviews: true };
  for (let page = 0; page < 20; page++) {
    const res = await server.call('POST', '/reviews/v1/reviews/query', body, { owner: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    reviews.push(...(res.body.reviews as Review[]));
    const next = res.body.metadata.cursors.next as string | undefined;
    if (!res.body.metadata.hasNext || !next) return reviews;
    body = { query: { cursorPaging: { cursor: next } } };
  }
  throw new Error('more than 20 pages of demo reviews');
}

async function count(server: TestServer, body: unknown, owner = false): Promise<number> {
  const res = await server.call('POST', '/reviews/v1/reviews/count', body, { owner });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.count as number;
}

const status = (r: Review) => r.moderation?.moderationStatus;
const text = (r: Review) => `${r.content.title ?? ''}\n${r.content.body ?? ''}`;
const media = (r: Review) => r.content.media ?? [];
const images = (r: Review) => media(r).flatMap((m) => ('image' in m && m.image ? [m.image] : []));

describe('demo seed', () => {
  let server: TestServer;
  let first: Db;
  let second: Db;
  let stats: Awaited<ReturnType<typeof seedDemo>>;
  let secondStats: Awaited<ReturnType<typeof seedDemo>>;
  let reviews: Review[];

  before(async () => {
    server = await startTestServer({ seed: 'demo' });
    reviews = await allReviews(server);
    first = await openDb('memory');
    second = await openDb('memory');
    stats = await seedDemo(first);
    secondStats = await seedDemo(second);
  });
  after(async () => {
    await Promise.all([server?.close(), first?.close(), second?.close()]);
  });

  describe('counts', () => {
    it('reports the products, reviews and photos it created', () => {
      assert.equal(stats.products, DEMO_PRODUCTS.length);
      assert.ok(DEMO_PRODUCTS.length >= 10 && DEMO_PRODUCTS.length <= 14, `${DEMO_PRODUCTS.length} products`);
      assert.ok(stats.reviews >= 300 && stats.reviews <= 450, `${stats.reviews} reviews`);
      assert.ok(stats.images >= 30 && stats.images <= 90, `${stats.images} photos`);
    });

    it('serves exactly the reviews and photos it reported', async () => {
      assert.equal(reviews.length, stats.reviews);
      assert.equal(await count(server, { includePrivateReviews: true }, true), stats.reviews);
      assert.equal(new Set(reviews.flatMap((r) => images(r).map((i) => i.id))).size, stats.images);
    });

    it('counts the approved reviews it created as the public total', async () => {
      const { rows } = await first.query<{ n: number }>(`SELECT count(*)::int AS n FROM reviews WHERE moderation_status = 'APPROVED'`);
      const approved = Number(rows[0]!.n);
      assert.equal(await count(server, {}), approved);
      assert.equal(reviews.filter((r) => status(r) === 'APPROVED').length, approved);
      assert.equal(approved, stats.reviews - 12);
    });

    it('leaves 8 reviews in moderation and 4 rejected', async () => {
      const byStatus = (s: string) => count(server, { filter: { 'moderation.moderationStatus': s }, includePrivateReviews: true }, true);
      assert.equal(await byStatus('IN_MODERATION'), 8);
      assert.equal(await byStatus('REJECTED'), 4);
    });

    it('uses readable product ids that fit an entity id', () => {
      for (const p of DEMO_PRODUCTS) {
        assert.match(p.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(p.id.length <= 36, p.id);
        assert.equal(p.currency, 'USD');
        assert.match(p.color, /^#[0-9a-f]{6}$/i);
        assert.ok(p.price > 0 && p.name && p.description);
      }
      assert.equal(new Set(DEMO_PRODUCTS.map((p) => p.id)).size, DEMO_PRODUCTS.length);
    });
  });

  describe('determinism', () => {
    it('gives two fresh databases identical rows', async () => {
      assert.deepEqual(secondStats, stats);
      for (const sql of [
        'SELECT * FROM reviews ORDER BY id',
        'SELECT id, md5(bytes) AS digest, content_type, width, height, filename, created_date FROM media ORDER BY id',
        'SELECT * FROM helpful_votes ORDER BY review_id, visitor_id',
        'SELECT * FROM contacts ORDER BY id',
      ]) {
        const [a, b] = await Promise.all([first.query(sql), second.query(sql)]);
        assert.ok(a.rows.length > 0, sql);
        assert.deepEqual(b.rows, a.rows, sql);
      }
    });

    it('gives the server the same review ids and contents', async () => {
      const { rows } = await first.query<{ id: string; title: string | null; body: string | null; rating: number }>(
        'SELECT id, title, body, rating FROM reviews ORDER BY id',
      );
      const served = [...reviews].sort((a, b) => (a.id < b.id ? -1 : 1));
      assert.deepEqual(
        served.map((r) => ({ id: r.id, title: r.content.title, body: r.content.body, rating: r.content.rating })),
        rows.map((r) => ({ ...r, rating: Number(r.rating) })),
      );
    });

    it('uses version 4 UUIDs for review and contact ids', () => {
      const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      for (const r of reviews) {
        assert.match(r.id, v4);
        assert.match(r.author?.contactId ?? '', v4);
      }
    });

    it('keeps the helpful counters equal to the stored votes', async () => {
      const { rows } = await first.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM reviews r
         WHERE found_helpful <> (SELECT count(*) FROM helpful_votes v WHERE v.review_id = r.id AND v.vote = 1)
            OR found_unhelpful <> (SELECT count(*) FROM helpful_votes v WHERE v.review_id = r.id AND v.vote = -1)`,
      );
      assert.equal(Number(rows[0]!.n), 0);
    });

    it('refuses to seed the same database twice', async () => {
      await assert.rejects(seedDemo(first), /already/);
    });
  });

  describe('content', () => {
    it('dates every review in the 18 months before the base date', () => {
      const base = Date.parse(BASE_DATE);
      for (const r of reviews) {
        const t = Date.parse(r.createdDate);
        assert.ok(t < base && t > base - 548 * 86_400_000, r.createdDate);
        assert.equal(r.reviewDate, r.createdDate);
        const replied = Date.parse(r.reply?.createdDate ?? r.createdDate);
        assert.ok(replied >= t && replied <= base, r.reply?.createdDate);
      }
    });

    it('serves the photos as PNG images under 60 KB', async () => {
      const all = reviews.flatMap(images);
      const withPhotos = reviews.filter((r) => images(r).length > 0);
      assert.ok(withPhotos.length >= 25 && withPhotos.length <= 35, `${withPhotos.length} reviews with photos`);
      assert.ok(withPhotos.every((r) => images(r).length <= 3));
      for (const image of all) {
        assert.ok(image.url?.startsWith(`${server.url}/reviews/v1/media/`), image.url ?? '');
        assert.ok(image.altText, 'photos have alt text');
        const res = await fetch(image.url!);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'image/png');
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE);
        assert.ok(bytes.byteLength < 60_000, `${image.id} is ${bytes.byteLength} bytes`);
        assert.ok((image.width === 480 && image.height === 360) || (image.width === 360 && image.height === 480));
      }
    });

    it('links a few external videos', () => {
      const videos = reviews.flatMap((r) => media(r).flatMap((m) => ('video' in m && m.video ? [m.video] : [])));
      assert.ok(videos.length >= 2 && videos.length <= 3, `${videos.length} videos`);
      for (const v of videos) assert.match(v.url ?? '', /^https:\/\//);
    });

    it('has non-English reviews, including right-to-left ones', () => {
      const has = (pattern: RegExp) => reviews.filter((r) => status(r) === 'APPROVED' && pattern.test(text(r))).length;
      assert.ok(has(/[\u0590-\u05ff]/) >= 1, 'Hebrew');
      assert.ok(has(/[\u0600-\u06ff]/) >= 1, 'Arabic');
      assert.ok(has(/[\u3040-\u30ff]/) >= 1, 'Japanese');
      assert.ok(has(/\b(und|nicht|sehr)\b/) >= 1, 'German');
      assert.ok(has(/\b(pero|muy|después)\b/) >= 1, 'Spanish');
      assert.ok(has(/\b(est|très|chaque)\b/) >= 1, 'French');
    });

    it('has one-liners, long reviews that need "Read more", and untitled reviews', () => {
      const bodies = reviews.map((r) => r.content.body ?? '');
      assert.ok(bodies.filter((b) => b.length > 1200).length >= 10);
      assert.ok(bodies.filter((b) => b.length < 80 && !b.includes('\n')).length >= 30);
      assert.ok(bodies.some((b) => b.includes('\n\n')));
      assert.ok(reviews.filter((r) => r.content.title === null).length >= 20);
      assert.equal(new Set(bodies).size, bodies.length, 'no two reviews share a body');
    });

    it('puts a link and a phone number in the moderation queue, not on the page', () => {
      const pending = reviews.filter((r) => status(r) === 'IN_MODERATION').map(text);
      assert.ok(pending.some((t) => /https?:\/\//.test(t)), 'a link');
      assert.ok(pending.some((t) => /\(\d{3}\) \d{3}-\d{4}/.test(t)), 'a phone number');
    });

    it('has merchant replies on about one review in ten, mostly on unhappy ones', () => {
      const replied = reviews.filter((r) => r.reply);
      assert.ok(replied.length >= 0.06 * reviews.length && replied.length <= 0.15 * reviews.length, `${replied.length} replies`);
      const unhappy = reviews.filter((r) => r.content.rating <= 2);
      const happy = reviews.filter((r) => r.content.rating >= 4);
      const share = (list: Review[]) => list.filter((r) => r.reply).length / list.length;
      assert.ok(share(unhappy) > 3 * share(happy));
    });

    it('marks about 60% verified and two reviews imported from another app', async () => {
      const verified = reviews.filter((r) => r.verified).length / reviews.length;
      assert.ok(verified > 0.5 && verified < 0.7, `${verified} verified`);
      assert.equal(await count(server, { filter: { 'origin.type': 'APP' } }), 2);
      assert.ok(reviews.filter((r) => r.origin?.type === 'APP').every((r) => r.origin?.appId === 'judgeme-import'));
    });

    it('ranks detailed reviews with photos among the most helpful', async () => {
      const res = await server.call('POST', '/reviews/v1/reviews/query', {
        query: { sort: [{ fieldName: 'helpfulness', order: 'DESC' }], cursorPaging: { limit: 5 } },
      });
      const top = res.body.reviews as Review[];
      assert.equal(top.length, 5);
      for (const r of top) assert.ok((r.foundHelpful ?? 0) >= 10, `${r.foundHelpful} helpful`);
      assert.ok(top.filter((r) => media(r).length > 0 || (r.content.body ?? '').length > 1000).length >= 3);
      const quiet = reviews.filter((r) => status(r) === 'APPROVED' && (r.foundHelpful ?? 0) + (r.foundUnhelpful ?? 0) <= 3);
      assert.ok(quiet.length > 0.8 * reviews.length, 'most reviews have 0 to 3 votes');
      assert.ok(reviews.filter((r) => (r.foundUnhelpful ?? 0) >= 3).length >= 3, 'a few are voted unhelpful');
    });
  });

  describe('products', () => {
    it('leaves the new product without reviews', async () => {
      const empty = DEMO_PRODUCTS.filter((p) => !reviews.some((r) => r.entityId === p.id));
      assert.equal(empty.length, 1);
      const id = empty[0]!.id;
      assert.equal(await count(server, { filter: { entityId: id }, includePrivateReviews: true }, true), 0);
      const res = await server.call('GET', `/ratings/v1/ratings/groups/stores/entities/${id}/summary`);
      assert.equal(res.status, 200);
      assert.equal((res.body as EntitySummary).attributeSummaries[0]!.total, 0);
    });

    it('gives the best-seller a J-shaped rating breakdown', async () => {
      const approvedBy = (id: string) => reviews.filter((r) => r.entityId === id && status(r) === 'APPROVED').length;
      const best = [...DEMO_PRODUCTS].sort((a, b) => approvedBy(b.id) - approvedBy(a.id))[0]!;
      assert.ok(approvedBy(best.id) >= 40, `${approvedBy(best.id)} reviews on the best-seller`);
      const res = await server.call('GET', `/ratings/v1/ratings/groups/stores/entities/${best.id}/summary`);
      assert.equal(res.status, 200);
      const overall = (res.body as EntitySummary).attributeSummaries[0]!;
      const n = Object.fromEntries(overall.valueBreakdown.map((b) => [b.value, b.total])) as Record<number, number>;
      assert.equal(overall.total, approvedBy(best.id));
      assert.ok(n[5]! > overall.total / 2, 'most are five stars');
      assert.ok(n[5]! > n[4]! && n[4]! > n[3]!, 'falling from five to three stars');
      assert.ok(n[1]! > n[2]!, 'with the upturn at one star');
      assert.ok(overall.average > 3.8 && overall.average < 4.4, `average ${overall.average}`);
    });

    it('has one product that is clearly worse than the rest', async () => {
      const res = await server.call('POST', '/ratings/v1/ratings/groups/stores/attributes/average', {
        entityIds: DEMO_PRODUCTS.map((p) => p.id),
      });
      assert.equal(res.status, 200);
      const rated = (res.body.entityAverages as { entityId: string; total: number; average: number }[]).filter((a) => a.total > 0);
      const weak = rated.filter((a) => a.average < 3.4);
      assert.equal(weak.length, 1, JSON.stringify(rated));
      assert.ok(weak[0]!.average > 2.5 && weak[0]!.total >= 20);
      assert.ok(rated.filter((a) => a !== weak[0]).every((a) => a.average >= 3.8));
    });

    it('varies the number of reviews a lot between products', () => {
      const counts = DEMO_PRODUCTS.map((p) => reviews.filter((r) => r.entityId === p.id).length);
      assert.ok(Math.max(...counts) >= 40 && Math.max(...counts) <= 90);
      assert.ok(counts.filter((c) => c >= 2 && c <= 3).length >= 1);
    });
  });
});
