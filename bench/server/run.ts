/**
 * Server benchmark: seeds N reviews over M entities (bulk SQL), starts the real server
 * in-process, prints the plans of the SQL the server runs for the entity queries, and
 * measures latency and throughput with autocannon (in a child process, on loopback,
 * bounded in time) for: the entity page, the entity summary, the 100-id averages call and
 * create. On PGlite and/or PostgreSQL.
 *
 *   npm run bench:server -- [--engine pglite|postgres|both] [--reviews 1000000]
 *     [--entities 10000] [--duration 15] [--warmup 3] [--connections 8]
 *     [--pg-url postgres://...] [--pglite-dir DIR] [--json out.json]
 *     [--only page,summary,...] [--drop-indexes a,b] [--keep]
 *
 * Quick smoke run: npm run bench:server -- --reviews 20000 --entities 200 --duration 3
 * Exits non-zero if any request failed or returned a non-2xx, or a plan looks wrong.
 * Results and method: BENCHMARKS.md.
 */
import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDb, type Db, type Queryable } from '../../src/server/db.js';
import { startServer } from '../../src/server/serve.js';
import { bulkSeed, planEntities, type EntityPlan, type SeedStats } from './bulk-seed.js';
import type { LoadRequest, LoadResult, ScenarioKind } from './loadgen.js';

const SCHEMA = 'bench_server';
const API_KEY = 'bench-owner-key';

const HELP = `Usage: npm run bench:server -- [options]
  --engine E        pglite | postgres | both (default both)
  --reviews N       reviews to seed (default 1000000)
  --entities N      entities (products) to spread them over (default 10000)
  --duration S      measured seconds per scenario (default 15)
  --warmup S        warm-up seconds per scenario, not measured (default 3)
  --connections N   concurrent connections (default 8)
  --pg-url URL      PostgreSQL database (default env BENCH_DATABASE_URL or
                    postgres://reviews:reviews@127.0.0.1:5432/reviews_bench; created if missing)
  --pglite-dir DIR  PGlite data directory (default: in memory)
  --json FILE       also write the results as JSON
  --only LIST       run only these scenarios (comma-separated kinds: healthz,page,summary,averages,create)
  --drop-indexes L  drop these indexes after seeding (comma-separated), to measure without them
  --keep            keep the PostgreSQL schema ${SCHEMA} afterwards (to run EXPLAIN by hand)
`;

interface Scenario {
  name: string;
  kind: ScenarioKind;
  what: string;
  pools: (e: Tiers) => LoadRequest['pools'];
}

interface Tiers {
  hot: string[];
  warm: string[];
  typical: string[];
  /** Hot entities whose reviews have no helpfulness votes (all tie at 0). */
  hotNoVotes: string[];
}

/** Mixed traffic: a quarter of the requests hit hot entities, a quarter warm, half typical. */
const MIXED = (t: Tiers) => [
  { ids: t.hot, weight: 0.25 },
  { ids: t.warm, weight: 0.25 },
  { ids: t.typical, weight: 0.5 },
];
const HOT = (t: Tiers) => [{ ids: t.hot, weight: 1 }];
const HOT_NO_VOTES = (t: Tiers) => [{ ids: t.hotNoVotes, weight: 1 }];

const SCENARIOS: Scenario[] = [
  { name: 'baseline (healthz)', kind: 'healthz', what: 'GET /healthz: HTTP + framework cost, no database', pools: MIXED },
  { name: 'entity page', kind: 'page', what: 'POST /reviews/v1/reviews/query (approved, helpfulness DESC, limit 10), mixed entities', pools: MIXED },
  { name: 'entity page (hot)', kind: 'page', what: 'same, hot entities only (thousands of reviews each)', pools: HOT },
  { name: 'entity page (hot, no votes)', kind: 'page', what: 'same, hot entities whose reviews all tie at helpfulness 0', pools: HOT_NO_VOTES },
  { name: 'summary', kind: 'summary', what: 'GET /ratings/v1/ratings/groups/stores/entities/:id/summary, mixed entities', pools: MIXED },
  { name: 'summary (hot)', kind: 'summary', what: 'same, hot entities only', pools: HOT },
  { name: 'averages (100 ids)', kind: 'averages', what: 'POST /ratings/v1/ratings/groups/stores/attributes/average, 100 random entity ids', pools: MIXED },
  { name: 'create', kind: 'create', what: 'POST /reviews/v1/reviews (owner key, unique contactIds), mixed entities', pools: MIXED },
];

interface ExplainResult {
  name: string;
  entity: string;
  sql: string;
  plan: string;
  indexUsed: boolean;
  seqScan: boolean;
  /** Rows the scan on reviews returned to the plan above it (for a page: ideally 11). */
  rowsScanned: number;
  executionMs: number;
  /** The same query run alone through the driver (no EXPLAIN instrumentation): median of 20, ms. */
  queryMs: number;
}

interface EngineResult {
  engine: 'pglite' | 'postgres';
  droppedIndexes: string[];
  version: string;
  seed: SeedStats;
  rssAfterSeedMb: number;
  rssAfterRunMb: number;
  explains: ExplainResult[];
  scenarios: (LoadResult & { name: string; what: string; serverCpuMsPerRequest: number; loadavg1: number })[];
}

const log = (msg: string) => console.log(msg);

async function main() {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'both' },
      reviews: { type: 'string', default: '1000000' },
      entities: { type: 'string', default: '10000' },
      duration: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '8' },
      'pg-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://reviews:reviews@127.0.0.1:5432/reviews_bench' },
      'pglite-dir': { type: 'string' },
      json: { type: 'string' },
      only: { type: 'string' },
      'drop-indexes': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min} (got ${v})`);
    return n;
  };
  const plan = {
    reviews: int('reviews', values.reviews, 100),
    entities: int('entities', values.entities, 10),
    chunk: 50_000,
    seed: 42,
  };
  if (plan.entities > 99_999_999) throw new Error('--entities is too large');
  const duration = int('duration', values.duration, 1);
  const warmup = int('warmup', values.warmup, 0);
  const connections = int('connections', values.connections, 1);
  const only = values.only ? new Set(values.only.split(',').map((k) => k.trim())) : null;
  const scenarios = SCENARIOS.filter((s) => !only || only.has(s.kind));
  if (!scenarios.length) throw new Error(`--only matches no scenario (kinds: ${[...new Set(SCENARIOS.map((s) => s.kind))].join(', ')})`);
  const engines = values.engine === 'both' ? (['pglite', 'postgres'] as const) : [values.engine];
  for (const e of engines) if (e !== 'pglite' && e !== 'postgres') throw new Error(`--engine must be pglite, postgres or both (got ${e})`);

  const entities = planEntities(plan);
  const tiers: Tiers = { hot: [], warm: [], typical: [], hotNoVotes: [] };
  for (const e of entities) {
    tiers[e.tier].push(e.id);
    if (e.tier === 'hot' && !e.votes) tiers.hotNoVotes.push(e.id);
  }
  log(`# Server benchmark: ${plan.reviews.toLocaleString('en-US')} reviews over ${plan.entities.toLocaleString('en-US')} entities ` +
    `(${tiers.hot.length} hot, ${tiers.warm.length} warm, ${tiers.typical.length} typical); ` +
    `${connections} connections, ${duration} s per scenario (+${warmup} s warm-up)`);
  log(`# ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`);

  const results: EngineResult[] = [];
  for (const engine of engines as ('pglite' | 'postgres')[]) {
    results.push(await benchEngine(engine, { plan, entities, tiers, scenarios, dropIndexes: values['drop-indexes']?.split(',').map((x) => x.trim()).filter(Boolean) ?? [], keep: values.keep, duration, warmup, connections, pgUrl: values['pg-url'], pgliteDir: values['pglite-dir'] }));
  }

  log('\n## Results');
  for (const r of results) printEngine(r, connections);
  const problems = results.flatMap((r) => [
    ...r.scenarios.filter((s) => s.errors || s.non2xx || s.timeouts).map((s) => `${r.engine} / ${s.name}: ${s.errors} errors, ${s.timeouts} timeouts, ${s.non2xx} non-2xx ${JSON.stringify(s.statusCodes)}`),
    ...r.explains.filter((x) => x.seqScan || !x.indexUsed).map((x) => `${r.engine} / EXPLAIN ${x.name}: ${x.seqScan ? 'Seq Scan on reviews' : 'no index scan'}`),
    ...r.explains.filter((x) => x.name.startsWith('entity page') && x.rowsScanned > 100).map((x) => `${r.engine} / EXPLAIN ${x.name}: reads ${x.rowsScanned} rows for a page of 10`),
  ]);
  if (values.json) {
    await writeFile(values.json, JSON.stringify({ date: new Date().toISOString(), plan, connections, duration, warmup, node: process.version, cpus: cpus().length, results }, null, 2));
    log(`\nWrote ${values.json}`);
  }
  if (problems.length) {
    log('\nWARNING:');
    for (const p of problems) log(`  - ${p}`);
    process.exitCode = 1;
  }
}

interface EngineArgs {
  plan: { reviews: number; entities: number; chunk: number; seed: number };
  entities: EntityPlan[];
  tiers: Tiers;
  scenarios: Scenario[];
  dropIndexes: string[];
  keep: boolean;
  duration: number;
  warmup: number;
  connections: number;
  pgUrl: string;
  pgliteDir?: string;
}

async function benchEngine(engine: 'pglite' | 'postgres', a: EngineArgs): Promise<EngineResult> {
  log(`\n## ${engine}`);
  const db = engine === 'pglite' ? await openPglite(a.pgliteDir) : await openPostgres(a.pgUrl);
  const { rows: ver } = await db.query<{ v: string }>('SELECT version() AS v');
  const version = ver[0]!.v;
  log(`# ${version}`);
  if (engine === 'postgres') {
    const { rows } = await db.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'max_parallel_workers_per_gather')`,
    );
    log(`# settings: ${rows.map((r) => `${r.name}=${r.setting}${r.unit ?? ''}`).join(', ')}`);
  }
  log(`Seeding ${a.plan.reviews.toLocaleString('en-US')} reviews...`);
  const seed = await bulkSeed(db, a.plan, a.entities, log);
  for (const name of a.dropIndexes) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad index name ${name}`);
    await db.query(`DROP INDEX ${name}`);
    log(`  dropped index ${name} (--drop-indexes)`);
  }
  const rssAfterSeedMb = process.memoryUsage().rss / 2 ** 20;
  log(`Seeded in ${seed.totalSeconds.toFixed(1)} s (insert ${seed.insertSeconds.toFixed(1)} s, indexes ${seed.indexSeconds.toFixed(1)} s, ` +
    `vacuum/analyze/checkpoint ${seed.vacuumSeconds.toFixed(1)} s); ${seed.reviews.toLocaleString('en-US')} reviews, ` +
    `${(seed.approvedShare * 100).toFixed(1)}% approved; per entity max ${seed.perEntity.max}, p99 ${seed.perEntity.p99}, ` +
    `median ${seed.perEntity.p50}, min ${seed.perEntity.min}; reviews table + indexes ${(seed.tableBytes / 2 ** 20).toFixed(0)} MiB; RSS ${rssAfterSeedMb.toFixed(0)} MiB`);

  const capture = capturing(db);
  const server = await startServer({ port: 0, host: '127.0.0.1', database: capture.db, apiKey: API_KEY, moderation: 'off', quiet: true });
  try {
    const byPopularity = [...a.entities].sort((x, y) => y.expected - x.expected);
    const cases = {
      hot: byPopularity.find((e) => e.votes)!.id,
      'hot, no votes': byPopularity.find((e) => !e.votes)!.id,
      typical: a.entities.find((e) => e.tier === 'typical' && e.votes)!.id,
    };
    await sanityCheck(server.url, db, cases.hot);
    await sanityCheck(server.url, db, cases['hot, no votes']);
    const explains = await explainAll(server.url, db, capture, cases, a.entities.map((e) => e.id));

    const scenarios: EngineResult['scenarios'] = [];
    for (const s of a.scenarios) {
      process.stdout.write(`Running ${s.name} (${a.warmup} + ${a.duration} s)... `);
      const cpu0 = process.cpuUsage();
      const res = await loadInChild({
        url: server.url,
        kind: s.kind,
        pools: s.pools(a.tiers).filter((p) => p.ids.length > 0),
        allIds: a.entities.map((e) => e.id),
        apiKey: API_KEY,
        connections: a.connections,
        duration: a.duration,
        warmup: a.warmup,
        tag: `${engine}-${Date.now().toString(36)}`,
      });
      const cpu = process.cpuUsage(cpu0);
      // Server process CPU (Node + PGlite; not the PostgreSQL backends) per request.
      const serverCpuMsPerRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, res.requests + res.warmupRequests);
      log(`p50 ${ms(res.latency.p50)}  p99 ${ms(res.latency.p99)}  ${res.rps.toFixed(0)} req/s  ` +
        `(${res.requests} requests, ${res.errors} errors, ${res.non2xx} non-2xx; server CPU ${serverCpuMsPerRequest.toFixed(2)} ms/request; load ${loadavg()[0]!.toFixed(1)})`);
      scenarios.push({ name: s.name, what: s.what, ...res, serverCpuMsPerRequest, loadavg1: loadavg()[0]! });
    }
    return { engine, droppedIndexes: a.dropIndexes, version, seed, rssAfterSeedMb, rssAfterRunMb: process.memoryUsage().rss / 2 ** 20, explains, scenarios };
  } finally {
    await server.close(); // closes the database too
    if (engine === 'postgres' && !a.keep) await dropSchema(a.pgUrl);
  }
}

async function dropSchema(url: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  } finally {
    await client.end();
  }
}

async function openPglite(dir: string | undefined): Promise<Db> {
  if (dir) {
    const { readdir } = await import('node:fs/promises');
    const entries = await readdir(dir).catch(() => []);
    if (entries.length) throw new Error(`--pglite-dir ${dir} is not empty: give a new or empty directory`);
  }
  return openDb(dir ?? 'memory');
}

/** A fresh schema in the benchmark database (created if missing), so reruns start clean. */
async function openPostgres(url: string): Promise<Db> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err;
    const target = new URL(url);
    const name = decodeURIComponent(target.pathname.slice(1));
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database ${name} does not exist; create it first`);
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    log(`# created database ${name}`);
    await client.end().catch(() => {});
    return openPostgres(url);
  }
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();
  return openDb(url, { schema: SCHEMA, poolSize: 10 });
}

/** Wraps a Db so the SQL the server runs for one request can be captured. */
function capturing(db: Db) {
  let log: { sql: string; params: readonly unknown[] }[] | null = null;
  const wrapped: Db = {
    engine: db.engine,
    query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) {
      log?.push({ sql, params: params ?? [] });
      return db.query<T>(sql, params);
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return db.transaction(fn);
    },
    close: () => db.close(),
  };
  return {
    db: wrapped,
    async capture(fn: () => Promise<void>) {
      log = [];
      try {
        await fn();
        return log;
      } finally {
        log = null;
      }
    },
  };
}

async function call(url: string, method: string, path: string, body?: unknown, owner = false): Promise<any> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(owner ? { authorization: API_KEY } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const pageQuery = (entityId: string) => ({
  query: {
    filter: { namespace: 'stores', entityId },
    sort: [{ fieldName: 'helpfulness', order: 'DESC' }],
    cursorPaging: { limit: 10 },
  },
});

/** The responses are what they should be before anything is timed. */
async function sanityCheck(url: string, db: Db, entity: string): Promise<void> {
  const page = await call(url, 'POST', '/reviews/v1/reviews/query', pageQuery(entity));
  const reviews = page.reviews as { helpfulness: number; moderation: { moderationStatus: string } }[];
  if (reviews.length !== 10) throw new Error(`entity page returned ${reviews.length} reviews, expected 10`);
  if (reviews.some((r) => r.moderation.moderationStatus !== 'APPROVED')) throw new Error('entity page returned unapproved reviews');
  if (reviews.some((r, i) => i > 0 && r.helpfulness > reviews[i - 1]!.helpfulness)) throw new Error('entity page is not sorted by helpfulness');
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reviews WHERE namespace = 'stores' AND entity_id = $1 AND moderation_status = 'APPROVED'`,
    [entity],
  );
  const summary = await call(url, 'GET', `/ratings/v1/ratings/groups/stores/entities/${entity}/summary`);
  if (summary.attributeSummaries[0].total !== Number(rows[0]!.n)) throw new Error('summary total does not match the database');
}

async function explainAll(url: string, db: Db, capture: ReturnType<typeof capturing>, entities: Record<string, string>, allIds: string[]): Promise<ExplainResult[]> {
  const sample = allIds.filter((_, i) => i % Math.max(1, Math.floor(allIds.length / 100)) === 0).slice(0, 100);
  const cases: { name: string; entity: string; run: () => Promise<void> }[] = [];
  for (const [label, entity] of Object.entries(entities)) {
    cases.push({ name: `entity page (${label})`, entity, run: () => call(url, 'POST', '/reviews/v1/reviews/query', pageQuery(entity)) });
  }
  for (const [label, entity] of Object.entries(entities)) {
    if (label === 'hot, no votes') continue; // the summary does not depend on votes
    cases.push({ name: `summary (${label})`, entity, run: () => call(url, 'GET', `/ratings/v1/ratings/groups/stores/entities/${entity}/summary`) });
  }
  cases.push({ name: 'averages (100 ids)', entity: '100 ids', run: () => call(url, 'POST', '/ratings/v1/ratings/groups/stores/attributes/average', { entityIds: sample }) });

  const out: ExplainResult[] = [];
  for (const c of cases) {
    const queries = (await capture.capture(c.run)).filter((q) => /^\s*SELECT\b/i.test(q.sql) && /\bFROM reviews\b/.test(q.sql));
    if (queries.length !== 1) throw new Error(`expected one SELECT on reviews for ${c.name}, captured ${queries.length}`);
    const { sql, params } = queries[0]!;
    const { rows } = await db.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    const plan = rows.map((r) => Object.values(r)[0]).join('\n');
    const seqScan = /Seq Scan on reviews/.test(plan);
    const indexUsed = /Index (Only )?Scan( Backward)? using \w+ on reviews|Bitmap Index Scan on \w+/.test(plan);
    const scan = /(?:Scan|Scan Backward) (?:using \w+ )?on reviews\b.*?actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/.exec(plan);
    const rowsScanned = scan ? Number(scan[1]) : NaN;
    const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
    log(`\n### EXPLAIN (ANALYZE, BUFFERS): ${c.name}, ${c.entity}\n${oneLine(sql)}\n-- params: ${JSON.stringify(params).slice(0, 160)}\n${plan}`);
    if (seqScan) log(`WARNING: Seq Scan on reviews in the plan for ${c.name}`);
    else if (!indexUsed) log(`WARNING: no index scan on reviews in the plan for ${c.name}`);
    if (c.name.startsWith('entity page') && rowsScanned > 100) {
      log(`WARNING: the entity page reads ${rowsScanned} rows for a page of 10: the index order does not match the ORDER BY`);
    }
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await db.query(sql, params);
      times.push(performance.now() - t);
    }
    const queryMs = times.sort((x, y) => x - y)[10]!;
    log(`-- run alone through the driver: median ${queryMs.toFixed(3)} ms of 20`);
    out.push({ name: c.name, entity: c.entity, sql: oneLine(sql), plan, indexUsed, seqScan, rowsScanned, executionMs, queryMs });
  }
  return out;
}

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function loadInChild(req: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./loadgen.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    // Bounded: the run itself, plus start-up and slack.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      if (!settled) reject(new Error('load generator did not finish in time'));
      settled = true;
    }, (req.duration + req.warmup + 60) * 1000);
    child.once('message', (msg: { ok: boolean; result?: LoadResult; error?: string }) => {
      clearTimeout(timer);
      settled = true;
      if (msg.ok) resolve(msg.result!);
      else reject(new Error(`load generator failed: ${msg.error}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!settled) reject(new Error(`load generator exited with code ${code}`));
      settled = true;
    });
    child.send(req);
  });
}

const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;

function printEngine(r: EngineResult, connections: number) {
  log(`\n### ${r.engine} (${r.version.split(' on ')[0]}), ${connections} connections${r.droppedIndexes.length ? `, without ${r.droppedIndexes.join(', ')}` : ''}`);
  log(`seeding: ${r.seed.reviews.toLocaleString('en-US')} reviews in ${r.seed.totalSeconds.toFixed(1)} s; RSS ${r.rssAfterSeedMb.toFixed(0)} MiB after seeding, ${r.rssAfterRunMb.toFixed(0)} MiB after the run`);
  const rows = [
    ['scenario', 'p50', 'p90', 'p99', 'max', 'req/s', 'requests', 'errors', 'non-2xx', 'CPU/req'],
    ...r.scenarios.map((s) => [s.name, ms(s.latency.p50), ms(s.latency.p90), ms(s.latency.p99), ms(s.latency.max), s.rps.toFixed(0), String(s.requests), String(s.errors + s.timeouts), String(s.non2xx), ms(s.serverCpuMsPerRequest)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const [i, row] of rows.entries()) {
    log(row.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '));
    if (i === 0) log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  const plans = r.explains.map((x) => `${x.name}: ${x.seqScan ? 'SEQ SCAN' : x.indexUsed ? 'index' : 'NO INDEX'}, ${x.rowsScanned} rows, ${x.executionMs} ms (EXPLAIN ANALYZE), ${x.queryMs.toFixed(3)} ms (alone, median of 20)`);
  log(`plans (EXPLAIN ANALYZE, one request each):\n  ${plans.join('\n  ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
