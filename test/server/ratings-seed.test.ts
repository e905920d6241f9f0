/**
 * The demo seed's attribute ratings: deterministic, each linked to its review and owned by
 * the review's author, quality and value for every product and fit for clothes, and the
 * summaries the demo shows (ratings of reviews in moderation or rejected do not count).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Rating } from '../../src/api/ratings.js';
import type { Review } from '../../src/api/schema.js';
import { openDb, type Db } from '../../src/server/db.js';
import { seedDemo } from '../../src/server/seed.js';
import { startTestServer, type TestServer } from './helpers.js';

const owner = { owner: true } as const;
const CLOTHES_WITH_FIT = ['organic-cotton-tee', 'wool-overshirt', 'packable-rain-jacket'];

async function everything<T>(server: TestServer, path: string, key: string, body: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  let req: Record<string, unknown> = { ...body, query: { cursorPaging: { limit: 100 } } };
  for (let page = 0; page < 50; page++) {
    const res = await server.call('POST', path, req, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    out.push(...res.body[key]);
    const next = res.body.metadata.cursors.next;
    if (!next) return out;
    req = { ...body, query: { cursorPaging: { limit: 100, cursor: next } } };
  }
  throw new Error('too many pages');
}

/** Rows of the ratings table in a form both engines agree on. */
async function ratingRows(db: Db) {
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM ratings ORDER BY id');
  return rows.map((r) => ({
    ...r,
    value: Number(r.value),
    revision: String(r.revision),
    created_date: new Date(r.created_date as string).toISOString(),
    updated_date: new Date(r.updated_date as string).toISOString(),
  }));
}

describe('demo seed: attribute ratings', () => {
  let server: TestServer;
  let other: Db;
  let stats: Awaited<ReturnType<typeof seedDemo>>;
  let ratings: Rating[];
  let reviews: Map<string, Review>;

  before(async () => {
    server = await startTestServer({ seed: 'demo', deliveryIntervalMs: 0 });
    other = await openDb('memory');
    stats = await seedDemo(other);
    ratings = await everything<Rating>(server, '/ratings/v1/ratings/query', 'ratings', {});
    const all = await everything<Review>(server, '/reviews/v1/reviews/query', 'reviews', { returnPrivateReviews: true });
    reviews = new Map(all.map((r) => [r.id, r]));
  });
  after(async () => {
    await Promise.all([server?.close(), other?.close()]);
  });

  const status = (r: Rating) => reviews.get(r.relatedEntityIds![0]!)!.moderation!.moderationStatus;

  it('reports the ratings it created, and two fresh databases hold the same rows', async () => {
    assert.equal(ratings.length, stats.ratings);
    assert.ok(stats.ratings >= 500 && stats.ratings <= 1000, `${stats.ratings} ratings`);
    const [a, b] = await Promise.all([ratingRows(server.db), ratingRows(other)]);
    assert.equal(a.length, stats.ratings);
    assert.deepEqual(b, a);
  });

  it('links each rating to one review, owned by its author, on its product, dated with it', () => {
    for (const r of ratings) {
      assert.equal(r.relatedEntityIds?.length, 1);
      const review = reviews.get(r.relatedEntityIds![0]!);
      assert.ok(review, `rating ${r.id} is linked to a review`);
      assert.deepEqual(
        [r.namespace, r.group, r.entityId, r.owner, r.createdDate, r.revision],
        ['reviews', 'stores', review.entityId, { contactId: review.author!.contactId }, review.createdDate, '1'],
      );
      assert.ok([20, 40, 60, 80, 100].includes(r.value), `${r.value} is a whole number of stars`);
    }
    const rated = new Set(ratings.map((r) => r.relatedEntityIds![0]));
    const share = rated.size / reviews.size;
    assert.ok(share > 0.7 && share < 0.9, `${share} of reviews have attribute ratings`);
  });

  it('rates quality and value everywhere, and fit only for clothes that have one', () => {
    const byReview = new Map<string, string[]>();
    for (const r of ratings) byReview.set(r.relatedEntityIds![0]!, [...(byReview.get(r.relatedEntityIds![0]!) ?? []), r.attributeName]);
    for (const [reviewId, names] of byReview) {
      const fit = CLOTHES_WITH_FIT.includes(reviews.get(reviewId)!.entityId);
      assert.deepEqual(names.sort(), fit ? ['fit', 'quality', 'value'] : ['quality', 'value']);
    }
  });

  it('includes ratings of reviews in moderation and rejected, which do not count', async () => {
    const hidden = ratings.filter((r) => status(r) !== 'APPROVED');
    assert.ok(hidden.length >= 10, `${hidden.length} ratings of unpublished reviews`);
    const counted = ratings.filter((r) => status(r) === 'APPROVED');
    const res = await server.call('GET', '/ratings/v1/ratings/groups/stores/summary?attributeNames=quality,value,fit');
    assert.equal(res.status, 200);
    const totals = Object.fromEntries(res.body.attributeSummaries.map((s: { attributeName: string; total: number }) => [s.attributeName, s.total]));
    assert.deepEqual(totals, {
      quality: counted.filter((r) => r.attributeName === 'quality').length,
      value: counted.filter((r) => r.attributeName === 'value').length,
      fit: counted.filter((r) => r.attributeName === 'fit').length,
    });
  });

  it('gives the tee attribute bars next to its star summary', async () => {
    const res = await server.call('GET', '/ratings/v1/ratings/groups/stores/entities/organic-cotton-tee/summary?attributeNames=overall,quality,value,fit');
    assert.equal(res.status, 200);
    const [overall, ...attributes] = res.body.attributeSummaries as { attributeName: string; total: number; average: number; valueBreakdown: { value: number; total: number }[] }[];
    assert.equal(overall!.attributeName, 'overall');
    assert.ok(overall!.total >= 40);
    for (const s of attributes) {
      const mine = ratings.filter((r) => r.entityId === 'organic-cotton-tee' && r.attributeName === s.attributeName && status(r) === 'APPROVED');
      assert.equal(s.total, mine.length);
      assert.ok(s.total > 0.6 * overall!.total, `${s.attributeName}: ${s.total} ratings`);
      assert.ok(Math.abs(s.average - mine.reduce((sum, r) => sum + r.value, 0) / mine.length) < 1e-4);
      // Close to the stars: within a star of the overall average (stars x 20).
      assert.ok(Math.abs(s.average - overall!.average * 20) < 20, `${s.attributeName} ${s.average} vs overall ${overall!.average}`);
    }
  });
});
