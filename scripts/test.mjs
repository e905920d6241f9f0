#!/usr/bin/env node
// `npm test`: every suite, then one total line.
//   1. server tests (node:test over real HTTP) on embedded PGlite
//   2. the same server tests on PostgreSQL, when TEST_DATABASE_URL is set (CI sets it)
//   3. browser tests (web-test-runner in Debian's Chromium against the real server)
//   4. build checks (test/build/*.test.{mjs,ts}): size budgets, custom-elements.json and the
//      README's element reference current, the packed npm package installed in a fresh
//      project (type-checked with tsc, its server run)
//   5. package tests (test/package): the packed tarball in React and Vue apps and a plain
//      script-tag page, in Chromium
//   6. demo tests (test/demo): the demo (`npm start`) in Chromium, and its static copy
//      (`npm run build:demo`) built and served from another origin
// Prints "N passed, N failed[, N skipped]" alone on the last line; exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2); // optional: server | postgres | build | browser | package | demo
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function want(name) {
  return only.length === 0 || only.includes(name);
}

/** node:test's TAP summary: "# pass N", "# fail N", "# skipped N", "# cancelled N". */
function tapCounts(out) {
  const n = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') + n('todo') };
}

async function serverSuite(label, env) {
  const files = readdirSync(join(root, 'test/server'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/server/${f}`)
    .sort();
  console.log(`\n=== ${label}: ${files.length} files ===`);
  const { code, out } = await run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...files],
    env,
  );
  const c = tapCounts(out);
  if (code !== 0 && c.failed === 0) {
    c.failed = 1;
    problems.push(`${label}: the test process exited with ${code}`);
  }
  add(label, c);
}

function add(label, c) {
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  console.log(`--- ${label}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
}

if (want('server')) await serverSuite('server tests on PGlite', { TEST_DATABASE_URL: '' });

if (want('postgres')) {
  if (process.env.TEST_DATABASE_URL) {
    await serverSuite('server tests on PostgreSQL', { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL });
  } else if (only.includes('postgres')) {
    problems.push('postgres: set TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db to run the PostgreSQL suite');
    totals.failed++;
  } else {
    console.log('\n(PostgreSQL suite not run: set TEST_DATABASE_URL to a postgres:// URL to run it; CI does.)');
  }
}

if (want('build')) {
  const buildTests = existsSync(join(root, 'test/build'))
    ? readdirSync(join(root, 'test/build')).filter((f) => f.endsWith('.test.mjs') || f.endsWith('.test.ts')).map((f) => `test/build/${f}`)
    : [];
  if (buildTests.length) {
    console.log(`\n=== build checks: ${buildTests.length} files ===`);
    const { code, out } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...buildTests]);
    const c = tapCounts(out);
    if (code !== 0 && c.failed === 0) c.failed = 1;
    add('build checks', c);
  }
}

if (want('browser')) {
  const hasBrowserTests = existsSync(join(root, 'test/elements')) && readdirSync(join(root, 'test/elements')).some((f) => f.endsWith('.test.ts'));
  if (hasBrowserTests) {
    console.log('\n=== browser tests (web-test-runner, Chromium) ===');
    const { findChromium } = await import('./chromium.mjs');
    let chromium;
    try {
      chromium = await findChromium();
    } catch (err) {
      console.error(String(err.message ?? err));
      problems.push('browser: no Chromium (see above)');
      totals.failed++;
    }
    if (chromium) {
      const resultsFile = join(tmpdir(), `wtr-results-${process.pid}.json`);
      rmSync(resultsFile, { force: true });
      const { code } = await run(
        process.execPath,
        [join(root, 'node_modules/@web/test-runner/dist/bin.js'), '--config', 'web-test-runner.config.mjs'],
        { CHROME_PATH: chromium, WTR_RESULTS_FILE: resultsFile },
      );
      let c = { passed: 0, failed: 0, skipped: 0 };
      if (existsSync(resultsFile)) c = JSON.parse(readFileSync(resultsFile, 'utf8'));
      if (code !== 0 && c.failed === 0) {
        c.failed = 1;
        problems.push(`browser: web-test-runner exited with ${code}`);
      }
      add('browser tests', c);
    }
  }
}

if (want('package')) {
  const packageTests = existsSync(join(root, 'test/package'))
    ? readdirSync(join(root, 'test/package')).filter((f) => f.endsWith('.test.mjs') || f.endsWith('.test.ts')).sort().map((f) => `test/package/${f}`)
    : [];
  if (packageTests.length) {
    console.log(`\n=== package tests (npm run build, npm pack, fixture apps and a plain page in Chromium): ${packageTests.length} files ===`);
    const { findChromium } = await import('./chromium.mjs');
    let chromium;
    try {
      chromium = await findChromium();
    } catch (err) {
      console.error(String(err.message ?? err));
      problems.push('package: no Chromium (see above)');
      totals.failed++;
    }
    if (chromium) {
      const { code, out } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...packageTests], { CHROME_PATH: chromium });
      const c = tapCounts(out);
      if (code !== 0 && c.failed === 0) {
        c.failed = 1;
        problems.push(`package: the test process exited with ${code}`);
      }
      add('package tests', c);
    }
  }
}

if (want('demo')) {
  const demoTests = existsSync(join(root, 'test/demo'))
    ? readdirSync(join(root, 'test/demo')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/demo/${f}`)
    : [];
  if (demoTests.length) {
    console.log(`\n=== demo tests (the demo and its static build in Chromium): ${demoTests.length} files ===`);
    const { findChromium } = await import('./chromium.mjs');
    let chromium;
    try {
      chromium = await findChromium();
    } catch (err) {
      console.error(String(err.message ?? err));
      problems.push('demo: no Chromium (see above)');
      totals.failed++;
    }
    if (chromium) {
      const { code, out } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...demoTests], { CHROME_PATH: chromium });
      const c = tapCounts(out);
      if (code !== 0 && c.failed === 0) {
        c.failed = 1;
        problems.push(`demo: the test process exited with ${code}`);
      }
      add('demo tests', c);
    }
  }
}

for (const p of problems) console.error(`problem: ${p}`);
const line = `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
console.log(`\n${line}`);
process.exit(totals.failed > 0 ? 1 : 0);
