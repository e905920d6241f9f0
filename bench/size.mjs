#!/usr/bin/env node
// Where the bytes of the script-tag files go: builds the full bundle and the standalone
// rating-stars exactly as `npm run build` does (scripts/build.mjs: esbuild, then terser),
// and again with the libraries left out (as imports), so the differences are each part's
// share of the gzip size. Sizes are exact (same inputs, same bytes): no timing involved.
//   node bench/size.mjs
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { LITE_CORE, compress, esbuildOptions, kb, liteChecks } from '../scripts/build.mjs';

const FILES = { 'storefront-reviews.js': ['src/index.ts', 'storefront-reviews'], 'cdn/rating-stars.js': ['src/elements/rating-stars/rating-stars.ts', 'cdn/rating-stars'] };
const ZOD = ['zod', 'zod/*'];
const LIT = ['lit', 'lit/*', '@lit/*'];

async function gzipOf(entry, out, external) {
  const result = await build({
    ...esbuildOptions,
    plugins: LITE_CORE.has(out) ? [liteChecks(), ...esbuildOptions.plugins] : esbuildOptions.plugins,
    entryPoints: [entry],
    outfile: `${out}.js`,
    external,
    sourcemap: 'external',
    write: false,
  });
  const file = (ext) => result.outputFiles.find((f) => f.path.endsWith(ext));
  const { contents } = await compress(file('.js').text, file('.js.map').text, 'x.map');
  return gzipSync(contents, { level: 9 }).length;
}

for (const [name, [entry, out]] of Object.entries(FILES)) {
  const all = await gzipOf(entry, out, []);
  const noZod = await gzipOf(entry, out, ZOD);
  const noLit = await gzipOf(entry, out, LIT);
  const ours = await gzipOf(entry, out, [...ZOD, ...LIT]);
  const pct = (n) => `${Math.round((n / all) * 100)}%`.padStart(4);
  console.log(`${name}: ${kb(all)} gzip`);
  console.log(`  zod (zod/mini)            ${kb(all - noZod).padStart(8)}  ${pct(all - noZod)}`);
  console.log(`  lit, @lit/task, localize  ${kb(all - noLit).padStart(8)}  ${pct(all - noLit)}`);
  console.log(`  our code (alone)          ${kb(ours).padStart(8)}  ${pct(ours)}`);
  console.log(`  (shares overlap by what gzip finds common to the parts)`);
}
