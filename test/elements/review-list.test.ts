import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { LitElement } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor, toWixQuery } from '../../src/api/client.js';
import type { Review } from '../../src/api/schema.js';
import '../../src/elements/most-helpful/most-helpful.js';
import '../../src/elements/review-list/review-list.js';
import type { ReviewList } from '../../src/elements/review-list/review-list.js';
import { formatDate } from '../../src/shared/format.js';
import { API, castVotes, faultEndpoint, moderate, queryApi, seedReviews, setReply, takeWarnings, uniqueId, uploadImage, type SeedReview } from './helpers.js';
import './setup.js';

const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const ids = (el: Element) => $$(el, '[part="review"]').map((a) => a.dataset.reviewId!);
const card = (el: Element, id: string) => $(el, `[data-review-id="${id}"]`)!;
const status = (el: Element) => $(el, '[role="status"]')!.textContent!.trim();
const showsIds = async (el: Element, expected: string[]) =>
  until(
    () => JSON.stringify(ids(el)) === JSON.stringify(expected) && !$(el, '[aria-busy="true"]'),
    () => `ids were ${JSON.stringify(ids(el))}, expected ${JSON.stringify(expected)}`,
  );
const button = (root: Element, text: string) =>
  [...root.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);
const idsOf = (reviews: Review[]) => reviews.map((r) => r.id);
/** Newest first: seeds are created one after another, so a later index is newer. */
const newest = (reviews: Review[]) => [...reviews].reverse();
/** Compared as text: a failed assertion on DOM nodes would stall the test runner's error report. */
const nodeName = (node: Element | null | undefined) =>
  node ? `${node.localName}${node.getAttribute('data-review-id') ? `#${node.getAttribute('data-review-id')}` : ''}${node.getAttribute('aria-label') ? `[${node.getAttribute('aria-label')}]` : ''} "${node.textContent!.trim().slice(0, 40)}"` : 'nothing';
const focused = (el: Element) => nodeName(el.shadowRoot!.activeElement);
const resetFaults = () => fetch(`${location.origin}/__fault/reset/all`);

async function list(entity: string, attrs = '', endpoint = API): Promise<ReviewList> {
  const wrap = await fixture(html`<div></div>`);
  wrap.innerHTML = `<review-list endpoint="${endpoint}" entity-id="${entity}" ${attrs}></review-list>`;
  const el = wrap.querySelector('review-list')!;
  await el.updateComplete;
  return el;
}

describe('<review-list>', () => {
  describe('data', () => {
    it('shows the newest 10 reviews as a labelled list of articles, with a status', async () => {
      const entity = uniqueId();
      const seeded = await seedReviews(entity, Array.from({ length: 12 }, (_, i) => ({ rating: (i % 5) + 1, title: `Review ${i}` })));
      const el = await list(entity);
      const expected = idsOf(newest(seeded)).slice(0, 10);
      await showsIds(el, expected);
      expect(expected).to.deep.equal(idsOf(await queryApi(toWixQuery({ namespace: 'stores', entityId: entity }).query)));
      expect($(el, 'ul')!.getAttribute('role')).to.equal('list');
      expect($$(el, 'ul > li > article[part="review"]')).to.have.length(10);
      await until(() => status(el) === 'Showing 10 of 12 reviews', () => status(el));
      expect(button(el, 'Load more reviews')).to.exist;
      await expect(el).to.be.accessible();
    });

    for (const sort of ['oldest', 'highest', 'lowest', 'most-helpful'] as const) {
      it(`sorts by ${sort} like the server`, async () => {
        const entity = uniqueId();
        const ratings = [3, 5, 1, 5, 2, 3];
        const seeded = await seedReviews(entity, ratings.map((rating) => ({ rating })));
        const helpful = [0, 2, 1, 0, 2, 3];
        for (const [i, n] of helpful.entries()) if (n) await castVotes(seeded[i]!.id, n);
        const byIndex = seeded.map((r, i) => ({ id: r.id, i, rating: ratings[i]!, helpful: helpful[i]! }));
        const cmp: Record<string, (a: (typeof byIndex)[0], b: (typeof byIndex)[0]) => number> = {
          oldest: (a, b) => a.i - b.i,
          highest: (a, b) => b.rating - a.rating || b.i - a.i,
          lowest: (a, b) => a.rating - b.rating || b.i - a.i,
          'most-helpful': (a, b) => b.helpful - a.helpful || b.i - a.i,
        };
        const expected = [...byIndex].sort(cmp[sort]).map((r) => r.id);
        const el = await list(entity, `sort="${sort}"`);
        await showsIds(el, expected);
        expect(idsOf(await queryApi(toWixQuery({ namespace: 'stores', entityId: entity, sort }).query))).to.deep.equal(expected);
        expect($<HTMLSelectElement>(el, 'select')!.value).to.equal(sort);
      });
    }

    it('filters by rating, photos, verified buyers and search text', async () => {
      const entity = uniqueId();
      const photo = await uploadImage();
      const seeds: SeedReview[] = [
        { rating: 5, body: 'Waterproof boots, very warm', verified: true },
        { rating: 4, body: 'Comfortable sandals', media: [{ image: { id: photo.id } }] },
        { rating: 2, body: 'The waterproof jacket leaked', verified: true, media: [{ image: { id: photo.id } }] },
        { rating: 4, body: 'Fine hat', verified: true },
        { rating: 1, body: 'Broken zip' },
      ];
      const s = await seedReviews(entity, seeds);
      const el = await list(entity, 'filter-rating="4,5"');
      await showsIds(el, [s[3]!.id, s[1]!.id, s[0]!.id]);
      await until(() => status(el) === 'Showing 3 of 3 reviews', () => status(el));
      expect($$<HTMLInputElement>(el, '.stars input').map((b) => b.checked)).to.deep.equal([true, true, false, false, false]);
      el.filterRating = '';
      el.filterMedia = true;
      await showsIds(el, [s[2]!.id, s[1]!.id]);
      expect(status(el)).to.equal('Showing 2 reviews');
      el.filterMedia = false;
      el.filterVerified = true;
      await showsIds(el, [s[3]!.id, s[2]!.id, s[0]!.id]);
      el.filterVerified = false;
      el.search = 'waterproof';
      await showsIds(el, [s[2]!.id, s[0]!.id]);
      expect($<HTMLInputElement>(el, 'input[type="search"]')!.value).to.equal('waterproof');
      el.search = '';
      el.filterRating = '2, 4,9';
      await showsIds(el, [s[3]!.id, s[2]!.id, s[1]!.id]);
      expect(
        idsOf(await queryApi(toWixQuery({ namespace: 'stores', entityId: entity, ratings: [2, 4], withMedia: false }).query)),
      ).to.deep.equal([s[3]!.id, s[2]!.id, s[1]!.id]);
    });

    it('honours page-size (clamped to 1-100) and author-display', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [
        { rating: 4, authorName: 'Dana Kowalski' },
        { rating: 4, authorName: 'Cher' },
        { rating: 4, authorName: '  ' },
        { rating: 4, authorName: 'María José de la Cruz', title: 'Lovely' },
      ]);
      const el = await list(entity, 'page-size="3" author-display="initial"');
      await showsIds(el, idsOf(newest(s)).slice(0, 3));
      const heading = (id: string) => card(el, id).querySelector('[role="heading"]')!.textContent!.trim();
      expect(heading(s[3]!.id)).to.equal('Lovely');
      expect(card(el, s[3]!.id).querySelector('.author')!.textContent).to.equal('María C.');
      expect(heading(s[2]!.id)).to.equal('Anonymous');
      expect(heading(s[1]!.id)).to.equal('Cher');
      el.authorDisplay = 'full';
      el.pageSize = -4;
      await showsIds(el, [s[3]!.id]);
      expect(card(el, s[3]!.id).querySelector('.author')!.textContent).to.equal('María José de la Cruz');
      el.pageSize = 500;
      await showsIds(el, idsOf(newest(s)));
      expect(heading(s[0]!.id)).to.equal('Dana Kowalski');
      el.authorDisplay = 'initial';
      await el.updateComplete;
      expect(heading(s[0]!.id)).to.equal('Dana K.');
      expect(card(el, s[0]!.id).querySelector('[role="heading"]')!.getAttribute('aria-level')).to.equal('3');
    });

    it('shows stars, date, verified badge, reply and photos of a review', async () => {
      const entity = uniqueId();
      const photo = await uploadImage();
      const [r] = await seedReviews(entity, [
        { rating: 4, title: 'Solid', body: 'Does the job.', verified: true, reviewDate: '2024-03-12T10:00:00Z', media: [{ image: { id: photo.id } }] },
      ]);
      await setReply(r!.id, 'Thanks, <b>Dana</b>!');
      const el = await list(entity);
      await showsIds(el, [r!.id]);
      const a = card(el, r!.id);
      expect(a.querySelector('rating-stars')!.getAttribute('value')).to.equal('4');
      expect(a.querySelector('time')!.textContent).to.equal(formatDate('2024-03-12T10:00:00Z', 'en'));
      expect(a.querySelector('time')!.getAttribute('datetime')).to.equal(r!.reviewDate);
      expect(new Date(r!.reviewDate!).toISOString()).to.equal('2024-03-12T10:00:00.000Z');
      expect(a.querySelector('.verified')!.textContent!.trim()).to.equal('✓ Verified buyer');
      expect(a.querySelector('.reply-label')!.textContent).to.equal('Reply from the store');
      expect(a.querySelector('.reply-text')!.textContent).to.equal('Thanks, <b>Dana</b>!');
      expect(a.querySelector('.reply b')).to.equal(null);
      const img = a.querySelector<HTMLImageElement>('button.thumb img')!;
      expect(img.alt).to.equal('Photo 1 from the review by Test Author');
      expect(img.getAttribute('src')).to.equal(photo.url);
    });
  });

  describe('load more', () => {
    it('appends the next page, moves focus to its first review and ends without a button', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, Array.from({ length: 5 }, (_, i) => ({ rating: 3, title: `R${i}` })));
      const all = idsOf(newest(s));
      const el = await list(entity, 'page-size="2"');
      await showsIds(el, all.slice(0, 2));
      const firstCard = card(el, all[0]!);
      button(el, 'Load more reviews')!.click();
      await el.updateComplete;
      expect(ids(el)).to.deep.equal(all.slice(0, 2), 'old content stays while loading');
      await showsIds(el, all.slice(0, 4));
      expect(card(el, all[0]!) === firstCard).to.equal(true, 'existing cards are kept');
      expect(focused(el)).to.equal(nodeName(card(el, all[2]!)));
      await until(() => status(el) === 'Showing 4 of 5 reviews', () => status(el));
      button(el, 'Load more reviews')!.click();
      await showsIds(el, all);
      expect(focused(el)).to.equal(nodeName(card(el, all[4]!)));
      expect(new Set(ids(el)).size).to.equal(5);
      expect($(el, '[part="load-more"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('moves focus to the last review when the next page brings nothing and the button goes', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 3 }, { rating: 4 }, { rating: 5 }]);
      const all = idsOf(newest(s));
      const el = await list(entity, 'page-size="2"');
      await showsIds(el, all.slice(0, 2));
      // The only review of the next page is withdrawn before the visitor asks for it.
      await moderate(all[2]!, 'REJECTED');
      const more = $(el, '[part="load-more"]')!;
      more.focus();
      more.click();
      await until(() => !$(el, '[part="load-more"]'), () => 'the button to go');
      expect(ids(el)).to.deep.equal(all.slice(0, 2));
      await until(() => focused(el) === nodeName(card(el, all[1]!)), () => `focus on ${focused(el)}`);
    });

    it('keeps the reviews and offers Retry when the next page fails', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 1 }, { rating: 2 }, { rating: 3 }]);
      const endpoint = faultEndpoint('flaky-1');
      await resetFaults();
      // Use up the query path's one failure, load the first page, then re-arm it for Load more.
      await fetch(`${endpoint}/reviews/v1/reviews/query`, { method: 'POST', body: '{}' });
      const el = await list(entity, 'page-size="2"', endpoint);
      await showsIds(el, idsOf(newest(s)).slice(0, 2));
      await resetFaults();
      button(el, 'Load more reviews')!.click();
      await until(() => $(el, '.more [role="alert"]')?.textContent === 'More reviews could not be loaded.', () => 'load-more error');
      expect(ids(el)).to.deep.equal(idsOf(newest(s)).slice(0, 2));
      await expect(el).to.be.accessible();
      button(el, 'Retry')!.click();
      await showsIds(el, idsOf(newest(s)));
      expect($(el, '[role="alert"]')).to.equal(null);
    });
  });

  describe('controls', () => {
    it('are labelled native controls, hidden with no-controls', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 5 }]);
      const el = await list(entity);
      expect($(el, 'select')!.closest('label')!.textContent).to.contain('Sort by');
      expect($$<HTMLOptionElement>(el, 'option').map((o) => o.textContent)).to.deep.equal(['Newest', 'Oldest', 'Highest rating', 'Lowest rating', 'Most helpful']);
      expect($(el, 'fieldset legend')!.textContent).to.equal('Rating');
      expect($$(el, '.stars label').map((l) => l.textContent!.trim())).to.deep.equal(['5 stars', '4 stars', '3 stars', '2 stars', '1 star']);
      expect($$(el, '.controls > label.check').map((l) => l.textContent!.trim())).to.deep.equal(['With photos', 'Verified only']);
      expect($(el, 'input[type="search"]')!.closest('label')!.textContent).to.contain('Search reviews');
      el.noControls = true;
      await el.updateComplete;
      expect($(el, '[part="controls"]')).to.equal(null);
    });

    it('change the properties and fire events on user action, from the keyboard', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [
        { rating: 5, body: 'red scarf' },
        { rating: 4, body: 'blue scarf' },
        { rating: 4, body: 'green hat' },
      ]);
      const el = await list(entity);
      await showsIds(el, idsOf(newest(s)));
      const events: string[] = [];
      el.addEventListener('change', () => events.push(`change:${el.sort}`));
      el.addEventListener('review-filter', (e) => events.push(`filter:${e.detail.ratings.join()}`));

      $<HTMLSelectElement>(el, 'select')!.focus();
      await sendKeys({ press: 'ArrowDown' });
      expect(el.sort).to.equal('oldest');
      await showsIds(el, idsOf(s));

      $$<HTMLInputElement>(el, '.stars input')[1]!.focus();
      await sendKeys({ press: 'Space' });
      expect(el.filterRating).to.equal('4');
      await showsIds(el, [s[1]!.id, s[2]!.id]);
      await sendKeys({ press: 'Shift+Tab' });
      await sendKeys({ press: 'Space' });
      expect(el.filterRating).to.equal('4,5');

      const search = $<HTMLInputElement>(el, 'input[type="search"]')!;
      search.focus();
      const changed = oneEvent(el, 'change');
      await sendKeys({ type: 'scarf' });
      expect(el.search).to.equal('', 'debounced');
      await changed;
      expect(el.search).to.equal('scarf');
      await showsIds(el, [s[0]!.id, s[1]!.id]);
      expect(events).to.deep.equal(['change:oldest', 'filter:4', 'filter:4,5', 'change:oldest']);

      // Enter searches at once.
      await sendKeys({ press: 'Control+a' });
      await sendKeys({ type: 'hat' });
      await sendKeys({ press: 'Enter' });
      expect(el.search).to.equal('hat');
      await showsIds(el, [s[2]!.id]);

      const media = $$<HTMLInputElement>(el, '.controls > label.check input');
      media[0]!.click();
      media[1]!.click();
      expect([el.filterMedia, el.filterVerified]).to.deep.equal([true, true]);
      expect(events.length).to.equal(7);
    });

    it('let the page cancel a star filter change', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 5 }, { rating: 2 }]);
      const el = await list(entity);
      await showsIds(el, idsOf(newest(s)));
      const cancel = (e: Event) => e.preventDefault();
      document.addEventListener('review-filter', cancel);
      try {
        const box = $$<HTMLInputElement>(el, '.stars input')[0]!;
        const ev = oneEvent(el, 'review-filter');
        box.click();
        const { detail, composed, cancelable } = await ev;
        expect([detail.ratings, composed, cancelable]).to.deep.equal([[5], true, true]);
        await el.updateComplete;
        expect([el.filterRating, box.checked]).to.deep.equal(['', false]);
      } finally {
        document.removeEventListener('review-filter', cancel);
      }
      expect(ids(el)).to.deep.equal(idsOf(newest(s)));
    });

    it('fire nothing when the page changes the properties', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 5, body: 'nice' }, { rating: 3, body: 'ok' }]);
      const el = await list(entity);
      await showsIds(el, idsOf(newest(s)));
      let events = 0;
      for (const type of ['change', 'review-filter', 'input', 'review-vote']) el.addEventListener(type, () => events++);
      el.sort = 'highest';
      el.filterRating = '5';
      el.filterMedia = false;
      el.search = 'nice';
      await showsIds(el, [s[0]!.id]);
      expect($$<HTMLInputElement>(el, '.stars input')[0]!.checked).to.equal(true);
      // Removed attributes (null properties) fall back to the defaults.
      for (const name of ['search', 'filter-rating', 'sort', 'namespace']) {
        el.setAttribute(name, 'x');
        el.removeAttribute(name);
      }
      await showsIds(el, idsOf(newest(s)));
      expect(events).to.equal(0);
    });
  });

  describe('votes', () => {
    it('shows a vote at once in every element that shows the review, and not in another endpoint\'s', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 5, body: 'shared' }]);
      await castVotes(r!.id, 4, 0);
      const wrap = await fixture(html`<div></div>`);
      wrap.innerHTML = `<review-list endpoint="${API}" entity-id="${entity}"></review-list>
        <most-helpful endpoint="${API}" entity-id="${entity}"></most-helpful>
        <most-helpful endpoint="${faultEndpoint('slow-1')}" entity-id="${entity}"></most-helpful>`;
      const [el, top, elsewhere] = [...wrap.children] as HTMLElement[];
      await showsIds(el!, [r!.id]);
      const votes = (host: Element) => $$(host, '.vote').map((b) => `${b.textContent!.trim()}:${b.getAttribute('aria-pressed')}`);
      await until(() => votes(top!).length === 2 && votes(elsewhere!).length === 2, () => 'most-helpful cards');
      expect(votes(top!)).to.deep.equal(['Helpful (4):false', 'Not helpful (0):false']);

      const voted = oneEvent(el!, 'review-vote');
      button(el!, 'Helpful (4)')!.click();
      await voted;
      await (top as LitElement).updateComplete;
      expect(votes(el!)).to.deep.equal(['Helpful (5):true', 'Not helpful (0):false']);
      expect(votes(top!)).to.deep.equal(['Helpful (5):true', 'Not helpful (0):false'], 'the same review in most-helpful');
      // Another endpoint is another store: its copy keeps its own counts until it reloads.
      expect(votes(elsewhere!)[0]).to.match(/^Helpful \(4\):/);
    });

    it('records, changes and withdraws a vote, remembered across instances', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 4, body: 'useful' }]);
      await castVotes(r!.id, 2, 1);
      const el = await list(entity);
      await showsIds(el, [r!.id]);
      const votes = () => $$(el, '.vote').map((b) => `${b.textContent!.trim()}:${b.getAttribute('aria-pressed')}`);
      const server = async () => {
        const [x] = await queryApi({ filter: { entityId: entity } });
        return [x!.foundHelpful, x!.foundUnhelpful];
      };
      expect(votes()).to.deep.equal(['Helpful (2):false', 'Not helpful (1):false']);

      const voted = oneEvent(el, 'review-vote');
      button(el, 'Helpful (2)')!.click();
      await el.updateComplete;
      expect(votes()).to.deep.equal(['Helpful (3):true', 'Not helpful (1):false'], 'optimistic');
      const ev = await voted;
      expect(ev.detail).to.deep.equal({ reviewId: r!.id, vote: 'HELPFUL' });
      expect(ev.bubbles && ev.composed).to.equal(true);
      expect(await server()).to.deep.equal([3, 1]);

      const again = await list(entity);
      await showsIds(again, [r!.id]);
      expect($(again, '.vote')!.getAttribute('aria-pressed')).to.equal('true');
      expect($(again, '.vote')!.textContent!.trim()).to.equal('Helpful (3)');
      again.remove();

      const changed = oneEvent(el, 'review-vote');
      button(el, 'Not helpful (1)')!.click();
      expect((await changed).detail.vote).to.equal('UNHELPFUL');
      expect(votes()).to.deep.equal(['Helpful (2):false', 'Not helpful (2):true']);
      expect(await server()).to.deep.equal([2, 2]);

      const withdrawn = oneEvent(el, 'review-vote');
      button(el, 'Not helpful (2)')!.click();
      expect((await withdrawn).detail.vote).to.equal('NONE');
      await el.updateComplete;
      expect(votes()).to.deep.equal(['Helpful (2):false', 'Not helpful (1):false']);
      expect(await server()).to.deep.equal([2, 1]);
      await expect(el).to.be.accessible();
    });

    it('rolls back an optimistic vote the server refuses, politely, and sends one at a time', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 4 }]);
      await resetFaults();
      // Use up the first failure of the read paths; the vote (another path) fails once.
      await fetch(`${faultEndpoint('flaky-1')}/reviews/v1/reviews/query`, { method: 'POST', body: '{}' });
      const el = await list(entity, '', faultEndpoint('flaky-1'));
      await showsIds(el, [r!.id]);
      let events = 0;
      el.addEventListener('review-vote', () => events++);
      const before = clientFor(faultEndpoint('flaky-1')).requestCount;
      const vote = button(el, 'Helpful (0)')!;
      vote.click();
      vote.click();
      await el.updateComplete;
      expect($(el, '.vote')!.getAttribute('aria-pressed')).to.equal('true');
      expect($(el, '.vote')!.getAttribute('aria-disabled')).to.equal('true');
      const error = () => $(el, '.vote-error')!;
      await until(() => error().textContent === 'Your vote could not be saved. Please try again.', () => error().textContent!);
      expect(error().getAttribute('role')).to.equal('status');
      expect(clientFor(faultEndpoint('flaky-1')).requestCount - before).to.equal(1);
      expect($(el, '.vote')!.getAttribute('aria-pressed')).to.equal('false');
      expect($(el, '.vote')!.textContent!.trim()).to.equal('Helpful (0)');
      expect(JSON.parse(localStorage.getItem('storefront-reviews:votes') ?? '{}')[r!.id]).to.equal(undefined);
      expect(events).to.equal(0);
      expect((await queryApi({ filter: { entityId: entity } }))[0]!.foundHelpful).to.equal(0);
      await expect(el).to.be.accessible();
      button(el, 'Helpful (0)')!.click();
      await until(() => events === 1, () => 'second vote');
      expect(error().textContent).to.equal('');
      expect((await queryApi({ filter: { entityId: entity } }))[0]!.foundHelpful).to.equal(1);
    });
  });

  describe('review body', () => {
    it('clamps a long body with Read more / Show less, and not a short one', async () => {
      const entity = uniqueId();
      const long = Array.from({ length: 250 }, (_, i) => `word${i}`).join(' ');
      const [short, longer] = await seedReviews(entity, [{ rating: 3, body: 'Short and sweet.' }, { rating: 3, body: long }]);
      const el = await list(entity);
      await showsIds(el, [longer!.id, short!.id]);
      const more = () => card(el, longer!.id).querySelector<HTMLButtonElement>('button.link');
      await until(() => Boolean(more()), () => 'Read more button');
      expect(card(el, short!.id).querySelector('button.link')).to.equal(null);
      const body = card(el, longer!.id).querySelector<HTMLElement>('.body')!;
      expect(body.textContent).to.equal(long);
      expect(body.scrollHeight).to.be.greaterThan(body.clientHeight);
      expect([more()!.textContent!.trim(), more()!.getAttribute('aria-expanded')]).to.deep.equal(['Read more', 'false']);
      expect(more()!.getAttribute('aria-controls')).to.equal(body.id);
      more()!.click();
      await el.updateComplete;
      expect([more()!.textContent!.trim(), more()!.getAttribute('aria-expanded')]).to.deep.equal(['Show less', 'true']);
      expect(body.scrollHeight).to.equal(body.clientHeight);
      more()!.click();
      await el.updateComplete;
      expect(more()!.textContent!.trim()).to.equal('Read more');
    });

    it('renders hostile content as inert text', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 2, title: 'plain', body: 'plain' }]);
      await setReply(r!.id, 'thanks');
      delete (window as { __xss?: number }).__xss;
      const el = await list(entity, '', faultEndpoint('xss'));
      await showsIds(el, [r!.id]);
      const a = card(el, r!.id);
      expect(a.querySelector('[role="heading"]')!.textContent).to.equal('<img src=x onerror="window.__xss=1">');
      expect(a.querySelector('.body')!.textContent).to.contain('<script>');
      expect(a.querySelector('.reply-text')!.textContent).to.equal('<img src=x onerror="window.__xss=1">');
      expect(a.querySelectorAll('img, script, .thumb, a')).to.have.length(0);
      await new Promise((r) => setTimeout(r, 50));
      expect((window as { __xss?: number }).__xss).to.equal(undefined);
    });

    it('opens the lightbox from a thumbnail and returns focus to it', async () => {
      const entity = uniqueId();
      const a = await uploadImage('#c33');
      const b = await uploadImage('#3c3');
      const [r] = await seedReviews(entity, [{ rating: 5, authorName: 'Dana Kowalski', media: [{ image: { id: a.id } }, { image: { id: b.id } }] }]);
      const el = await list(entity, 'author-display="initial"');
      await showsIds(el, [r!.id]);
      const thumbs = $$<HTMLButtonElement>(el, 'button.thumb');
      expect(thumbs.map((t) => t.querySelector('img')!.alt)).to.deep.equal(['Photo 1 from the review by Dana K.', 'Photo 2 from the review by Dana K.']);
      thumbs[1]!.focus();
      thumbs[1]!.click();
      const lightbox = $(el, 'media-lightbox')!;
      const dialog = () => lightbox.shadowRoot!.querySelector('dialog')!;
      await until(() => dialog().open, () => 'dialog open');
      expect(dialog().querySelector('img')!.alt).to.equal('Photo 2 from the review by Dana K.');
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog().open, () => 'dialog closed');
      expect(focused(el)).to.equal(nodeName(thumbs[1]));
      expect(el.shadowRoot!.activeElement === thumbs[1]).to.equal(true);
      // "Go to review" leads back to the card itself, without leaving the page.
      thumbs[0]!.click();
      await until(() => dialog().open, () => 'dialog open again');
      const before = location.href;
      lightbox.shadowRoot!.querySelector<HTMLAnchorElement>('[part="review-link"]')!.click();
      await until(() => !dialog().open, () => 'dialog closed by the link');
      await until(() => el.shadowRoot!.activeElement === card(el, r!.id), () => `focus on ${focused(el)}`);
      expect(location.href).to.equal(before);
    });
  });

  describe('states', () => {
    it('reserves the space of a page while loading, then shows the reviews', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 5 }, { rating: 4 }]);
      const el = await list(entity, 'page-size="4"', faultEndpoint('slow-600'));
      expect($$(el, '.skeleton')).to.have.length(4);
      expect($(el, '.skeleton')!.getBoundingClientRect().height).to.be.greaterThan(100);
      expect(status(el)).to.equal('Loading reviews…');
      await expect(el).to.be.accessible();
      await showsIds(el, idsOf(newest(s)));
    });

    it('keeps the old reviews visible and busy while a new sort loads, and never shows stale results', async () => {
      const a = uniqueId();
      const b = uniqueId();
      const sa = await seedReviews(a, [{ rating: 1 }, { rating: 5 }]);
      const sb = await seedReviews(b, [{ rating: 3 }]);
      const el = await list(a, '', faultEndpoint('slow-300'));
      await showsIds(el, idsOf(newest(sa)));
      el.sort = 'lowest';
      await el.updateComplete;
      expect($(el, 'ul')!.getAttribute('aria-busy')).to.equal('true');
      expect(ids(el)).to.deep.equal(idsOf(newest(sa)));
      await showsIds(el, idsOf(sa));
      el.entityId = b;
      await el.updateComplete;
      expect($$(el, '.skeleton').length).to.be.greaterThan(0, 'another product: no old reviews');
      el.entityId = a;
      el.sort = 'highest';
      await el.updateComplete;
      el.entityId = b;
      await showsIds(el, idsOf(sb));
      await new Promise((r) => setTimeout(r, 400));
      expect(ids(el)).to.deep.equal(idsOf(sb));
    });

    it('says "No reviews yet" for a product without reviews', async () => {
      const el = await list(uniqueId());
      await until(() => Boolean($(el, '.empty')), () => 'empty state');
      expect($(el, '.empty')!.textContent!.trim()).to.equal('No reviews yet.');
      expect(status(el)).to.equal('No reviews yet.');
      expect(button(el, 'Clear filters')).to.equal(undefined);
      await expect(el).to.be.accessible();
    });

    it('offers Clear filters when nothing matches, which fires the events', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 5 }, { rating: 4 }]);
      const el = await list(entity, 'filter-rating="1" filter-verified');
      await until(() => Boolean($(el, '.empty')), () => 'empty state');
      expect(status(el)).to.equal('No reviews match these filters.');
      await expect(el).to.be.accessible();
      const events: string[] = [];
      el.addEventListener('change', () => events.push('change'));
      el.addEventListener('review-filter', (e) => events.push(`filter:${e.detail.ratings.length}`));
      button(el, 'Clear filters')!.focus();
      button(el, 'Clear filters')!.click();
      expect([el.filterRating, el.filterVerified, el.filterMedia, el.search]).to.deep.equal(['', false, false, '']);
      expect(events).to.deep.equal(['filter:0', 'change']);
      await showsIds(el, idsOf(newest(s)));
      // The button went with the empty state: focus is on the first review, not lost.
      await until(() => focused(el) === nodeName(card(el, idsOf(newest(s))[0]!)), () => `focus on ${focused(el)}`);
    });

    it('keeps focus in the list when Clear filters still finds nothing', async () => {
      const el = await list(uniqueId(), 'filter-rating="2"');
      await until(() => Boolean(button(el, 'Clear filters')), () => 'Clear filters');
      button(el, 'Clear filters')!.focus();
      button(el, 'Clear filters')!.click();
      await until(() => $(el, '.empty')?.textContent!.trim() === 'No reviews yet.', () => 'no reviews at all');
      await until(() => focused(el) === nodeName($(el, '.empty p')), () => `focus on ${focused(el)}`);
      await expect(el).to.be.accessible();
    });

    it('leaves focus on Clear filters when the page cancels the change, then and later', async () => {
      const el = await list(uniqueId(), 'filter-rating="2"');
      await until(() => Boolean(button(el, 'Clear filters')), () => 'Clear filters');
      el.addEventListener('review-filter', (e) => e.preventDefault());
      const clear = button(el, 'Clear filters')!;
      clear.focus();
      clear.click();
      await el.updateComplete;
      expect(el.filterRating).to.equal('2');
      expect(focused(el)).to.equal(nodeName(clear));
      // An update for another reason later does not take focus either.
      el.requestUpdate();
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 50));
      expect(focused(el)).to.equal(nodeName(clear));
    });

    it('shows an alert with a working Retry when the service fails', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 5 }, { rating: 2 }]);
      await resetFaults();
      const el = await list(entity, '', faultEndpoint('flaky-1'));
      await until(() => Boolean($(el, '[role="alert"]')), () => 'alert');
      expect($(el, '[role="alert"]')!.textContent).to.contain('Reviews could not be loaded.');
      await expect(el).to.be.accessible();
      button(el, 'Retry')!.click();
      await showsIds(el, idsOf(newest(s)));
      await until(() => status(el) === 'Showing 2 of 2 reviews', () => status(el));
    });

    it('skips an invalid review with one warning', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 5 }, { rating: 4 }, { rating: 3 }]);
      takeWarnings();
      const el = await list(entity, '', faultEndpoint('corrupt'));
      await showsIds(el, idsOf(newest(s)).slice(1));
      expect(takeWarnings().filter((w) => w.includes('skipped 1 invalid review'))).to.have.length(1);
    });

    it('makes one page request and one summary request, shared by a second list', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 5 }]);
      const endpoint = API;
      const client = clientFor(endpoint);
      const before = client.requestCount;
      const wrap = await fixture(html`<div>
        <review-list endpoint=${endpoint} entity-id=${entity}></review-list>
        <review-list endpoint=${endpoint} entity-id=${entity}></review-list>
      </div>`);
      const [one, two] = [...wrap.querySelectorAll('review-list')];
      await showsIds(one!, idsOf(s));
      await showsIds(two!, idsOf(s));
      await until(() => status(two!) === 'Showing 1 of 1 review', () => status(two!));
      expect(client.requestCount - before).to.equal(2);
    });
  });
});
