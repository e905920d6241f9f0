import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor } from '../../src/api/client.js';
import '../../src/elements/rating-summary/rating-summary.js';
import '../../src/elements/review-list/review-list.js';
import type { RatingSummary } from '../../src/elements/rating-summary/rating-summary.js';
import type { ReviewFilterDetail } from '../../src/shared/events.js';
import { API, faultEndpoint, moderate, queryApi, seedReviews, uniqueId } from './helpers.js';
import './setup.js';

const until = async (fn: () => boolean, message: string | (() => string), timeout = 5000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${typeof message === 'string' ? message : message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A stand-in for review-list: anything with a `filterRating` property can be the target of `for`. */
class FakeList extends HTMLElement {
  filterRating = '';
  /** Simulates the visitor changing the list's own star filter. */
  userFilter(ratings: number[]) {
    const ev = new CustomEvent('review-filter', { detail: { ratings }, bubbles: true, composed: true, cancelable: true });
    if (this.dispatchEvent(ev)) this.filterRating = ratings.join(',');
  }
}
customElements.define('fake-review-list', FakeList);

const root = (el: RatingSummary) => el.shadowRoot!;
const bars = (el: RatingSummary) => [...root(el).querySelectorAll<HTMLButtonElement>('[part="bar"]')];
const labels = (el: RatingSummary) => bars(el).map((b) => b.getAttribute('aria-label'));
const pressed = (el: RatingSummary) => bars(el).map((b) => b.getAttribute('aria-pressed') === 'true');
const clearButton = (el: RatingSummary) => root(el).querySelector<HTMLButtonElement>('[part="clear"]')!;
const clearShown = (el: RatingSummary) => !clearButton(el).inert && getComputedStyle(clearButton(el)).visibility === 'visible';
const text = (el: RatingSummary, part: string) => root(el).querySelector(`[part="${part}"]`)?.textContent!.trim();
const loaded = (el: RatingSummary) => until(() => !root(el).querySelector('.loading') && !!root(el).querySelector('[part="total"], [role="alert"]'), 'summary loaded');
const deepActive = () => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

/** 5,5,5,4,4,3,1 approved (average 27/7 = 3.857) plus a rejected 2-star review. */
async function seedSpread(entity: string) {
  const reviews = await seedReviews(entity, [5, 5, 2, 5, 4, 4, 3, 1].map((rating) => ({ rating })));
  await moderate(reviews[2]!.id, 'REJECTED');
}

async function withFilterTarget(entity: string, listAttrs = '') {
  const id = uniqueId('list');
  const wrap = await fixture(html`<div>
    <button id="before">before</button>
    <rating-summary endpoint=${API} entity-id=${entity} for=${id}></rating-summary>
    <fake-review-list id=${id} data-attrs=${listAttrs}></fake-review-list>
  </div>`);
  const el = wrap.querySelector('rating-summary')!;
  const list = wrap.querySelector('fake-review-list') as FakeList;
  await loaded(el);
  return { wrap, el, list };
}

describe('<rating-summary>', () => {
  describe('data', () => {
    it('shows the average, total, counts and percentages of approved reviews', async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${API} entity-id=${entity}></rating-summary>`);
      await loaded(el);
      expect(text(el, 'average')).to.equal('3.9');
      expect(text(el, 'total')).to.equal('Based on 7 reviews');
      const stars = root(el).querySelector('rating-stars')!;
      await stars.updateComplete;
      expect(stars.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('Rated 3.9 out of 5');
      expect(labels(el)).to.deep.equal([
        '5 stars, 3 reviews, 43%',
        '4 stars, 2 reviews, 29%',
        '3 stars, 1 review, 14%',
        '2 stars, 0 reviews, 0%',
        '1 star, 1 review, 14%',
      ]);
      // Counts and percentages are visible text too, not only bar lengths.
      expect(bars(el).map((b) => [b.querySelector('.value')!.textContent, b.querySelector('.count')!.textContent, b.querySelector('.pct')!.textContent])).to.deep.equal([
        ['5 stars', '3', '(43%)'],
        ['4 stars', '2', '(29%)'],
        ['3 stars', '1', '(14%)'],
        ['2 stars', '0', '(0%)'],
        ['1 star', '1', '(14%)'],
      ]);
      // The bars' drawn lengths are the shares (once they have grown in).
      await Promise.all(root(el).getAnimations().map((a) => a.finished));
      const shares = bars(el).map((b) => b.querySelector('[part="fill"]')!.getBoundingClientRect().width / b.querySelector('[part="track"]')!.getBoundingClientRect().width);
      [3 / 7, 2 / 7, 1 / 7, 0, 1 / 7].forEach((share, i) => expect(shares[i]).to.be.closeTo(share, 0.005));
      expect(pressed(el)).to.deep.equal([false, false, false, false, false]);
      expect(bars(el).every((b) => !b.disabled)).to.equal(true);
      expect(clearShown(el)).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('says "review" for one and formats numbers for the page language', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 4 }]);
      const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${API} entity-id=${entity}></rating-summary>`);
      await loaded(el);
      expect(text(el, 'total')).to.equal('Based on 1 review');
      expect(labels(el)[1]).to.equal('4 stars, 1 review, 100%');
      const wrap = await fixture(html`<div lang="de"><rating-summary endpoint=${API} entity-id=${entity}></rating-summary></div>`);
      const de = wrap.querySelector('rating-summary')!;
      await loaded(de);
      expect(text(de, 'average')).to.equal('4,0');
      expect(de.shadowRoot!.querySelectorAll('.pct')[1]!.textContent).to.equal('(100\u00a0%)');
    });

    it('shares one request with rating-stars badges and a second summary', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 5 }, { rating: 2 }]);
      const client = clientFor(API);
      const before = client.requestCount;
      const wrap = await fixture(html`<div>
        <rating-stars endpoint=${API} entity-id=${entity}></rating-stars>
        <rating-summary endpoint=${API} entity-id=${entity}></rating-summary>
        <rating-stars endpoint=${API} entity-id=${entity}></rating-stars>
      </div>`);
      const el = wrap.querySelector('rating-summary')!;
      await loaded(el);
      const badges = [...wrap.querySelectorAll('rating-stars')];
      const badgeLabel = (b: Element) => b.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label');
      await until(() => badges.every((b) => badgeLabel(b) === 'Rated 3.5 out of 5, 2 reviews'), () => `badges: ${badges.map(badgeLabel)}`);
      expect(client.requestCount - before).to.equal(1);
      const second = document.createElement('rating-summary');
      second.endpoint = API;
      second.entityId = entity;
      wrap.append(second);
      await loaded(second);
      expect(text(second, 'total')).to.equal('Based on 2 reviews');
      expect(client.requestCount - before).to.equal(1);
    });

    it('shows "No reviews yet" with empty, disabled bars', async () => {
      const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${API} entity-id=${uniqueId()}></rating-summary>`);
      await loaded(el);
      expect(text(el, 'total')).to.equal('No reviews yet');
      expect(text(el, 'average')).to.equal('–');
      expect(labels(el)).to.deep.equal(['5 stars, 0 reviews, 0%', '4 stars, 0 reviews, 0%', '3 stars, 0 reviews, 0%', '2 stars, 0 reviews, 0%', '1 star, 0 reviews, 0%']);
      expect(bars(el).map((b) => b.disabled)).to.deep.equal([true, true, true, true, true]);
      expect(root(el).querySelector('rating-stars')!.getAttribute('aria-hidden')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('reserves its final size while loading', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 4 }, { rating: 5 }]);
      const el = await fixture<RatingSummary>(html`<rating-summary style="width: 360px" endpoint=${faultEndpoint('slow-500')} entity-id=${entity}></rating-summary>`);
      expect(root(el).querySelector('[role="status"]')!.textContent).to.equal('Loading ratings');
      expect(bars(el).every((b) => b.disabled)).to.equal(true);
      const height = el.getBoundingClientRect().height;
      expect(height).to.be.greaterThan(150);
      await expect(el).to.be.accessible();
      await loaded(el);
      expect(text(el, 'total')).to.equal('Based on 2 reviews');
      expect(el.getBoundingClientRect().height).to.equal(height);
    });

    it('shows an error with a working Retry', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 3 }]);
      await fetch(faultEndpoint('reset') + '/');
      const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${faultEndpoint('flaky-1')} entity-id=${entity}></rating-summary>`);
      await loaded(el);
      const alert = root(el).querySelector('[role="alert"]')!;
      expect(alert.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Ratings could not be loaded. Retry');
      await expect(el).to.be.accessible();
      alert.querySelector('button')!.click();
      await until(() => text(el, 'total') === 'Based on 1 review', 'loaded after retry');
    });

    it('treats an invalid envelope as an error, never showing raw validation text', async () => {
      const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${faultEndpoint('envelope')} entity-id=${uniqueId()}></rating-summary>`);
      await until(() => !!root(el).querySelector('[role="alert"]'), 'error shown');
      expect(root(el).querySelector('[role="alert"] span')!.textContent).to.equal('Ratings could not be loaded.');
    });

    it('reads the namespace attribute (default stores) and a filter-rating attribute', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 2 }, { rating: 3 }], 'gallery-ns');
      const wrap = await fixture(html`<div>
        <rating-summary endpoint=${API} entity-id=${entity} namespace="gallery-ns" filter-rating="3"></rating-summary>
        <rating-summary endpoint=${API} entity-id=${entity}></rating-summary>
      </div>`);
      const [other, stores] = [...wrap.querySelectorAll('rating-summary')];
      await loaded(other!);
      await loaded(stores!);
      expect(text(other!, 'total')).to.equal('Based on 2 reviews');
      expect(text(other!, 'average')).to.equal('2.5');
      expect(pressed(other!)).to.deep.equal([false, false, true, false, false]);
      expect(text(stores!, 'total')).to.equal('No reviews yet');
    });

    it('loads again when entity-id changes', async () => {
      const [a, b] = [uniqueId(), uniqueId()];
      await seedReviews(a, [{ rating: 1 }]);
      await seedReviews(b, [{ rating: 5 }, { rating: 5 }, { rating: 4 }]);
      const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${API} entity-id=${a}></rating-summary>`);
      await loaded(el);
      expect(labels(el)[4]).to.equal('1 star, 1 review, 100%');
      el.entityId = b;
      await until(() => text(el, 'total') === 'Based on 3 reviews', 'second entity');
      expect(text(el, 'average')).to.equal('4.7');
      expect(labels(el)[0]).to.equal('5 stars, 2 reviews, 67%');
    });
  });

  describe('filtering', () => {
    it('filters the list named by for from the keyboard, and clears', async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const { wrap, el, list } = await withFilterTarget(entity);
      const events: ReviewFilterDetail[] = [];
      wrap.addEventListener('review-filter', (e) => events.push((e as CustomEvent<ReviewFilterDetail>).detail));
      wrap.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(bars(el)[0]);
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(list.filterRating).to.equal('5');
      expect(el.filterRating).to.equal('5');
      expect(pressed(el)).to.deep.equal([true, false, false, false, false]);
      expect(clearShown(el)).to.equal(true);
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(bars(el)[1]);
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(list.filterRating).to.equal('4');
      expect(pressed(el)).to.deep.equal([false, true, false, false, false]);

      // Pressing the pressed bar again clears the filter.
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(list.filterRating).to.equal('');
      expect(pressed(el)).to.deep.equal([false, false, false, false, false]);
      expect(clearShown(el)).to.equal(false);
      expect(events).to.deep.equal([{ ratings: [5] }, { ratings: [4] }, { ratings: [] }]);

      // Clear filter: appears while a filter is active, clears it and keeps focus on the bars.
      bars(el)[4]!.click();
      await el.updateComplete;
      expect(list.filterRating).to.equal('1');
      clearButton(el).focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(list.filterRating).to.equal('');
      expect(clearShown(el)).to.equal(false);
      expect(deepActive()).to.equal(bars(el)[4]);
      expect(events.slice(3)).to.deep.equal([{ ratings: [1] }, { ratings: [] }]);
    });

    it('fires review-filter bubbling, composed and cancelable; canceled leaves the list alone', async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const { el, list } = await withFilterTarget(entity);
      list.filterRating = '3';
      const first = oneEvent(el, 'review-filter');
      bars(el)[0]!.click();
      const ev = (await first) as CustomEvent<ReviewFilterDetail>;
      expect([ev.bubbles, ev.composed, ev.cancelable]).to.deep.equal([true, true, true]);
      expect(ev.detail).to.deep.equal({ ratings: [5] });
      expect(list.filterRating).to.equal('5');

      const veto = (e: Event) => e.preventDefault();
      el.addEventListener('review-filter', veto);
      bars(el)[2]!.click();
      await el.updateComplete;
      expect(list.filterRating).to.equal('5');
      expect(el.filterRating).to.equal('5');
      expect(pressed(el)).to.deep.equal([true, false, false, false, false]);
      el.removeEventListener('review-filter', veto);
    });

    it('never fires on property changes', async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const { el, list } = await withFilterTarget(entity);
      let fired = 0;
      el.addEventListener('review-filter', () => fired++);
      el.filterRating = '2,3';
      await el.updateComplete;
      expect(pressed(el)).to.deep.equal([false, false, true, true, false]);
      expect(clearShown(el)).to.equal(true);
      el.entityId = entity;
      el.htmlFor = list.id;
      await el.updateComplete;
      expect(fired).to.equal(0);
      expect(list.filterRating).to.equal('');
    });

    it("starts from the list's filter, even before the list is upgraded", async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const [a, b] = [uniqueId('list'), uniqueId('list')];
      const wrap = await fixture(html`<div>
        <rating-summary endpoint=${API} entity-id=${entity} for=${a}></rating-summary>
        <not-yet-defined-list id=${a} filter-rating="4,x,5"></not-yet-defined-list>
        <rating-summary endpoint=${API} entity-id=${entity} for=${b}></rating-summary>
      </div>`);
      const [fromAttribute, fromProperty] = [...wrap.querySelectorAll('rating-summary')];
      await loaded(fromAttribute!);
      expect(pressed(fromAttribute!)).to.deep.equal([true, true, false, false, false]);
      // A list added after the summary connected is found on the next update.
      const late = Object.assign(document.createElement('fake-review-list') as FakeList, { id: b, filterRating: '1' });
      wrap.append(late);
      fromProperty!.entityId = `${entity}`;
      fromProperty!.requestUpdate();
      await loaded(fromProperty!);
      expect(pressed(fromProperty!)).to.deep.equal([false, false, false, false, true]);
    });

    it("follows the visitor's filter changes made in the list itself", async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const { wrap, el, list } = await withFilterTarget(entity);
      list.userFilter([3, 2]);
      await until(() => el.filterRating === '2,3', `filterRating was "${el.filterRating}"`);
      await el.updateComplete;
      expect(pressed(el)).to.deep.equal([false, false, true, true, false]);
      expect(clearShown(el)).to.equal(true);
      // A canceled change of the list did not happen.
      const veto = (e: Event) => e.preventDefault();
      document.addEventListener('review-filter', veto);
      list.userFilter([1]);
      document.removeEventListener('review-filter', veto);
      await new Promise((r) => setTimeout(r));
      expect(el.filterRating).to.equal('2,3');
      // Another element's review-filter is not the list's.
      const other = document.createElement('fake-review-list') as FakeList;
      wrap.append(other);
      other.userFilter([5]);
      await new Promise((r) => setTimeout(r));
      expect(el.filterRating).to.equal('2,3');
      // Pressing a bar the list pressed clears the filter.
      bars(el)[2]!.click();
      await el.updateComplete;
      expect(list.filterRating).to.equal('');
      expect(pressed(el)).to.deep.equal([false, false, false, false, false]);
    });

    it('works without for: fires the event and marks the bar', async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${API} entity-id=${entity}></rating-summary>`);
      await loaded(el);
      const ev = oneEvent(el, 'review-filter');
      bars(el)[3]!.click();
      expect(((await ev) as CustomEvent<ReviewFilterDetail>).detail).to.deep.equal({ ratings: [2] });
      await el.updateComplete;
      expect(pressed(el)).to.deep.equal([false, false, false, true, false]);
      expect(el.filterRating).to.equal('2');
    });

    it('finds the list inside the same shadow root', async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const host = await fixture(html`<div></div>`);
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.innerHTML = `<rating-summary endpoint="${API}" entity-id="${entity}" for="reviews"></rating-summary><fake-review-list id="reviews"></fake-review-list>`;
      const el = shadow.querySelector('rating-summary')!;
      await loaded(el);
      bars(el)[1]!.click();
      expect((shadow.getElementById('reviews') as FakeList).filterRating).to.equal('4');
    });
  });

  describe('with <review-list>', () => {
    it('filters the real list and follows its star checkboxes, with one request per distinct query', async () => {
      const entity = uniqueId();
      await seedSpread(entity);
      const client = clientFor(API);
      const before = client.requestCount;
      const wrap = await fixture(html`<div>
        <rating-summary endpoint=${API} entity-id=${entity} for="reviews"></rating-summary>
        <review-list id="reviews" endpoint=${API} entity-id=${entity}></review-list>
      </div>`);
      const el = wrap.querySelector('rating-summary')!;
      const list = wrap.querySelector('review-list')!;
      const shown = () => [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part="review"]')].map((a) => a.dataset.reviewId);
      const truth = async (ratings: number[]) =>
        (await queryApi({ filter: { namespace: 'stores', entityId: entity, 'content.rating': { $in: ratings } }, sort: [{ fieldName: 'createdDate', order: 'DESC' }] }))
          .filter((r) => r.moderation?.moderationStatus === 'APPROVED')
          .map((r) => r.id);
      await loaded(el);
      await until(() => shown().length === 7, () => `list shows ${shown().length}`);
      // The summary (shared with the list's "Showing n of t") and the first page.
      expect(client.requestCount - before).to.equal(2);

      bars(el)[1]!.click();
      expect(list.filterRating).to.equal('4');
      const fours = await truth([4]);
      expect(fours).to.have.length(2);
      await until(() => JSON.stringify(shown()) === JSON.stringify(fours), () => `list shows ${shown()}`);

      // The visitor also ticks "3 stars" in the list's own controls.
      const three = [...list.shadowRoot!.querySelectorAll<HTMLInputElement>('fieldset input[type="checkbox"]')].find((c) => c.value === '3')!;
      three.click();
      await until(() => el.filterRating === '3,4', () => `summary filter "${el.filterRating}"`);
      await el.updateComplete;
      expect(pressed(el)).to.deep.equal([false, true, true, false, false]);
      const threeAndFour = await truth([3, 4]);
      await until(() => JSON.stringify(shown()) === JSON.stringify(threeAndFour), () => `list shows ${shown()}`);

      clearButton(el).click();
      expect(list.filterRating).to.equal('');
      await until(() => shown().length === 7, () => `list shows ${shown().length}`);
      await expect(el).to.be.accessible();
    });
  });
});
