/**
 * The transport every element on a page shares, one per endpoint (`coreFor`): identical
 * in-flight requests are shared, results are cached briefly, writes invalidate what they
 * change, and star badges for many products are batched into one averages request (a
 * badge whose product summary is already loading or loaded reuses that summary).
 *
 * It knows only the response checks of what it sends on its own (checks.ts: error
 * envelopes and batched averages); every other call passes the check for its response.
 * So `rating-stars`, which needs only averages, does not pay for every schema. Those
 * calls, with their zod checks, are `ReviewsClient`'s (client.ts).
 */
import { checkAverages, checkError } from './checks.js';
import type { EntityAverage, FieldViolation } from './schema.js';

/** Checks a response body: the typed value, or undefined when its shape is wrong. */
export type Check<T> = (json: unknown) => T | undefined;

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Average, total and 1-5 distribution of an entity's approved reviews. */
export interface Summary {
  average: number;
  total: number;
  /** Count of reviews per star value 1-5. */
  counts: Record<1 | 2 | 3 | 4 | 5, number>;
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

const cores = new Map<string, ClientCore>();

/** The shared transport for an endpoint (base URL; '' means this page's origin). */
export function coreFor(endpoint: string): ClientCore {
  const key = normalizeEndpoint(endpoint);
  let core = cores.get(key);
  if (!core) cores.set(key, (core = new ClientCore(key)));
  return core;
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

export class ClientCore {
  /** Number of HTTP requests sent (for tests and the demo's network panel). */
  requestCount = 0;
  readonly endpoint: string;
  private readonly _entries = new Map<string, Shared<unknown>>();
  private _pendingAverages: PendingAverage[] = [];

  constructor(endpoint: string) {
    this.endpoint = endpoint;
  }

  /**
   * Runs `run` once per key while it is in flight or fresh; every caller gets the same
   * result. A caller's abort only detaches that caller; the request itself is aborted
   * when every caller has gone.
   */
  shared<T>(key: string, tags: string[], signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let entry = this._entries.get(key) as Shared<T> | undefined;
    if (!entry || !fresh(entry)) {
      const controller = new AbortController();
      const created: Shared<T> = {
        controller,
        waiting: 0,
        settled: false,
        tags,
        expires: Infinity,
        promise: run(controller.signal).then(
          (value) => {
            created.settled = true;
            created.expires = created.expires && Date.now() + CACHE_MS;
            return value;
          },
          (err) => {
            created.settled = true;
            if (this._entries.get(key) === created) this._entries.delete(key);
            throw err;
          },
        ),
      };
      created.promise.catch(() => {});
      this._entries.set(key, created);
      entry = created;
    }
    const current = entry;
    return withSignal(current.promise, signal, () => {
      if (--current.waiting === 0 && !current.settled) {
        current.controller.abort();
        if (this._entries.get(key) === current) this._entries.delete(key);
      }
    }, () => current.waiting++);
  }

  /** Sends a request and checks the response; a response of the wrong shape is a BAD_RESPONSE error. */
  async request<T>(method: string, path: string, body: unknown, check: Check<T>, what: string, signal?: AbortSignal): Promise<T> {
    const value = check(await this._send(method, path, body, signal));
    if (value === undefined) throw new ReviewsApiError(`The reviews service sent an unexpected ${what}`, 0, 'BAD_RESPONSE');
    return value;
  }

  /**
   * Average and count for one entity. Calls made in the same tick are batched into one
   * averages request (up to 100 ids each); an entity whose summary is loading or cached
   * is answered from that summary.
   */
  getAverage(namespace: string, entityId: string, options: RequestOptions = {}): Promise<EntityAverage> {
    const fromSummary = this._summary(namespace, entityId);
    if (fromSummary) return withSignal(fromSummary.then((s) => averageOf(entityId, s)), options.signal);
    return this.shared(`average ${namespace}/${entityId}`, [`entity:${namespace}/${entityId}`], options.signal, () =>
      new Promise<EntityAverage>((resolve, reject) => {
        // A macrotask, not a microtask: every badge on a grid connects before the flush.
        if (!this._pendingAverages.length) setTimeout(() => this._flushAverages(), 0);
        this._pendingAverages.push({ namespace, entityId, resolve, reject });
      }),
    );
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

  /** The summary of an entity while it is loading or fresh (see `ReviewsClient.getSummary`). */
  private _summary(namespace: string, entityId: string): Promise<Summary> | undefined {
    const entry = this._entries.get(summaryKey(namespace, entityId));
    return entry && fresh(entry) ? (entry.promise as Promise<Summary>) : undefined;
  }

  private async _flushAverages(): Promise<void> {
    const pending = this._pendingAverages;
    this._pendingAverages = [];
    const byNamespace = new Map<string, PendingAverage[]>();
    for (const p of pending) {
      const summary = this._summary(p.namespace, p.entityId);
      if (summary) summary.then((s) => p.resolve(averageOf(p.entityId, s)), p.reject);
      else {
        const list = byNamespace.get(p.namespace) ?? [];
        list.push(p);
        byNamespace.set(p.namespace, list);
      }
    }
    for (const [namespace, list] of byNamespace) {
      for (let i = 0; i < list.length; i += AVERAGES_BATCH) {
        const chunk = list.slice(i, i + AVERAGES_BATCH);
        const entityIds = [...new Set(chunk.map((p) => p.entityId))];
        const path = `/ratings/v1/ratings/groups/${encodeURIComponent(namespace)}/attributes/average`;
        try {
          const { entityAverages } = await this.request('POST', path, { entityIds, attributeName: 'overall' }, checkAverages, 'averages response');
          const byId = new Map(entityAverages.map((a) => [a.entityId, a]));
          for (const p of chunk) p.resolve(byId.get(p.entityId) ?? { entityId: p.entityId, total: 0, average: 0 });
        } catch (err) {
          for (const p of chunk) p.reject(err);
        }
      }
    }
  }

  private async _send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const headers: Record<string, string> = { Accept: 'application/json' };
    const init: RequestInit = { method, signal: signal ? anySignal([signal, timeout]) : timeout, headers };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    this.requestCount++;
    let res: Response;
    try {
      res = await fetch(this.endpoint + path, init);
    } catch {
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
      const env = checkError(json);
      const details = env?.details;
      const code = details?.applicationError?.code ?? (details?.validationError ? 'INVALID_ARGUMENT' : `HTTP_${res.status}`);
      throw new ReviewsApiError(env?.message ?? `HTTP ${res.status}`, res.status, code, details?.validationError?.fieldViolations ?? []);
    }
    return json;
  }
}

export function summaryKey(namespace: string, entityId: string): string {
  return `summary ${namespace}/${entityId}`;
}

function fresh(entry: Shared<unknown>): boolean {
  return !entry.settled || entry.expires > Date.now();
}

function averageOf(entityId: string, s: Summary): EntityAverage {
  return { entityId, total: s.total, average: s.average };
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/**
 * `promise`, or a rejection as soon as `signal` aborts. `onJoin` runs when the caller
 * starts waiting and `onLeave` when it gives up by aborting.
 */
function withSignal<T>(promise: Promise<T>, signal?: AbortSignal, onLeave?: () => void, onJoin?: () => void): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  onJoin?.();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(abortError(signal));
      onLeave?.();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    promise.then(
      (v) => {
        done();
        resolve(v);
      },
      (e) => {
        done();
        reject(e);
      },
    );
  });
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  if ('any' in AbortSignal) return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}
