// README.md's element reference is generated from custom-elements.json by
// scripts/readme-table.mjs; it must be current, and describe what the package ships.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { END, START, elementsOf, exportedTags, renderReference, updateReadme } from '../../scripts/readme-table.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

describe('README.md', () => {
  it('has the element reference generated from the current custom-elements.json (run `npm run analyze`)', () => {
    assert.ok(readme.includes(START) && readme.includes(END), 'the reference markers are missing');
    assert.equal(readme, updateReadme(readme, manifest, exportedTags(pkg)));
  });

  it('documents every attribute, event, part and CSS property of every element', () => {
    const reference = renderReference(manifest, exportedTags(pkg));
    for (const el of elementsOf(manifest)) {
      const section = reference.split(/^### /m).find((s) => s.startsWith(`\`<${el.tagName}>\``));
      assert.ok(section, `no section for <${el.tagName}>`);
      for (const a of el.attributes ?? []) assert.ok(section.includes(`| \`${a.name}\` |`), `<${el.tagName}> attribute ${a.name}`);
      for (const e of el.events ?? []) assert.ok(section.includes(`| \`${e.name}\` |`), `<${el.tagName}> event ${e.name}`);
      for (const p of el.cssParts ?? []) assert.ok(section.includes(`| \`${p.name}\` |`), `<${el.tagName}> part ${p.name}`);
      for (const p of el.cssProperties ?? []) assert.ok(section.includes(`| \`${p.name}\` |`), `<${el.tagName}> CSS property ${p.name}`);
    }
  });

  it('notices a stale reference', () => {
    const changed = structuredClone(manifest);
    elementsOf(changed)[0].attributes[0].description = 'A description the README does not have.';
    assert.notEqual(updateReadme(readme, changed, exportedTags(pkg)), readme);
  });

  it('names only import paths the package exports', () => {
    const imports = new Set([...readme.matchAll(/['`](storefront-reviews(?:\/[a-z-]+(?:\.js|\.json)?)?)['`]/g)].map((m) => m[1]));
    assert.ok(imports.size > 5, `found only ${[...imports].join(', ')}`);
    for (const spec of imports) {
      const sub = spec === 'storefront-reviews' ? '.' : `.${spec.slice('storefront-reviews'.length)}`;
      assert.ok(sub in pkg.exports, `README imports ${spec}, which package.json does not export`);
    }
  });
});
