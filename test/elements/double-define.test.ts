// A page may load the widgets more than once: an element module twice (two copies of the
// package in an app's dependencies), or the npm modules and the script-tag bundle
// together. None of that may throw; the first definition of each tag stays in use.
// Here the npm modules come first (their sources, as the npm build compiles them one to
// one); build.test.ts covers the other order (the script-tag bundle first).
import { expect, fixture, html } from '@open-wc/testing';
import './setup.js';

/** The script-tag build, made from the current sources by web-test-runner.config.mjs. */
const DIST = '/__dist';
type Bundle = { RatingStars: CustomElementConstructor };
const TAGS = ['rating-stars', 'rating-summary', 'review-list', 'most-helpful', 'media-gallery', 'media-lightbox', 'review-form'];

const pageErrors: string[] = [];
addEventListener('error', (e) => pageErrors.push(e.message));
addEventListener('unhandledrejection', (e) => pageErrors.push(String(e.reason)));

// What `import 'storefront-reviews'` loads, before anything else defines the tags.
const npm = await import('../../src/index.js');
const first = new Map(TAGS.map((tag) => [tag, customElements.get(tag)]));

const starsLabel = (el: Element) => el.shadowRoot!.querySelector('[role="img"]')?.getAttribute('aria-label');

function expectFirstDefinitions() {
  for (const tag of TAGS) expect(customElements.get(tag), tag).to.equal(first.get(tag));
}

describe('loading the widgets twice', () => {
  it('defines every element from the npm modules', () => {
    for (const tag of TAGS) expect(first.get(tag), tag).to.be.a('function');
    expect(customElements.get('rating-stars')).to.equal(npm.RatingStars);
  });

  it('does not throw when an element module is evaluated again (a second copy)', async () => {
    // A query string makes the browser evaluate the module again: a second RatingStars
    // class that calls define('rating-stars', ...) once more. (The test server serves the
    // TypeScript sources under their .ts names.)
    const copy = await import(/* @vite-ignore */ `${new URL('../../src/elements/rating-stars/rating-stars.ts', import.meta.url).pathname}?copy`);
    expect(copy.RatingStars).to.be.a('function');
    expect(copy.RatingStars).not.to.equal(npm.RatingStars);
    expectFirstDefinitions();
    const el = await fixture(html`<rating-stars value="4"></rating-stars>`);
    expect(el).to.be.instanceOf(npm.RatingStars);
    expect(starsLabel(el)).to.equal('Rated 4.0 out of 5');
  });

  it('does not throw when the script-tag bundle is loaded after the npm modules', async () => {
    const bundle = (await import(/* @vite-ignore */ `${DIST}/storefront-reviews.js`)) as Bundle;
    expect(bundle.RatingStars).to.be.a('function');
    expect(bundle.RatingStars).not.to.equal(npm.RatingStars);
    expectFirstDefinitions();
  });

  it('does not throw when a per-element script-tag file is loaded as well', async () => {
    await import(/* @vite-ignore */ `${DIST}/cdn/rating-stars.js`);
    await import(/* @vite-ignore */ `${DIST}/cdn/review-form.js`);
    expectFirstDefinitions();
  });

  it('keeps the first definitions working', async () => {
    const el = await fixture(html`<rating-stars value="2" count="7"></rating-stars>`);
    expect(el).to.be.instanceOf(npm.RatingStars);
    expect(starsLabel(el)).to.equal('Rated 2.0 out of 5, 7 reviews');
    const form = await fixture(html`<review-form entity-id="double-define"></review-form>`);
    expect(form).to.be.instanceOf(npm.ReviewForm);
    expect(form.shadowRoot!.querySelector('form')).to.exist;
  });

  it('reported no error on the page', () => {
    expect(pageErrors).to.deep.equal([]);
  });
});
