/**
 * Helpers for the package tests (test/package/*.test.ts), which check what users get from
 * the published package rather than from the sources: `npm run build` and `npm pack`,
 * the tarball installed into throwaway copies of the fixture apps (test/fixtures/*), each
 * page served from its own static server (its own origin), the real reference server on
 * another origin, and Debian's Chromium driven through playwright-core.
 *
 * Everything started here is registered with a `Cleanup` that the tests run in `after`,
 * so servers, browsers and temp dirs go away even when a test fails or times out.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, createReadStream, existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { png } from '../server/images.js';

/** The repository root (where package.json is). */
export const root = fileURLToPath(new URL('../../', import.meta.url));

export const OWNER_KEY = 'package-test-owner-key';

/** Flags every Chromium launch here uses (see STYLE.md, "Toolchain settings"). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---------------------------------------------------------------------------
// Cleanup
// ---------------------------------------------------------------------------

/** Undo steps, run newest first; one failing step does not stop the others. */
export class Cleanup {
  private _steps: Array<() => unknown> = [];

  add(step: () => unknown): void {
    this._steps.push(step);
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (const step of this._steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw new AggregateError(errors, 'cleanup failed');
  }
}

/** A fresh directory under the OS temp dir (outside the repo), removed by `cleanup`. */
export async function tempDir(cleanup: Cleanup, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `storefront-reviews-${prefix}-`));
  cleanup.add(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/**
 * The environment for npm in a fixture: `npm test` runs us as a script, and npm hands
 * scripts its own settings as `npm_*` variables (the repo's prefix, package, lifecycle)
 * that must not leak into an install elsewhere. The cache and registry stay.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.toLowerCase().startsWith('npm_') && !keep.has(k.toLowerCase())) continue;
    if (k === 'INIT_CWD' || k === 'NODE_OPTIONS' || k === 'NODE_TEST_CONTEXT') continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/**
 * Runs a command to completion and returns its output (stdout and stderr together).
 * Rejects with the command and its output on a non-zero exit, and kills the command's
 * whole process group when it takes longer than `timeoutMs`.
 */
export function exec(cmd: string, args: string[], options: { cwd: string; timeoutMs: number; env?: Record<string, string> }): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const what = `${cmd} ${args.join(' ')} (in ${options.cwd})`;
      if (timedOut) reject(new Error(`${what} took more than ${options.timeoutMs / 1000} s:\n${out}`));
      else if (code !== 0) reject(new Error(`${what} failed (${code ?? signal}):\n${out}`));
      else resolvePromise(out);
    });
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `npm run build` in the repo: dist/ as users get it. */
export async function buildPackage(): Promise<void> {
  await exec(npm, ['run', 'build'], { cwd: root, timeoutMs: 300_000 });
}

/**
 * `npm pack` into a fresh temp dir; returns the tarball's path. Call `buildPackage()`
 * first: scripts are skipped here, so `prepack` does not build a second time.
 */
export async function packPackage(cleanup: Cleanup): Promise<string> {
  const dest = await tempDir(cleanup, 'pack');
  await exec(npm, ['pack', '--ignore-scripts', '--pack-destination', dest], { cwd: root, timeoutMs: 120_000 });
  const tarballs = (await readdir(dest)).filter((f) => f.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs in ${dest}: ${tarballs.join(', ')}`);
  return join(dest, tarballs[0]!);
}

/** The version of `name` installed in the repo (from the root `npm ci`), or undefined. */
function rootVersion(name: string): string | undefined {
  const file = join(root, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

/**
 * Copies test/fixtures/<name> to a temp dir, puts the packed tarball beside its
 * package.json as `storefront-reviews.tgz` (what its `file:` dependency names), pins
 * every other dependency to the exact version the repo has installed (so npm takes them
 * from the cache the root `npm ci` filled, and the fixture tests what the repo tests),
 * and runs `npm install`. Returns the app's directory.
 */
export async function installFixture(cleanup: Cleanup, name: string, tarball: string): Promise<string> {
  const source = join(root, 'test/fixtures', name);
  const dir = join(await tempDir(cleanup, name), name);
  await cp(source, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
  await cp(tarball, join(dir, 'storefront-reviews.tgz'));
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies'] as const) {
    for (const dep of Object.keys(manifest[field] ?? {})) {
      if (dep === 'storefront-reviews') continue;
      const version = rootVersion(dep);
      if (!version) throw new Error(`${name} depends on ${dep}, which the repo does not install: add it to the root devDependencies so CI caches it`);
      manifest[field]![dep] = version;
    }
  }
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  await exec(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeoutMs: 480_000 });
  return dir;
}

/** Runs a fixture's own copy of a tool (`vite`, `tsc`) from its node_modules. */
export function fixtureTool(dir: string, tool: string, args: string[], timeoutMs = 180_000): Promise<string> {
  return exec(join(dir, 'node_modules/.bin', tool), args, { cwd: dir, timeoutMs });
}

// ---------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface StaticServer {
  url: string;
  /** Paths requested so far, in order (to check what a page loaded). */
  requests: string[];
}

/**
 * Serves the files under `dir` on 127.0.0.1 (a port of its own, hence its own origin),
 * `/` as index.html. `cors` adds `Access-Control-Allow-Origin: *`, as a CDN does; module
 * scripts loaded from another origin need it.
 */
export async function serveStatic(cleanup: Cleanup, dir: string, { cors = false } = {}): Promise<StaticServer> {
  const base = resolve(dir);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = resolve(base, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    const headers: Record<string, string> = cors ? { 'Access-Control-Allow-Origin': '*' } : {};
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file');
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': s.size, 'Cache-Control': 'no-store' });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      },
      // No favicon in these pages: say so without a 404 in the console.
      () => res.writeHead(path === '/favicon.ico' ? 204 : 404, { ...headers, 'Content-Type': 'text/plain' }).end(path === '/favicon.ico' ? undefined : 'Not found'),
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  cleanup.add(
    () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** The reference server (in-memory database, moderation off) on 127.0.0.1, closed by `cleanup`. */
export async function startApi(cleanup: Cleanup): Promise<RunningServer> {
  const api = await startServer({ port: 0, host: '127.0.0.1', db: 'memory', apiKey: OWNER_KEY, moderation: 'off', quiet: true });
  cleanup.add(() => api.close());
  return api;
}

/** A JSON request to the reference server (as the owner unless `owner` is false). */
export async function callApi(api: RunningServer, method: string, path: string, body?: unknown, owner = true): Promise<any> {
  const res = await fetch(api.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(owner ? { Authorization: OWNER_KEY } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

export interface SeededProduct {
  entityId: string;
  /** The reviews as the server stored them, in creation order. */
  reviews: Array<{ id: string; content: { title?: string | null; rating: number } }>;
}

/**
 * Seeds a fresh product through the API: three reviews (5, 2 and 4 stars: average 3.7),
 * the first with a photo, the second with two helpful votes.
 */
export async function seedProduct(api: RunningServer, prefix: string): Promise<SeededProduct> {
  const entityId = `${prefix}-${randomUUID().slice(0, 8)}`;
  const form = new FormData();
  form.append('file', new Blob([png(64, 48)], { type: 'image/png' }), 'photo.png');
  const upload = await fetch(`${api.url}/reviews/v1/media`, { method: 'POST', body: form });
  if (!upload.ok) throw new Error(`photo upload -> ${upload.status}: ${await upload.text()}`);
  const photo = ((await upload.json()) as { image: { id: string } }).image;
  const drafts = [
    { rating: 5, title: 'Light and grippy', body: 'Ran a muddy half marathon in them.', authorName: 'Ada', media: [{ image: { id: photo.id } }] },
    { rating: 2, title: 'Runs small', body: 'Order half a size up.', authorName: 'Grace' },
    { rating: 4, title: 'Comfortable', body: 'Good for long days.', authorName: 'Linus' },
  ];
  const reviews: SeededProduct['reviews'] = [];
  for (const d of drafts) {
    const { review } = await callApi(api, 'POST', '/reviews/v1/reviews', {
      review: {
        namespace: 'stores',
        entityId,
        author: { contactId: randomUUID(), authorName: d.authorName },
        content: { rating: d.rating, title: d.title, body: d.body, ...(d.media ? { media: d.media } : {}) },
      },
    });
    reviews.push(review);
  }
  for (let i = 0; i < 2; i++) {
    await callApi(api, 'POST', `/reviews/v1/reviews/${reviews[1]!.id}/helpfulness`, { vote: 'HELPFUL', visitorId: randomUUID() }, false);
  }
  return { entityId, reviews };
}

/** Every review of `entityId` the server holds (owner query, any moderation status). */
export async function reviewsOnServer(api: RunningServer, entityId: string): Promise<Array<{ id: string; content: { title?: string | null; rating: number }; author?: { authorName?: string | null } }>> {
  const { reviews } = await callApi(api, 'POST', '/reviews/v1/reviews/query?returnPrivateReviews=true', {
    query: { filter: { entityId }, cursorPaging: { limit: 100 } },
  });
  return reviews;
}

// ---------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------

/**
 * Why the browser tests cannot run here (no Chromium, or no playwright-core), or
 * undefined when they can. Tests skip with this reason; scripts/test.mjs reports it.
 */
export function browserUnavailable(): string | undefined {
  const path = chromiumPath();
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `no Chromium at ${path} (install Debian's "chromium" package or set CHROME_PATH)`;
  }
  if (!existsSync(join(root, 'node_modules/playwright-core/package.json'))) return 'playwright-core is not installed (it comes with @web/test-runner-playwright: run npm ci)';
  return undefined;
}

export function chromiumPath(): string {
  return process.env.CHROME_PATH || '/usr/bin/chromium';
}

/** Launches headless Chromium (closed by `cleanup`). */
export async function launchChromium(cleanup: Cleanup): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  cleanup.add(() => browser.close());
  return browser;
}

/**
 * Opens a page that records console errors, uncaught exceptions and failed requests;
 * `problems()` returns them, so a test can assert a page ran cleanly.
 */
export async function openPage(browser: Browser, cleanup: Cleanup): Promise<{ page: Page; problems: () => string[] }> {
  const context = await browser.newContext();
  cleanup.add(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const found: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') found.push(`console.error: ${m.text()} (${m.location().url || 'no url'})`);
  });
  page.on('pageerror', (err) => found.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) => found.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  return { page, problems: () => [...found] };
}

/**
 * Polls `probe` until `done(value)` holds, for at most `timeoutMs`; on timeout, fails with
 * `what` and the last value seen (or the last error thrown by `probe`).
 */
export async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value?: T; error?: unknown } = {};
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen = 'error' in last ? `error ${String(last.error)}` : JSON.stringify(last.value);
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
