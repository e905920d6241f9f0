import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor } from '../../src/api/client.js';
import '../../src/elements/rating-stars/rating-stars.js';
import type { RatingStars } from '../../src/elements/rating-stars/rating-stars.js';
import { API, faultEndpoint, seedReviews, uniqueId } from './helpers.js';
import './setup.js';

const label = (el: RatingStars) => el.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label');
const radios = (el: RatingStars) => [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
const until = async (fn: () => boolean, message: string, timeout = 5000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('<rating-stars>', () => {
  describe('display mode', () => {
    it('labels the value once, as an image, with the count', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars value="4.26" count="123"></rating-stars>`);
      expect(label(el)).to.equal('Rated 4.3 out of 5, 123 reviews');
      expect(el.shadowRoot!.querySelectorAll('[role="img"]')).to.have.length(1);
      expect(el.shadowRoot!.querySelector('[part="count"]')!.textContent).to.equal('(123)');
      await expect(el).to.be.accessible();
    });

    it('says "review" for one and omits the count when not given', async () => {
      const one = await fixture<RatingStars>(html`<rating-stars value="5" count="1"></rating-stars>`);
      expect(label(one)).to.equal('Rated 5.0 out of 5, 1 review');
      const none = await fixture<RatingStars>(html`<rating-stars value="3"></rating-stars>`);
      expect(label(none)).to.equal('Rated 3.0 out of 5');
      expect(none.shadowRoot!.querySelector('[part="count"]')).to.equal(null);
    });

    it('fills stars to one decimal and clamps out-of-range values', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars value="3.75"></rating-stars>`);
      const filled = el.shadowRoot!.querySelector<HTMLElement>('.row.filled')!;
      expect(filled.style.inlineSize).to.equal('76%');
      el.value = 9;
      await el.updateComplete;
      expect(filled.style.inlineSize).to.equal('100%');
      expect(label(el)).to.equal('Rated 5.0 out of 5');
      el.value = -2;
      await el.updateComplete;
      expect(filled.style.inlineSize).to.equal('0%');
    });

    it('honours max', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars value="7" max="10"></rating-stars>`);
      expect(label(el)).to.equal('Rated 7.0 out of 10');
      expect(el.shadowRoot!.querySelectorAll('.row.empty svg')).to.have.length(10);
    });

    it('formats numbers for the page language', async () => {
      const wrap = await fixture(html`<div lang="de"><rating-stars value="4.5" count="1234"></rating-stars></div>`);
      const el = wrap.querySelector('rating-stars')!;
      await el.updateComplete;
      expect(label(el)).to.equal('Rated 4,5 out of 5, 1.234 reviews');
    });

    it('is not a form control in display mode and has no focusable parts', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><rating-stars name="r" value="4"></rating-stars></form>`);
      expect([...new FormData(form).keys()]).to.deep.equal([]);
      const el = form.querySelector('rating-stars')!;
      expect(el.shadowRoot!.querySelector('input, button')).to.equal(null);
    });
  });

  describe('entity mode', () => {
    it('loads the entity average and count from the server', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 5 }, { rating: 4 }, { rating: 4 }]);
      const el = await fixture<RatingStars>(html`<rating-stars endpoint=${API} entity-id=${entity}></rating-stars>`);
      await until(() => label(el) === 'Rated 4.3 out of 5, 3 reviews', `label was "${label(el)}"`);
      await expect(el).to.be.accessible();
    });

    it('says so when an entity has no reviews', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars endpoint=${API} entity-id=${uniqueId()}></rating-stars>`);
      await until(() => label(el) === 'No reviews yet', `label was "${label(el)}"`);
      expect(el.shadowRoot!.querySelector('[part="count"]')!.textContent).to.equal('(0)');
    });

    it('reads the page-level endpoint from the meta tag', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 2 }]);
      const meta = document.createElement('meta');
      meta.name = 'storefront-reviews:endpoint';
      meta.content = API;
      document.head.append(meta);
      try {
        const el = await fixture<RatingStars>(html`<rating-stars entity-id=${entity}></rating-stars>`);
        await until(() => label(el) === 'Rated 2.0 out of 5, 1 review', `label was "${label(el)}"`);
      } finally {
        meta.remove();
      }
    });

    it('batches a product grid of 24 badges into one averages request', async () => {
      const ids = Array.from({ length: 24 }, () => uniqueId('g'));
      await seedReviews(ids[3]!, [{ rating: 3 }]);
      const endpoint = `${API}/`; // a distinct spelling still maps to the same client
      const client = clientFor(API);
      const before = client.requestCount;
      const grid = await fixture(html`<div>${ids.map((id) => html`<rating-stars endpoint=${endpoint} entity-id=${id}></rating-stars>`)}</div>`);
      const stars = [...grid.querySelectorAll('rating-stars')];
      await until(() => stars.every((s) => !label(s)!.startsWith('Loading')), 'all badges loaded');
      expect(client.requestCount - before).to.equal(1);
      expect(label(stars[3]!)).to.equal('Rated 3.0 out of 5, 1 review');
      const averages = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith('/attributes/average'));
      expect(averages.length).to.be.greaterThan(0);
    });

    it('shows an error with a working Retry when the endpoint fails', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 4 }]);
      const el = await fixture<RatingStars>(html`<rating-stars endpoint=${faultEndpoint('flaky-1')} entity-id=${entity}></rating-stars>`);
      await until(() => label(el) === 'Rating unavailable', `label was "${label(el)}"`);
      await expect(el).to.be.accessible();
      el.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
      await until(() => label(el) === 'Rated 4.0 out of 5, 1 review', `label was "${label(el)}"`);
    });
  });

  describe('input mode', () => {
    it('is a labelled radio group', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars editable label="Your rating"></rating-stars>`);
      const fieldset = el.shadowRoot!.querySelector('fieldset')!;
      expect(fieldset.querySelector('legend')!.textContent).to.equal('Your rating');
      expect(radios(el).map((r) => r.labels![0]!.textContent!.trim())).to.deep.equal(['1 star', '2 stars', '3 stars', '4 stars', '5 stars']);
      await expect(el).to.be.accessible();
    });

    it('takes part in a form: value, reset and required', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><rating-stars editable name="rating" value="2" required></rating-stars></form>`);
      const el = form.querySelector('rating-stars')!;
      await el.updateComplete;
      expect(new FormData(form).get('rating')).to.equal('2');
      radios(el)[3]!.click();
      await el.updateComplete;
      expect(new FormData(form).get('rating')).to.equal('4');
      form.reset();
      await el.updateComplete;
      expect(el.value).to.equal(2);
      el.value = 0;
      await el.updateComplete;
      expect(form.checkValidity()).to.equal(false);
      expect(el.validity.valueMissing).to.equal(true);
      expect(el.validationMessage).to.equal('Choose a rating.');
      expect(new FormData(form).has('rating')).to.equal(false);
    });

    it('is skipped by a disabled fieldset', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><fieldset disabled><rating-stars editable name="r" value="3"></rating-stars></fieldset></form>`);
      const el = form.querySelector('rating-stars')!;
      await el.updateComplete;
      expect(new FormData(form).has('r')).to.equal(false);
      expect(el.shadowRoot!.querySelector('fieldset')!.disabled).to.equal(true);
    });

    it('fires input and change on click, and nothing on programmatic changes', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars editable></rating-stars>`);
      let inputs = 0;
      let changes = 0;
      el.addEventListener('input', () => inputs++);
      el.addEventListener('change', () => changes++);
      el.value = 3;
      await el.updateComplete;
      expect([inputs, changes]).to.deep.equal([0, 0]);
      const change = oneEvent(el, 'change');
      radios(el)[4]!.click();
      await change;
      expect(el.value).to.equal(5);
      expect([inputs, changes]).to.deep.equal([1, 1]);
    });

    it('supports arrows, Home, End and digits from the keyboard', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars editable value="3"></rating-stars>`);
      el.focus();
      await sendKeys({ press: 'ArrowRight' });
      expect(el.value).to.equal(4);
      await sendKeys({ press: 'ArrowLeft' });
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.value).to.equal(2);
      await sendKeys({ press: 'End' });
      expect(el.value).to.equal(5);
      await sendKeys({ press: 'Home' });
      expect(el.value).to.equal(1);
      await sendKeys({ press: '4' });
      expect(el.value).to.equal(4);
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal(radios(el)[3]);
    });

    it('flips left and right in right-to-left pages', async () => {
      const wrap = await fixture(html`<div dir="rtl"><rating-stars editable value="3"></rating-stars></div>`);
      const el = wrap.querySelector('rating-stars')!;
      await el.updateComplete;
      el.focus();
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.value).to.equal(4);
      await sendKeys({ press: 'ArrowRight' });
      expect(el.value).to.equal(3);
    });

    it('previews on hover without changing the value', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars editable value="1"></rating-stars>`);
      const labels = el.shadowRoot!.querySelectorAll('label');
      labels[3]!.dispatchEvent(new PointerEvent('pointerenter'));
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('label.on')).to.have.length(4);
      expect(el.value).to.equal(1);
      el.shadowRoot!.querySelector('fieldset')!.dispatchEvent(new PointerEvent('pointerleave'));
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('label.on')).to.have.length(1);
    });

    it('ignores input when disabled', async () => {
      const el = await fixture<RatingStars>(html`<rating-stars editable disabled value="2"></rating-stars>`);
      radios(el)[4]!.click();
      await el.updateComplete;
      expect(el.value).to.equal(2);
      await expect(el).to.be.accessible();
    });
  });
});
