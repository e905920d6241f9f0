#!/usr/bin/env node
// Quick size probe: bundles an entry (default src/index.ts) the way the script-tag build
// does (scripts/build.mjs: everything inlined, minified ESM, templates minified, then the
// terser pass) and prints min/gzip sizes and the biggest inputs (bytes in esbuild's
// output, before terser). `npm run build` prints the real files; `node bench/size.mjs`
// splits them into libraries and our code.
//   node scripts/size.mjs [entry]
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { compress, esbuildOptions, groupInputs } from './build.mjs';

const entry = process.argv[2] ?? 'src/index.ts';
const result = await build({ ...esbuildOptions, entryPoints: [entry], outfile: 'probe.js', sourcemap: 'external', write: false, metafile: true });
const file = (ext) => result.outputFiles.find((f) => f.path.endsWith(ext));
const { contents: code } = await compress(file('.js').text, file('.js.map').text, 'probe.js.map');
const inputs = Object.values(result.metafile.outputs).find((o) => o.entryPoint).inputs;
console.log(`${entry}: ${(code.length / 1024).toFixed(1)} KB min, ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
for (const { module, bytes } of groupInputs(inputs).slice(0, 20)) {
  console.log(`  ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${module}`);
}
