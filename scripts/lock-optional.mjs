#!/usr/bin/env node
// The registry this project is built against does not serve every platform build of
// rollup (pulled in by @web/test-runner), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as "out of sync". This adds the
// missing optional platform packages to the lock with their os/cpu constraints; npm ci
// skips them on other platforms and never fetches them. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (pkgs[base] || pkgs[`node_modules/${name}`]) continue;
    const m = /(android|darwin|freebsd|linux|openbsd|openharmony|sunos|win32|netbsd|aix)-([a-z0-9]+)(?:-(gnu|musl|msvc|gnueabihf|musleabihf|eabi))?$/.exec(name);
    if (!m) continue;
    const [, os, cpu, abi] = m;
    const cpuName = { eabi: 'arm', gnueabihf: 'arm' }[cpu] ?? cpu;
    pkgs[`node_modules/${name}`] = {
      version,
      cpu: [cpuName],
      dev: meta.dev ?? undefined,
      ...(abi === 'gnu' || abi === 'gnueabihf' ? { libc: ['glibc'] } : abi === 'musl' || abi === 'musleabihf' ? { libc: ['musl'] } : {}),
      license: 'MIT',
      optional: true,
      os: [os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-optional: added ${added} platform-specific optional package(s) the registry does not serve`);
