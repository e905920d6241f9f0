/**
 * ReviewsClient: typed, zod-validated calls to a Wix-compatible reviews endpoint.
 *
 * One client per endpoint is shared by every element on the page (`clientFor`):
 * identical in-flight requests are shared, results are cached briefly, and writes
 * invalidate what they change. Star badges for many products are batched into one
 * averages request, and a badge for a product whose summary is already loading or
 * loaded reuses that summary instead of asking again.
 */
import { safeParse } from 'zod/mini';
import {
  AveragesResponseSchema,
  EntitySummarySchema,
  ErrorEnvelopeSchema,
  QueryReviewsEnvelopeSchema,
  ReviewEnvelopeSchema,
  ReviewSchema,
  UploadedImageSchema,
  type AttributeSummary,
  type EntityAverage,
  type FieldViolation,
  type HelpfulnessVote,
  type Review,
  type ReviewDraft,
} from './schema.js';

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

export interface Summary {
  average: number;
  total: number;
  /** Count of reviews per star value 1-5. */
  counts: Record<1 | 2 | 3 | 4 | 5, number>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** An HTTP, network or response-shape failure, with the server's error code when given. */
export class ReviewsApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 for network failures and unreadable responses. */
    readonly status: number,
    /** Wix `applicationError.code`, or NETWORK / TIMEOUT / BAD_RESPONSE. */
    readonly code: string,
    readonly fieldViolations: readonly FieldViolation[] = [],
  ) {
    super(message);
    this.name = 'ReviewsApiError';
  }
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

const CACHE_MS = 30_000;
const TIMEOUT_MS = 15_000;
const AVERAGES_BATCH = 100;

interface Shared<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
  settled: boolean;
  /** Tags this entry is invalidated by (`entity:<ns>/<id>`, `namespace:<ns>`). */
  tags: string[];
  expires: number;
}

interface PendingAverage {
  namespace: string;
  entityId: string;
  resolve: (a: EntityAverage) => void;
  reject: (e: unknown) => void;
}

const clients = new Map<string, ReviewsClient>();

/** The shared client for an endpoint (base URL; '' means this page's origin). */
export function clientFor(endpoint: string): ReviewsClient {
  const key = normalizeEndpoint(endpoint);
  let client = clients.get(key);
  if (!client) {
    client = new ReviewsClient(key);
    clients.set(key, client);
  }
  return client;
}

function normalizeEndpoint(endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  if (!trimmed || typeof location === 'undefined') return trimmed;
  try {
    return new URL(trimmed, document.baseURI).href.replace(/\/+$/, '');
  } catch {
    return trimmed;
  }
}

export class ReviewsClient {
  /** Number of HTTP requests sent (for tests and the demo's network panel). */
  requestCount = 0;
  private readonly _entries = new Map<string, Shared<unknown>>();
  private _pendingAverages: PendingAverage[] = [];
  private _flushScheduled = false;
  private _warned = false;

  constructor(readonly endpoint: string) {}

  /** One page of reviews. Invalid items are dropped (and reported once on the console). */
  queryReviews(q: ReviewsQuery, options: RequestOptions = {}): Promise<ReviewsPage> {
    const body = toWixQuery(q);
    const tags = [q.entityId ? `entity:${q.namespace}/${q.entityId}` : `namespace:${q.namespace}`];
    return this._shared('POST /reviews/v1/reviews/query ' + JSON.stringify(body), tags, options.signal, async (signal) => {
      const json = await this._send('POST', '/reviews/v1/reviews/query', body, signal);
      const env = safeParse(QueryReviewsEnvelopeSchema, json);
      if (!env.success) throw badResponse('reviews response');
      const reviews: Review[] = [];
      let skipped = 0;
      for (const item of env.data.reviews) {
        const r = safeParse(ReviewSchema, item);
        if (r.success) reviews.push(r.data);
        else skipped++;
      }
      if (skipped && !this._warned) {
        this._warned = true;
        console.warn(`storefront-reviews: skipped ${skipped} invalid review item(s) from ${this.endpoint || location.origin}`);
      }
      const next = env.data.metadata?.cursors?.next ?? undefined;
      return { reviews, skipped, ...(next ? { next } : {}) };
    });
  }

  /** Average, total and 1-5 distribution of an entity's approved reviews. */
  getSummary(namespace: string, entityId: string, options: RequestOptions = {}): Promise<Summary> {
    const path = `/ratings/v1/ratings/groups/${encodeURIComponent(namespace)}/entities/${encodeURIComponent(entityId)}/summary`;
    return this._shared(summaryKey(namespace, entityId), [`entity:${namespace}/${entityId}`], options.signal, async (signal) => {
      const parsed = safeParse(EntitySummarySchema, await this._send('GET', path, undefined, signal));
      if (!parsed.success) throw badResponse('summary response');
      return toSummary(parsed.data.attributeSummaries.find((s) => s.attributeName === 'overall'));
    });
  }

  /**
   * Average and count for one entity. Calls made in the same tick are batched into one
   * averages request (up to 100 ids each); an entity whose summary is loading or cached
   * is answered from that summary.
   */
  getAverage(namespace: string, entityId: string, options: RequestOptions = {}): Promise<EntityAverage> {
    const fromSummary = this._entries.get(summaryKey(namespace, entityId));
    if (fromSummary && this._fresh(fromSummary)) {
      return withSignal(
        (fromSummary.promise as Promise<Summary>).then((s) => ({ entityId, total: s.total, average: s.average })),
        options.signal,
      );
    }
    const key = `average ${namespace}/${entityId}`;
    return this._shared(key, [`entity:${namespace}/${entityId}`], options.signal, () =>
      new Promise<EntityAverage>((resolve, reject) => {
        this._pendingAverages.push({ namespace, entityId, resolve, reject });
        if (!this._flushScheduled) {
          this._flushScheduled = true;
          // A macrotask, not a microtask: every badge on a grid connects before the flush.
          setTimeout(() => this._flushAverages(), 0);
        }
      }),
    );
  }

  /** Creates a review through Create Review And Contact (visitor-safe). */
  async createReview(draft: ReviewDraft, options: RequestOptions = {}): Promise<Review> {
    const json = await this._send('POST', '/reviews/v1/reviews/contact', draft, options.signal);
    const parsed = safeParse(ReviewEnvelopeSchema, json);
    if (!parsed.success) throw badResponse('create response');
    this.invalidate(draft.namespace, draft.entityId);
    return parsed.data.review;
  }

  /** Records this visitor's helpfulness vote and returns the updated review. */
  async vote(reviewId: string, vote: HelpfulnessVote, visitorId: string, options: RequestOptions = {}): Promise<Review> {
    const json = await this._send('POST', `/reviews/v1/reviews/${encodeURIComponent(reviewId)}/helpfulness`, { vote, visitorId }, options.signal);
    const parsed = safeParse(ReviewEnvelopeSchema, json);
    if (!parsed.success) throw badResponse('vote response');
    // Counts changed: cached pages of this entity (and store-wide lists) are stale.
    this.invalidate(parsed.data.review.namespace, parsed.data.review.entityId);
    return parsed.data.review;
  }

  /** Uploads an image for a review; returns its media id and URL. */
  async uploadImage(file: Blob, filename: string, options: RequestOptions = {}) {
    const form = new FormData();
    form.append('file', file, filename);
    const json = await this._send('POST', '/reviews/v1/media', form, options.signal);
    const parsed = safeParse(UploadedImageSchema, json);
    if (!parsed.success) throw badResponse('upload response');
    return parsed.data.image;
  }

  /** Drops cached results for an entity (and store-wide lists of its namespace). */
  invalidate(namespace?: string, entityId?: string): void {
    for (const [key, entry] of this._entries) {
      if (!namespace || entry.tags.includes(`entity:${namespace}/${entityId}`) || entry.tags.includes(`namespace:${namespace}`)) {
        if (entry.settled) this._entries.delete(key);
        else entry.expires = 0;
      }
    }
  }

  // ---------------------------------------------------------------------------

  private _fresh(entry: Shared<unknown>): boolean {
    return !entry.settled || entry.expires > Date.now();
  }

  /**
   * Runs `run` once per key while it is in flight or fresh; every caller gets the same
   * result. A caller's abort only detaches that caller; the request itself is aborted
   * when every caller has gone.
   */
  private _shared<T>(key: string, tags: string[], signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let entry = this._entries.get(key) as Shared<T> | undefined;
    if (!entry || !this._fresh(entry)) {
      const controller = new AbortController();
      const created: Shared<T> = {
        controller,
        waiting: 0,
        settled: false,
        tags,
        expires: Infinity,
        promise: undefined as unknown as Promise<T>,
      };
      created.promise = run(controller.signal).then(
        (value) => {
          created.settled = true;
          created.expires = created.expires === 0 ? 0 : Date.now() + CACHE_MS;
          return value;
        },
        (err) => {
          created.settled = true;
          if (this._entries.get(key) === created) this._entries.delete(key);
          throw err;
        },
      );
      created.promise.catch(() => {});
      this._entries.set(key, created);
      entry = created;
    }
    const current = entry;
    if (!signal) return current.promise;
    if (signal.aborted) return Promise.reject(abortError(signal));
    current.waiting++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        done();
        reject(abortError(signal));
        if (--current.waiting === 0 && !current.settled) {
          current.controller.abort();
          if (this._entries.get(key) === current) this._entries.delete(key);
        }
      };
      const done = () => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (v) => {
          done();
          current.waiting--;
          resolve(v);
        },
        (e) => {
          done();
          current.waiting--;
          reject(e);
        },
      );
    });
  }

  private async _flushAverages(): Promise<void> {
    this._flushScheduled = false;
    const pending = this._pendingAverages;
    this._pendingAverages = [];
    const byNamespace = new Map<string, PendingAverage[]>();
    for (const p of pending) {
      const summary = this._entries.get(summaryKey(p.namespace, p.entityId));
      if (summary && this._fresh(summary)) {
        (summary.promise as Promise<Summary>).then(
          (s) => p.resolve({ entityId: p.entityId, total: s.total, average: s.average }),
          p.reject,
        );
        continue;
      }
      const list = byNamespace.get(p.namespace) ?? [];
      list.push(p);
      byNamespace.set(p.namespace, list);
    }
    for (const [namespace, list] of byNamespace) {
      for (let i = 0; i < list.length; i += AVERAGES_BATCH) {
        const chunk = list.slice(i, i + AVERAGES_BATCH);
        const entityIds = [...new Set(chunk.map((p) => p.entityId))];
        try {
          const json = await this._send('POST', `/ratings/v1/ratings/groups/${encodeURIComponent(namespace)}/attributes/average`, { entityIds, attributeName: 'overall' });
          const parsed = safeParse(AveragesResponseSchema, json);
          if (!parsed.success) throw badResponse('averages response');
          const byId = new Map(parsed.data.entityAverages.map((a) => [a.entityId, a]));
          for (const p of chunk) p.resolve(byId.get(p.entityId) ?? { entityId: p.entityId, total: 0, average: 0 });
        } catch (err) {
          for (const p of chunk) p.reject(err);
        }
      }
    }
  }

  private async _send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const combined = signal ? anySignal([signal, timeout]) : timeout;
    const init: RequestInit = { method, signal: combined, headers: { Accept: 'application/json' } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    this.requestCount++;
    let res: Response;
    try {
      res = await fetch(this.endpoint + path, init);
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      if (timeout.aborted) throw new ReviewsApiError('The reviews service did not answer in time', 0, 'TIMEOUT');
      throw new ReviewsApiError('Could not reach the reviews service', 0, 'NETWORK');
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      if (signal?.aborted) throw abortError(signal);
      throw new ReviewsApiError(`The reviews service sent an unreadable response (HTTP ${res.status})`, res.ok ? 0 : res.status, 'BAD_RESPONSE');
    }
    if (!res.ok) {
      const env = safeParse(ErrorEnvelopeSchema, json);
      const message = env.success ? env.data.message : `HTTP ${res.status}`;
      const code = env.success ? (env.data.details?.applicationError?.code ?? (env.data.details?.validationError ? 'INVALID_ARGUMENT' : `HTTP_${res.status}`)) : `HTTP_${res.status}`;
      throw new ReviewsApiError(message, res.status, code, env.success ? (env.data.details?.validationError?.fieldViolations ?? []) : []);
    }
    return json;
  }
}

function summaryKey(namespace: string, entityId: string): string {
  return `summary ${namespace}/${entityId}`;
}

function toSummary(s: AttributeSummary | undefined): Summary {
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Summary['counts'];
  for (const b of s?.valueBreakdown ?? []) {
    if (b.value >= 1 && b.value <= 5) counts[b.value as 1] = Math.max(0, b.total);
  }
  return { average: s?.average ?? 0, total: s?.total ?? 0, counts };
}

function badResponse(what: string): ReviewsApiError {
  return new ReviewsApiError(`The reviews service sent an unexpected ${what}`, 0, 'BAD_RESPONSE');
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Aborted', 'AbortError');
}

function withSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(abortError(signal)), { once: true });
    promise.then(resolve, reject);
  });
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  if ('any' in AbortSignal) return (AbortSignal as unknown as { any(s: AbortSignal[]): AbortSignal }).any(signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}
