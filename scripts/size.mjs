#!/usr/bin/env node
// Quick size probe: bundles an entry (default src/index.ts) the way the CDN build does
// (everything inlined, minified ESM) and prints min/gzip sizes and the biggest inputs.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const entry = process.argv[2] ?? 'src/index.ts';
const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  metafile: true,
  legalComments: 'none',
  tsconfig: 'tsconfig.json',
  logLevel: 'error',
});
const code = result.outputFiles[0].contents;
const inputs = Object.values(result.metafile.outputs)[0].inputs;
const groups = {};
for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
  const key = path.includes('node_modules/') ? path.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1') : path;
  groups[key] = (groups[key] ?? 0) + bytesInOutput;
}
console.log(`${entry}: ${(code.length / 1024).toFixed(1)} KB min, ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
for (const [k, v] of Object.entries(groups).sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`  ${(v / 1024).toFixed(1).padStart(6)} KB  ${k}`);
}
