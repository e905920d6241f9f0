// The npm package as a user gets it: `npm pack` (which builds first), then a fresh
// project outside the repo installs the tarball and
//   - type-checks code that imports `storefront-reviews/rating-stars.js` (typed properties,
//     typed event details) with tsc, and fails on code that misuses them;
//   - resolves every entry point (`development` condition included), loads the client in
//     Node, and resolves `storefront-reviews/server`;
//   - runs `npx storefront-reviews`: without the server's optional peer dependencies it
//     names them; with them it serves the API from the compiled server (no tsx).
// lit and the other dependencies come from the npm cache (`--prefer-offline`) that
// `npm ci` filled; the registry is asked only for what the cache lacks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const TAGS = ['rating-stars', 'rating-summary', 'review-list', 'most-helpful', 'media-gallery', 'media-lightbox', 'review-form'];
const quiet = { npm_config_update_notifier: 'false', npm_config_loglevel: 'error' };

/**
 * The environment for commands here. Under `npm test`, npm hands its settings to scripts
 * as `npm_*` variables (the repo's prefix among them) that must not steer an install in
 * the temp project; node:test's NODE_TEST_CONTEXT must not reach child processes either.
 * The npm cache, registry and user config stay.
 */
function cleanEnv(extra) {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.toLowerCase().startsWith('npm_') && !keep.has(k.toLowerCase())) continue;
    if (['INIT_CWD', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT'].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs a command to completion: `{code, out}` (stdout and stderr together). */
function run(cmd, args, { cwd, env = {}, timeout = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeout} ms:\n${out}`));
    }, timeout);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function ok(cmd, args, options) {
  const r = await run(cmd, args, options);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} failed:\n${r.out}`);
  return r.out;
}

/** `sideEffects` globs as regular expressions (`*` stays within one path segment). */
const sideEffectPatterns = pkg.sideEffects.map(
  (g) => new RegExp(`^${g.replace(/^\.\//, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`),
);
const hasSideEffects = (file) => sideEffectPatterns.some((re) => re.test(file));

describe('npm package', { timeout: 900_000 }, () => {
  let work;
  let project;
  let tarball;
  let files;
  let installed;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'storefront-reviews-package-'));
    project = join(work, 'consumer');
    // `prepack` builds dist/ first, as for `npm publish`.
    await ok(npm, ['pack', '--pack-destination', work], { cwd: root, env: quiet, timeout: 600_000 });
    const tgz = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    assert.equal(tgz.length, 1, `npm pack made ${tgz.join(', ') || 'nothing'}`);
    tarball = join(work, tgz[0]);
    files = (await ok('tar', ['-tzf', tarball])).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));

    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
    await ok(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, env: quiet });
    installed = join(project, 'node_modules', 'storefront-reviews');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('tarball', () => {
    it('holds every file the exports, bin and manifest name', () => {
      const targets = [];
      const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v ?? {}).forEach(walk));
      walk(pkg.exports);
      targets.push(...Object.values(pkg.bin), pkg.customElements, pkg.main, pkg.types, pkg.unpkg);
      for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, '')), `${t} is not in the tarball`);
      for (const tag of TAGS) {
        assert.ok(pkg.exports[`./${tag}.js`], `no export for ${tag}`);
        assert.ok(files.includes(`dist/cdn/${tag}.js`), `no script-tag file for ${tag}`);
      }
      assert.ok(files.includes('README.md'));
      const manifest = JSON.parse(readFileSync(join(root, pkg.customElements), 'utf8'));
      for (const mod of manifest.modules) assert.ok(files.includes(mod.path), `custom-elements.json names ${mod.path}, which is not in the tarball`);
    });

    it('leaves out sources, tests and local data', () => {
      const stray = files.filter((f) => /^(src|test|demo|bench|scripts|\.data|\.ci|node_modules)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'));
      assert.deepEqual(stray, []);
    });

    it('lists exactly the self-defining modules in sideEffects', () => {
      const dev = files.filter((f) => f.startsWith('dist/esm-dev/') && f.endsWith('.js'));
      const defining = dev.filter((f) => /\bdefine\("[a-z]+-[a-z-]+"/.test(readFileSync(join(installed, f), 'utf8')));
      assert.equal(defining.length, TAGS.length, `modules that define elements: ${defining.join(', ')}`);
      for (const f of defining) {
        assert.ok(hasSideEffects(f), `${f} defines an element but sideEffects does not list it`);
        assert.ok(hasSideEffects(f.replace('dist/esm-dev/', 'dist/esm/')), `the minified ${f} is not in sideEffects`);
      }
      for (const f of ['dist/esm/client.js', 'dist/esm/api/client.js', 'dist/esm/api/schema.js', 'dist/esm/shared/format.js', 'dist/esm/elements/rating-stars/rating-stars.styles.js']) {
        assert.ok(files.includes(f), `${f} is not in the tarball`);
        assert.ok(!hasSideEffects(f), `${f} has no side effects but sideEffects lists it`);
      }
    });

    it('keeps lit, @lit/* and zod as dependencies of the npm modules, not bundled', () => {
      const stars = readFileSync(join(installed, 'dist/esm/elements/rating-stars/rating-stars.js'), 'utf8');
      assert.match(stars, /from"lit"/);
      assert.doesNotMatch(stars, /class \w+ extends HTMLElement|ReactiveElement/, 'Lit itself is bundled in');
      for (const dep of ['lit', '@lit/task', '@lit/localize', 'zod']) assert.ok(pkg.dependencies[dep], `${dep} is not a dependency`);
    });
  });

  describe('in a fresh project', () => {
    const tsconfig = (extra = {}) => ({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
        ...extra,
      },
    });
    const typecheck = async (name, source, config = tsconfig()) => {
      writeFileSync(join(project, `${name}.ts`), source);
      writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ ...config, files: [`${name}.ts`] }, null, 2));
      return run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`, '--pretty', 'false'], { cwd: project, timeout: 180_000 });
    };

    const GOOD = `
import { RatingStars } from 'storefront-reviews/rating-stars.js';
import type { ReviewSubmittedDetail, ReviewFilterDetail } from 'storefront-reviews';
import { clientFor, type Review, type ReviewsPage } from 'storefront-reviews/client';

const stars: RatingStars = document.createElement('rating-stars');
stars.editable = true;
stars.value = 4;
stars.max = 5;
const value: number = stars.value;
const valid: boolean = stars.checkValidity();
stars.addEventListener('change', (e) => console.log(value, valid, (e.currentTarget as RatingStars).value.toFixed(1)));
const found: RatingStars | null = document.querySelector('rating-stars');

document.body.addEventListener('review-submitted', (e) => {
  const detail: ReviewSubmittedDetail = e.detail;
  const id: string = e.detail.review.id;
  const rating: number = e.detail.review.content.rating;
  console.log(detail.published, id, rating, found);
});
const page: Promise<ReviewsPage> = clientFor('https://reviews.example.com').queryReviews({ namespace: 'stores', entityId: 'p1', sort: 'most-helpful' });
void page.then((p) => p.reviews.map((r: Review) => r.content.rating.toFixed(0)));
document.body.addEventListener('review-filter', (e) => {
  const ratings: ReviewFilterDetail['ratings'] = e.detail.ratings;
  console.log(ratings.length);
});
`;

    // skipLibCheck off here: the package's declaration files themselves must check.
    it('type-checks a module using the typed properties and event details (NodeNext resolution)', async () => {
      const r = await typecheck('good', GOOD);
      assert.equal(r.code, 0, `tsc failed:\n${r.out}`);
    });

    it('type-checks it with bundler resolution too', async () => {
      const r = await typecheck('good-bundler', GOOD, tsconfig({ module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true }));
      assert.equal(r.code, 0, `tsc failed:\n${r.out}`);
    });

    it('fails to type-check wrong uses (the types are real, not any)', async () => {
      const r = await typecheck(
        'bad',
        `
import { RatingStars } from 'storefront-reviews/rating-stars.js';
const stars: RatingStars = document.createElement('rating-stars');
stars.value = 'four';
stars.notAProperty = true;
document.body.addEventListener('review-submitted', (e) => console.log(e.detail.review.nope));
const wrong: RatingStars = document.createElement('review-list');
`,
        tsconfig({ skipLibCheck: true }),
      );
      assert.notEqual(r.code, 0, 'tsc accepted code that misuses the types');
      const errors = r.out.split('\n').filter((l) => /bad\.ts\(\d+,\d+\): error/.test(l));
      assert.match(r.out, /bad\.ts\(4,1\): error TS2322: Type 'string' is not assignable to type 'number'/);
      assert.match(r.out, /bad\.ts\(5,7\): error TS2339: Property 'notAProperty' does not exist on type 'RatingStars'/);
      assert.match(r.out, /bad\.ts\(6,\d+\): error TS2339: Property 'nope' does not exist/);
      assert.match(r.out, /bad\.ts\(7,7\): error TS2\d+: .*HTMLElement/);
      assert.equal(errors.length, 4, r.out);
    });

    it('resolves every entry point, and the development condition to the unminified build', async () => {
      const specs = Object.keys(pkg.exports).filter((k) => !k.endsWith('.json')).map((k) => (k === '.' ? 'storefront-reviews' : `storefront-reviews/${k.slice(2)}`));
      const script = `for (const s of ${JSON.stringify(specs)}) console.log(s, import.meta.resolve(s));`;
      const plain = await ok(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
      const dev = await ok(process.execPath, ['--conditions=development', '--input-type=module', '-e', script], { cwd: project });
      for (const s of specs) {
        const target = (out) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} (\\S+)$`, 'm').exec(out)?.[1];
        const [p, d] = [target(plain), target(dev)];
        assert.ok(p && existsSync(fileURLToPath(p)), `${s} resolves to ${p}`);
        if (s.endsWith('/server')) {
          assert.match(p, /\/dist\/esm\/server\/index\.js$/);
        } else {
          assert.match(p, /\/dist\/esm\//, s);
          assert.match(d, /\/dist\/esm-dev\//, `${s} with the development condition`);
        }
      }
    });

    it('loads storefront-reviews/client in Node', async () => {
      const out = await ok(process.execPath, [
        '--input-type=module',
        '-e',
        `const m = await import('storefront-reviews/client');
         const c = m.clientFor('https://reviews.example.com');
         console.log(typeof m.ReviewsClient, c.endpoint, JSON.stringify(m.toWixQuery({ namespace: 'stores', entityId: 'p1', sort: 'highest', limit: 5 }).query.cursorPaging));`,
      ], { cwd: project });
      assert.match(out, /^function https:\/\/reviews\.example\.com \{"limit":5\}$/m);
    });

    it('makes `npx storefront-reviews` name the server packages it needs', async () => {
      const r = await run(process.execPath, [join(project, 'node_modules', '.bin', 'storefront-reviews'), 'serve', '--db', 'memory', '--port', '0'], { cwd: project, timeout: 60_000 });
      assert.equal(r.code, 1, r.out);
      for (const name of ['hono', '@hono/node-server', '@electric-sql/pglite']) assert.ok(r.out.includes(name), `the message does not name ${name}:\n${r.out}`);
      assert.doesNotMatch(r.out, /\bpg@/, 'asks for pg although the database is not PostgreSQL');
      assert.match(r.out, /npm install /);
      assert.doesNotMatch(r.out, /ERR_MODULE_NOT_FOUND|at \w+ \(/, 'prints a stack trace instead of a message');
    });

    describe('with the server packages installed', () => {
      before(async () => {
        // The versions this repo is tested with, from its node_modules (so from the cache).
        const peers = Object.keys(pkg.peerDependencies).filter((n) => !['react', 'pg', 'nodemailer'].includes(n));
        const specs = peers.map((n) => `${n}@${JSON.parse(readFileSync(join(root, 'node_modules', n, 'package.json'), 'utf8')).version}`);
        await ok(npm, ['install', ...specs, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, env: quiet });
      });

      it('type-checks the server entry point', async () => {
        const r = await typecheck(
          'server',
          `
import { createApp, openDb, startServer, type RunningServer, type ServeOptions } from 'storefront-reviews/server';
const options: ServeOptions = { port: 0, db: 'memory', moderation: 'auto', seed: 'demo' };
const server: RunningServer = await startServer(options);
const url: string = server.url;
const app = createApp({ db: await openDb('memory'), apiKey: 'k' });
const res: Response = await app.fetch(new Request(url + '/healthz'));
console.log(res.status);
// @ts-expect-error port is a number
await startServer({ port: 'eighty' });
`,
          tsconfig({ types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], skipLibCheck: true }),
        );
        assert.equal(r.code, 0, `tsc failed:\n${r.out}`);
      });

      it('runs the compiled server with `npx storefront-reviews serve`', async () => {
        const child = spawn(process.execPath, [join(project, 'node_modules', '.bin', 'storefront-reviews'), 'serve', '--db', 'memory', '--port', '0', '--api-key', 'package-test-key'], {
          cwd: project,
          env: cleanEnv({ DATABASE_URL: '' }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        try {
          let out = '';
          child.stdout.on('data', (c) => (out += c));
          child.stderr.on('data', (c) => (out += c));
          const deadline = Date.now() + 90_000;
          let url;
          while (!(url = /Ready: (http:\/\/\S+?)\/?$/m.exec(out)?.[1])) {
            assert.ok(child.exitCode === null, `the server exited (${child.exitCode}):\n${out}`);
            assert.ok(Date.now() < deadline, `the server did not start:\n${out}`);
            await new Promise((r) => setTimeout(r, 100));
          }
          assert.doesNotMatch(out, /tsx/);
          const health = await fetch(`${url}/healthz`);
          assert.equal(health.status, 200);
          const created = await fetch(`${url}/reviews/v1/reviews`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'package-test-key' },
            body: JSON.stringify({ review: { namespace: 'stores', entityId: 'p1', author: { contactId: 'c1', authorName: 'Ann' }, content: { rating: 4, title: 'Good' } } }),
          });
          assert.equal(created.status, 200, await created.clone().text());
          const summary = await (await fetch(`${url}/ratings/v1/ratings/groups/stores/entities/p1/summary`)).json();
          assert.equal(summary.attributeSummaries[0].total, 1, JSON.stringify(summary));
        } finally {
          child.kill('SIGTERM');
          if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
        }
      });
    });
  });
});
