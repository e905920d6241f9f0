/**
 * `review-form attributes="..."`: a star rating per attribute, stored through the Ratings
 * API of the real server once the review exists (checked there with the owner's key).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor } from '../../src/api/client.js';
import type { Rating } from '../../src/api/ratings.js';
import '../../src/elements/review-form/review-form.js';
import type { ReviewForm } from '../../src/elements/review-form/review-form.js';
import type { RatingStars } from '../../src/elements/rating-stars/rating-stars.js';
import { visitorId } from '../../src/shared/visitor.js';
import { API, OWNER_KEY, faultEndpoint, uniqueId } from './helpers.js';
import './setup.js';

const $ = <T extends HTMLElement = HTMLElement>(el: ReviewForm, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const active = (el: ReviewForm) => el.shadowRoot!.activeElement as HTMLElement | null;
const allStars = (el: ReviewForm) => [...el.shadowRoot!.querySelectorAll<RatingStars>('rating-stars')];
const summary = (el: ReviewForm) => [...el.shadowRoot!.querySelectorAll('[part="error-summary"] li')].map(text);
const email = () => `${uniqueId('u')}@example.com`;
const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Clicks star `n` of the rating-stars with this id. */
function rate(el: ReviewForm, id: string, n: number) {
  $<RatingStars>(el, `#${id}`).shadowRoot!.querySelectorAll('input')[n - 1]!.click();
}

async function fill(el: ReviewForm, values: { name: string; email: string; rating: number }) {
  rate(el, 'rating', values.rating);
  for (const key of ['name', 'email'] as const) {
    const input = $<HTMLInputElement>(el, `#${key}`);
    input.value = values[key];
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  await el.updateComplete;
}

/** Every rating of an entity, owner view (with `owner`), oldest first. */
async function storedRatings(entityId: string): Promise<Rating[]> {
  const res = await fetch(`${API}/ratings/v1/ratings/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: OWNER_KEY },
    body: JSON.stringify({ query: { filter: { entityId }, sort: [{ fieldName: 'createdDate', order: 'ASC' }] } }),
  });
  return (await res.json()).ratings;
}

const byName = (ratings: Rating[]) => Object.fromEntries(ratings.map((r) => [r.attributeName, r.value]));

describe('<review-form attributes>', () => {
  it('asks for a labelled, optional star rating per attribute, in page and tab order', async () => {
    const el = await fixture<ReviewForm>(
      html`<review-form endpoint=${API} entity-id=${uniqueId()} attributes="quality, Value ,fit:How it fits, quality, overall, 9lives"></review-form>`,
    );
    const stars = allStars(el);
    // `overall` is the review's own stars and "9lives" is no attribute name: skipped, as is the repeat.
    expect(stars.map((s) => [s.id, s.name, s.label, s.required, s.editable])).to.deep.equal([
      ['rating', 'rating', 'Rating', true, true],
      ['attr-quality', 'attr-quality', 'Quality (optional)', false, true],
      ['attr-value', 'attr-value', 'Value for money (optional)', false, true],
      ['attr-fit', 'attr-fit', 'How it fits (optional)', false, true],
    ]);
    expect(stars.every((s) => s.form === $(el, 'form'))).to.equal(true);
    await expect(el).to.be.accessible();

    // Keyboard: the review's stars, then each attribute, then the title.
    stars[0]!.focus();
    await sendKeys({ press: '4' });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(active(el)!.id);
    }
    expect(order).to.deep.equal(['attr-quality', 'attr-value', 'attr-fit', 'title']);
    stars[2]!.focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(stars.map((s) => s.value)).to.deep.equal([4, 0, 4, 0]);
    expect([...new FormData($<HTMLFormElement>(el, 'form'))].filter(([k]) => k.startsWith('attr-') || k === 'rating')).to.deep.equal([
      ['rating', '4'],
      ['attr-value', '4'],
    ]);
  });

  it('stores each given attribute through the Ratings API, linked to the review', async () => {
    const entity = uniqueId();
    const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} namespace="garden" entity-id=${entity} attributes="quality,value,fit"></review-form>`);
    await fill(el, { rating: 5, name: 'Ada', email: email() });
    rate(el, 'attr-quality', 4);
    rate(el, 'attr-fit', 3);
    await el.updateComplete;
    const submit = oneEvent(el, 'review-submit');
    const submitted = oneEvent(el, 'review-submitted');
    $<HTMLButtonElement>(el, '[part="submit"]').click();
    expect((await submit).detail.ratings).to.deep.equal([
      { attributeName: 'quality', value: 80 },
      { attributeName: 'fit', value: 60 },
    ]);
    const { detail } = await submitted;
    await until(() => Boolean($(el, '#status')), () => 'the thanks');
    expect(text($(el, '#status'))).to.equal('Thanks! Your review is live.');
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    await expect(el).to.be.accessible();

    const ratings = await storedRatings(entity);
    expect(byName(ratings)).to.deep.equal({ quality: 80, fit: 60 });
    for (const r of ratings) {
      expect([r.namespace, r.group, r.entityId, r.relatedEntityIds, r.owner]).to.deep.equal([
        'reviews',
        'garden',
        entity,
        [detail.review.id],
        { anonymousVisitorId: visitorId() },
      ]);
    }
    // "Write another review" starts with no attribute stars either.
    $<HTMLButtonElement>(el, '#status ~ button').click();
    await until(() => Boolean($(el, 'form')), () => 'the form again');
    expect(allStars(el).map((s) => s.value)).to.deep.equal([0, 0, 0, 0]);
  });

  it('with attributes-required, lists and focuses the first unrated attribute', async () => {
    const entity = uniqueId();
    const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity} attributes="quality,fit" attributes-required></review-form>`);
    expect(allStars(el).map((s) => [s.label, s.required])).to.deep.equal([
      ['Rating', true],
      ['Quality', true],
      ['Fit', true],
    ]);
    await fill(el, { rating: 3, name: 'Bo', email: email() });
    rate(el, 'attr-fit', 2);
    await el.updateComplete;
    const before = clientFor(API).requestCount;
    $<HTMLButtonElement>(el, '[part="submit"]').click();
    await el.updateComplete;
    expect(summary(el)).to.deep.equal(['Rate Quality.']);
    await until(() => active(el)?.id === 'attr-quality', () => `focus on ${active(el)?.id}`);
    const field = $(el, '#attr-quality');
    expect([field.getAttribute('aria-invalid'), field.getAttribute('aria-describedby')]).to.deep.equal(['true', 'attr-quality-error']);
    expect(text(el.shadowRoot!.getElementById('attr-quality-error'))).to.equal('Rate Quality.');
    expect(clientFor(API).requestCount).to.equal(before);
    await expect(el).to.be.accessible();

    // Rating it clears the error; then the review and both ratings are sent.
    await sendKeys({ press: '5' });
    await el.updateComplete;
    expect(summary(el)).to.deep.equal([]);
    $<HTMLButtonElement>(el, '[part="submit"]').click();
    await until(() => Boolean($(el, '#status')), () => 'the thanks');
    expect(byName(await storedRatings(entity))).to.deep.equal({ quality: 100, fit: 40 });
  });

  it('keeps the review when a rating cannot be stored, says which, and Retry stores it', async () => {
    await fetch(`${location.origin}/__fault/reset/all`);
    const endpoint = faultEndpoint('flaky-1');
    // Use up the review route's one failure: the review goes through, the first rating does not.
    await fetch(`${endpoint}/reviews/v1/reviews/contact`, { method: 'POST', body: '{}' });
    const entity = uniqueId();
    const el = await fixture<ReviewForm>(html`<review-form endpoint=${endpoint} entity-id=${entity} attributes="quality,value"></review-form>`);
    await fill(el, { rating: 4, name: 'Cy', email: email() });
    rate(el, 'attr-quality', 5);
    rate(el, 'attr-value', 2);
    await el.updateComplete;
    const submitted = oneEvent(el, 'review-submitted');
    $<HTMLButtonElement>(el, '[part="submit"]').click();
    const { detail } = await submitted;
    await until(() => Boolean($(el, '#status')), () => 'the thanks');
    expect(text($(el, '#status'))).to.equal('Thanks! Your review is live.');

    // Exactly one of the two was refused (whichever reached the server first).
    const stored = byName(await storedRatings(entity));
    expect(Object.keys(stored)).to.have.length(1);
    const missing = 'quality' in stored ? 'Value for money' : 'Quality';
    const alert = $(el, '[role="alert"]');
    expect(text(alert.querySelector('span'))).to.equal(`Your review is saved, but your rating for ${missing} could not be saved.`);
    await expect(el).to.be.accessible();

    const retry = alert.querySelector('button')!;
    expect(text(retry)).to.equal('Retry');
    retry.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => !el.shadowRoot!.querySelector('[role="alert"]'), () => 'the alert to go');
    expect(active(el)).to.equal($(el, '#status'));
    const ratings = await storedRatings(entity);
    expect(byName(ratings)).to.deep.equal({ quality: 100, value: 40 });
    expect(ratings.every((r) => r.relatedEntityIds?.[0] === detail.review.id)).to.equal(true);
  });

  it('counts a rating this visitor had already given as stored', async () => {
    const entity = uniqueId();
    // The same visitor rated quality for this product before (one rating per visitor and attribute).
    const earlier = await fetch(`${API}/ratings/v1/ratings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rating: { group: 'stores', entityId: entity, attributeName: 'quality', value: 20, owner: { anonymousVisitorId: visitorId() } } }),
    });
    expect(earlier.status).to.equal(200);
    const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity} attributes="quality,fit"></review-form>`);
    await fill(el, { rating: 5, name: 'Di', email: email() });
    rate(el, 'attr-quality', 5);
    rate(el, 'attr-fit', 5);
    await el.updateComplete;
    $<HTMLButtonElement>(el, '[part="submit"]').click();
    await until(() => Boolean($(el, '#status')), () => 'the thanks');
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(byName(await storedRatings(entity))).to.deep.equal({ quality: 20, fit: 100 });
  });

  it('keeps the attribute stars in the saved draft', async () => {
    const entity = uniqueId();
    const first = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity} attributes="quality,fit"></review-form>`);
    rate(first, 'attr-fit', 3);
    await first.updateComplete;
    first.remove();
    const again = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity} attributes="quality,fit"></review-form>`);
    expect(allStars(again).map((s) => s.value)).to.deep.equal([0, 0, 3]);
  });
});
