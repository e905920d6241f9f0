/**
 * Export benchmark: seeds N reviews (bench/server/bulk-seed.ts, plus one contact with an
 * e-mail per review), then runs the export (src/server/transfer.ts) to /dev/null in each
 * format and reports rows/s, bytes and the peak RSS of the process during the export.
 * Also prints the plans of the export's page queries (they must be index scans).
 *
 *   node --import tsx bench/export.ts [--reviews 200000] [--entities 2000]
 *     [--engine pglite|postgres] [--format json|csv|both] [--pg-url URL] [--json FILE]
 *
 * PGlite runs in this process, so its memory (the whole database, in memory) is part of
 * the RSS: the report gives the RSS before the export and the peak during it.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { openDb, type Db } from '../src/server/db.js';
import { exportReviews, type ExportFormat } from '../src/server/transfer.js';
import { bulkSeed, planEntities } from './server/bulk-seed.js';

const { values } = parseArgs({
  options: {
    reviews: { type: 'string', default: '200000' },
    entities: { type: 'string', default: '2000' },
    engine: { type: 'string', default: 'pglite' },
    format: { type: 'string', default: 'both' },
    'pg-url': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('Usage: node --import tsx bench/export.ts [--reviews N] [--entities N] [--engine pglite|postgres] [--format json|csv|both] [--pg-url URL] [--json FILE]');
  process.exit(0);
}
const reviews = Number(values.reviews);
const entities = Number(values.entities);
if (!Number.isInteger(reviews) || reviews < 1 || reviews > 10_000_000) throw new Error('--reviews must be 1 to 10,000,000');
if (!Number.isInteger(entities) || entities < 1) throw new Error('--entities must be a positive integer');
const formats: ExportFormat[] = values.format === 'both' ? ['json', 'csv'] : [values.format as ExportFormat];
const SCHEMA = 'bench_export';
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
const log = (msg: string) => console.log(msg);

async function open(): Promise<Db> {
  if (values.engine === 'pglite') return openDb('memory');
  const url = values['pg-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://reviews:reviews@127.0.0.1/reviews';
  return openDb(url, { schema: SCHEMA, poolSize: 2 });
}

const db = await open();
const results: Record<string, unknown>[] = [];
try {
  log(`Seeding ${reviews.toLocaleString('en-US')} reviews over ${entities.toLocaleString('en-US')} entities on ${db.engine}...`);
  const plan = { reviews, entities, chunk: 50_000, seed: 42 };
  const stats = await bulkSeed(db, plan, planEntities(plan), log);
  await db.query('TRUNCATE contacts CASCADE');
  for (let lo = 1; lo <= reviews; lo += 100_000) {
    await db.query(
      `INSERT INTO contacts (id, email, name, created_date)
       SELECT 'contact-' || i, 'buyer' || i || '@example.com', 'Buyer ' || i, now() FROM generate_series($1::int, $2::int) AS i`,
      [lo, Math.min(reviews, lo + 99_999)],
    );
  }
  await db.query('VACUUM (ANALYZE) contacts');
  log(`Seeded in ${stats.totalSeconds.toFixed(1)} s; reviews table ${mib(stats.tableBytes)}`);

  // The plans of a first page and of a keyset page of the largest (namespace, status) stream.
  const explain = async (sql: string, params: unknown[]) =>
    (await db.query<Record<string, string>>(`EXPLAIN ${sql}`, params)).rows.map((r) => Object.values(r)[0]).join('\n');
  const page = `SELECT r.*, c.email, c.name FROM reviews r LEFT JOIN contacts c ON c.id = r.contact_id
    WHERE r.namespace = $1 AND r.moderation_status = $2 AND (r.created_date, r.id) > ($3::timestamptz, $4::text)
    ORDER BY r.created_date, r.id LIMIT 1000`;
  const mid = await db.query<{ created_date: Date; id: string }>(`SELECT created_date, id FROM reviews ORDER BY id LIMIT 1`);
  log(`\nPlan of a keyset page:\n${await explain(page, ['stores', 'APPROVED', mid.rows[0]!.created_date, mid.rows[0]!.id])}\n`);

  for (const format of formats) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const out = createWriteStream('/dev/null');
    let bytes = 0;
    const write = out.write.bind(out);
    out.write = ((chunk: string, ...rest: never[]) => {
      bytes += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof out.write;
    const t0 = performance.now();
    const { rows } = await exportReviews(db, out, { format });
    out.end();
    await finished(out);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const result = { engine: db.engine, format, rows, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(rows / seconds), bytes, rssBeforeMiB: Math.round(before / 1048576), rssPeakMiB: Math.round(peak / 1048576) };
    results.push(result);
    log(`${format}: ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s = ${result.rowsPerSecond.toLocaleString('en-US')} rows/s, ${mib(bytes)} written; RSS ${mib(before)} before, peak ${mib(peak)} (+${mib(peak - before)})`);
    if (rows !== reviews) throw new Error(`exported ${rows} rows, seeded ${reviews}`);
  }
  if (values.json) await writeFile(values.json, `${JSON.stringify({ reviews, entities, results }, null, 2)}\n`);
} finally {
  if (db.engine === 'postgres') await db.query(`DROP SCHEMA ${SCHEMA} CASCADE`).catch(() => {});
  await db.close();
}
