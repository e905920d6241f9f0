// The script-tag build (scripts/build.mjs): every file is built, self-contained, has a
// source map, and stays within its gzip budget. Sizes are exact (same inputs, same
// bytes), so a budget failure is real, not noise.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BUDGETS, CEILINGS, ENTRIES, buildAll, kb } from '../../scripts/build.mjs';

describe('build', () => {
  /** @type {Awaited<ReturnType<typeof buildAll>>} */
  let rows;
  before(async () => {
    rows = await buildAll({ write: false });
  });
  const row = (file) => rows.find((r) => r.file === file);

  it('builds one file per entry', () => {
    assert.deepEqual(rows.map((r) => r.file).sort(), Object.keys(ENTRIES).map((out) => `${out}.js`).sort());
  });

  it('makes self-contained ES modules with source maps', () => {
    for (const r of rows) {
      assert.deepEqual(r.imports, [], `${r.file} imports other files`);
      assert.match(Buffer.from(r.contents).toString('utf8'), /\/\/# sourceMappingURL=\S+\.js\.map\s*$/, `${r.file} links its source map`);
      assert.ok(JSON.parse(r.map).sources.some((s) => s.includes('src/')), `${r.file}'s source map names our sources`);
    }
  });

  it('defines in each file the elements it renders', () => {
    // A per-element file needs the elements inside its shadow roots too, imported for
    // their side effect (`import '../rating-stars/rating-stars.js'`), which a bundler
    // drops when it takes the module for side-effect free.
    const inside = ['rating-stars', 'media-lightbox'];
    const renders = {
      'storefront-reviews.js': ['rating-stars', 'rating-summary', 'review-list', 'most-helpful', 'media-gallery', 'media-lightbox', 'review-form'],
      'cdn/rating-stars.js': ['rating-stars'],
      'cdn/rating-summary.js': ['rating-summary', 'rating-stars'],
      'cdn/review-list.js': ['review-list', ...inside],
      'cdn/most-helpful.js': ['most-helpful', ...inside],
      'cdn/media-gallery.js': ['media-gallery', ...inside],
      'cdn/media-lightbox.js': inside,
      'cdn/review-form.js': ['review-form', 'rating-stars'],
    };
    assert.deepEqual(Object.keys(renders).sort(), rows.map((r) => r.file).sort());
    for (const r of rows) {
      const code = Buffer.from(r.contents).toString('utf8');
      // Minified `define('tag', Class)`: the only place a tag is a whole string literal.
      // Where a file calls define() once, terser inlines it and hoists the tag into a
      // variable: `t="rating-stars",e=X,customElements.get(t)||customElements.define(t,e)`.
      const calls = [...code.matchAll(/\("([a-z]+-[a-z-]+)",[\w$]+\)/g)].map((m) => m[1]);
      const inlined = [...code.matchAll(/([\w$]+)="([a-z]+-[a-z-]+)",[^;]*?customElements\.define\(\1,/g)].map((m) => m[2]);
      const defined = [...calls, ...inlined].sort();
      assert.deepEqual(defined, [...renders[r.file]].sort(), `${r.file} defines`);
    }
  });

  const overBy = (file, limit, label) => {
    const r = row(file);
    assert.ok(r, `${file} was not built`);
    const biggest = r.modules
      .slice(0, 8)
      .map((m) => `    ${kb(m.bytes).padStart(8)} min  ${m.module}`)
      .join('\n');
    assert.ok(
      r.gzip <= limit,
      `${file} is ${kb(r.gzip)} gzip (${r.gzip} bytes), over its ${label} of ${kb(limit)} (${limit} bytes) by ${kb(r.gzip - limit)}.\n` +
        `  Biggest modules (minified bytes in the file):\n${biggest}`,
    );
  };

  for (const [file, budget] of Object.entries(BUDGETS)) {
    const ceiling = CEILINGS[file];
    if (ceiling) {
      // The budget is not met yet: hold the file to its ceiling (it must not grow) and
      // report the budget as a to-do, so the gap stays visible in every test run.
      it(`keeps ${file} within its ceiling of ${kb(ceiling)} gzip`, () => overBy(file, ceiling, 'ceiling'));
      it(`keeps ${file} within ${kb(budget)} gzip`, { todo: `budget not met yet (ceiling ${kb(ceiling)})` }, () => overBy(file, budget, 'budget'));
    } else {
      it(`keeps ${file} within ${kb(budget)} gzip`, () => overBy(file, budget, 'budget'));
    }
  }
});
