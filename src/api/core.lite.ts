/**
 * The transport of the standalone `dist/cdn/rating-stars.js`, and of
 * `dist/cdn/media-lightbox.js`, whose stars just show a given value: scripts/build.mjs
 * swaps core.ts for this module there (`LITE_CORE`); every other build, the npm modules
 * and the tests use core.ts. A badge needs nothing but averages, so this keeps only that
 * part of the shared core: calls made in the same tick are batched into one averages
 * request per namespace (up to 100 ids each), identical calls share one answer, answers
 * are kept for 30 seconds, and a request gives up after 15 seconds.
 *
 * Why: the rating-stars file has an 8 KB gzip budget, and Lit alone takes ~6.1 KB of it.
 * Left out: aborting (a badge ignores an answer it no longer waits for), error details (a
 * badge says "Rating unavailable" whatever the failure) and invalidation (a badge never
 * writes). test/build/checks.test.ts holds it to core.ts's answers against the real server.
 */
import { checkAverages } from './checks.lite.js';
import type { EntityAverage } from './schema.js';

interface Pending {
  entityId: string;
  resolve: (a: EntityAverage) => void;
  reject: (e: unknown) => void;
}

interface Cached {
  promise: Promise<EntityAverage>;
  /** Infinity while in flight. */
  expires: number;
}

const cache = new Map<string, Cached>();
/** Calls waiting for the next flush, by endpoint and namespace. */
let queue = new Map<string, Pending[]>();

/** The averages-only transport for an endpoint (base URL; '' means this page's origin). */
export function coreFor(endpoint: string) {
  const base = endpoint.trim().replace(/\/+$/, '');
  return {
    /** Average and count for one entity, batched with the other calls of this tick. */
    getAverage(namespace: string, entityId: string, _options?: { signal?: AbortSignal }): Promise<EntityAverage> {
      const group = `${base}/ratings/v1/ratings/groups/${encodeURIComponent(namespace)}/attributes/average`;
      const key = `${group} ${entityId}`;
      const hit = cache.get(key);
      if (hit && hit.expires > Date.now()) return hit.promise;
      const entry: Cached = {
        expires: Infinity,
        promise: new Promise<EntityAverage>((resolve, reject) => {
          // A macrotask, not a microtask: every badge on a grid connects before the flush.
          if (!queue.size) setTimeout(flush);
          queue.set(group, [...(queue.get(group) ?? []), { entityId, resolve, reject }]);
        }).then(
          (a) => ((entry.expires = Date.now() + 30_000), a),
          (e) => {
            cache.delete(key);
            throw e;
          },
        ),
      };
      cache.set(key, entry);
      return entry.promise;
    },
  };
}

function flush() {
  const groups = queue;
  queue = new Map();
  for (const [url, pending] of groups) {
    for (let i = 0; i < pending.length; i += 100) {
      const chunk = pending.slice(i, i + 100);
      fetch(url, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ entityIds: [...new Set(chunk.map((p) => p.entityId))], attributeName: 'overall' }),
        signal: AbortSignal.timeout(15_000),
      })
        .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
        .then((json) => {
          const averages = checkAverages(json);
          if (!averages) throw new Error('The reviews service sent an unexpected averages response');
          for (const p of chunk) {
            p.resolve(averages.entityAverages.find((a) => a.entityId === p.entityId) ?? { entityId: p.entityId, total: 0, average: 0 });
          }
        })
        .catch((e: unknown) => chunk.forEach((p) => p.reject(e)));
    }
  }
}
