/**
 * `rating-summary attributes="..."`: a bar per attribute rating, from the Ratings API of
 * the real server (ratings seeded through it with the owner's key).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { clientFor } from '../../src/api/client.js';
import '../../src/elements/rating-summary/rating-summary.js';
import type { RatingSummary } from '../../src/elements/rating-summary/rating-summary.js';
import { API, OWNER_KEY, faultEndpoint, moderate, seedReviews, uniqueId } from './helpers.js';
import './setup.js';

const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const root = (el: RatingSummary) => el.shadowRoot!;
const loaded = (el: RatingSummary) =>
  until(() => !root(el).querySelector('.loading') && !!root(el).querySelector('[part="total"], [role="alert"]'), () => 'summary loaded');
const rows = (el: RatingSummary) => [...root(el).querySelectorAll<HTMLElement>('[part="attribute"]')];
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

/** What a screen reader gets per attribute: its name, and the meter's value text (or the visible text). */
function read(el: RatingSummary) {
  return rows(el).map((row) => {
    const meter = row.querySelector('[role="meter"]');
    if (!meter) return [text(row.firstElementChild), text(row.lastElementChild)];
    const name = root(el).getElementById(meter.getAttribute('aria-labelledby')!);
    return [text(name), meter.getAttribute('aria-valuetext'), meter.getAttribute('aria-valuenow')];
  });
}

/** Stores ratings with the owner's key (each from its own contact). */
async function rate(entityId: string, attributeName: string, values: number[], relatedEntityIds: string[] = []) {
  for (const value of values) {
    const res = await fetch(`${API}/ratings/v1/ratings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: OWNER_KEY },
      body: JSON.stringify({ rating: { group: 'stores', entityId, attributeName, value, owner: { contactId: crypto.randomUUID() }, relatedEntityIds } }),
    });
    if (!res.ok) throw new Error(`rating: ${res.status} ${await res.text()}`);
  }
}

describe('<rating-summary attributes>', () => {
  it('shows each attribute average on the 5-star scale, exactly as the server computes it', async () => {
    const entity = uniqueId();
    const [review, rejected] = await seedReviews(entity, [{ rating: 5 }, { rating: 1 }]);
    await rate(entity, 'quality', [100, 80, 80, 60], [review!.id]);
    await rate(entity, 'quality', [100]);
    await rate(entity, 'value', [60, 80, 90]);
    // A rating tied to a rejected review does not count.
    await rate(entity, 'quality', [0], [rejected!.id]);
    await moderate(rejected!.id, 'REJECTED');

    const el = await fixture<RatingSummary>(
      html`<rating-summary endpoint=${API} entity-id=${entity} attributes="quality, value, fit:How it fits"></rating-summary>`,
    );
    await loaded(el);
    expect(root(el).querySelector('[part="attributes"]')!.getAttribute('aria-label')).to.equal('Ratings by feature');
    // quality 420/5 = 84 → 4.2; value 230/3 = 76.67 → 3.8; fit has none.
    expect(read(el)).to.deep.equal([
      ['Quality', '4.2 out of 5, 5 ratings', '4.2'],
      ['Value for money', '3.8 out of 5, 3 ratings', '3.8'],
      ['How it fits', 'No ratings yet'],
    ]);
    const meters = rows(el).map((r) => r.querySelector('[role="meter"]'));
    expect(meters.slice(0, 2).map((m) => [m!.getAttribute('aria-valuemin'), m!.getAttribute('aria-valuemax')])).to.deep.equal([
      ['0', '5'],
      ['0', '5'],
    ]);
    // The visible averages, and bars drawn to scale.
    expect(rows(el).slice(0, 2).map((r) => text(r.querySelector('.count')))).to.deep.equal(['4.2', '3.8']);
    await Promise.all(root(el).getAnimations().map((a) => a.finished));
    const share = (m: Element) => m.querySelector('[part="fill"]')!.getBoundingClientRect().width / m.getBoundingClientRect().width;
    expect(share(meters[0]!)).to.be.closeTo(0.84, 0.01);
    expect(share(meters[1]!)).to.be.closeTo(0.76, 0.01);
    await expect(el).to.be.accessible();

    // Compare with the Ratings API's own summary.
    const res = await fetch(`${API}/ratings/v1/ratings/groups/stores/entities/${entity}/summary?attributeNames=quality,value`);
    const { attributeSummaries } = await res.json();
    expect(attributeSummaries.map((s: { average: number; total: number }) => [s.average, s.total])).to.deep.equal([
      [84, 5],
      [76.6667, 3],
    ]);
  });

  it('says "rating" for one, formats for the page language, and keeps the overall summary working', async () => {
    const entity = uniqueId();
    await seedReviews(entity, [{ rating: 4 }]);
    await rate(entity, 'comfort', [70]);
    const wrap = await fixture(html`<div lang="de"><rating-summary endpoint=${API} entity-id=${entity} attributes="comfort,ease_of_use,overall,Bad Name"></rating-summary></div>`);
    const el = wrap.querySelector('rating-summary')!;
    await loaded(el);
    expect(text(root(el).querySelector('[part="average"]'))).to.equal('4,0');
    // `overall` (the stars above) and names the Ratings API refuses are not attributes.
    expect(read(el)).to.deep.equal([
      ['Comfort', '3,5 out of 5, 1 rating', '3.5'],
      ['Ease of use', 'No ratings yet'],
    ]);
    await expect(el).to.be.accessible();
  });

  it('asks for no attributes without the attribute, and for them in one request with it', async () => {
    const entity = uniqueId();
    await rate(entity, 'fit', [40, 60]);
    const client = clientFor(API);
    let before = client.requestCount;
    const plain = await fixture<RatingSummary>(html`<rating-summary endpoint=${API} entity-id=${entity}></rating-summary>`);
    await loaded(plain);
    expect(root(plain).querySelector('[part="attributes"]')).to.equal(null);
    expect(client.requestCount - before).to.equal(1);

    before = client.requestCount;
    plain.ratingAttributes = 'fit';
    await until(() => rows(plain).length === 1 && !!rows(plain)[0]!.querySelector('[role="meter"]'), () => 'the fit bar');
    expect(read(plain)).to.deep.equal([['Fit', '2.5 out of 5, 2 ratings', '2.5']]);
    // The overall summary came from the cache: only the attributes were fetched.
    expect(client.requestCount - before).to.equal(1);
  });

  it('hides the attribute list while loading and offers Retry when loading fails', async () => {
    const entity = uniqueId();
    const slow = await fixture<RatingSummary>(html`<rating-summary endpoint=${faultEndpoint('slow-1500')} entity-id=${entity} attributes="quality"></rating-summary>`);
    const list = root(slow).querySelector('[part="attributes"]')!;
    expect(list.getAttribute('aria-hidden')).to.equal('true');
    expect(text(list)).to.equal('Quality');
    await expect(slow).to.be.accessible();
    await loaded(slow);
    expect(read(slow)).to.deep.equal([['Quality', 'No ratings yet']]);

    const failing = await fixture<RatingSummary>(html`<rating-summary endpoint=${faultEndpoint('envelope')} entity-id=${entity} attributes="quality"></rating-summary>`);
    await loaded(failing);
    expect(text(root(failing).querySelector('[role="alert"] span'))).to.equal('Ratings could not be loaded.');
    await expect(failing).to.be.accessible();

    // Retry: the first summary request of a new entity fails once, the next ones do not.
    const other = uniqueId();
    await rate(other, 'quality', [80]);
    const flaky = await fixture<RatingSummary>(html`<rating-summary endpoint=${faultEndpoint('flaky-1')} entity-id=${other} attributes="quality"></rating-summary>`);
    await loaded(flaky);
    const retry = root(flaky).querySelector<HTMLButtonElement>('[role="alert"] button');
    expect(text(retry)).to.equal('Retry');
    retry!.click();
    await until(() => rows(flaky).length === 1 && !!rows(flaky)[0]!.querySelector('[role="meter"]'), () => 'the quality bar after Retry');
    expect(read(flaky)).to.deep.equal([['Quality', '4.0 out of 5, 1 rating', '4']]);
  });

  it('shows at most 20 attributes, as many as one summary request may name', async () => {
    const entity = uniqueId();
    await rate(entity, 'a21', [100]);
    await rate(entity, 'a1', [60]);
    const names = Array.from({ length: 25 }, (_, i) => `a${i + 1}`).join(',');
    const el = await fixture<RatingSummary>(html`<rating-summary endpoint=${API} entity-id=${entity} attributes=${names}></rating-summary>`);
    await loaded(el);
    expect(text(root(el).querySelector('[role="alert"]'))).to.equal(null);
    expect(rows(el).length).to.equal(20);
    expect(read(el)[0]).to.deep.equal(['A1', '3.0 out of 5, 1 rating', '3']);
    expect(read(el).map(([name]) => name)).not.to.include('A21');
  });
});
