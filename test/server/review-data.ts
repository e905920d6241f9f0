/**
 * Shared by the query, paging, votes and summaries tests: creating reviews through the
 * API, the expected order of a WQL sort computed in JS, and paging through a query.
 */
import assert from 'node:assert/strict';
import type { Review } from '../../src/api/schema.js';
import type { TestServer } from './helpers.js';

export type SortSpec = { fieldName: string; order?: 'ASC' | 'DESC' }[];

/** Deterministic pseudo-random numbers, so data sets (and failures) are reproducible. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface ReviewInput {
  namespace?: string;
  entityId: string;
  contactId: string;
  rating: number;
  title?: string | null;
  body?: string | null;
  verified?: boolean;
  appId?: string;
  imageUrl?: string;
}

function toBody(r: ReviewInput) {
  return {
    namespace: r.namespace ?? 'stores',
    entityId: r.entityId,
    author: { contactId: r.contactId, authorName: `Author ${r.contactId.slice(0, 6)}` },
    content: {
      rating: r.rating,
      title: r.title ?? null,
      body: r.body ?? null,
      ...(r.imageUrl ? { media: [{ image: { url: r.imageUrl } }] } : {}),
    },
    ...(r.verified !== undefined ? { verified: r.verified } : {}),
    ...(r.appId ? { origin: { type: 'APP' as const, appId: r.appId } } : {}),
  };
}

/** Owner's Bulk Create (1000 items per call at most); returns the created reviews in input order. */
export async function bulkCreate(server: TestServer, items: readonly ReviewInput[]): Promise<Review[]> {
  const out: Review[] = [];
  for (let i = 0; i < items.length; i += 1000) {
    const chunk = items.slice(i, i + 1000);
    const res = await server.call('POST', '/reviews/v1/bulk/reviews/create', { reviews: chunk.map(toBody), returnEntity: true }, { owner: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.bulkActionMetadata.totalSuccesses, chunk.length, JSON.stringify(res.body.results.find((r: any) => !r.itemMetadata.success)));
    assert.equal(res.body.results.length, chunk.length);
    res.body.results.forEach((r: any, j: number) => {
      assert.equal(r.itemMetadata.originalIndex, j);
      assert.equal(r.review.id, r.itemMetadata.id);
      out.push(r.review as Review);
    });
  }
  return out;
}

export async function vote(server: TestServer, reviewId: string, visitorId: string, choice: 'HELPFUL' | 'UNHELPFUL' | 'NONE'): Promise<Review> {
  const res = await server.call('POST', `/reviews/v1/reviews/${reviewId}/helpfulness`, { vote: choice, visitorId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.review as Review;
}

export async function moderate(server: TestServer, reviewId: string, status: 'APPROVED' | 'REJECTED'): Promise<Review> {
  const res = await server.call('PATCH', `/reviews/v1/reviews/${reviewId}/moderate`, { status }, { owner: true });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.review.moderation.moderationStatus, status);
  return res.body.review as Review;
}

/** Runs `fn` over `items` with at most `width` calls in flight. */
export async function inParallel<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export function sortValue(r: Review, field: string): number | string | boolean {
  switch (field) {
    case 'content.rating':
      return r.content.rating;
    case 'helpfulness':
      return r.helpfulness!;
    case 'createdDate':
      return r.createdDate;
    case 'relevanceScore':
      return r.relevanceScore!;
    case 'verified':
      return r.verified!;
    case 'origin.type':
      return r.origin!.type;
    default:
      throw new Error(`no sort value for ${field}`);
  }
}

function cmp(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The server's total order for a sort: the keys in turn (default `createdDate ASC`), then
 * the review id as the tie-breaker, in the direction of the last key.
 */
export function comparator(sort: SortSpec | undefined): (a: Review, b: Review) => number {
  const keys = sort?.length ? sort : [{ fieldName: 'createdDate', order: 'ASC' as const }];
  const lastDesc = keys.at(-1)!.order === 'DESC';
  return (a, b) => {
    for (const k of keys) {
      const c = cmp(sortValue(a, k.fieldName), sortValue(b, k.fieldName));
      if (c !== 0) return k.order === 'DESC' ? -c : c;
    }
    const c = cmp(a.id, b.id);
    return lastDesc ? -c : c;
  };
}

export function expectedIds(reviews: Iterable<Review>, sort: SortSpec | undefined, keep: (r: Review) => boolean = () => true): string[] {
  return [...reviews].filter(keep).sort(comparator(sort)).map((r) => r.id);
}

export interface Page {
  ids: string[];
  reviews: Review[];
  next?: string;
  prev?: string;
}

/** One Query Reviews call; asserts the envelope (`count` = items on the page). */
export async function queryPage(server: TestServer, body: unknown, owner = false): Promise<Page> {
  const res = await server.call('POST', '/reviews/v1/reviews/query', body, { owner });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const reviews = res.body.reviews as Review[];
  assert.ok(Array.isArray(reviews));
  assert.equal(res.body.metadata.count, reviews.length, 'metadata.count is the number of items on the page');
  const cursors = res.body.metadata.cursors ?? {};
  return { ids: reviews.map((r) => r.id), reviews, next: cursors.next ?? undefined, prev: cursors.prev ?? undefined };
}

/**
 * Pages through a query the way the SDK does: the first request carries the query, every
 * later one only `{cursorPaging: {limit, cursor}}`. Returns every page.
 */
export async function pageThrough(server: TestServer, query: Record<string, unknown>, opts: { owner?: boolean; returnPrivateReviews?: boolean; limit: number; between?: (pageIndex: number, page: Page) => Promise<void> }): Promise<Page[]> {
  const pages: Page[] = [];
  const priv = opts.returnPrivateReviews ? { returnPrivateReviews: true } : {};
  let page = await queryPage(server, { query: { ...query, cursorPaging: { limit: opts.limit } }, ...priv }, opts.owner);
  for (;;) {
    pages.push(page);
    assert.ok(pages.length < 2000, 'paging does not end');
    if (!page.next) break;
    assert.equal(page.ids.length, opts.limit, `page ${pages.length} is full when another page follows`);
    await opts.between?.(pages.length - 1, page);
    page = await queryPage(server, { query: { cursorPaging: { limit: opts.limit, cursor: page.next } } }, opts.owner);
  }
  return pages;
}

export async function queryAllIds(server: TestServer, query: Record<string, unknown>, owner = false, returnPrivateReviews = false): Promise<string[]> {
  const pages = await pageThrough(server, query, { owner, returnPrivateReviews, limit: 100 });
  return pages.flatMap((p) => p.ids);
}

export async function count(server: TestServer, body: Record<string, unknown>, owner = false): Promise<number> {
  const res = await server.call('POST', '/reviews/v1/reviews/count', body, { owner });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(typeof res.body.count, 'number');
  return res.body.count as number;
}
