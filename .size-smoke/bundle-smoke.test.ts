// TEMPORARY (size helper): exercises the mangled, message-inlined bundle's private paths.
import { expect, fixture, html } from '@open-wc/testing';
import { API, seedReviews, uniqueId, uploadImage } from '../test/elements/helpers.js';

const bundle = (await import(/* @vite-ignore */ '/__dist/storefront-reviews.js')) as Record<string, CustomElementConstructor>;
const until = async (fn: () => boolean, message: () => string, timeout = 8000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const sr = (el: Element) => el.shadowRoot!;
const text = (n: Element | null | undefined) => n?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('bundle smoke', () => {
  it('review-form validates, uploads and submits', async () => {
    expect(customElements.get('review-form')).to.equal(bundle.ReviewForm);
    const entity = uniqueId('sm');
    const el = await fixture(html`<review-form endpoint=${API} entity-id=${entity} product-name="Mug"></review-form>`);
    const form = sr(el).querySelector('form')!;
    sr(el).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    await until(() => sr(el).querySelectorAll('[part="error-summary"] li').length > 0, () => 'errors');
    expect([...sr(el).querySelectorAll('[part="error-summary"] li')].map(text)).to.deep.equal(['Choose a rating.', 'Enter your name.', 'Enter your e-mail address.']);
    expect(sr(el).activeElement?.id).to.equal('rating');
    const stars = sr(el).querySelector('rating-stars')!;
    sr(stars).querySelectorAll('input')[3]!.click();
    for (const [id, v] of [['name', 'Ada'], ['email', `${uniqueId('u')}@example.com`], ['title', 'Nice']]) {
      const input = sr(el).querySelector<HTMLInputElement>(`#${id}`)!;
      input.value = v!;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    const canvas = document.createElement('canvas');
    canvas.width = 8; canvas.height = 8;
    const blob = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'a.png', { type: 'image/png' }));
    const file = sr(el).querySelector<HTMLInputElement>('#photos')!;
    file.files = dt.files;
    file.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => text(sr(el).querySelector('.photo-state')) === 'Uploaded', () => text(sr(el).querySelector('.photo-state')));
    expect(new FormData(form).get('rating')).to.equal('4');
    const done = new Promise<CustomEvent>((r) => el.addEventListener('review-submitted', (e) => r(e as CustomEvent), { once: true }));
    sr(el).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    const ev = await done;
    expect(ev.detail.review.content.media).to.have.length(1);
    await until(() => Boolean(sr(el).querySelector('#status')), () => 'status');
    expect(text(sr(el).querySelector('#status'))).to.match(/^Thanks!/);
  });

  it('review-list votes, expands, opens the lightbox, sorts and pages', async () => {
    const entity = uniqueId('sm');
    const img = await uploadImage();
    await seedReviews(entity, [
      { rating: 5, title: 'One', body: 'x '.repeat(800), media: [{ image: { id: img.id } }] },
      { rating: 3, title: 'Two' },
      { rating: 4, title: 'Three' },
    ]);
    const el = await fixture(html`<review-list endpoint=${API} entity-id=${entity} page-size="2"></review-list>`);
    const heads = () => [...sr(el).querySelectorAll('[part="review"] [role="heading"]')].map(text);
    await until(() => heads().length === 2, () => heads().join());
    expect(text(sr(el).querySelector('[role="status"]'))).to.equal('Showing 2 of 3 reviews');
    sr(el).querySelector<HTMLButtonElement>('[part="load-more"]')!.click();
    await until(() => heads().length === 3, () => heads().join());
    const one = [...sr(el).querySelectorAll<HTMLElement>('[part="review"]')].find((c) => text(c.querySelector('[role="heading"]')) === 'One')!;
    await until(() => Boolean(one.querySelector('.link')), () => 'read more');
    one.querySelector<HTMLButtonElement>('.link')!.click();
    await until(() => text(one.querySelector('.link')) === 'Show less', () => text(one.querySelector('.link')));
    const vote = one.querySelector<HTMLButtonElement>('.vote')!;
    vote.click();
    await until(() => vote.getAttribute('aria-pressed') === 'true' && text(vote) === 'Helpful (1)', () => text(vote));
    one.querySelector<HTMLButtonElement>('[part="thumbnail"]')!.click();
    const box = sr(el).querySelector('media-lightbox')!;
    await until(() => Boolean(sr(box).querySelector('dialog')?.open), () => 'dialog open');
    expect(text(sr(box).querySelector('h2'))).to.equal('Photo 1 of 1');
    sr(box).querySelector<HTMLButtonElement>('.close')!.click();
    await until(() => !sr(box).querySelector('dialog')!.open, () => 'closed');
    const select = sr(el).querySelector('select')!;
    select.value = 'lowest';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => heads()[0] === 'Two', () => heads().join());
  });

  it('most-helpful carousel, rating-summary filter and media-gallery work', async () => {
    const entity = uniqueId('sm');
    const img = await uploadImage();
    await seedReviews(entity, [{ rating: 5, title: 'A', media: [{ image: { id: img.id } }] }, { rating: 2, title: 'B' }]);
    const page = await fixture(html`<div>
      <rating-summary endpoint=${API} entity-id=${entity} for="list"></rating-summary>
      <review-list id="list" endpoint=${API} entity-id=${entity}></review-list>
      <most-helpful endpoint=${API} entity-id=${entity} layout="carousel"></most-helpful>
      <most-helpful endpoint=${API} entity-id=${entity} face-off></most-helpful>
      <media-gallery endpoint=${API} entity-id=${entity}></media-gallery>
    </div>`);
    const [summary, list, carousel, faceoff, gallery] = ['rating-summary', 'review-list', 'most-helpful', 'most-helpful[face-off]', 'media-gallery'].map((s) => page.querySelector(s)!) as Element[];
    await until(() => text(sr(summary!).querySelector('[part="total"]')) === 'Based on 2 reviews', () => text(sr(summary!).querySelector('[part="total"]')));
    sr(summary!).querySelectorAll<HTMLButtonElement>('.bar')[0]!.click();
    await until(() => (list as any).filterRating === '5', () => String((list as any).filterRating));
    await until(() => sr(carousel!).querySelectorAll('.slide').length === 2, () => 'slides');
    expect(sr(carousel!).querySelector('.track')!.getAttribute('aria-roledescription')).to.equal('carousel');
    await until(() => sr(faceoff!).querySelectorAll('.side [part="review"]').length === 2, () => 'face-off');
    await until(() => sr(gallery!).querySelectorAll('[part="thumbnail"]').length === 1, () => 'tiles');
    sr(gallery!).querySelector<HTMLButtonElement>('[part="thumbnail"]')!.click();
    const box = sr(gallery!).querySelector('media-lightbox')!;
    await until(() => Boolean(sr(box).querySelector('dialog')?.open), () => 'dialog open');
    sr(box).querySelector<HTMLButtonElement>('.close')!.click();
    await expect(list).to.be.accessible();
  });
});
