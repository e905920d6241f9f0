#!/usr/bin/env node
// `npm run build`: the script-tag (CDN) build.
//   dist/storefront-reviews.js   every element, Lit and zod bundled: one minified ES module
//   dist/cdn/<element>.js        the same for one element, for pages that need only that one
// Each file is self-contained (no shared chunks) and has a source map. Prints the size of
// every file (minified and gzip -9); test/build/size.test.mjs holds them to BUDGETS.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Output name (without `.js`) → entry module. */
export const ENTRIES = {
  'storefront-reviews': 'src/index.ts',
  'cdn/rating-stars': 'src/elements/rating-stars/rating-stars.ts',
  'cdn/rating-summary': 'src/elements/rating-summary/rating-summary.ts',
  'cdn/review-list': 'src/elements/review-list/review-list.ts',
  'cdn/most-helpful': 'src/elements/most-helpful/most-helpful.ts',
  'cdn/media-gallery': 'src/elements/media-gallery/media-gallery.ts',
  'cdn/media-lightbox': 'src/elements/media-gallery/media-lightbox.ts',
  'cdn/review-form': 'src/elements/review-form/review-form.ts',
};

/** Largest allowed gzip -9 size, in bytes, per output file (from the distribution issue). */
export const BUDGETS = {
  'storefront-reviews.js': 25 * 1024,
  'cdn/rating-stars.js': 8 * 1024,
};

/**
 * Ceilings enforced while a budget is not met yet: the files may shrink but not grow.
 * Lower them whenever a change makes a file smaller; delete an entry once its budget holds.
 */
export const CEILINGS = {
  'storefront-reviews.js': 36.5 * 1024,
  'cdn/rating-stars.js': 11.5 * 1024,
};

/** esbuild options shared by the build and scripts/size.mjs. */
export const esbuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  tsconfig: `${root}tsconfig.json`,
  logLevel: 'error',
  plugins: [minifyTemplates()],
};

/**
 * Builds every entry into `outdir` (default dist/; with `write: false` only in memory)
 * and returns one row per JS file, by name: `{file, min, gzip, modules, imports,
 * contents, map}`. `modules` lists its inputs by bytes in the output, biggest first
 * (packages grouped); `imports` what the file still imports (nothing: self-contained).
 */
export async function buildAll({ outdir = `${root}dist`, write = true } = {}) {
  if (write) await rm(outdir, { recursive: true, force: true });
  const rows = await Promise.all(Object.entries(ENTRIES).map(([out, entry]) => buildOne(out, entry, outdir, write)));
  return rows.sort((a, b) => a.file.localeCompare(b.file));
}

async function buildOne(out, entry, outdir, write) {
  const result = await build({
    ...esbuildOptions,
    plugins: out === 'cdn/rating-stars' ? [liteChecks(), ...esbuildOptions.plugins] : esbuildOptions.plugins,
    absWorkingDir: root,
    entryPoints: [{ in: entry, out }],
    outdir,
    sourcemap: true,
    metafile: true,
    write,
  });
  const [path, output] = Object.entries(result.metafile.outputs).find(([p]) => p.endsWith('.js'));
  const file = (ext) => result.outputFiles?.find((f) => f.path.endsWith(ext));
  const contents = write ? await readFile(resolve(root, path)) : file('.js').contents;
  const map = write ? await readFile(resolve(root, `${path}.map`), 'utf8') : file('.js.map').text;
  return {
    file: `${out}.js`,
    min: contents.length,
    gzip: gzipSync(contents, { level: 9 }).length,
    modules: groupInputs(output.inputs),
    imports: output.imports.map((i) => i.path),
    contents,
    map,
  };
}

/**
 * The standalone rating-stars file validates averages with hand-written checks instead
 * of zod: its 8 KB gzip budget holds Lit (~6.1 KB) but not zod/mini's runtime as well
 * (~6.1 KB for the smallest object schema). See src/api/checks.lite.ts.
 */
export function liteChecks() {
  return {
    name: 'lite-checks',
    setup(b) {
      b.onResolve({ filter: /^\.\/checks\.js$/ }, (args) =>
        args.importer.endsWith(`src${sep}api${sep}core.ts`) ? { path: `${root}src/api/checks.lite.ts` } : undefined,
      );
    },
  };
}

/** Bytes in the output per input module, packages grouped; biggest first. */
export function groupInputs(inputs) {
  const groups = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const key = path.includes('node_modules/') ? path.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1') : path;
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
  return [...groups].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** The size report: one line per file, with its budget when it has one. */
export function report(rows) {
  const width = Math.max(...rows.map((r) => r.file.length));
  return rows
    .map((r) => {
      const budget = BUDGETS[r.file];
      const status = budget ? `  (budget ${kb(budget)} gzip: ${r.gzip <= budget ? 'ok' : 'OVER'})` : '';
      return `${r.file.padEnd(width)}  ${kb(r.min).padStart(9)} min  ${kb(r.gzip).padStart(8)} gzip${status}`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------
// Template minification
// ---------------------------------------------------------------------------

const TAGS = new Set(['html', 'svg', 'css']);

/**
 * esbuild plugin: collapses whitespace in Lit's `html`, `svg` and `css` tagged templates
 * of our own sources (esbuild keeps template text as written), and strips CSS comments.
 *
 * Safe by construction:
 * - HTML: every whitespace run becomes one space, never nothing, so text and inline
 *   layout render the same; `<pre>` and `<textarea>` content is left alone. (Elements
 *   styled `white-space: pre*` get their text from expressions, which are not touched.)
 * - CSS: runs become one space; spaces go only around `{ } ; ,` and after `:`, never
 *   before `:` (a descendant `.a :is(...)` needs it) or inside quoted strings.
 * - Templates whose source has a backslash followed by whitespace are left as written.
 * - Lines of code stay where they were (the newlines taken out of a template are put back
 *   as JavaScript whitespace right after it), so source maps stay right.
 */
export function minifyTemplates() {
  return {
    name: 'minify-lit-templates',
    setup(b) {
      const ours = new RegExp(`^${(root + 'src').replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}[\\\\/].*\\.ts$`);
      b.onLoad({ filter: ours }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        return { contents: minifyTemplatesIn(source, args.path), loader: 'ts' };
      });
    },
  };
}

/** Returns `source` with its `html`/`svg`/`css` templates minified. */
export function minifyTemplatesIn(source, fileName = 'file.ts') {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && TAGS.has(node.tag.text)) {
      edits.push(...templateEdits(node.template, node.tag.text === 'css' ? minifyCss : minifyHtml, source));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Edits for one template: each static part minified, its dropped newlines re-added as code. */
function templateEdits(template, minify, source) {
  // Static parts with the source range of their text (between the delimiters).
  const parts = [];
  const range = (lit, open, close) => ({ start: lit.getStart() + open, end: lit.end - close });
  if (ts.isNoSubstitutionTemplateLiteral(template)) parts.push(range(template, 1, 1));
  else {
    parts.push(range(template.head, 1, 2));
    for (const span of template.templateSpans) {
      parts.push(ts.isTemplateTail(span.literal) ? range(span.literal, 1, 1) : range(span.literal, 1, 2));
    }
  }
  const raw = parts.map((p) => source.slice(p.start, p.end));
  if (raw.some((r) => /\\\s/.test(r))) return [];
  // Minify all parts together (a `<textarea>` may span an expression), then split again.
  const SEP = '\u0000';
  if (raw.some((r) => r.includes(SEP))) return [];
  const minified = minify(raw.join(SEP)).split(SEP);
  if (minified.length !== raw.length) return [];
  return parts.map((p, i) => {
    const newlines = '\n'.repeat(lines(raw[i]) - lines(minified[i]));
    // The closing delimiter is "${" or "`": newlines go after it, where they are code.
    const last = i === parts.length - 1;
    const closer = last ? '`' : '${';
    return { start: p.start, end: p.end + closer.length, text: minified[i] + closer + newlines };
  });
}

const lines = (s) => s.split('\n').length - 1;

/** One space for each whitespace run, except in the content of `<pre>` and `<textarea>`. */
export function minifyHtml(text) {
  // Odd chunks are the raw elements' content, kept as written.
  return text
    .split(/(?<=<(?:pre|textarea)\b[^>]*>)([\s\S]*?)(?=<\/(?:pre|textarea)\s*>)/i)
    .map((chunk, i) => (i % 2 ? chunk : chunk.replace(/\s+/g, ' ')))
    .join('');
}

/** Comments removed, whitespace collapsed; quoted strings kept as written. */
export function minifyCss(text) {
  return text
    .split(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/)
    .map((chunk, i) =>
      i % 2
        ? chunk
        : chunk
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, ' ')
            .replace(/ ?([{};,]) ?/g, '$1')
            .replace(/: /g, ':')
            .replace(/;}/g, '}'),
    )
    .join('')
    .trim();
}

// ---------------------------------------------------------------------------

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Budgets are reported here and enforced by `npm test` (test/build/size.test.mjs).
  console.log(report(await buildAll()));
}
