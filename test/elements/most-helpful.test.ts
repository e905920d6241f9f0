import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor, toWixQuery } from '../../src/api/client.js';
import type { Review } from '../../src/api/schema.js';
import '../../src/elements/most-helpful/most-helpful.js';
import type { MostHelpful } from '../../src/elements/most-helpful/most-helpful.js';
import { API, castVotes, faultEndpoint, queryApi, seedReviews, takeWarnings, uniqueId } from './helpers.js';
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
const ids = (el: Element, scope = '') => $$(el, `${scope} [part="review"]`).map((a) => a.dataset.reviewId!);
const idsOf = (reviews: Review[]) => reviews.map((r) => r.id);
const shows = async (el: Element, expected: string[], scope = '') =>
  until(
    () => JSON.stringify(ids(el, scope)) === JSON.stringify(expected),
    () => `ids were ${JSON.stringify(ids(el, scope))}, expected ${JSON.stringify(expected)}`,
  );
/** Compared as text: a failed assertion on DOM nodes would stall the test runner's error report. */
const nodeName = (node: Element | null | undefined) =>
  node ? `${node.localName}${node.getAttribute('data-review-id') ? `#${node.getAttribute('data-review-id')}` : ''}${node.getAttribute('aria-label') ? `[${node.getAttribute('aria-label')}]` : ''} "${node.textContent!.trim().slice(0, 40)}"` : 'nothing';
const focused = (el: Element) => nodeName(el.shadowRoot!.activeElement);
const resetFaults = () => fetch(`${location.origin}/__fault/reset/all`);

async function mostHelpful(attrs: string, endpoint = API): Promise<MostHelpful> {
  const wrap = await fixture(html`<div style="inline-size: 420px"></div>`);
  wrap.innerHTML = `<most-helpful endpoint="${endpoint}" ${attrs}></most-helpful>`;
  const el = wrap.querySelector('most-helpful')!;
  await el.updateComplete;
  return el;
}

/** Seeds reviews with [helpful, unhelpful] votes; returns them with the expected top order. */
async function seedRanked(entity: string, rows: [rating: number, helpful: number, unhelpful: number][], namespace = 'stores') {
  const seeded = await seedReviews(entity, rows.map(([rating], i) => ({ rating, title: `Review ${i}` })), namespace);
  for (const [i, [, up, down]] of rows.entries()) if (up + down) await castVotes(seeded[i]!.id, up, down);
  const ranked = seeded
    .map((r, i) => ({ r, i, score: rows[i]![1] - rows[i]![2] }))
    .sort((a, b) => b.score - a.score || b.i - a.i)
    .map((x) => x.r);
  return { seeded, ranked };
}

describe('<most-helpful>', () => {
  describe('list', () => {
    it('shows the top 10 by helpfulness, ties newest first, in a labelled region', async () => {
      const entity = uniqueId();
      const { ranked } = await seedRanked(entity, [
        [5, 3, 2], [4, 0, 0], [2, 4, 0], [5, 1, 0], [3, 2, 0], [1, 0, 1],
        [5, 2, 0], [4, 0, 0], [3, 1, 0], [5, 0, 0], [4, 5, 1], [2, 0, 0],
      ]);
      const el = await mostHelpful(`entity-id="${entity}"`);
      const expected = idsOf(ranked).slice(0, 10);
      await shows(el, expected);
      expect(expected).to.deep.equal(idsOf(await queryApi(toWixQuery({ namespace: 'stores', entityId: entity, sort: 'most-helpful' }).query)));
      const section = $(el, 'section')!;
      const heading = $(el, `#${section.getAttribute('aria-labelledby')}`)!;
      expect([heading.getAttribute('role'), heading.getAttribute('aria-level'), heading.textContent]).to.deep.equal(['heading', '2', 'Most helpful reviews']);
      expect($(el, 'ol')!.getAttribute('role')).to.equal('list');
      expect($(el, '[part="review"] [role="heading"]')!.getAttribute('aria-level')).to.equal('3');
      await expect(el).to.be.accessible();
    });

    it('honours limit, heading, heading-level and author-display', async () => {
      const entity = uniqueId();
      const seeded = await seedReviews(entity, [
        { rating: 4, authorName: 'Dana Kowalski' },
        { rating: 5, authorName: 'Lee Chan' },
      ]);
      await castVotes(seeded[0]!.id, 1);
      const el = await mostHelpful(`entity-id="${entity}" limit="1" heading="Shoppers liked" heading-level="4" author-display="initial"`);
      await shows(el, [seeded[0]!.id]);
      const heading = $(el, '[part="heading"]')!;
      expect([heading.textContent, heading.getAttribute('aria-level')]).to.deep.equal(['Shoppers liked', '4']);
      const card = $(el, '[part="review"]')!;
      expect(card.querySelector('[role="heading"]')!.getAttribute('aria-level')).to.equal('5');
      expect(card.querySelector('[role="heading"]')!.textContent).to.equal('Dana K.');
      el.limit = 5;
      el.headingLevel = 9;
      await shows(el, [seeded[0]!.id, seeded[1]!.id]);
      expect(heading.getAttribute('aria-level')).to.equal('6');
    });

    it('ranks across the namespace when no entity-id is given', async () => {
      const namespace = uniqueId('ns');
      const a = await seedRanked(uniqueId(), [[5, 1, 0], [2, 3, 0]], namespace);
      const b = await seedRanked(uniqueId(), [[4, 2, 0], [1, 0, 0]], namespace);
      const el = await mostHelpful(`namespace="${namespace}"`);
      await shows(el, [a.seeded[1]!.id, b.seeded[0]!.id, a.seeded[0]!.id, b.seeded[1]!.id]);
    });

    it('votes from the card, and never shows a previous product after a quick switch', async () => {
      const one = uniqueId();
      const two = uniqueId();
      const [r] = await seedReviews(one, [{ rating: 3 }]);
      const [other] = await seedReviews(two, [{ rating: 5 }]);
      const el = await mostHelpful(`entity-id="${one}"`, faultEndpoint('slow-200'));
      await shows(el, [r!.id]);
      const voted = oneEvent(el, 'review-vote');
      $<HTMLButtonElement>(el, '.vote')!.click();
      expect((await voted).detail).to.deep.equal({ reviewId: r!.id, vote: 'HELPFUL' });
      expect($(el, '.vote')!.textContent!.trim()).to.equal('Helpful (1)');
      expect((await queryApi({ filter: { entityId: one } }))[0]!.foundHelpful).to.equal(1);
      el.entityId = two;
      await el.updateComplete;
      el.entityId = one;
      await el.updateComplete;
      el.entityId = two;
      await shows(el, [other!.id]);
    });
  });

  describe('carousel', () => {
    it('is a track of labelled slides with Previous / Next and arrow keys', async () => {
      const entity = uniqueId();
      const { ranked } = await seedRanked(entity, [[5, 1, 0], [4, 2, 0], [3, 3, 0], [2, 4, 0]]);
      const el = await mostHelpful(`entity-id="${entity}" layout="carousel"`);
      await shows(el, idsOf(ranked));
      const slides = $$(el, '.slide');
      expect(slides.map((s) => [s.getAttribute('role'), s.getAttribute('aria-roledescription'), s.getAttribute('aria-label')])).to.deep.equal(
        [1, 2, 3, 4].map((n) => ['group', 'slide', `${n} of 4`]),
      );
      expect(slides.map((s) => s.querySelector('[part="review"]')!.getAttribute('data-review-id'))).to.deep.equal(idsOf(ranked));
      const track = $(el, '[part="track"]')!;
      expect(track.scrollWidth).to.be.greaterThan(track.clientWidth);
      const [prev, next] = $$<HTMLButtonElement>(el, '[part="nav"] button');
      expect([prev!.textContent!.trim(), next!.textContent!.trim()]).to.deep.equal(['‹ Previous', 'Next ›']);
      expect(prev!.getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();

      next!.click();
      await until(() => Math.abs(track.scrollLeft - slides[1]!.offsetLeft + slides[0]!.offsetLeft) < 3, () => `scrollLeft ${track.scrollLeft}`);
      await until(() => prev!.getAttribute('aria-disabled') === 'false', () => 'Previous enabled');
      prev!.click();
      await until(() => track.scrollLeft < 3, () => `scrollLeft ${track.scrollLeft}`);

      slides[0]!.focus();
      await sendKeys({ press: 'ArrowRight' });
      expect(focused(el)).to.equal(nodeName(slides[1]));
      await sendKeys({ press: 'End' });
      expect(focused(el)).to.equal(nodeName(slides[3]));
      await until(() => next!.getAttribute('aria-disabled') === 'true', () => 'Next disabled at the end');
      await sendKeys({ press: 'ArrowLeft' });
      expect(focused(el)).to.equal(nodeName(slides[2]));
      await sendKeys({ press: 'Home' });
      expect(focused(el)).to.equal(nodeName(slides[0]));
    });

    it('has no Previous / Next for a single review', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 4 }]);
      const el = await mostHelpful(`entity-id="${entity}" layout="carousel"`);
      await shows(el, [r!.id]);
      expect($(el, '.slide')!.getAttribute('aria-label')).to.equal('1 of 1');
      expect($(el, '[part="nav"]')).to.equal(null);
    });

    it('mirrors the arrow keys in right-to-left pages', async () => {
      const entity = uniqueId();
      const { ranked } = await seedRanked(entity, [[5, 1, 0], [4, 2, 0]]);
      const wrap = await fixture(html`<div dir="rtl" style="inline-size: 420px"><most-helpful endpoint=${API} entity-id=${entity} layout="carousel"></most-helpful></div>`);
      const el = wrap.querySelector('most-helpful')!;
      await shows(el, idsOf(ranked));
      const slides = $$(el, '.slide');
      slides[0]!.focus();
      await sendKeys({ press: 'ArrowLeft' });
      expect(focused(el)).to.equal(nodeName(slides[1]));
      await sendKeys({ press: 'ArrowRight' });
      expect(focused(el)).to.equal(nodeName(slides[0]));
    });
  });

  describe('face-off', () => {
    it('shows the most helpful positive and critical reviews from the one top query', async () => {
      const entity = uniqueId();
      const { seeded } = await seedRanked(entity, [[5, 2, 0], [2, 1, 0], [4, 5, 0], [1, 3, 0], [3, 0, 0]]);
      const client = clientFor(API);
      const before = client.requestCount;
      const wrap = await fixture(html`<div>
        <most-helpful endpoint=${API} entity-id=${entity} face-off></most-helpful>
        <most-helpful endpoint=${API} entity-id=${entity}></most-helpful>
      </div>`);
      const [el, list] = [...wrap.querySelectorAll('most-helpful')];
      await shows(el!, [seeded[2]!.id, seeded[3]!.id]);
      await shows(list!, [seeded[2]!.id, seeded[3]!.id, seeded[0]!.id, seeded[1]!.id, seeded[4]!.id]);
      expect(client.requestCount - before).to.equal(1);
      const sides = $$(el!, '.side');
      expect(sides.map((s) => [s.querySelector('.side-heading')!.textContent, s.querySelector('.side-heading')!.getAttribute('aria-level')])).to.deep.equal([
        ['Top positive review', '3'],
        ['Top critical review', '3'],
      ]);
      expect(sides[0]!.querySelector('[part="review"] [role="heading"]')!.getAttribute('aria-level')).to.equal('4');
      await expect(el!).to.be.accessible();
    });

    it('stands side by side, and stacks on narrow screens', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 1 }, { rating: 5 }]);
      const wrap = await fixture(html`<div style="inline-size: 800px"><most-helpful endpoint=${API} entity-id=${entity} face-off></most-helpful></div>`);
      const el = wrap.querySelector('most-helpful')!;
      await shows(el, [s[1]!.id, s[0]!.id]);
      const [a, b] = $$(el, '.side').map((x) => x.getBoundingClientRect());
      expect([a!.top, a!.right < b!.left]).to.deep.equal([b!.top, true]);
      (wrap as HTMLElement).style.inlineSize = '320px';
      const [c, d] = $$(el, '.side').map((x) => x.getBoundingClientRect());
      expect(d!.top).to.be.greaterThan(c!.bottom - 1);
    });

    it('asks for the missing side only when the top page lacks it', async () => {
      const entity = uniqueId();
      const { seeded } = await seedRanked(entity, [[3, 1, 0], [2, 0, 0], [5, 4, 0], [4, 3, 0]]);
      const client = clientFor(API);
      const before = client.requestCount;
      const el = await mostHelpful(`entity-id="${entity}" face-off limit="2"`);
      // The top two are both positive: one more request (limit 1, ratings 1-3) finds the critical one.
      await shows(el, [seeded[2]!.id, seeded[0]!.id]);
      expect(client.requestCount - before).to.equal(2);
    });

    it('says so when one side has no reviews, without asking again', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 5 }]);
      const client = clientFor(API);
      const before = client.requestCount;
      const el = await mostHelpful(`entity-id="${entity}" face-off`);
      await shows(el, [r!.id]);
      expect($$(el, '.side .empty').map((p) => p.textContent)).to.deep.equal(['No critical reviews yet.']);
      expect(client.requestCount - before).to.equal(1);
    });
  });

  describe('states', () => {
    it('reserves space while loading', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 4 }]);
      const el = await mostHelpful(`entity-id="${entity}" limit="3"`, faultEndpoint('slow-500'));
      expect($$(el, '.skeleton')).to.have.length(3);
      expect($(el, '[role="status"]')!.textContent).to.equal('Loading reviews…');
      await expect(el).to.be.accessible();
      await shows(el, [r!.id]);
      expect($(el, '[role="status"]')!.textContent).to.equal('');
    });

    it('says "No reviews yet" when there are none', async () => {
      const el = await mostHelpful(`entity-id="${uniqueId()}" face-off`);
      await until(() => Boolean($(el, 'section > .empty')), () => 'empty state');
      expect($(el, 'section > .empty')!.textContent).to.equal('No reviews yet.');
      await expect(el).to.be.accessible();
    });

    it('shows an alert with a working Retry', async () => {
      const entity = uniqueId();
      const [r] = await seedReviews(entity, [{ rating: 4 }]);
      await resetFaults();
      const el = await mostHelpful(`entity-id="${entity}"`, faultEndpoint('flaky-1'));
      await until(() => Boolean($(el, '[role="alert"]')), () => 'alert');
      expect($(el, '[role="alert"]')!.textContent).to.contain('Reviews could not be loaded.');
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, '[role="alert"] button')!.click();
      await shows(el, [r!.id]);
    });

    it('renders hostile content inert and skips invalid items', async () => {
      const entity = uniqueId();
      const s = await seedReviews(entity, [{ rating: 4 }, { rating: 5 }]);
      delete (window as { __xss?: number }).__xss;
      const el = await mostHelpful(`entity-id="${entity}"`, faultEndpoint('xss'));
      await shows(el, idsOf(s).reverse());
      expect($(el, '[part="review"] [role="heading"]')!.textContent).to.equal('<img src=x onerror="window.__xss=1">');
      expect($$(el, '[part="review"] img, [part="review"] .thumb')).to.have.length(0);
      await new Promise((r) => setTimeout(r, 50));
      expect((window as { __xss?: number }).__xss).to.equal(undefined);
      takeWarnings();
      const corrupt = await mostHelpful(`entity-id="${entity}"`, faultEndpoint('corrupt'));
      await shows(corrupt, [s[0]!.id]);
      expect(takeWarnings().filter((w) => w.includes('skipped 1 invalid review'))).to.have.length(1);
    });
  });
});
