/**
 * `review-form review-request="<id>" token="<token>"`: the review page of a review request
 * e-mail, against the real server. Each test builds its catalog, order and request with
 * the owner's routes, sends it (`send-due`) and reads the link from the outbox message,
 * as the customer's e-mail would give it.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor } from '../../src/api/client.js';
import type { Review } from '../../src/api/schema.js';
import '../../src/elements/review-form/review-form.js';
import type { ReviewForm } from '../../src/elements/review-form/review-form.js';
import type { RatingStars } from '../../src/elements/rating-stars/rating-stars.js';
import { API, OWNER_KEY, faultEndpoint, uniqueId, uploadImage } from './helpers.js';
import './setup.js';

const $ = <T extends HTMLElement = HTMLElement>(el: ReviewForm, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const active = (el: ReviewForm) => el.shadowRoot!.activeElement as HTMLElement | null;
const items = (el: ReviewForm) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="item"]')];
const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const loaded = (el: ReviewForm) => until(() => items(el).length > 0 || Boolean($(el, '[role="alert"]')), () => 'the request form');

async function api(method: string, path: string, body?: unknown, owner = true): Promise<{ status: number; body: any }> {
  const res = await fetch(API + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(owner ? { Authorization: OWNER_KEY } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function ok(method: string, path: string, body?: unknown): Promise<any> {
  const res = await api(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

interface SentRequest {
  id: string;
  token: string;
  /** The link of the outbox message. */
  link: string;
  products: { id: string; name: string; imageUrl: string | null }[];
  customer: string;
}

/**
 * A SENT review request for a new order of `count` new products (the first with an
 * image), and the link its outbox message carries.
 */
async function sentRequest(count = 2): Promise<SentRequest> {
  const image = await uploadImage('#6a8f3a');
  const products = Array.from({ length: count }, (_, i) => ({
    id: uniqueId(`rq${i}`),
    name: `${['Linen Apron', 'Oak Spoon', 'Tea Towel'][i]} ${uniqueId('n').slice(-5)}`,
    imageUrl: i === 0 ? new URL(image.url, API).href : null,
  }));
  await ok('PUT', '/reviews/v2/store/products', {
    products: products.map((p, i) => ({ id: p.id, name: p.name, price: { amount: `${30 - i}.00`, currency: 'EUR' }, imageUrl: p.imageUrl })),
  });
  const customer = `Rhea ${uniqueId('c').slice(-5)}`;
  const orders = await ok('PUT', '/reviews/v2/store/orders', {
    orders: [{ id: uniqueId('order'), number: Math.floor(Math.random() * 1e6), contact: { email: `${uniqueId('rq')}@example.com`, name: customer }, items: products.map((p) => ({ catalogItemId: p.id })) }],
  });
  const order = orders.results[0].item;
  const { reviewRequest } = await ok('POST', '/reviews/v2/review-requests', {
    reviewRequest: { order: { id: order.id }, recipient: { contactId: order.contactId }, communicationChannel: 'EMAIL' },
  });
  await ok('POST', '/reviews/v2/review-requests/send-due', {});
  const { messages } = await ok('GET', `/reviews/v2/outbox?reviewRequestId=${reviewRequest.id}`);
  expect(messages).to.have.length(1);
  const link = new URL(messages[0].reviewUrl);
  expect(link.pathname).to.equal('/review-request.html');
  expect(link.searchParams.get('reviewRequest')).to.equal(reviewRequest.id);
  return { id: reviewRequest.id, token: link.searchParams.get('token')!, link: link.href, products, customer };
}

/** The review form a link opens. */
function open(r: Pick<SentRequest, 'id' | 'token'>, endpoint = API, extra = '') {
  const el = document.createElement('review-form');
  el.endpoint = endpoint;
  el.reviewRequest = r.id;
  el.token = r.token;
  if (extra) el.setAttribute('attributes', extra);
  return fixture<ReviewForm>(html`<div>${el}</div>`).then(() => el);
}

async function reviewOf(id: string): Promise<Review> {
  return (await ok('GET', `/reviews/v1/reviews/${id}`)).review;
}

function rate(el: ReviewForm, id: string, n: number) {
  $<RatingStars>(el, `#${id}`)!.shadowRoot!.querySelectorAll('input')[n - 1]!.click();
}

describe('<review-form review-request>', () => {
  describe('a link from an e-mail', () => {
    it('shows each product and writes a verified review per product, linked to the request', async () => {
      const r = await sentRequest(2);
      const el = await open(r);
      expect(text($(el, '[part="heading"]'))).to.equal('Review your order');
      expect(text($(el, '[role="status"]'))).to.equal('Loading your order…');
      await expect(el).to.be.accessible();
      await loaded(el);

      // Each product: its name as a heading, and its image beside it as decoration (alt
      // text repeating the heading would be read twice).
      const [first, second] = items(el);
      const heading = (li: Element) => li.querySelector('[role="heading"]')!;
      expect([text(heading(first!)), heading(first!).getAttribute('aria-level')]).to.deep.equal([r.products[0]!.name, '3']);
      expect(text(heading(second!))).to.equal(r.products[1]!.name);
      const img = first!.querySelector<HTMLImageElement>('[part="thumbnail"]')!;
      expect([img.getAttribute('alt'), img.src]).to.deep.equal(['', r.products[0]!.imageUrl]);
      expect(second!.querySelector('img')).to.equal(null);
      // No name or e-mail: the request knows the customer. One labelled form per product.
      expect([$(el, '#name'), $(el, '#email'), $(el, '#photos')]).to.deep.equal([null, null, null]);
      const forms = items(el).map((li) => li.querySelector('form')!);
      expect(forms.map((f) => el.shadowRoot!.getElementById(f.getAttribute('aria-labelledby')!)?.textContent)).to.deep.equal(r.products.map((p) => p.name));
      expect([...first!.querySelectorAll('label')].map(text)).to.deep.equal(['Title (optional)', 'Your review (optional)']);
      await expect(el).to.be.accessible();

      // The first product, entirely with the keyboard.
      $(el, '#i0-rating')!.focus();
      await sendKeys({ press: '5' });
      await sendKeys({ press: 'Tab' });
      expect(active(el)?.id).to.equal('i0-title');
      await sendKeys({ type: 'Lovely apron' });
      await sendKeys({ press: 'Tab' });
      expect(active(el)?.id).to.equal('i0-body');
      await sendKeys({ type: 'Thick linen, long ties.' });
      await sendKeys({ press: 'Tab' });
      expect(text(active(el))).to.equal('Submit review');
      const submitted = oneEvent(el, 'review-submitted');
      await sendKeys({ press: 'Enter' });
      const { detail, bubbles, composed } = await submitted;
      expect([bubbles, composed, detail.published]).to.deep.equal([true, true, true]);
      expect(detail.review).to.deep.include({ entityId: r.products[0]!.id, namespace: 'stores', verified: true });
      expect(detail.review.content).to.deep.include({ rating: 5, title: 'Lovely apron', body: 'Thick linen, long ties.' });
      await until(() => active(el)?.id === 'i0-status', () => `focus on ${active(el)?.id}`);
      expect(text($(el, '#i0-status'))).to.equal('Thanks! Your review is live.');
      expect(first!.querySelector('form')).to.equal(null);
      await expect(el).to.be.accessible();

      // The server linked the review to the item and marked it verified, by the customer.
      const { reviewRequest } = await ok('GET', `/reviews/v2/review-requests/${r.id}`);
      expect(reviewRequest.items.map((i: { reviewId?: string | null }) => i.reviewId ?? null)).to.deep.equal([detail.review.id, null]);
      const stored = await reviewOf(detail.review.id);
      expect([stored.verified, stored.author?.authorName, stored.moderation?.moderationStatus]).to.deep.equal([true, r.customer, 'APPROVED']);

      // The second product; then the page says everything is done.
      rate(el, 'i1-rating', 3);
      await el.updateComplete;
      const second$ = oneEvent(el, 'review-submitted');
      second!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      const done = await second$;
      expect(done.detail.review.entityId).to.equal(r.products[1]!.id);
      await until(() => text($(el, '#done')) === 'Thank you! You have reviewed everything in this order.', () => 'the closing thanks');
      await expect(el).to.be.accessible();
    });

    it('submit() sends every rated product at once, fires no review-submit, and focuses the first outcome', async () => {
      const r = await sentRequest(3);
      const el = await open(r);
      await loaded(el);
      let submits = 0;
      el.addEventListener('review-submit', () => submits++);
      const submitted: string[] = [];
      el.addEventListener('review-submitted', (e) => submitted.push(e.detail.review.entityId));
      rate(el, 'i0-rating', 4);
      rate(el, 'i2-rating', 2);
      await el.updateComplete;
      await el.submit();
      expect(submitted.sort()).to.deep.equal([r.products[0]!.id, r.products[2]!.id].sort());
      expect(submits).to.equal(0);
      const [first, second, third] = items(el);
      expect([!!first!.querySelector('form'), !!second!.querySelector('form'), !!third!.querySelector('form')]).to.deep.equal([false, true, false]);
      expect(active(el)?.id).to.equal('i0-status');
      const { reviewRequest } = await ok('GET', `/reviews/v2/review-requests/${r.id}`);
      expect(reviewRequest.items.map((i: { reviewId?: string | null }) => Boolean(i.reviewId))).to.deep.equal([true, false, true]);
      await expect(el).to.be.accessible();
    });

    it('stores the attribute ratings of each product, linked to its review', async () => {
      const r = await sentRequest(1);
      const el = await open(r, API, 'quality,fit');
      await loaded(el);
      expect([...el.shadowRoot!.querySelectorAll<RatingStars>('rating-stars')].map((s) => [s.id, s.label])).to.deep.equal([
        ['i0-rating', 'Rating'],
        ['i0-attr-quality', 'Quality (optional)'],
        ['i0-attr-fit', 'Fit (optional)'],
      ]);
      rate(el, 'i0-rating', 4);
      rate(el, 'i0-attr-fit', 2);
      await el.updateComplete;
      const submitted = oneEvent(el, 'review-submitted');
      $<HTMLButtonElement>(el, 'button[type="submit"]')!.click();
      const { detail } = await submitted;
      const { ratings } = await ok('POST', '/ratings/v1/ratings/query', { query: { filter: { entityId: r.products[0]!.id } } });
      expect(ratings.map((x: any) => [x.group, x.attributeName, x.value, x.relatedEntityIds])).to.deep.equal([['stores', 'fit', 40, [detail.review.id]]]);
    });

    it('checks each product on its own before sending', async () => {
      const r = await sentRequest(2);
      const el = await open(r);
      await loaded(el);
      const before = clientFor(API).requestCount;
      $<HTMLInputElement>(el, '#i1-title')!.value = 'x'.repeat(201);
      $<HTMLInputElement>(el, '#i1-title')!.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      items(el)[1]!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await until(() => active(el)?.id === 'i1-rating', () => `focus on ${active(el)?.id}`);
      const stars = $(el, '#i1-rating')!;
      expect([stars.getAttribute('aria-invalid'), stars.getAttribute('aria-describedby')]).to.deep.equal(['true', 'i1-rating-error']);
      expect(text($(el, '#i1-rating-error'))).to.equal('Choose a rating.');
      expect(text($(el, '#i1-title-error'))).to.equal('Keep the title under 200 characters.');
      // The other product is untouched.
      expect($(el, '#i0-rating')!.hasAttribute('aria-invalid')).to.equal(false);
      expect(clientFor(API).requestCount).to.equal(before);
      await expect(el).to.be.accessible();
      // Correcting a field clears its error.
      rate(el, 'i1-rating', 2);
      await el.updateComplete;
      expect($(el, '#i1-rating-error')).to.equal(null);
    });
  });

  describe('reuse', () => {
    it('shows a reviewed product as done, and refuses a second review through the token', async () => {
      const r = await sentRequest(2);
      const el = await open(r);
      // A second tab, opened before the first one sends.
      const stale = await open(r);
      await loaded(el);
      await loaded(stale);
      rate(el, 'i0-rating', 4);
      await el.updateComplete;
      $<HTMLButtonElement>(el, 'button[type="submit"]')!.click();
      await until(() => Boolean($(el, '#i0-status')), () => 'the thanks');
      const { reviewRequest } = await ok('GET', `/reviews/v2/review-requests/${r.id}`);
      const reviewId = reviewRequest.items[0].reviewId;

      // Opening the link again: the reviewed product has no inputs.
      const again = await open(r);
      await loaded(again);
      const [done, todo] = items(again);
      expect(text(done!.querySelector('.status'))).to.equal('Thanks, already reviewed');
      expect(done!.querySelectorAll('input, textarea, rating-stars, button')).to.have.length(0);
      expect(todo!.querySelector('form')).to.not.equal(null);
      await expect(again).to.be.accessible();

      // The stale tab tries the same product: the server refuses, the page says it is done.
      rate(stale, 'i0-rating', 1);
      await stale.updateComplete;
      $<HTMLButtonElement>(stale, 'button[type="submit"]')!.click();
      await until(() => text(items(stale)[0]!.querySelector('.status')) === 'Thanks, already reviewed', () => 'already reviewed');

      // And straight through the API: 409, with the review that exists.
      const res = await api('POST', `/reviews/v2/review-requests/${r.id}/reviews`, { token: r.token, catalogItemId: r.products[0]!.id, content: { rating: 1 } }, false);
      expect([res.status, res.body.details.applicationError.code, res.body.details.applicationError.data.reviewId]).to.deep.equal([409, 'ITEM_ALREADY_REVIEWED', reviewId]);
      expect((await reviewOf(reviewId)).content.rating).to.equal(4);
    });
  });

  describe('links that cannot be used', () => {
    const alertText = (el: ReviewForm) => text($(el, '[role="alert"] span') ?? $(el, '[role="alert"]'));

    it('says a forged, altered or missing token is not valid, without a form', async () => {
      const r = await sentRequest(1);
      const other = await sentRequest(1);
      const [payload, signature] = r.token.split('.') as [string, string];
      const mid = Math.floor(signature.length / 2);
      const altered = `${payload}.${signature.slice(0, mid)}${signature[mid] === 'A' ? 'B' : 'A'}${signature.slice(mid + 1)}`;
      const invalid = 'This review link is not valid. Please open the link exactly as it appears in your e-mail.';
      for (const token of [altered, 'forged.token', other.token]) {
        const el = await open({ id: r.id, token });
        await loaded(el);
        expect(alertText(el), token).to.equal(invalid);
        expect(el.shadowRoot!.querySelectorAll('form, button')).to.have.length(0);
        await expect(el).to.be.accessible();
      }
      const before = clientFor(API).requestCount;
      const missing = await open({ id: r.id, token: '' });
      await loaded(missing);
      expect(alertText(missing)).to.equal(invalid);
      expect(clientFor(API).requestCount).to.equal(before);
      // None of that was an answer from the right request: the real link still works.
      const real = await open(r);
      await loaded(real);
      expect(items(real)).to.have.length(1);
    });

    it('says when the store withdrew the request', async () => {
      // The server refuses a CANCELED request's link with 428 REVIEW_REQUEST_CANCELED, but
      // only a SCHEDULED request can be canceled, and it has a link only when a sender
      // answered "retry" after sending: the reference server's outbox never does, so no
      // browser test can bring it about. test/server/review-requests-lifecycle.test.ts
      // covers that answer over HTTP; here the form route alone answers with its exact
      // envelope. (The expired link runs against the real server in test/demo, from the
      // demo seed's e-mail.)
      const r = await sentRequest(1);
      const withdrawn = 'The store has withdrawn this review request.';
      const envelope = { message: withdrawn, details: { applicationError: { code: 'REVIEW_REQUEST_CANCELED', description: withdrawn } } };
      const realFetch = window.fetch;
      window.fetch = (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes(`/review-requests/${r.id}/form`)) return Promise.resolve(new Response(JSON.stringify(envelope), { status: 428, headers: { 'Content-Type': 'application/json' } }));
        return realFetch(input, init);
      };
      try {
        const canceled = await open(r);
        await loaded(canceled);
        expect(alertText(canceled)).to.equal(withdrawn);
        expect(canceled.shadowRoot!.querySelectorAll('form, button')).to.have.length(0);
        await expect(canceled).to.be.accessible();
      } finally {
        window.fetch = realFetch;
      }
    });

    it('offers Retry when the order cannot be loaded or a review cannot be sent, keeping what was written', async () => {
      await fetch(`${location.origin}/__fault/reset/all`);
      const r = await sentRequest(1);
      // Every route fails once: the form, then the product's review.
      const el = await open(r, faultEndpoint('flaky-1'));
      await loaded(el);
      expect(alertText(el)).to.equal('Your order could not be loaded.');
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, '[role="alert"] button')!.click();
      await loaded(el);
      await until(() => items(el).length === 1, () => 'the product');

      rate(el, 'i0-rating', 2);
      $<HTMLInputElement>(el, '#i0-title')!.value = 'Too short';
      $<HTMLInputElement>(el, '#i0-title')!.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await el.updateComplete;
      const submit = $<HTMLButtonElement>(el, 'button[type="submit"]')!;
      submit.click();
      await until(() => active(el)?.id === 'i0-failure', () => `focus on ${active(el)?.id}`);
      expect([text($(el, '#i0-failure')), $(el, '#i0-failure')!.getAttribute('role')]).to.deep.equal(['Your review could not be sent. Please try again.', 'alert']);
      expect($<HTMLInputElement>(el, '#i0-title')!.value).to.equal('Too short');
      await expect(el).to.be.accessible();
      const submitted = oneEvent(el, 'review-submitted');
      $<HTMLButtonElement>(el, 'button[type="submit"]')!.click();
      const { detail } = await submitted;
      expect(detail.review.content.title).to.equal('Too short');
      await until(() => text($(el, '#i0-status')) === 'Thanks! Your review is live.', () => 'the thanks');
    });
  });
});
