// The standalone dist/cdn/rating-stars.js (built by web-test-runner.config.mjs, served
// under /__dist/), which checks averages without zod (src/api/checks.lite.ts): badges
// load their averages from the real server, batched, and refuse a malformed response.
import { expect, fixture, html } from '@open-wc/testing';
import { API, faultEndpoint, seedReviews, uniqueId } from './helpers.js';
import './setup.js';

const FILE = '/__dist/cdn/rating-stars.js';
const { RatingStars } = (await import(/* @vite-ignore */ FILE)) as { RatingStars: CustomElementConstructor };

const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const label = (el: Element) => el.shadowRoot!.querySelector('[role="img"]')?.getAttribute('aria-label') ?? '';
const averageRequests = () => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/attributes/average')).length;

describe('dist/cdn/rating-stars.js', () => {
  it('defines rating-stars', () => {
    expect(customElements.get('rating-stars')).to.equal(RatingStars);
  });

  it('shows averages from the real server, a grid of badges in one request', async () => {
    const ids = [uniqueId('cdn'), uniqueId('cdn'), uniqueId('cdn')];
    await seedReviews(ids[0]!, [{ rating: 5 }, { rating: 4 }]);
    await seedReviews(ids[2]!, [{ rating: 2 }]);
    const before = averageRequests();
    const grid = await fixture(html`<div>${ids.map((id) => html`<rating-stars endpoint=${API} entity-id=${id}></rating-stars>`)}</div>`);
    const badges = [...grid.querySelectorAll('rating-stars')];
    await until(() => badges.every((b) => !label(b).startsWith('Loading')), () => badges.map(label).join(' | '));
    expect(badges.map(label)).to.deep.equal(['Rated 4.5 out of 5, 2 reviews', 'No reviews yet', 'Rated 2.0 out of 5, 1 review']);
    await until(() => averageRequests() > before, () => 'the averages request to be recorded');
    expect(averageRequests() - before).to.equal(1);
    await expect(badges[0]!).to.be.accessible();
  });

  it('says the rating is unavailable when the response has the wrong shape', async () => {
    const el = await fixture(html`<rating-stars endpoint=${faultEndpoint('envelope')} entity-id=${uniqueId()}></rating-stars>`);
    await until(() => label(el) === 'Rating unavailable', () => `label was "${label(el)}"`);
  });

  it('works as a form input', async () => {
    const form = await fixture<HTMLFormElement>(html`<form><rating-stars editable name="rating" value="4"></rating-stars></form>`);
    await (form.querySelector('rating-stars') as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(new FormData(form).get('rating')).to.equal('4');
  });
});
