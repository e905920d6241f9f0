/**
 * The `export` and `import` commands, spawned as a user runs them, against a PGlite data
 * directory (or, with TEST_DATABASE_URL, a PostgreSQL schema of their own).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { openDb, type Db } from '../../src/server/db.js';
import { startTestServer } from './helpers.js';

const BIN = new URL('../../bin/storefront-reviews.js', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const cleanups: (() => Promise<void>)[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of cleanups) await c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sr-transfer-'));
  dirs.push(dir);
  return dir;
}

/** A database the CLI (`--db spec`) and the test (`open()`) can both reach, one at a time for PGlite. */
async function cliDatabase(): Promise<{ spec: string; open: () => Promise<Db> }> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    const dir = join(tempDir(), 'db');
    return { spec: dir, open: () => openDb(dir) };
  }
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  cleanups.push(async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  // The schema must exist before the CLI connects with it as its search path.
  await (await openDb(pgUrl, { schema })).close();
  const spec = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return { spec, open: () => openDb(pgUrl, { schema }) };
}

const owner = { owner: true };

describe('storefront-reviews export', () => {
  it('writes CSV to --out FILE (filtered by --entity) and NDJSON to stdout (filtered by --since); bad options exit 2', async () => {
    const db = await cliDatabase();
    const server = await startTestServer({ database: await db.open() });
    const created: string[] = [];
    try {
      for (const [i, entityId] of ['mug', 'mug', 'lamp'].entries()) {
        const res = await server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId, name: `Buyer, "${i}"`, email: `b${i}@example.com`, content: { rating: 5 - i, title: `T${i}`, body: `Line 1\nLine 2 of ${i}` } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        created.push(res.body.review.createdDate);
      }
    } finally {
      await server.close();
    }
    const dir = tempDir();
    const file = join(dir, 'mug.csv');
    const csv = await run(['export', '--db', db.spec, '--format', 'csv', '--out', file, '--entity', 'mug']);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout, '');
    assert.match(csv.stderr, new RegExp(`Exported 2 reviews to ${file}`));
    assert.deepEqual(readdirSync(dir), ['mug.csv'], 'no temporary file is left');
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => [r.entityId, r.title, r.body, r.authorName, r.email]), [
      ['mug', 'T0', 'Line 1\nLine 2 of 0', 'Buyer, "0"', 'b0@example.com'],
      ['mug', 'T1', 'Line 1\nLine 2 of 1', 'Buyer, "1"', 'b1@example.com'],
    ]);

    const json = await run(['export', '--db', db.spec, '--since', created[1]!]);
    assert.equal(json.code, 0, json.stderr);
    const lines = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.content.title), ['T1', 'T2']);
    assert.equal(lines[0].contact.email, 'b1@example.com');
    assert.match(json.stderr, /Exported 2 reviews to stdout/);

    const badSince = await run(['export', '--db', db.spec, '--since', '2024-13-01']);
    assert.equal(badSince.code, 2);
    assert.match(badSince.stderr, /--since must be an ISO 8601 date/);
    const wrong = await run(['export', '--db', db.spec, '--update']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--update is an option of import, not of export/);
  });
});

describe('storefront-reviews import', () => {
  it('imports a Judge.me export: rejected rows on stderr with their lines, exit status 3, --report FILE; idempotent', async () => {
    const db = await cliDatabase();
    const reportFile = join(tempDir(), 'report.json');
    const first = await run(['import', '--db', db.spec, '--format', 'judgeme', '--report', reportFile, `${FIXTURES}judgeme-export.csv`]);
    assert.equal(first.code, 3, first.stderr);
    const errLines = first.stderr.trimEnd().split('\n');
    assert.deepEqual(errLines.filter((l) => l.startsWith('line ')).map((l) => l.split(':')[0]), ['line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 13']);
    assert.ok(errLines.includes('line 7: rating must be at least 1'), first.stderr);
    assert.ok(errLines.includes('line 8: reviewer_email is required (the reviewer is identified by e-mail)'), first.stderr);
    assert.ok(errLines.includes('line 11: picture_urls has "javascript:alert(1)", which is not an absolute http: or https: URL'), first.stderr);
    assert.match(first.stderr, /judgeme-export\.csv: 5 imported, 0 updated, 0 unchanged, 6 rejected/);
    assert.match(first.stderr, /Ignored columns: featured/);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    assert.deepEqual([report.kind, report.format, report.imported, report.rejected, report.rejects.length], ['reviews', 'judgeme', 5, 6, 6]);
    assert.deepEqual(report.rejects[3], { line: 10, reason: 'review_date must be an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z' });

    const second = await run(['import', '--db', db.spec, '--format', 'judgeme', `${FIXTURES}judgeme-export.csv`]);
    assert.equal(second.code, 3);
    assert.match(second.stderr, /0 imported, 0 updated, 5 unchanged, 6 rejected/);

    // NDJSON from stdin ("-"); every row imported: exit status 0.
    const ndjson = `${JSON.stringify({ entityId: 'from-stdin', content: { rating: 4, title: 'piped' }, contact: { email: 'pipe@example.com', name: 'Pipe' } })}\n`;
    const piped = await run(['import', '--db', db.spec, '--format', 'json', '-'], ndjson);
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stderr, /Import of reviews from stdin: 1 imported, 0 updated, 0 unchanged, 0 rejected/);

    const server = await startTestServer({ database: await db.open() });
    try {
      const count = await server.call('POST', '/reviews/v1/reviews/count', { includePrivateReviews: true }, owner);
      assert.deepEqual(count.body, { count: 6 });
    } finally {
      await server.close();
    }
  });

  it('fails clearly: a missing --format or FILE is a usage error (2), an unreadable file or a bad header an error (1)', async () => {
    const db = await cliDatabase();
    const noFormat = await run(['import', '--db', db.spec, `${FIXTURES}judgeme-export.csv`]);
    assert.equal(noFormat.code, 2);
    assert.match(noFormat.stderr, /--format must be json, csv or judgeme/);
    const noFile = await run(['import', '--db', db.spec, '--format', 'csv']);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /import takes one FILE/);
    const missing = await run(['import', '--db', db.spec, '--format', 'csv', join(tempDir(), 'nope.csv')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*nope\.csv/);
    const header = await run(['import', '--db', db.spec, '--format', 'csv', `${FIXTURES}judgeme-export.csv`]);
    assert.equal(header.code, 1);
    assert.match(header.stderr, /^storefront-reviews: line 1: the header has no "entityId", "email" or "contactId" column \(this looks like a Judge\.me export: use --format judgeme\)\n$/);
  });
});
