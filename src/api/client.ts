/**
 * ReviewsClient: typed, zod-validated calls to a Wix-compatible reviews endpoint.
 *
 * One client per endpoint is shared by every element on the page (`clientFor`). Its
 * requests go through the endpoint's shared core (core.ts): identical in-flight requests
 * are shared, results are cached briefly, writes invalidate what they change, and star
 * badges are batched into one averages request.
 */
import { array, int, nullable, object, string } from 'zod/mini';
import { checkWith } from './checks.js';
import { ClientCore, coreFor, summaryKey, type RequestOptions, type Summary } from './core.js';
import type { ReviewRequestForm } from './review-requests.js';
import {
  EntitySummarySchema,
  QueryReviewsEnvelopeSchema,
  ReviewEnvelopeSchema,
  ReviewSchema,
  UploadedImageSchema,
  type AttributeSummary,
  type EntityAverage,
  type HelpfulnessVote,
  type Review,
  type ReviewContent,
  type ReviewDraft,
} from './schema.js';

export { ReviewsApiError, type RequestOptions, type Summary } from './core.js';

export type ReviewSort = 'newest' | 'oldest' | 'highest' | 'lowest' | 'most-helpful';
export const REVIEW_SORTS: readonly ReviewSort[] = ['newest', 'oldest', 'highest', 'lowest', 'most-helpful'];

/** What a widget asks for; turned into a Wix query by `toWixQuery`. */
export interface ReviewsQuery {
  namespace: string;
  /** Omit for store-wide queries (e.g. most helpful across the namespace). */
  entityId?: string;
  sort?: ReviewSort;
  /** Star values to include, e.g. [4, 5]. Empty or absent: all. */
  ratings?: readonly number[];
  withMedia?: boolean;
  verifiedOnly?: boolean;
  search?: string;
  limit?: number;
  /** Continue from `ReviewsPage.next`. */
  cursor?: string;
}

export interface ReviewsPage {
  reviews: Review[];
  /** Cursor of the next page; absent on the last page. */
  next?: string;
  /** Items the server sent that failed validation and were dropped. */
  skipped: number;
}

const SORTS: Record<ReviewSort, { fieldName: string; order: 'ASC' | 'DESC' }[]> = {
  newest: [{ fieldName: 'createdDate', order: 'DESC' }],
  oldest: [{ fieldName: 'createdDate', order: 'ASC' }],
  highest: [
    { fieldName: 'content.rating', order: 'DESC' },
    { fieldName: 'createdDate', order: 'DESC' },
  ],
  lowest: [
    { fieldName: 'content.rating', order: 'ASC' },
    { fieldName: 'createdDate', order: 'DESC' },
  ],
  'most-helpful': [
    { fieldName: 'helpfulness', order: 'DESC' },
    { fieldName: 'createdDate', order: 'DESC' },
  ],
};

/** The Wix Query Reviews body for a widget query. */
export function toWixQuery(q: ReviewsQuery): { query: Record<string, unknown> } {
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 10), 1), 100);
  if (q.cursor) return { query: { cursorPaging: { limit, cursor: q.cursor } } };
  const filter: Record<string, unknown> = { namespace: q.namespace };
  if (q.entityId) filter.entityId = q.entityId;
  const ratings = [...new Set(q.ratings ?? [])].filter((r) => r >= 1 && r <= 5).sort();
  if (ratings.length === 1) filter['content.rating'] = ratings[0];
  else if (ratings.length > 1 && ratings.length < 5) filter['content.rating'] = { $in: ratings };
  if (q.withMedia) filter['content.media'] = { $isEmpty: false };
  if (q.verifiedOnly) filter.verified = true;
  const query: Record<string, unknown> = { filter, sort: SORTS[q.sort ?? 'newest'], cursorPaging: { limit } };
  if (q.search?.trim()) query.search = q.search.trim();
  return { query };
}

const checkQuery = checkWith(QueryReviewsEnvelopeSchema);
const checkReview = checkWith(ReviewSchema);
const checkSummary = checkWith(EntitySummarySchema);
const checkReviewEnvelope = checkWith(ReviewEnvelopeSchema);
const checkUpload = checkWith(UploadedImageSchema);
/**
 * The review request form payload, as review-requests.ts's `ReviewRequestFormSchema`
 * (which the browser cannot import cheaply: its module pulls in the server's request schemas).
 */
const checkForm = checkWith(
  object({
    reviewRequest: object({
      id: string(),
      status: string(),
      expiresDate: string(),
      recipient: object({ name: nullable(string()) }),
      items: array(
        object({
          catalogItemId: string(),
          reviewId: nullable(string()),
          product: nullable(object({ name: string(), imageUrl: nullable(string()), price: object({ amount: string(), currency: string() }) })),
        }),
      ),
    }),
  }),
);
/** What the widgets read of a created rating (the full object: src/api/ratings.ts, server-side). */
const checkRating = checkWith(object({ rating: object({ id: string(), attributeName: string(), value: int() }) }));

/** A stored attribute rating as the client returns it. */
export interface StoredRating {
  id: string;
  attributeName: string;
  /** 0-100. */
  value: number;
}

/** A visitor's rating of one attribute (`quality`, `fit`, ...) of an entity, for `createRating`. */
export interface AttributeRatingInput {
  /** The Ratings group: the reviews' namespace (e.g. `stores`). */
  group: string;
  entityId: string;
  attributeName: string;
  /** 0-100 (a star rating n of 5 is n x 20). */
  value: number;
  /** The visitor's id (src/shared/visitor.ts): the rating's `owner.anonymousVisitorId`. */
  visitorId: string;
  /** Links the rating to e.g. its review: moderation of the review then applies to it. */
  relatedEntityIds?: string[];
}

/** A review of one item of a review request, written through the request's token. */
export interface RequestReviewInput {
  token: string;
  catalogItemId: string;
  content: Pick<ReviewContent, 'rating' | 'title' | 'body'>;
}

export type { ReviewRequestForm } from './review-requests.js';

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

const clients = new WeakMap<ClientCore, ReviewsClient>();

/** The shared client for an endpoint (base URL; '' means this page's origin). */
export function clientFor(endpoint: string): ReviewsClient {
  const core = coreFor(endpoint);
  let client = clients.get(core);
  if (!client) clients.set(core, (client = new ReviewsClient(core)));
  return client;
}

export class ReviewsClient {
  private readonly _core: ClientCore;
  private _warned = false;

  /** A client of its own (not shared with the page's elements) unless given a shared core. */
  constructor(endpoint: string | ClientCore) {
    this._core = typeof endpoint === 'string' ? new ClientCore(endpoint) : endpoint;
  }

  /** The endpoint's base URL ('' for this page's origin). */
  get endpoint(): string {
    return this._core.endpoint;
  }

  /** Number of HTTP requests sent (for tests and the demo's network panel). */
  get requestCount(): number {
    return this._core.requestCount;
  }

  /** One page of reviews. Invalid items are dropped (and reported once on the console). */
  queryReviews(q: ReviewsQuery, options: RequestOptions = {}): Promise<ReviewsPage> {
    const body = toWixQuery(q);
    const tags = [q.entityId ? `entity:${q.namespace}/${q.entityId}` : `namespace:${q.namespace}`];
    return this._core.shared('POST /reviews/v1/reviews/query ' + JSON.stringify(body), tags, options.signal, async (signal) => {
      const env = await this._core.request('POST', '/reviews/v1/reviews/query', body, checkQuery, 'reviews response', signal);
      const reviews: Review[] = [];
      let skipped = 0;
      for (const item of env.reviews) {
        const r = checkReview(item);
        if (r) reviews.push(r);
        else skipped++;
      }
      if (skipped && !this._warned) {
        this._warned = true;
        console.warn(`storefront-reviews: skipped ${skipped} invalid review item(s) from ${this.endpoint || location.origin}`);
      }
      const next = env.metadata?.cursors?.next ?? undefined;
      return { reviews, skipped, ...(next ? { next } : {}) };
    });
  }

  /** Average, total and 1-5 distribution of an entity's approved reviews. */
  getSummary(namespace: string, entityId: string, options: RequestOptions = {}): Promise<Summary> {
    const path = `/ratings/v1/ratings/groups/${encodeURIComponent(namespace)}/entities/${encodeURIComponent(entityId)}/summary`;
    return this._core.shared(summaryKey(namespace, entityId), [`entity:${namespace}/${entityId}`], options.signal, async (signal) => {
      const summary = await this._core.request('GET', path, undefined, checkSummary, 'summary response', signal);
      return toSummary(summary.attributeSummaries.find((s) => s.attributeName === 'overall'));
    });
  }

  /**
   * Average and count for one entity. Calls made in the same tick are batched into one
   * averages request (up to 100 ids each); an entity whose summary is loading or cached
   * is answered from that summary.
   */
  getAverage(namespace: string, entityId: string, options: RequestOptions = {}): Promise<EntityAverage> {
    return this._core.getAverage(namespace, entityId, options);
  }

  /** Creates a review through Create Review And Contact (visitor-safe). */
  async createReview(draft: ReviewDraft, options: RequestOptions = {}): Promise<Review> {
    const { review } = await this._core.request('POST', '/reviews/v1/reviews/contact', draft, checkReviewEnvelope, 'create response', options.signal);
    this.invalidate(draft.namespace, draft.entityId);
    return review;
  }

  /**
   * Summaries of stored attribute ratings (`quality`, `fit`, ...) of an entity, one per
   * name in the order asked: average 0-100, count and breakdown, counting only ratings
   * not tied to an unpublished review. Shared and cached like `getSummary`.
   */
  getAttributeSummaries(namespace: string, entityId: string, attributeNames: readonly string[], options: RequestOptions = {}): Promise<AttributeSummary[]> {
    const names = attributeNames.join(',');
    if (!names) return Promise.resolve([]);
    const url = `/ratings/v1/ratings/groups/${path(namespace, 'entities', entityId)}/summary?attributeNames=${encodeURIComponent(names)}`;
    return this._core.shared(`GET ${url}`, [`entity:${namespace}/${entityId}`], options.signal, async (signal) => {
      const { attributeSummaries } = await this._core.request('GET', url, undefined, checkSummary, 'summary response', signal);
      return attributeNames.map((n) => attributeSummaries.find((s) => s.attributeName === n) ?? { attributeName: n, total: 0, average: 0, valueBreakdown: [] });
    });
  }

  /**
   * Stores a visitor's attribute rating through Create Rating (one per visitor, attribute
   * and entity: a second one is a 409 `RATING_ALREADY_EXISTS`). Drops the entity's cached summaries.
   */
  async createRating(input: AttributeRatingInput, options: RequestOptions = {}): Promise<StoredRating> {
    const { visitorId, ...rating } = input;
    const body = { rating: { ...rating, owner: { anonymousVisitorId: visitorId } } };
    const created = (await this._core.request('POST', '/ratings/v1/ratings', body, checkRating, 'rating response', options.signal)).rating;
    this.invalidate(input.group, input.entityId);
    return created;
  }

  /**
   * What a review request asks the customer to review (`GET .../{id}/form?token=`): never
   * cached, since opening it is recorded and every review changes it.
   */
  async getReviewRequestForm(id: string, token: string, options: RequestOptions = {}): Promise<ReviewRequestForm> {
    const url = `/reviews/v2/review-requests/${path(id)}/form?token=${encodeURIComponent(token)}`;
    return (await this._core.request('GET', url, undefined, checkForm, 'review request', options.signal)).reviewRequest;
  }

  /**
   * Writes the review of one item of a review request, authorised by its token: the review
   * is verified and linked to the item (409 `ITEM_ALREADY_REVIEWED` for an item reviewed before).
   */
  async submitRequestReview(id: string, input: RequestReviewInput, options: RequestOptions = {}): Promise<Review> {
    const url = `/reviews/v2/review-requests/${path(id)}/reviews`;
    const { review } = await this._core.request('POST', url, input, checkReviewEnvelope, 'create response', options.signal);
    this.invalidate(review.namespace, review.entityId);
    return review;
  }

  /** Records this visitor's helpfulness vote and returns the updated review. */
  async vote(reviewId: string, vote: HelpfulnessVote, visitorId: string, options: RequestOptions = {}): Promise<Review> {
    const path = `/reviews/v1/reviews/${encodeURIComponent(reviewId)}/helpfulness`;
    const { review } = await this._core.request('POST', path, { vote, visitorId }, checkReviewEnvelope, 'vote response', options.signal);
    // Counts changed: cached pages of this entity (and store-wide lists) are stale.
    this.invalidate(review.namespace, review.entityId);
    return review;
  }

  /** Uploads an image for a review; returns its media id and URL. */
  async uploadImage(file: Blob, filename: string, options: RequestOptions = {}) {
    const form = new FormData();
    form.append('file', file, filename);
    return (await this._core.request('POST', '/reviews/v1/media', form, checkUpload, 'upload response', options.signal)).image;
  }

  /** Drops cached results for an entity (and store-wide lists of its namespace). */
  invalidate(namespace?: string, entityId?: string): void {
    this._core.invalidate(namespace, entityId);
  }
}

function toSummary(s: AttributeSummary | undefined): Summary {
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Summary['counts'];
  for (const b of s?.valueBreakdown ?? []) {
    if (b.value >= 1 && b.value <= 5) counts[b.value as 1] = Math.max(0, b.total);
  }
  return { average: s?.average ?? 0, total: s?.total ?? 0, counts };
}
