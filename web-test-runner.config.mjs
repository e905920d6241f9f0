// Browser tests: real Chromium (Debian's, never a downloaded one) against the real
// reference server, started here on an in-memory database. Test files seed what they
// need through the API. The only fakes are the fault endpoints under /__fault/, which
// inject failures (500s, malformed JSON, slow or corrupted responses) in front of the
// real server. The script-tag build (scripts/build.mjs) is built from the current
// sources at start and served under /__dist/ (e.g. /__dist/storefront-reviews.js).
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAll } from './scripts/build.mjs';
import { findChromium } from './scripts/chromium.mjs';
import { countReporter } from './scripts/wtr-count-reporter.mjs';

const OWNER_KEY = 'wtr-owner-key';
const root = fileURLToPath(new URL('.', import.meta.url));
let api = { url: '', child: null };

/** Starts `storefront-reviews serve --db memory` and waits for its "Ready:" line. */
function startApi() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`${root}bin/storefront-reviews.js`, 'serve', '--db', 'memory', '--port', '0', '--api-key', OWNER_KEY, '--moderation', 'auto'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const timer = setTimeout(() => reject(new Error(`reference server did not start:\n${out}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /Ready: (http:\/\/\S+?)\/?$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
      process.stderr.write(chunk);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`reference server exited (${code}):\n${out}`));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * /__fault/<kind>/<api path>: faults in front of the real server.
 *   500        - HTTP 500 with an error envelope
 *   malformed  - HTTP 200 with a body that is not JSON
 *   envelope   - HTTP 200 with JSON of the wrong shape
 *   corrupt    - the real response with its first review made invalid
 *   xss        - the real response with hostile content injected into every review
 *   slow-<ms>  - the real response, delayed
 *   flaky-<n>  - 500 for the first n requests to this path, then the real response
 */
const flakyCounts = new Map();
function faultMiddleware() {
  return async (ctx, next) => {
    const m = /^\/__fault\/([a-z]+)(?:-(\d+))?(\/.*)$/.exec(ctx.path);
    if (!m) return next();
    const [, kind, arg, rest] = m;
    ctx.set('Access-Control-Allow-Origin', '*');
    if (kind === 'reset') {
      flakyCounts.clear();
      ctx.body = 'ok';
      return;
    }
    if (kind === '500') {
      ctx.status = 500;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ message: 'Injected failure', details: { applicationError: { code: 'INTERNAL', description: 'Injected failure' } } });
      return;
    }
    if (kind === 'malformed') {
      ctx.status = 200;
      ctx.type = 'application/json';
      ctx.body = '{"reviews": [ this is not json';
      return;
    }
    if (kind === 'envelope') {
      ctx.status = 200;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ items: 'nope', attributeSummaries: 'nope', entityAverages: 7 });
      return;
    }
    if (kind === 'flaky') {
      const key = `${arg}:${rest}`;
      const n = flakyCounts.get(key) ?? 0;
      flakyCounts.set(key, n + 1);
      if (n < Number(arg)) {
        ctx.status = 500;
        ctx.type = 'application/json';
        ctx.body = JSON.stringify({ message: 'Injected flaky failure' });
        return;
      }
    }
    if (kind === 'slow') await sleep(Number(arg ?? 1000));
    const body = ['GET', 'HEAD'].includes(ctx.method) ? undefined : await readBody(ctx.req);
    const res = await fetch(api.url + rest + (ctx.querystring ? `?${ctx.querystring}` : ''), {
      method: ctx.method,
      headers: { 'content-type': ctx.get('content-type') || 'application/json', ...(ctx.get('authorization') ? { authorization: ctx.get('authorization') } : {}) },
      body,
    });
    let text = await res.text();
    if (kind === 'corrupt' || kind === 'xss') {
      const json = JSON.parse(text);
      if (Array.isArray(json.reviews)) {
        if (kind === 'corrupt' && json.reviews[0]) json.reviews[0] = { ...json.reviews[0], content: { rating: 'five' } };
        if (kind === 'xss') json.reviews = json.reviews.map(hostile);
      }
      text = JSON.stringify(json);
    }
    ctx.status = res.status;
    ctx.type = 'application/json';
    ctx.body = text;
  };
}

const XSS = '<img src=x onerror="window.__xss=1">';
function hostile(review) {
  return {
    ...review,
    content: {
      ...review.content,
      title: XSS,
      body: `${XSS}<script>window.__xss=1</script>`,
      media: [{ image: { id: 'x', url: 'javascript:window.__xss=1' } }, { video: { url: 'javascript:window.__xss=1' } }, { image: { url: 'data:text/html,<script>window.__xss=1</script>' } }],
    },
    author: { ...review.author, authorName: XSS },
    reply: { message: XSS },
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** /__dist/<file>: the script-tag build, made in memory when the test server starts. */
const built = new Map();
function distMiddleware() {
  return async (ctx, next) => {
    const m = /^\/__dist\/(.+)$/.exec(ctx.path);
    if (!m) return next();
    const row = built.get(m[1].replace(/\.map$/, ''));
    if (!row) return next();
    ctx.type = m[1].endsWith('.map') ? 'application/json' : 'application/javascript';
    ctx.body = m[1].endsWith('.map') ? row.map : Buffer.from(row.contents);
  };
}

const chromium = await findChromium();

export default {
  files: ['test/elements/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 15_000 } },
  middleware: [faultMiddleware(), distMiddleware()],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    {
      name: 'reference-server',
      async serverStart() {
        const [started, rows] = await Promise.all([startApi(), buildAll({ write: false })]);
        api = started;
        for (const row of rows) built.set(row.file, row);
      },
      async serverStop() {
        api.child?.kill('SIGTERM');
      },
    },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
      <body>
        <script>globalThis.__REVIEWS_TEST__ = ${JSON.stringify({ endpoint: api.url, ownerKey: OWNER_KEY })};</script>
        <script type="module" src="${testFramework}"></script>
      </body>
    </html>`,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromium,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      },
    }),
  ],
};
