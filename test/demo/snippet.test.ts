/**
 * The demo's manifest reading and code snippets, as plain functions (the browser test in
 * demo.test.ts checks them in the running demo).
 *
 * Run: node --import tsx --test test/demo/snippet.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { REVIEW_SORTS } from '../../src/api/client.js';
import { controlTypeOf, elementsOf, parseDefault, type ElementDoc } from '../../demo/manifest.js';
import { htmlSnippet, reactSnippet, vueSnippet, type SnippetElement } from '../../demo/snippet.js';

describe('demo manifest', () => {
  it('maps attribute types to controls', () => {
    assert.deepEqual(controlTypeOf('boolean'), { kind: 'boolean' });
    assert.deepEqual(controlTypeOf('number'), { kind: 'number' });
    assert.deepEqual(controlTypeOf('number | undefined'), { kind: 'number' });
    assert.deepEqual(controlTypeOf('string'), { kind: 'string' });
    assert.deepEqual(controlTypeOf('string | null'), { kind: 'string' });
    assert.deepEqual(controlTypeOf("'list' | 'carousel'"), { kind: 'enum', options: ['list', 'carousel'] });
    assert.deepEqual(controlTypeOf(`"a|b" | 'c'`), { kind: 'enum', options: ['a|b', 'c'] });
    // Named unions the analyzer leaves unexpanded resolve from the sources.
    assert.deepEqual(controlTypeOf('ReviewSort'), { kind: 'enum', options: REVIEW_SORTS });
    assert.deepEqual(controlTypeOf('AuthorDisplay | undefined'), { kind: 'enum', options: ['full', 'initial'] });
    // Anything else is edited as text.
    assert.deepEqual(controlTypeOf('Unknown'), { kind: 'string' });
    assert.deepEqual(controlTypeOf("'a' | number"), { kind: 'string' });
    assert.deepEqual(controlTypeOf('Map<string, A | B>'), { kind: 'string' });
  });

  it('reads literal defaults', () => {
    assert.equal(parseDefault("'newest'"), 'newest');
    assert.equal(parseDefault('"x"'), 'x');
    assert.equal(parseDefault("''"), '');
    assert.equal(parseDefault('10'), 10);
    assert.equal(parseDefault('-1.5'), -1.5);
    assert.equal(parseDefault('false'), false);
    assert.equal(parseDefault('someConstant'), undefined);
    assert.equal(parseDefault(undefined), undefined);
  });

  it('finds every element of custom-elements.json with its attributes and events', () => {
    const elements = elementsOf(JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8')));
    for (const tag of ['rating-stars', 'rating-summary', 'review-list', 'most-helpful', 'media-gallery', 'review-form']) {
      assert.ok(elements.has(tag), tag);
    }
    const list = elements.get('review-list')!;
    assert.equal(list.className, 'ReviewList');
    const sort = list.attributes.find((a) => a.name === 'sort')!;
    assert.equal(sort.field, 'sort');
    assert.equal(sort.default, 'newest');
    assert.deepEqual(sort.control, { kind: 'enum', options: REVIEW_SORTS });
    assert.deepEqual(list.attributes.find((a) => a.name === 'page-size'), { ...list.attributes.find((a) => a.name === 'page-size')!, field: 'pageSize', default: 10, control: { kind: 'number' } });
    assert.ok(list.events.some((e) => e.name === 'review-vote'));
    assert.equal(elements.get('rating-summary')!.attributes.find((a) => a.name === 'for')!.field, 'htmlFor');
  });

  it('takes the tag from a custom-element-definition export when the declaration has none', () => {
    const elements = elementsOf({
      schemaVersion: '1.0.0',
      modules: [
        {
          kind: 'javascript-module',
          path: 'src/x.ts',
          declarations: [{ kind: 'class', name: 'XThing', customElement: true, attributes: [{ name: 'big-mode', type: { text: 'boolean' } }] }],
          exports: [{ kind: 'custom-element-definition', name: 'x-thing', declaration: { name: 'XThing', module: 'src/x.ts' } }],
        },
      ],
    });
    const x = elements.get('x-thing')!;
    assert.equal(x.className, 'XThing');
    assert.deepEqual(x.attributes[0], { name: 'big-mode', field: 'bigMode', typeText: 'boolean', control: { kind: 'boolean' }, description: '' });
  });

  it('refuses a manifest of the wrong shape', () => {
    assert.throws(() => elementsOf({ modules: 'nope' }));
    assert.throws(() => elementsOf({ modules: [{ path: 1 }] }));
  });
});

describe('demo snippets', () => {
  const doc = (tag: string, className: string, attributes: ElementDoc['attributes'], events: ElementDoc['events'] = []): ElementDoc => ({
    tag,
    className,
    summary: '',
    description: '',
    attributes,
    events,
    slots: [],
    cssParts: [],
    cssProperties: [],
  });
  const attr = (name: string, field: string, kind: 'string' | 'number' | 'boolean') => ({
    name,
    field,
    typeText: kind,
    control: { kind } as const,
    description: '',
  });
  const entity = attr('entity-id', 'entityId', 'string');
  const size = attr('page-size', 'pageSize', 'number');
  const bare = attr('no-controls', 'noControls', 'boolean');
  const list = doc('review-list', 'ReviewList', [entity, size, bare], [{ name: 'review-vote', type: 'CustomEvent', description: '' }, { name: 'change', type: 'Event', description: '' }]);
  const el: SnippetElement = {
    doc: list,
    values: [
      { attr: entity, value: 'tee "classic" & co' },
      { attr: size, value: 3 },
      { attr: bare, value: true },
    ],
  };

  it('writes HTML with the script tag, the endpoint and escaped attributes', () => {
    const code = htmlSnippet([el], 'https://api.example');
    assert.match(code, /<script type="module" src="\/storefront-reviews\.js"><\/script>/);
    assert.match(code, /<meta name="storefront-reviews:endpoint" content="https:\/\/api\.example" \/>/);
    assert.match(code, /<review-list\s+entity-id="tee &quot;classic&quot; &amp; co"\s+page-size="3"\s+no-controls\s*><\/review-list>/);
  });

  it('writes React with typed props, event props and JSON for awkward strings', () => {
    const code = reactSnippet([el], 'https://api.example');
    assert.match(code, /^import \{ ReviewList \} from 'storefront-reviews\/react';/);
    assert.match(code, /entityId=\{"tee \\"classic\\" & co"\}/);
    assert.match(code, /pageSize=\{3\}/);
    assert.match(code, /\n\s+noControls\n/);
    assert.match(code, /onReviewVote=\{\(event\) => console\.log\('review-vote', event\.detail\)\}/);
    assert.match(code, /onChange=\{\(event\) => console\.log\('change', event\.target\)\}/);
    assert.doesNotMatch(code, /CSSProperties/);
  });

  it('writes React for several elements as a fragment, with inline custom properties', () => {
    const stars = doc('rating-stars', 'RatingStars', [entity]);
    const code = reactSnippet([el, { doc: stars, values: [{ attr: entity, value: 'x' }], id: 'a', style: '--rating-stars-size: 2rem; color: red' }], '');
    assert.match(code, /import \{ ReviewList, RatingStars \} from 'storefront-reviews\/react';\nimport type \{ CSSProperties \} from 'react';/);
    assert.match(code, /<>\n\s+<ReviewList[\s\S]*<RatingStars\s+id="a"\s+entityId="x"\s+style=\{\{ '--rating-stars-size': "2rem", 'color': "red" \} as CSSProperties\}\s+\/>\n\s+<\/>/);
  });

  it('writes Vue with bound numbers and booleans and one handler per event', () => {
    const code = vueSnippet([el, el], 'https://api.example');
    assert.match(code, /import 'storefront-reviews';/);
    assert.match(code, /isCustomElement/);
    assert.match(code, /entity-id="tee &quot;classic&quot; &amp; co"/);
    assert.match(code, /:page-size="3"/);
    assert.match(code, /:no-controls="true"/);
    assert.match(code, /@review-vote="onReviewVote"/);
    assert.equal(code.match(/function onReviewVote\(event: Event\)/g)?.length, 1);
    assert.match(code, /console\.log\('review-vote', \(event as CustomEvent\)\.detail\)/);
  });

  it('keeps short tags on one line and breaks long ones per attribute', () => {
    const short = htmlSnippet([{ doc: list, values: [{ attr: size, value: 3 }] }], '');
    assert.match(short, /\n<review-list page-size="3"><\/review-list>\n$/);
    const long = htmlSnippet([{ doc: list, values: [{ attr: entity, value: 'x'.repeat(80) }, { attr: size, value: 3 }] }], '');
    assert.match(long, /\n<review-list\n {2}entity-id="x+"\n {2}page-size="3"\n><\/review-list>\n$/);
  });
});
