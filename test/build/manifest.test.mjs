// custom-elements.json (committed; package.json's "customElements"): it must be what
// `cem analyze --litelement` makes of the current sources, every element's public API
// must be documented, and the tag and event maps TypeScript users rely on must cover
// every element and event it lists.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';
import ts from 'typescript';
import { elementsOf } from '../../scripts/readme-table.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const elements = elementsOf(committed);
const isPublic = (m) => !m.privacy || m.privacy === 'public';

/** Keys of every `interface <name> { ... }` in src/ (our `declare global` augmentations). */
function augmented(name) {
  const keys = new Map();
  for (const file of readdirSync(`${root}src`, { recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    const source = ts.createSourceFile(file, readFileSync(`${root}src/${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
        for (const member of node.members) {
          if (ts.isPropertySignature(member) && member.name && ts.isStringLiteral(member.name)) {
            keys.set(member.name.text, { file, type: member.type?.getText(source) });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return keys;
}

/** Event names the DOM library already maps (`input`, `change`, ...). */
function domEvents() {
  const lib = readFileSync(`${root}node_modules/typescript/lib/lib.dom.d.ts`, 'utf8');
  const body = /interface GlobalEventHandlersEventMap \{([\s\S]*?)\n\}/.exec(lib)[1];
  return new Set([...body.matchAll(/^\s+"([a-z-]+)": /gm)].map((m) => m[1]));
}

describe('custom-elements.json', () => {
  let fresh;
  before(async () => {
    fresh = await cli({ argv: ['analyze', '--litelement', '--quiet'], cwd: root, noWrite: true });
  });

  it('is what `cem analyze --litelement` makes of the current sources (run `npm run analyze`)', () => {
    assert.deepEqual(committed, JSON.parse(JSON.stringify(fresh)));
  });

  it('lists every element the package exports, with its module path as published', () => {
    const exported = Object.keys(pkg.exports).flatMap((k) => /^\.\/([a-z]+-[a-z-]+)\.js$/.exec(k)?.[1] ?? []);
    assert.deepEqual(elements.map((e) => e.tagName).sort(), [...exported].sort());
    for (const mod of committed.modules) {
      assert.match(mod.path, /^dist\/esm\/elements\/.+\.js$/, mod.path);
      const source = `${root}${mod.path.replace(/^dist\/esm\//, 'src/').replace(/\.js$/, '.ts')}`;
      assert.doesNotThrow(() => readFileSync(source), `${mod.path} has no source`);
    }
    assert.equal(pkg.customElements, 'custom-elements.json');
  });

  for (const tag of ['rating-stars', 'rating-summary', 'review-list', 'most-helpful', 'media-gallery', 'media-lightbox', 'review-form']) {
    it(`documents every public part of <${tag}>`, () => {
      const el = elements.find((e) => e.tagName === tag);
      assert.ok(el, `${tag} is not in the manifest`);
      const missing = [];
      const need = (what, item) => {
        if (!item.description?.trim()) missing.push(`${what} ${item.name}`);
      };
      if (!el.summary?.trim()) missing.push('summary (@summary)');
      if (!el.description?.trim()) missing.push('description (class JSDoc)');
      for (const a of el.attributes ?? []) need('attribute', a);
      for (const m of (el.members ?? []).filter(isPublic)) need(m.kind === 'method' ? 'method' : 'property', m);
      for (const e of el.events ?? []) need('event (@fires)', e);
      for (const s of el.slots ?? []) need('slot (@slot)', { ...s, name: s.name || '(default)' });
      for (const p of el.cssParts ?? []) need('part (@csspart)', p);
      for (const p of el.cssProperties ?? []) need('CSS custom property (@cssprop)', p);
      for (const e of el.events ?? []) if (!e.name) missing.push('an event without a name');
      assert.deepEqual(missing, [], `<${tag}> lacks docs for: ${missing.join(', ')}`);
      assert.ok((el.attributes ?? []).length + (el.members ?? []).length > 0, `<${tag}> has no documented API at all`);
    });
  }

  it('has an HTMLElementTagNameMap entry for every element', () => {
    const tags = augmented('HTMLElementTagNameMap');
    for (const el of elements) {
      assert.ok(tags.has(el.tagName), `no HTMLElementTagNameMap entry for ${el.tagName}`);
      assert.equal(tags.get(el.tagName).type, el.name, `HTMLElementTagNameMap['${el.tagName}']`);
    }
  });

  it('has an HTMLElementEventMap entry for every event (ours, or the DOM\'s for native ones)', () => {
    const ours = augmented('HTMLElementEventMap');
    const dom = domEvents();
    for (const el of elements) {
      for (const e of el.events ?? []) {
        if (ours.has(e.name)) {
          assert.equal(e.type?.text, ours.get(e.name).type, `<${el.tagName}> ${e.name}: @fires type vs HTMLElementEventMap`);
        } else {
          assert.ok(dom.has(e.name), `<${el.tagName}> fires ${e.name}, which no HTMLElementEventMap declares`);
          assert.equal(e.type?.text, 'Event', `<${el.tagName}> ${e.name} is a native event: type it {Event}`);
        }
      }
    }
    for (const name of ours.keys()) {
      assert.ok(elements.some((el) => el.events?.some((e) => e.name === name)), `HTMLElementEventMap declares ${name}, which no element documents (@fires)`);
    }
  });
});
