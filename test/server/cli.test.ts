import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const BIN = new URL('../../bin/storefront-reviews.js', import.meta.url).pathname;

interface Run {
  child: ChildProcess;
  url: string;
  out: () => string;
  stop: () => Promise<number | null>;
}

/** Starts the CLI and resolves once it prints "Ready: <url>". */
function serve(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = /Ready: (http:\/\/\S+?)\/?$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          out: () => out,
          stop: () => new Promise((res) => {
            child.once('exit', (code) => res(code));
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
    const timer = setTimeout(() => reject(new Error(`no Ready line:\n${out}`)), 60_000);
  });
}

function runOnce(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('storefront-reviews CLI', () => {
  it('serve --db memory --api-key k answers the reference Query Reviews request with the reference shape', async () => {
    const run = await serve(['serve', '--db', 'memory', '--port', '0', '--api-key', 'k']);
    try {
      const entity = '6f1d9e2a-8b4c-4d3e-a1f0-5c7b9e2d4a10';
      for (const [i, rating] of [5, 4, 3].entries()) {
        const res = await fetch(`${run.url}/reviews/v1/reviews`, {
          method: 'POST',
          headers: { Authorization: 'k', 'Content-Type': 'application/json' },
          body: JSON.stringify({ review: { namespace: 'stores', entityId: entity, author: { contactId: `c${i}` }, content: { rating, title: 'Great', body: 'Exactly as described.' } } }),
        });
        assert.equal(res.status, 200);
      }
      const res = await fetch(`${run.url}/reviews/v1/reviews/query`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          query: {
            filter: { namespace: 'stores', entityId: { $in: [entity] }, 'content.rating': { $gte: 4 }, 'moderation.moderationStatus': 'APPROVED' },
            sort: [{ fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'createdDate', order: 'DESC' }],
            cursorPaging: { limit: 2 },
          },
          returnPrivateReviews: false,
        }),
      });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(Object.keys(body).sort(), ['metadata', 'reviews']);
      assert.equal(body.reviews.length, 2);
      assert.deepEqual(body.reviews.map((r: any) => r.content.rating), [4, 5]); // helpfulness ties: newest first
      assert.equal(body.metadata.count, 2);
      assert.equal(body.metadata.cursors.next, undefined, 'only two reviews match: no next page');
      const r = body.reviews[1];
      for (const key of ['id', 'revision', 'namespace', 'entityId', 'content', 'createdDate', 'updatedDate', 'reviewDate', 'author', 'foundHelpful', 'foundUnhelpful', 'helpfulness', 'moderation', 'verified', 'origin', 'relevanceScore', 'publishCount']) {
        assert.ok(key in r, `review has ${key}`);
      }
      assert.equal(typeof r.revision, 'string');
      assert.match(r.createdDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(r.moderation, { moderationStatus: 'APPROVED', manuallyChanged: false });
      assert.deepEqual(r.origin, { type: 'ORGANIC' });
    } finally {
      assert.equal(await run.stop(), 0);
    }
  });

  it('generates an owner key, stores it in the data directory, and reuses it and the data on restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-cli-'));
    dirs.push(dir);
    const first = await serve(['serve', '--db', dir, '--port', '0']);
    const key = readFileSync(join(dir, 'api-key'), 'utf8').trim();
    assert.match(key, /^sk_[A-Za-z0-9_-]{20,}$/);
    assert.equal(statSync(join(dir, 'api-key')).mode & 0o777, 0o600);
    assert.ok(first.out().includes(key), 'the key is printed');
    const created = await fetch(`${first.url}/reviews/v1/reviews`, {
      method: 'POST',
      headers: { Authorization: key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ review: { namespace: 'stores', entityId: 'persist', author: { contactId: 'c1' }, content: { rating: 4 } } }),
    });
    assert.equal(created.status, 200);
    assert.equal(await first.stop(), 0);

    const second = await serve(['serve', '--db', dir, '--port', '0']);
    try {
      assert.equal(readFileSync(join(dir, 'api-key'), 'utf8').trim(), key);
      const count = await fetch(`${second.url}/reviews/v1/reviews/count`, { method: 'POST', headers: { Authorization: key }, body: '{"filter":{"entityId":"persist"}}' });
      assert.deepEqual(await count.json(), { count: 1 });
    } finally {
      await second.stop();
    }
  });

  it('prints usage for --help and fails clearly on bad options', async () => {
    const help = await runOnce(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /Usage: storefront-reviews <command>/);
    const bad = await runOnce(['serve', '--moderation', 'sometimes']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--moderation must be one of off, auto, all/);
    const unknown = await runOnce(['serve', '--nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.out, /Unknown option '--nope'/);
    const cmd = await runOnce(['frobnicate']);
    assert.equal(cmd.code, 2);
    assert.match(cmd.out, /Unknown command "frobnicate"/);
  });
});
