import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor } from '../../src/api/client.js';
import type { Review } from '../../src/api/schema.js';
import '../../src/elements/review-form/review-form.js';
import type { ReviewForm } from '../../src/elements/review-form/review-form.js';
import type { RatingStars } from '../../src/elements/rating-stars/rating-stars.js';
import { API, OWNER_KEY, faultEndpoint, uniqueId } from './helpers.js';
import './setup.js';

const $ = <T extends HTMLElement = HTMLElement>(el: ReviewForm, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
const $$ = (el: ReviewForm, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const stars = (el: ReviewForm) => $<RatingStars>(el, 'rating-stars');
const active = (el: ReviewForm) => el.shadowRoot!.activeElement as HTMLElement | null;
const summary = (el: ReviewForm) => $$(el, '[part="error-summary"] li').map(text);
const photoStates = (el: ReviewForm) => $$(el, '.photo-state').map(text);
const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const draftKey = (entity: string, endpoint = API) => `storefront-reviews:draft:${clientFor(endpoint).endpoint}|stores|${entity}`;
const email = () => `${uniqueId('u')}@example.com`;

/** Every review of an entity, pending ones included (owner view). */
async function serverReviews(entityId: string): Promise<Review[]> {
  const res = await fetch(`${API}/reviews/v1/reviews/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: OWNER_KEY },
    body: JSON.stringify({ query: { filter: { entityId }, sort: [{ fieldName: 'createdDate', order: 'ASC' }] }, returnPrivateReviews: true }),
  });
  return (await res.json()).reviews;
}

interface Fill {
  rating?: number;
  title?: string;
  body?: string;
  name?: string;
  email?: string;
}

/** Fills fields as a visitor would (input events); the rating by clicking a star. */
async function fill(el: ReviewForm, values: Fill) {
  if (values.rating) stars(el).shadowRoot!.querySelectorAll('input')[values.rating - 1]!.click();
  for (const key of ['title', 'body', 'name', 'email'] as const) {
    const value = values[key];
    if (value === undefined) continue;
    const input = $<HTMLInputElement>(el, `#${key}`);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  await el.updateComplete;
}

let fileCount = 0;
async function png(name = `photo-${++fileCount}.png`, color = '#3a7bd5'): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 24;
  canvas.height = 16;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 24, 16);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png', lastModified: Date.now() + fileCount });
}

/** Picks files in the photo input, as the file chooser does. */
async function pick(el: ReviewForm, files: File[]) {
  const input = $<HTMLInputElement>(el, '#photos');
  const dt = new DataTransfer();
  files.forEach((f) => dt.items.add(f));
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function untilStatus(el: ReviewForm) {
  await until(() => Boolean($(el, '#status') || $(el, '#failure')), () => 'a result after submitting');
  return text($(el, '#status') ?? $(el, '#failure'));
}

describe('<review-form>', () => {
  describe('structure', () => {
    it('is a labelled native form with the product heading and a form-associated rating', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()} product-name="Blue Mug" heading-level="3"></review-form>`);
      const heading = $(el, '[part="heading"]');
      expect(text(heading)).to.equal('Write a review for Blue Mug');
      expect([heading.getAttribute('role'), heading.getAttribute('aria-level')]).to.deep.equal(['heading', '3']);
      const form = $<HTMLFormElement>(el, 'form');
      expect(form.noValidate).to.equal(true);
      expect(form.getAttribute('aria-labelledby')).to.equal('heading');
      const labels = ['title', 'body', 'photos', 'name', 'email'].map((id) => text($<HTMLInputElement>(el, `#${id}`).labels![0]!));
      expect(labels).to.deep.equal(['Title (optional)', 'Your review (optional)', 'Photos (optional)', 'Name', 'E-mail']);
      expect($(el, '#title').getAttribute('maxlength')).to.equal('200');
      expect([$(el, '#email').getAttribute('type'), $(el, '#email').getAttribute('autocomplete')]).to.deep.equal(['email', 'email']);
      const file = $<HTMLInputElement>(el, '#photos');
      expect([file.type, file.accept, file.multiple]).to.deep.equal(['file', 'image/jpeg,image/png,image/webp,image/gif', true]);
      const rating = stars(el);
      expect([rating.editable, rating.required, rating.name, rating.label]).to.deep.equal([true, true, 'rating', 'Rating']);
      expect(rating.form).to.equal(form);
      expect(text($(el, '#body-count'))).to.equal('0 / 3,000 0 of 3,000 characters');
      expect(text($(el, '[part="submit"]'))).to.equal('Submit review');
      await expect(el).to.be.accessible();
    });

    it('defaults to a level-2 "Write a review" heading', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()}></review-form>`);
      const heading = $(el, '[part="heading"]');
      expect([text(heading), heading.getAttribute('aria-level')]).to.deep.equal(['Write a review', '2']);
    });
  });

  describe('submitting', () => {
    it('sends a review written entirely with the keyboard; a plain review is live', async () => {
      const entity = uniqueId();
      const address = email();
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
      stars(el).focus();
      await sendKeys({ press: 'End' });
      await sendKeys({ press: 'ArrowLeft' });
      expect(stars(el).value).to.equal(4);
      const order: string[] = [];
      for (const typed of ['Sturdy and warm', 'Keeps coffee hot for an hour.', null, 'Ada', address]) {
        await sendKeys({ press: 'Tab' });
        order.push(active(el)!.id);
        if (typed) await sendKeys({ type: typed });
      }
      expect(order).to.deep.equal(['title', 'body', 'photos', 'name', 'email']);
      // The rating and the native controls all take part in the shadow root's form.
      const data = new FormData($<HTMLFormElement>(el, 'form'));
      expect(['rating', 'title', 'body', 'name', 'email'].map((k) => data.get(k))).to.deep.equal(['4', 'Sturdy and warm', 'Keeps coffee hot for an hour.', 'Ada', address]);

      const submitting = oneEvent(el, 'review-submit');
      const submitted = oneEvent(el, 'review-submitted');
      await sendKeys({ press: 'Enter' });
      const submit = await submitting;
      expect([submit.bubbles, submit.composed, submit.cancelable]).to.deep.equal([true, true, true]);
      expect(submit.detail.draft).to.deep.equal({
        namespace: 'stores',
        entityId: entity,
        name: 'Ada',
        email: address,
        content: { rating: 4, title: 'Sturdy and warm', body: 'Keeps coffee hot for an hour.', media: [] },
      });
      const done = await submitted;
      expect([done.bubbles, done.composed]).to.deep.equal([true, true]);
      expect(await untilStatus(el)).to.equal('Thanks! Your review is live.');
      expect(active(el)).to.equal($(el, '#status'));
      expect($(el, '#status').getAttribute('role')).to.equal('status');

      const [review, ...more] = await serverReviews(entity);
      expect(more).to.have.length(0);
      expect(done.detail.published).to.equal(true);
      expect(done.detail.review.id).to.equal(review!.id);
      expect(review!.content).to.deep.include({ rating: 4, title: 'Sturdy and warm', body: 'Keeps coffee hot for an hour.' });
      expect(review!.content.media ?? []).to.deep.equal([]);
      expect([review!.namespace, review!.author?.authorName, review!.moderation?.moderationStatus]).to.deep.equal(['stores', 'Ada', 'APPROVED']);
      expect(localStorage.getItem(draftKey(entity))).to.equal(null);
      await expect(el).to.be.accessible();

      // "Write another review" brings back a clean form.
      $<HTMLButtonElement>(el, '#status + button').click();
      await until(() => Boolean($(el, 'form')), () => 'the form again');
      expect(stars(el).value).to.equal(0);
      expect(['title', 'body', 'name', 'email'].map((id) => $<HTMLInputElement>(el, `#${id}`).value)).to.deep.equal(['', '', '', '']);
      expect(active(el)).to.equal(stars(el));
    });

    it('says when the review waits for moderation, and uses the namespace', async () => {
      const entity = uniqueId();
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} namespace="books" entity-id=${entity}></review-form>`);
      await fill(el, { rating: 2, body: 'Cheaper at www.example.com', name: 'Bo', email: email() });
      const submitted = oneEvent(el, 'review-submitted');
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      const { detail } = await submitted;
      expect(await untilStatus(el)).to.equal('Thanks! Your review will appear once it has been checked.');
      expect(detail.published).to.equal(false);
      const [review] = await serverReviews(entity);
      expect([review!.id, review!.namespace, review!.moderation?.moderationStatus]).to.deep.equal([detail.review.id, 'books', 'IN_MODERATION']);
    });

    it('sends one request however often it is submitted', async () => {
      const entity = uniqueId();
      const endpoint = faultEndpoint('slow-1500');
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${endpoint} entity-id=${entity}></review-form>`);
      await fill(el, { rating: 5, name: 'Cy', email: email() });
      const client = clientFor(endpoint);
      const before = client.requestCount;
      const button = $<HTMLButtonElement>(el, '[part="submit"]');
      const form = $<HTMLFormElement>(el, 'form');
      $(el, '#name').focus();
      button.click();
      button.click();
      form.requestSubmit();
      await el.updateComplete;
      await sendKeys({ press: 'Enter' });
      expect([button.disabled, form.getAttribute('aria-busy'), text(button)]).to.deep.equal([true, 'true', 'Sending…']);
      await expect(el).to.be.accessible();
      expect(await untilStatus(el)).to.equal('Thanks! Your review is live.');
      expect(client.requestCount - before).to.equal(1);
      expect(await serverReviews(entity)).to.have.length(1);
    });

    it('sends nothing when review-submit is canceled', async () => {
      const entity = uniqueId();
      const wrap = await fixture(html`<div><review-form endpoint=${API} entity-id=${entity}></review-form></div>`);
      const el = wrap.querySelector('review-form')!;
      await fill(el, { rating: 3, title: 'Mine', name: 'Di', email: email() });
      const client = clientFor(API);
      const before = client.requestCount;
      wrap.addEventListener('review-submit', (e) => e.preventDefault(), { once: true });
      const event = oneEvent(wrap, 'review-submit');
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      expect((await event).detail.draft.content.title).to.equal('Mine');
      await el.updateComplete;
      expect(client.requestCount - before).to.equal(0);
      expect(await serverReviews(entity)).to.have.length(0);
      expect([$(el, '#status'), $(el, '#failure'), $<HTMLButtonElement>(el, '[part="submit"]').disabled]).to.deep.equal([null, null, false]);
      expect($<HTMLInputElement>(el, '#title').value).to.equal('Mine');
    });
  });

  describe('validation', () => {
    it('marks each missing field, lists the problems and focuses the first', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()}></review-form>`);
      const before = clientFor(API).requestCount;
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      await el.updateComplete;
      expect(summary(el)).to.deep.equal(['Choose a rating.', 'Enter your name.', 'Enter your e-mail address.']);
      expect($(el, '[part="error-summary"]').getAttribute('role')).to.equal('alert');
      await until(() => active(el) === stars(el), () => `focus on ${active(el)?.id}`);
      for (const [id, message] of [['rating', 'Choose a rating.'], ['name', 'Enter your name.'], ['email', 'Enter your e-mail address.']]) {
        const field = $(el, `#${id}`);
        expect(field.getAttribute('aria-invalid'), id).to.equal('true');
        const described = field.getAttribute('aria-describedby')!.split(' ');
        expect(described, id).to.include(`${id}-error`);
        expect(text(el.shadowRoot!.getElementById(`${id}-error`)), id).to.equal(message);
      }
      for (const id of ['title', 'body', 'photos']) expect($(el, `#${id}`).hasAttribute('aria-invalid'), id).to.equal(false);
      // The stars' radios are in rating-stars' shadow root: the error reaches them as element references.
      await stars(el).updateComplete;
      const radios = [...stars(el).shadowRoot!.querySelectorAll('input')] as (HTMLInputElement & { ariaDescribedByElements: Element[] })[];
      expect(radios).to.have.length(5);
      for (const radio of radios) {
        expect(radio.ariaDescribedByElements.map((e) => e.id)).to.deep.equal(['summary', 'rating-error']);
        expect(radio.ariaDescribedByElements[1]).to.equal(el.shadowRoot!.getElementById('rating-error'));
      }
      expect(clientFor(API).requestCount).to.equal(before);
      await expect(el).to.be.accessible();
    });

    it('focuses a field from the summary and clears its error once corrected', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()}></review-form>`);
      await fill(el, { rating: 4, email: 'not-an-address' });
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      await el.updateComplete;
      expect(summary(el)).to.deep.equal(['Enter your name.', 'Enter a valid e-mail address.']);
      await until(() => active(el)?.id === 'name', () => `focus on ${active(el)?.id}`);
      $$(el, '[part="error-summary"] button')[1]!.click();
      expect(active(el)?.id).to.equal('email');
      await sendKeys({ press: 'End' });
      await sendKeys({ type: '@example.com' });
      await el.updateComplete;
      expect(summary(el)).to.deep.equal(['Enter your name.']);
      expect($(el, '#email').hasAttribute('aria-invalid')).to.equal(false);
      expect($(el, '#email-error')).to.equal(null);
    });

    it('counts the review text and enforces the 3,000-character limit', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()}></review-form>`);
      const counter = $(el, '#body-count');
      expect($(el, '#body').getAttribute('aria-describedby')).to.equal('body-count');
      await fill(el, { rating: 5, name: 'Ed', email: email(), body: 'x'.repeat(2899) });
      expect(text(counter)).to.equal('2,899 / 3,000 2,899 of 3,000 characters');
      expect(counter.hasAttribute('aria-live')).to.equal(false);
      $(el, '#body').focus();
      await sendKeys({ type: 'y' });
      await el.updateComplete;
      // Announced politely, but only near the limit.
      expect([text(counter), counter.getAttribute('aria-live')]).to.deep.equal(['2,900 / 3,000 2,900 of 3,000 characters', 'polite']);
      await fill(el, { body: 'x'.repeat(3001) });
      expect([text(counter), counter.classList.contains('over')]).to.deep.equal(['3,001 / 3,000 3,001 of 3,000 characters', true]);
      $(el, '#name').focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(summary(el)).to.deep.equal(['Keep the review under 3,000 characters.']);
      await until(() => active(el)?.id === 'body', () => `focus on ${active(el)?.id}`);
      expect($(el, '#body').getAttribute('aria-describedby')).to.equal('body-count body-error');
      await fill(el, { body: 'x'.repeat(3000) });
      expect(summary(el)).to.deep.equal([]);
    });

    it('refuses to send without an entity-id', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API}></review-form>`);
      await fill(el, { rating: 5, name: 'Fay', email: email() });
      const before = clientFor(API).requestCount;
      await el.submit();
      await el.updateComplete;
      expect(summary(el)).to.deep.equal(['entityId must not be empty']);
      expect(clientFor(API).requestCount).to.equal(before);
    });
  });

  describe('photos', () => {
    it('previews, uploads once and removes photos', async () => {
      const entity = uniqueId();
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
      const client = clientFor(API);
      const before = client.requestCount;
      await pick(el, [await png('a.png'), await png('b.png', '#d53a3a')]);
      await until(() => photoStates(el).length === 2, () => 'two previews');
      const imgs = $$(el, '[part="photo"] img') as HTMLImageElement[];
      expect(imgs.map((i) => [i.alt, i.src.startsWith('blob:')])).to.deep.equal([['Photo 1', true], ['Photo 2', true]]);
      expect($$(el, '.remove').map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Remove photo 1', 'Remove photo 2']);
      await until(() => photoStates(el).join() === 'Uploaded,Uploaded', () => `states ${photoStates(el)}`);
      expect(client.requestCount - before).to.equal(2);
      await expect(el).to.be.accessible();

      const removed = imgs[0]!.src;
      $$(el, '.remove')[0]!.click();
      await el.updateComplete;
      expect($$(el, '.remove').map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Remove photo 1']);
      expect(active(el)).to.equal($$(el, '.remove')[0]);
      expect(await fetch(removed).then(() => 'still there', () => 'revoked')).to.equal('revoked');

      await fill(el, { rating: 5, name: 'Gus', email: email() });
      const submitted = oneEvent(el, 'review-submitted');
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      const { detail } = await submitted;
      expect(await untilStatus(el)).to.equal('Thanks! Your review will appear once it has been checked.');
      // Two uploads and the review: the uploaded photo was not sent again.
      expect(client.requestCount - before).to.equal(3);
      const [review] = await serverReviews(entity);
      expect(review!.content.media).to.have.length(1);
      expect(review!.content.media![0]!.image!.id).to.equal(detail.review.content.media![0]!.image!.id);
      expect(review!.content.media![0]!.image!.width).to.equal(24);
    });

    it('refuses non-images, files over 5 MB, repeats and an 11th photo before uploading', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()}></review-form>`);
      const client = clientFor(API);
      const before = client.requestCount;
      const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], 'evil.png', { type: 'image/png' });
      const header = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const big = new File([header, new Uint8Array(6 * 1024 * 1024)], 'big.png', { type: 'image/png' });
      await pick(el, [svg, big]);
      await until(() => $$(el, '#photos-refused li').length === 2, () => 'two refusals');
      expect($$(el, '#photos-refused li').map(text)).to.deep.equal(['evil.png is not a JPEG, PNG, WebP or GIF image.', 'big.png is larger than 5 MB.']);
      expect($(el, '#photos-refused').getAttribute('role')).to.equal('alert');
      expect($(el, '#photos').getAttribute('aria-describedby')).to.equal('photos-hint photos-refused');
      expect($$(el, '[part="photo"]')).to.have.length(0);
      expect(client.requestCount).to.equal(before);

      const files = await Promise.all(Array.from({ length: 11 }, (_, i) => png(`p${i + 1}.png`)));
      await pick(el, files);
      await until(() => photoStates(el).length === 10, () => `${photoStates(el).length} photos`);
      expect($$(el, '#photos-refused li').map(text)).to.deep.equal(['p11.png was not added: you can add up to 10 photos.']);
      await until(() => photoStates(el).every((s) => s === 'Uploaded'), () => `states ${photoStates(el)}`);
      expect(client.requestCount - before).to.equal(10);
      await pick(el, [files[0]!]);
      await until(() => $$(el, '#photos-refused li').length === 1 && text($(el, '#photos-refused li'))!.startsWith('p1.png'), () => 'refusal');
      expect(text($(el, '#photos-refused li'))).to.equal('p1.png was not added: you can add up to 10 photos.');
      $$(el, '.remove')[9]!.click();
      await pick(el, [files[0]!]);
      await until(() => text($(el, '#photos-refused li')) === 'p1.png is already added.', () => 'already added');
      expect(client.requestCount - before).to.equal(10);
      await expect(el).to.be.accessible();
    });
  });

  describe('server answers', () => {
    it('says so when the visitor already reviewed the product, keeping the draft', async () => {
      const entity = uniqueId();
      const address = email();
      const res = await fetch(`${API}/reviews/v1/reviews/contact`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ namespace: 'stores', entityId: entity, name: 'Hal', email: address, content: { rating: 5 } }),
      });
      expect(res.status).to.equal(200);
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
      await fill(el, { rating: 1, name: 'Hal', email: address });
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      expect(await untilStatus(el)).to.equal('You have already reviewed this product.');
      expect($(el, '#failure').getAttribute('role')).to.equal('alert');
      expect($(el, '#failure button')).to.equal(null);
      expect(active(el)).to.equal($(el, '#failure'));
      expect(JSON.parse(localStorage.getItem(draftKey(entity))!)).to.deep.include({ rating: 1, name: 'Hal', email: address });
      expect(await serverReviews(entity)).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('keeps the draft when sending fails, and Retry sends it', async () => {
      await fetch(`${location.origin}/__fault/reset/`);
      const entity = uniqueId();
      const endpoint = faultEndpoint('flaky-1');
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${endpoint} entity-id=${entity}></review-form>`);
      await fill(el, { rating: 4, title: 'Again', name: 'Ida', email: email() });
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      expect(await untilStatus(el)).to.equal('Your review could not be sent. Your draft is kept: try again. Retry');
      expect($(el, '#failure').getAttribute('role')).to.equal('alert');
      expect(active(el)).to.equal($(el, '#failure button'));
      expect($<HTMLInputElement>(el, '#title').value).to.equal('Again');
      expect(JSON.parse(localStorage.getItem(draftKey(entity, endpoint))!)).to.deep.include({ rating: 4, title: 'Again', name: 'Ida' });
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, '#failure button').click();
      await until(() => Boolean($(el, '#status')), () => 'success after Retry');
      expect(text($(el, '#status'))).to.equal('Thanks! Your review is live.');
      const reviews = await serverReviews(entity);
      expect(reviews.map((r) => r.content.title)).to.deep.equal(['Again']);
      expect(localStorage.getItem(draftKey(entity, endpoint))).to.equal(null);
    });

    it('keeps a photo whose upload failed and uploads it again when sending', async () => {
      await fetch(`${location.origin}/__fault/reset/`);
      const entity = uniqueId();
      const endpoint = faultEndpoint('flaky-1');
      const client = clientFor(endpoint);
      const before = client.requestCount;
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${endpoint} entity-id=${entity}></review-form>`);
      await fill(el, { rating: 5, name: 'Ivy', email: email() });
      await pick(el, [await png('retry.png')]);
      await until(() => photoStates(el).join() === 'Upload failed', () => `states ${photoStates(el)}`);
      expect($$(el, '[part="photo"] img')).to.have.length(1);
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      // The photo uploads on the second try; the review's first try fails (flaky-1).
      expect(await untilStatus(el)).to.equal('Your review could not be sent. Your draft is kept: try again. Retry');
      expect(photoStates(el)).to.deep.equal(['Uploaded']);
      const saved = JSON.parse(localStorage.getItem(draftKey(entity, endpoint))!);
      expect(saved.photos).to.have.length(1);
      $<HTMLButtonElement>(el, '#failure button').click();
      await until(() => Boolean($(el, '#status')), () => 'success after Retry');
      expect(client.requestCount - before).to.equal(4);
      const [review] = await serverReviews(entity);
      expect(review!.content.media!.map((m) => m.image!.id)).to.deep.equal([saved.photos[0].id]);
    });

    it('says so when a photo cannot be uploaded', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${faultEndpoint('500')} entity-id=${uniqueId()}></review-form>`);
      await fill(el, { rating: 5, name: 'Jan', email: email() });
      await pick(el, [await png()]);
      await until(() => photoStates(el).join() === 'Upload failed', () => `states ${photoStates(el)}`);
      $(el, '#name').focus();
      await sendKeys({ press: 'Enter' });
      expect(await untilStatus(el)).to.equal('A photo could not be uploaded. Your draft is kept: try again, or remove the photo. Retry');
      expect(active(el)?.id).to.equal('name');
      await expect(el).to.be.accessible();
    });

    it('maps the server field violations back onto the fields', async () => {
      const entity = uniqueId();
      // A saved draft whose photo the server no longer knows.
      localStorage.setItem(
        draftKey(entity),
        JSON.stringify({ rating: 3, title: '', body: '', name: 'Jo', email: email(), photos: [{ id: 'gone.png', url: `${API}/reviews/v1/media/gone.png` }] }),
      );
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
      expect($$(el, '[part="photo"]')).to.have.length(1);
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      await until(() => summary(el).length > 0, () => 'server errors');
      expect(summary(el)).to.deep.equal(['Photo 1 could not be attached. Remove it and add it again.']);
      expect($(el, '#photos').getAttribute('aria-invalid')).to.equal('true');
      expect($(el, '#photos').getAttribute('aria-describedby')).to.equal('photos-hint photos-error');
      await until(() => active(el)?.id === 'photos', () => `focus on ${active(el)?.id}`);
      $$(el, '.remove')[0]!.click();
      await el.updateComplete;
      expect(summary(el)).to.deep.equal([]);
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      expect(await untilStatus(el)).to.equal('Thanks! Your review is live.');
    });
  });

  describe('draft', () => {
    it('survives re-creating the element and is cleared once the review is accepted', async () => {
      const entity = uniqueId();
      const address = email();
      let el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
      await fill(el, { rating: 5, title: 'Kept', body: 'Through a reload', name: 'Kim', email: address });
      await pick(el, [await png('kept.png')]);
      await until(() => /"photos":\[\{"id"/.test(localStorage.getItem(draftKey(entity)) ?? ''), () => `draft ${localStorage.getItem(draftKey(entity))}`);
      const blob = ($(el, '[part="photo"] img') as HTMLImageElement).src;
      const saved = JSON.parse(localStorage.getItem(draftKey(entity))!);
      expect(saved).to.deep.include({ rating: 5, title: 'Kept', body: 'Through a reload', name: 'Kim', email: address });
      expect(saved.photos).to.have.length(1);
      el.remove();
      expect(await fetch(blob).then(() => 'still there', () => 'revoked')).to.equal('revoked');

      el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
      expect(stars(el).value).to.equal(5);
      expect(['title', 'body', 'name', 'email'].map((id) => $<HTMLInputElement>(el, `#${id}`).value)).to.deep.equal(['Kept', 'Through a reload', 'Kim', address]);
      expect(($(el, '[part="photo"] img') as HTMLImageElement).src).to.equal(saved.photos[0].url);
      // Another product has its own draft.
      const other = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()}></review-form>`);
      expect($<HTMLInputElement>(other, '#title').value).to.equal('');

      const before = clientFor(API).requestCount;
      const submitted = oneEvent(el, 'review-submitted');
      $<HTMLButtonElement>(el, '[part="submit"]').click();
      const { detail } = await submitted;
      expect(clientFor(API).requestCount - before).to.equal(1);
      expect(detail.review.content.media!.map((m: { image?: { id?: string } }) => m.image!.id)).to.deep.equal([saved.photos[0].id]);
      expect(localStorage.getItem(draftKey(entity))).to.equal(null);
      el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
      expect([stars(el).value, $<HTMLInputElement>(el, '#title').value, $$(el, '[part="photo"]').length]).to.deep.equal([0, '', 0]);
    });

    it('works without storage', async () => {
      const proto = Storage.prototype;
      const saved = [proto.getItem, proto.setItem, proto.removeItem];
      const fail = () => {
        throw new DOMException('denied', 'SecurityError');
      };
      proto.getItem = proto.setItem = proto.removeItem = fail;
      try {
        const entity = uniqueId();
        const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity}></review-form>`);
        await fill(el, { rating: 4, name: 'Lu', email: email() });
        el.remove();
        document.body.append(el);
        $<HTMLButtonElement>(el, '[part="submit"]').click();
        expect(await untilStatus(el)).to.equal('Thanks! Your review is live.');
        el.remove();
      } finally {
        [proto.getItem, proto.setItem, proto.removeItem] = saved as [typeof proto.getItem, typeof proto.setItem, typeof proto.removeItem];
      }
    });
  });

  describe('untrusted content', () => {
    it('renders a hostile saved draft and product name inert', async () => {
      const entity = uniqueId();
      const evil = '<img src=x onerror="window.__xss=1">';
      localStorage.setItem(
        draftKey(entity),
        JSON.stringify({ rating: 9, title: evil, body: evil, name: evil, email: 7, photos: [{ id: 'a.png', url: 'javascript:window.__xss=1' }, { id: 'b.png' }, 'junk'] }),
      );
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${entity} product-name=${evil}></review-form>`);
      expect(text($(el, '[part="heading"]'))).to.equal(`Write a review for ${evil}`);
      expect([stars(el).value, $<HTMLInputElement>(el, '#title').value, $<HTMLInputElement>(el, '#email').value]).to.deep.equal([0, evil, '']);
      expect($$(el, '[part="photo"]')).to.have.length(2);
      expect($$(el, '[part="photo"] img')).to.have.length(0);
      expect(el.shadowRoot!.querySelectorAll('img[src="x"]')).to.have.length(0);
      expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    });
  });

  describe('locale', () => {
    it('formats the counter for the page language', async () => {
      const wrap = await fixture(html`<div lang="de"><review-form endpoint=${API} entity-id=${uniqueId()}></review-form></div>`);
      const el = wrap.querySelector('review-form')!;
      await el.updateComplete;
      expect(text($(el, '#body-count [aria-hidden]'))).to.equal('0 / 3.000');
    });
  });

  describe('disabled', () => {
    it('disables every control and sends nothing', async () => {
      const el = await fixture<ReviewForm>(html`<review-form endpoint=${API} entity-id=${uniqueId()} disabled></review-form>`);
      const controls = $$(el, 'input, textarea, button');
      expect(controls.length).to.equal(6);
      expect(controls.every((c) => c.matches(':disabled'))).to.equal(true);
      expect(stars(el).shadowRoot!.querySelector('fieldset')!.disabled).to.equal(true);
      const before = clientFor(API).requestCount;
      await el.submit();
      $<HTMLFormElement>(el, 'form').requestSubmit();
      await el.updateComplete;
      expect([clientFor(API).requestCount - before, summary(el).length]).to.deep.equal([0, 0]);
      await expect(el).to.be.accessible();
      el.disabled = false;
      await el.updateComplete;
      expect(controls.some((c) => c.matches(':disabled'))).to.equal(false);
    });
  });
});
