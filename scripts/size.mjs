#!/usr/bin/env node
// Quick size probe: bundles an entry (default src/index.ts) the way the CDN build does
// (scripts/build.mjs: everything inlined, minified ESM, templates minified) and prints
// min/gzip sizes and the biggest inputs.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { esbuildOptions, groupInputs } from './build.mjs';

const entry = process.argv[2] ?? 'src/index.ts';
const result = await build({ ...esbuildOptions, entryPoints: [entry], write: false, metafile: true });
const code = result.outputFiles[0].contents;
const inputs = Object.values(result.metafile.outputs)[0].inputs;
console.log(`${entry}: ${(code.length / 1024).toFixed(1)} KB min, ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
for (const { module, bytes } of groupInputs(inputs).slice(0, 20)) {
  console.log(`  ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${module}`);
}
