// The whole widget set on one product page, against the real server: the request-count
// promise of the widget issue, and hostile review content rendered inert everywhere.
import { expect, fixture, html } from '@open-wc/testing';
import { render, type LitElement } from 'lit';
import { clientFor } from '../../src/api/client.js';
import '../../src/index.js';
import { API, castVotes, faultEndpoint, seedReviews, uniqueId, uploadImage } from './helpers.js';
import './setup.js';

const until = async (fn: () => boolean, message: () => string, timeout = 10_000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** Every node in the document and in every open shadow root below it. */
function deepQueryAll(root: ParentNode, selector: string): Element[] {
  const found = [...root.querySelectorAll(selector)];
  const own = root instanceof Element && root.shadowRoot ? [root.shadowRoot] : [];
  for (const sr of own) found.push(...deepQueryAll(sr, selector));
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepQueryAll(el.shadowRoot, selector));
  return found;
}

const reviewsShown = (host: Element) => deepQueryAll(host, '[part="review"]').length;
const apiEntries = (since: number) =>
  performance.getEntriesByType('resource').filter((e) => e.name.startsWith(API) && e.startTime >= since && !e.name.includes('/media/')) as PerformanceResourceTiming[];

describe('product page', () => {
  let entity: string;
  before(async () => {
    entity = uniqueId('page');
    const photo = await uploadImage('#aa5500');
    const seeded = await seedReviews(entity, [
      { rating: 5, title: 'Great', body: 'Love it.', media: [{ image: { id: photo.id } }] },
      { rating: 2, title: 'Meh', body: 'Runs small.' },
      { rating: 4, title: 'Good', body: 'Solid.' },
    ]);
    await castVotes(seeded[1]!.id, 2);
  });

  it('makes one request per distinct query (4), in parallel; more summaries and badges add none', async () => {
    const client = clientFor(API);
    const before = client.requestCount;
    const since = performance.now();
    const page = document.createElement('div');
    render(
      html`<media-gallery endpoint=${API} entity-id=${entity}></media-gallery>
        <rating-stars endpoint=${API} entity-id=${entity}></rating-stars>
        <rating-summary endpoint=${API} entity-id=${entity} for="list"></rating-summary>
        <most-helpful endpoint=${API} entity-id=${entity}></most-helpful>
        <review-list id="list" endpoint=${API} entity-id=${entity}></review-list>
        <rating-summary endpoint=${API} entity-id=${entity}></rating-summary>
        <rating-stars endpoint=${API} entity-id=${entity}></rating-stars>`,
      page,
    );
    document.body.append(page);
    // In parallel: all four requests are sent during the first render, before any
    // response can arrive (no task boundary has passed yet, only microtasks).
    await Promise.all([...page.children].map((el) => (el as LitElement).updateComplete));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(client.requestCount - before, 'requests sent during the first render').to.equal(4);
    const list = page.querySelector('review-list')!;
    const helpful = page.querySelector('most-helpful')!;
    const gallery = page.querySelector('media-gallery')!;
    await until(
      () => reviewsShown(list) === 3 && reviewsShown(helpful) === 3 && deepQueryAll(gallery, 'button img').length === 1,
      () => `list ${reviewsShown(list)}, most-helpful ${reviewsShown(helpful)}, gallery ${deepQueryAll(gallery, 'button img').length}`,
    );
    const stars = [...page.querySelectorAll('rating-stars')];
    await until(
      () => stars.every((s) => s.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label') === 'Rated 3.7 out of 5, 3 reviews'),
      () => stars.map((s) => s.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).join(' | '),
    );
    expect(client.requestCount - before, 'requests made through the shared client').to.equal(4);
    const entries = apiEntries(since);
    expect(entries.map((e) => new URL(e.name).pathname).sort()).to.deep.equal([
      `/ratings/v1/ratings/groups/stores/entities/${entity}/summary`,
      '/reviews/v1/reviews/query',
      '/reviews/v1/reviews/query',
      '/reviews/v1/reviews/query',
    ]);
    await expect(page).to.be.accessible();
    page.remove();
  });

  it('renders hostile review content inert in every element', async () => {
    const endpoint = faultEndpoint('xss');
    (window as unknown as { __xss?: number }).__xss = undefined;
    const page = await fixture(html`<div>
      <media-gallery endpoint=${endpoint} entity-id=${entity}></media-gallery>
      <rating-summary endpoint=${endpoint} entity-id=${entity}></rating-summary>
      <most-helpful endpoint=${endpoint} entity-id=${entity}></most-helpful>
      <review-list endpoint=${endpoint} entity-id=${entity}></review-list>
    </div>`);
    const list = page.querySelector('review-list')!;
    const helpful = page.querySelector('most-helpful')!;
    await until(() => reviewsShown(list) === 3 && reviewsShown(helpful) === 3, () => `list ${reviewsShown(list)}, most-helpful ${reviewsShown(helpful)}`);
    await new Promise((r) => setTimeout(r, 300)); // give any injected handler a chance to run
    expect((window as unknown as { __xss?: number }).__xss, 'no injected script ran').to.equal(undefined);
    expect(deepQueryAll(page, 'img[src="x"], script, iframe, object, embed'), 'no injected elements').to.have.length(0);
    const urls = deepQueryAll(page, '[src], [href], [poster]').flatMap((el) => ['src', 'href', 'poster'].map((a) => el.getAttribute(a) ?? ''));
    expect(urls.filter((u) => /^\s*(javascript|data|vbscript):/i.test(u)), 'no script URLs').to.deep.equal([]);
    // The hostile text is shown, as text.
    const titles = deepQueryAll(list, '[part="review"]').map((a) => a.textContent!);
    expect(titles.every((t) => t.includes('<img src=x onerror="window.__xss=1">'))).to.equal(true);
  });
});
