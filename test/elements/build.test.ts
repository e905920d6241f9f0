// The script-tag build (dist/storefront-reviews.js, built from the current sources by
// web-test-runner.config.mjs and served under /__dist/) on a page of its own: it defines
// every element, they work against the real server, and loading the widgets a second
// time (the npm modules, or the bundle again) does not throw.
import { expect, fixture, html } from '@open-wc/testing';
import { API, seedReviews, uniqueId } from './helpers.js';
import './setup.js';

const BUNDLE = '/__dist/storefront-reviews.js';
const TAGS = {
  'rating-stars': 'RatingStars',
  'rating-summary': 'RatingSummary',
  'review-list': 'ReviewList',
  'most-helpful': 'MostHelpful',
  'media-gallery': 'MediaGallery',
  'media-lightbox': 'MediaLightbox',
  'review-form': 'ReviewForm',
} as const;

type Bundle = Record<(typeof TAGS)[keyof typeof TAGS], CustomElementConstructor>;
// Imported before anything from src/, so the page's elements are the bundle's.
const bundle = (await import(/* @vite-ignore */ BUNDLE)) as Bundle;

const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const headings = (el: Element) => [...el.shadowRoot!.querySelectorAll('[part="review"] [role="heading"]')].map((h) => h.textContent!.trim());
const starsLabel = (el: Element) => el.shadowRoot!.querySelector('[role="img"]')?.getAttribute('aria-label');

function expectBundleElements() {
  for (const [tag, name] of Object.entries(TAGS)) {
    expect(customElements.get(tag), tag).to.equal(bundle[name]);
  }
}

describe('dist/storefront-reviews.js', () => {
  it('defines every element', () => {
    expectBundleElements();
  });

  it('shows reviews and ratings from the real server', async () => {
    const entity = uniqueId('dist');
    await seedReviews(entity, [
      { rating: 5, title: 'First' },
      { rating: 4, title: 'Second' },
    ]);
    const page = await fixture(html`<div>
      <rating-stars endpoint=${API} entity-id=${entity}></rating-stars>
      <review-list endpoint=${API} entity-id=${entity}></review-list>
    </div>`);
    const stars = page.querySelector('rating-stars')!;
    const list = page.querySelector('review-list')!;
    await until(() => headings(list).length === 2, () => `headings were ${JSON.stringify(headings(list))}`);
    expect(headings(list)).to.deep.equal(['Second', 'First']);
    await until(() => starsLabel(stars) === 'Rated 4.5 out of 5, 2 reviews', () => `label was "${starsLabel(stars)}"`);
    expect(list).to.be.instanceOf(bundle.ReviewList);
    await expect(list).to.be.accessible();
  });

  it('keeps its elements when the npm modules are loaded on the same page', async () => {
    const src = await import('../../src/index.js');
    expectBundleElements();
    expect(src.ReviewList).not.to.equal(bundle.ReviewList);
    const el = await fixture(html`<rating-stars value="3"></rating-stars>`);
    expect(el).to.be.instanceOf(bundle.RatingStars);
    expect(starsLabel(el)).to.equal('Rated 3.0 out of 5');
  });

  it('can be loaded twice', async () => {
    const again = (await import(/* @vite-ignore */ `${BUNDLE}?again`)) as Bundle;
    expect(again.ReviewList).not.to.equal(bundle.ReviewList);
    expectBundleElements();
  });
});
