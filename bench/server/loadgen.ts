/**
 * Load generator for the server benchmark, run as a child process (so it does not share
 * the server's event loop): receives one scenario over IPC, runs autocannon against the
 * server for a bounded time (warm-up, then the measured run) and sends the result back.
 */
import autocannon from 'autocannon';

export type ScenarioKind = 'healthz' | 'page' | 'summary' | 'averages' | 'create';

export interface LoadRequest {
  url: string;
  kind: ScenarioKind;
  /** Entity ids to pick from, with the probability of each pool. */
  pools: { ids: readonly string[]; weight: number }[];
  /** Every entity id (the averages call picks 100 of these). */
  allIds: readonly string[];
  apiKey: string;
  connections: number;
  duration: number;
  warmup: number;
  tag: string;
}

export interface LoadResult {
  requests: number;
  /** Mean requests/s over the measured run (autocannon's per-second samples). */
  rps: number;
  /** Milliseconds, from every response's own timing (sub-millisecond resolution). */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** autocannon's own percentiles (its histogram has 1 ms resolution). */
  autocannon: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  duration: number;
  /** Requests sent in the warm-up (not measured). */
  warmupRequests: number;
}

function picker(pools: LoadRequest['pools']): () => string {
  const total = pools.reduce((s, p) => s + p.weight, 0);
  return () => {
    let r = Math.random() * total;
    for (const p of pools) {
      if ((r -= p.weight) < 0 || p === pools.at(-1)) return p.ids[Math.floor(Math.random() * p.ids.length)]!;
    }
    throw new Error('unreachable');
  };
}

/** Unique across the warm-up and the measured run: every create is a new author. */
let created = 0;

const WORDS = 'the quality is great and it arrived quickly but the strap feels a bit flimsy for the price overall happy'.split(' ');

export function requestFor(req: LoadRequest): autocannon.Request {
  const pick = picker(req.pools);
  const json = { 'content-type': 'application/json' };
  switch (req.kind) {
    case 'healthz':
      return { method: 'GET', path: '/healthz' };
    case 'page':
      return {
        method: 'POST',
        path: '/reviews/v1/reviews/query',
        headers: json,
        setupRequest: (r) => ({
          ...r,
          body: JSON.stringify({
            query: {
              filter: { namespace: 'stores', entityId: pick() },
              sort: [{ fieldName: 'helpfulness', order: 'DESC' }],
              cursorPaging: { limit: 10 },
            },
          }),
        }),
      };
    case 'summary':
      return {
        method: 'GET',
        setupRequest: (r) => ({ ...r, path: `/ratings/v1/ratings/groups/stores/entities/${encodeURIComponent(pick())}/summary` }),
      };
    case 'averages':
      return {
        method: 'POST',
        path: '/ratings/v1/ratings/groups/stores/attributes/average',
        headers: json,
        setupRequest: (r) => {
          const ids = new Set<string>();
          while (ids.size < Math.min(100, req.allIds.length)) ids.add(req.allIds[Math.floor(Math.random() * req.allIds.length)]!);
          return { ...r, body: JSON.stringify({ entityIds: [...ids] }) };
        },
      };
    case 'create': {
      return {
        method: 'POST',
        path: '/reviews/v1/reviews',
        headers: { ...json, authorization: req.apiKey },
        setupRequest: (r) => {
          const len = 3 + Math.floor(Math.random() * 40);
          const body = Array.from({ length: len }, () => WORDS[Math.floor(Math.random() * WORDS.length)]).join(' ');
          return {
            ...r,
            body: JSON.stringify({
              review: {
                namespace: 'stores',
                entityId: pick(),
                content: { title: 'Bench review', body, rating: 1 + Math.floor(Math.random() * 5) },
                author: { contactId: `bench-${req.tag}-${process.pid}-${++created}`, authorName: 'Bench User' },
              },
            }),
          };
        },
      };
    }
  }
}

function run(req: LoadRequest, seconds: number, samples: number[] | null): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: req.url,
        connections: req.connections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
        requests: [requestFor(req)],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (samples) instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms));
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export async function runLoad(req: LoadRequest): Promise<LoadResult> {
  const warm = req.warmup > 0 ? await run(req, req.warmup, null) : null;
  const samples: number[] = [];
  const res = await run(req, req.duration, samples);
  samples.sort((a, b) => a - b);
  const codes: Record<string, number> = {};
  for (const [code, v] of Object.entries(res.statusCodeStats ?? {})) codes[code] = v?.count ?? 0;
  return {
    requests: res.requests.total,
    rps: res.requests.average,
    latency: {
      p50: percentile(samples, 0.5),
      p90: percentile(samples, 0.9),
      p99: percentile(samples, 0.99),
      max: samples.at(-1) ?? NaN,
      mean: samples.reduce((s, x) => s + x, 0) / (samples.length || 1),
    },
    autocannon: { p50: res.latency.p50, p99: res.latency.p99, max: res.latency.max },
    errors: res.errors,
    timeouts: res.timeouts,
    non2xx: res.non2xx,
    statusCodes: codes,
    duration: res.duration,
    warmupRequests: warm?.requests.total ?? 0,
  };
}

// Child-process entry: one scenario per process.
if (process.send) {
  process.once('message', (msg: LoadRequest) => {
    runLoad(msg).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (err: Error) => process.send!({ ok: false, error: String(err?.stack ?? err) }, () => process.exit(1)),
    );
  });
}
