import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { clientFor } from '../../src/api/client.js';
import type { Review } from '../../src/api/schema.js';
import '../../src/elements/media-gallery/media-gallery.js';
import type { MediaGallery } from '../../src/elements/media-gallery/media-gallery.js';
import type { MediaLightbox } from '../../src/elements/media-gallery/media-lightbox.js';
import { API, faultEndpoint, moderate, queryApi, seedReviews, uniqueId, uploadImage } from './helpers.js';
import './setup.js';

const until = async (fn: () => boolean, message: string | (() => string), timeout = 5000) => {
  const start = performance.now();
  while (!fn()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out: ${typeof message === 'string' ? message : message()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const root = (el: MediaGallery) => el.shadowRoot!;
const tiles = (el: MediaGallery) => [...root(el).querySelectorAll<HTMLButtonElement>('button[part="thumbnail"]')];
const tileIds = (el: MediaGallery) => tiles(el).map((t) => t.dataset.reviewId);
const tileName = (t: HTMLButtonElement) => t.querySelector('img:not([alt=""])')?.getAttribute('alt') ?? t.textContent!.trim();
const more = (el: MediaGallery) => root(el).querySelector<HTMLButtonElement>('[part="more"]');
const lightbox = (el: MediaGallery) => root(el).querySelector('media-lightbox') as MediaLightbox;
const lb = (el: MediaGallery) => lightbox(el).shadowRoot!;
const dialog = (el: MediaGallery) => lb(el).querySelector('dialog')!;
const heading = (el: MediaGallery) => lb(el).querySelector('h2')?.textContent;
const alert = (el: MediaGallery) => root(el).querySelector('[role="alert"]');
/** The element holding focus, through shadow roots. */
const deepActive = () => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

async function loaded(el: MediaGallery, count: number) {
  await until(() => tiles(el).length === count, () => `expected ${count} tiles, have ${tiles(el).length}: ${root(el).textContent}`);
}

const photo = (img: { id: string }) => ({ image: { id: img.id } });

/** Ann (uploaded photo), a review without media, Bob (external photo with alt text), Cid (video), Dee (rejected). */
async function seedMixed(entity: string) {
  const img = await uploadImage('#c33', 64, 48);
  const rejectedImg = await uploadImage('#3c3');
  const [ann, , bob, cid, dee] = await seedReviews(entity, [
    { rating: 5, authorName: 'Ann', title: 'Lovely', media: [photo(img)] },
    { rating: 3, authorName: 'Nomedia' },
    { rating: 4, authorName: 'Bob', title: 'Fits well', media: [{ image: { url: 'https://images.example/shoe.jpg', altText: 'Red shoe on a shelf', width: 800, height: 600 } }] },
    { rating: 2, authorName: 'Cid', title: 'Squeaks', media: [{ video: { url: 'https://videos.example/clip.mp4' } }] },
    { rating: 1, authorName: 'Dee', media: [photo(rejectedImg)] },
  ]);
  await moderate(dee!.id, 'REJECTED');
  return { ann: ann!, bob: bob!, cid: cid!, dee: dee! };
}

describe('<media-gallery>', () => {
  describe('grid', () => {
    it('shows approved reviews with media, newest first, as labelled lazy thumbnails', async () => {
      const entity = uniqueId();
      const { ann, bob, cid } = await seedMixed(entity);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity}></media-gallery>`);
      await loaded(el, 3);
      // The server's truth: approved reviews whose media is not empty, newest first.
      const truth = (await queryApi({ filter: { namespace: 'stores', entityId: entity, 'content.media': { $isEmpty: false } }, sort: [{ fieldName: 'createdDate', order: 'DESC' }] }))
        .filter((r: Review) => r.moderation?.moderationStatus === 'APPROVED')
        .map((r: Review) => r.id);
      expect(truth).to.deep.equal([cid.id, bob.id, ann.id]);
      expect(tileIds(el)).to.deep.equal(truth);
      expect(tiles(el).map(tileName)).to.deep.equal(["Video from Cid's review", 'Red shoe on a shelf', "Photo from Ann's review"]);
      const annImg = tiles(el)[2]!.querySelector('img')!;
      expect(annImg.src).to.equal(ann.content.media![0]!.image!.url);
      expect([annImg.loading, annImg.decoding, annImg.getAttribute('width'), annImg.getAttribute('height')]).to.deep.equal(['lazy', 'async', '64', '48']);
      // The video tile has a play icon and no image (no poster given).
      expect(tiles(el)[0]!.querySelector('.play')).to.not.equal(null);
      expect(tiles(el)[0]!.querySelector('img')).to.equal(null);
      for (const t of tiles(el)) {
        const r = t.getBoundingClientRect();
        expect(Math.round(r.width)).to.equal(Math.round(r.height));
        expect(r.width).to.be.greaterThan(40);
      }
      expect(root(el).querySelector('[part="grid"]')!.getAttribute('role')).to.equal('list');
      expect(more(el)).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('makes exactly one request for the first page, shared by a second gallery', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      await seedReviews(entity, [{ rating: 4, media: [photo(img)] }]);
      const client = clientFor(API);
      const before = client.requestCount;
      const wrap = await fixture(html`<div>
        <media-gallery endpoint=${API} entity-id=${entity}></media-gallery>
        <media-gallery endpoint=${API} entity-id=${entity}></media-gallery>
      </div>`);
      const [a, b] = [...wrap.querySelectorAll('media-gallery')];
      await loaded(a!, 1);
      await loaded(b!, 1);
      expect(client.requestCount - before).to.equal(1);
    });

    it('reads the namespace attribute (default stores)', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      const [r] = await seedReviews(entity, [{ rating: 4, media: [photo(img)] }], 'gallery-ns');
      const wrap = await fixture(html`<div>
        <media-gallery endpoint=${API} entity-id=${entity} namespace="gallery-ns"></media-gallery>
        <media-gallery endpoint=${API} entity-id=${entity}></media-gallery>
      </div>`);
      const [other, stores] = [...wrap.querySelectorAll('media-gallery')];
      await loaded(other!, 1);
      expect(tileIds(other!)).to.deep.equal([r!.id]);
      await until(() => root(stores!).querySelector('.empty') !== null, 'empty in stores');
    });

    it('honours --media-gallery-columns', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      await seedReviews(entity, [{ rating: 4, media: [photo(img)] }, { rating: 5, media: [photo(img)] }]);
      const el = await fixture<MediaGallery>(html`<media-gallery style="--media-gallery-columns: 2; width: 400px" endpoint=${API} entity-id=${entity}></media-gallery>`);
      await loaded(el, 2);
      const [a, b] = tiles(el).map((t) => t.getBoundingClientRect());
      expect(a!.top).to.equal(b!.top);
      expect(a!.width).to.be.greaterThan(180);
    });
  });

  describe('limit and Load more', () => {
    it('shows limit tiles, then limit more per press, fetching pages only when needed', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      // Oldest first: A (1 photo), B (2 photos), C, D.
      const [a, b, c, d] = await seedReviews(entity, [
        { rating: 5, authorName: 'A', media: [photo(img)] },
        { rating: 4, authorName: 'B', media: [photo(img), photo(img)] },
        { rating: 3, authorName: 'C', media: [photo(img)] },
        { rating: 2, authorName: 'D', media: [photo(img)] },
      ]);
      const client = clientFor(API);
      const before = client.requestCount;
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity} limit="2"></media-gallery>`);
      await loaded(el, 2);
      expect(tileIds(el)).to.deep.equal([d!.id, c!.id]);
      expect(client.requestCount - before).to.equal(1);

      more(el)!.focus();
      await sendKeys({ press: 'Enter' });
      await loaded(el, 4);
      expect(tileIds(el)).to.deep.equal([d!.id, c!.id, b!.id, b!.id]);
      expect(client.requestCount - before).to.equal(2);
      expect(deepActive()).to.equal(tiles(el)[2]);

      // A's photo is already loaded: no request, and the button goes away at the end.
      more(el)!.click();
      await loaded(el, 5);
      expect(tileIds(el)).to.deep.equal([d!.id, c!.id, b!.id, b!.id, a!.id]);
      expect(client.requestCount - before).to.equal(2);
      expect(deepActive()).to.equal(tiles(el)[4]);
      expect(more(el)).to.equal(null);
    });

    it('starts over when entity-id changes', async () => {
      const [e1, e2] = [uniqueId(), uniqueId()];
      const img = await uploadImage();
      await seedReviews(e1, [{ rating: 5, media: [photo(img)] }, { rating: 5, media: [photo(img)] }]);
      const [only] = await seedReviews(e2, [{ rating: 1, media: [photo(img)] }]);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${e1} limit="1"></media-gallery>`);
      await loaded(el, 1);
      more(el)!.click();
      await loaded(el, 2);
      el.entityId = e2;
      await until(() => tileIds(el).join() === only!.id, 'second entity shown');
      expect(more(el)).to.equal(null);
    });
  });

  describe('lightbox', () => {
    it('opens at the pressed item, navigates, and returns focus on Escape', async () => {
      const entity = uniqueId();
      const { ann, bob, cid } = await seedMixed(entity);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity}></media-gallery>`);
      await loaded(el, 3);
      const bobTile = tiles(el)[1]!;
      bobTile.focus();
      await sendKeys({ press: 'Enter' });
      await lightbox(el).updateComplete;
      await until(() => dialog(el).open, 'dialog open');
      expect(dialog(el).matches(':modal')).to.equal(true);
      expect(heading(el)).to.equal('Photo 2 of 3');
      expect(lb(el).getElementById(dialog(el).getAttribute('aria-labelledby')!)!.textContent).to.equal('Photo 2 of 3');
      expect(deepActive()).to.equal(lb(el).querySelector('.close'));
      const img = lb(el).querySelector('img')!;
      expect([img.getAttribute('src'), img.alt, img.getAttribute('width'), img.getAttribute('height')]).to.deep.equal(['https://images.example/shoe.jpg', 'Red shoe on a shelf', '800', '600']);
      const stars = lb(el).querySelector('rating-stars')!;
      await stars.updateComplete;
      expect(stars.value).to.equal(4);
      expect(stars.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('Rated 4.0 out of 5');
      expect(lb(el).querySelector('.author')!.textContent).to.equal('Bob');
      expect(lb(el).querySelector('.title')!.textContent).to.equal('Fits well');
      const link = lb(el).querySelector('a')!;
      expect([link.getAttribute('href'), link.rel, link.textContent]).to.deep.equal([`#review-${bob.id}`, 'nofollow ugc noopener', 'Go to review']);
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'ArrowRight' });
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Photo 3 of 3');
      expect(lb(el).querySelector('img')!.getAttribute('src')).to.equal(ann.content.media![0]!.image!.url);
      expect(lb(el).querySelector('.author')!.textContent).to.equal('Ann');

      // Wraps around to the first item: Cid's video, which never plays by itself.
      await sendKeys({ press: 'ArrowRight' });
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Video 1 of 3');
      const video = lb(el).querySelector('video')!;
      expect([video.getAttribute('src'), video.controls, video.preload, video.autoplay, video.hasAttribute('autoplay'), video.paused]).to.deep.equal([
        'https://videos.example/clip.mp4',
        true,
        'metadata',
        false,
        false,
        true,
      ]);
      expect(video.getAttribute('aria-label')).to.equal("Video from Cid's review");
      expect(lb(el).querySelector('a')!.getAttribute('href')).to.equal(`#review-${cid.id}`);
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'ArrowLeft' });
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Photo 3 of 3');

      await sendKeys({ press: 'Escape' });
      await until(() => !dialog(el).open, 'dialog closed');
      expect(deepActive()).to.equal(bobTile);
    });

    it('has Previous, Next and Close buttons; Close returns focus to the thumbnail', async () => {
      const entity = uniqueId();
      await seedMixed(entity);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity}></media-gallery>`);
      await loaded(el, 3);
      tiles(el)[2]!.click();
      await until(() => dialog(el).open, 'dialog open');
      const [prev, next] = [...lb(el).querySelectorAll<HTMLButtonElement>('.nav')];
      expect([prev!.getAttribute('aria-label'), next!.getAttribute('aria-label')]).to.deep.equal(['Previous', 'Next']);
      next!.click();
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Video 1 of 3');
      // Moving on pauses the video.
      const video = lb(el).querySelector('video')!;
      let pauses = 0;
      video.pause = () => void pauses++;
      lb(el).querySelector<HTMLButtonElement>('.nav.next')!.click();
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Photo 2 of 3');
      expect(pauses).to.equal(1);
      lb(el).querySelector<HTMLButtonElement>('.nav.prev')!.click();
      await lightbox(el).updateComplete;
      lb(el).querySelector<HTMLButtonElement>('.nav.prev')!.click();
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Photo 3 of 3');
      lb(el).querySelector<HTMLButtonElement>('.close')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => !dialog(el).open, 'dialog closed');
      expect(deepActive()).to.equal(tiles(el)[2]);
    });

    it('pauses a playing video when closed', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 5, authorName: 'V', media: [{ video: { url: 'https://videos.example/a.mp4' } }] }]);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity}></media-gallery>`);
      await loaded(el, 1);
      expect(tileName(tiles(el)[0]!)).to.equal("Video from V's review");
      tiles(el)[0]!.click();
      await until(() => dialog(el).open, 'dialog open');
      expect(heading(el)).to.equal('Video 1 of 1');
      // One item: no Previous / Next.
      expect(lb(el).querySelectorAll('.nav')).to.have.length(0);
      const video = lb(el).querySelector('video')!;
      let pauses = 0;
      video.pause = () => void pauses++;
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog(el).open && pauses > 0, 'dialog closed and video paused');
      expect(pauses).to.equal(1);
      expect(deepActive()).to.equal(tiles(el)[0]);
    });

    it('flips arrow keys in right-to-left pages and follows horizontal swipes', async () => {
      const entity = uniqueId();
      await seedMixed(entity);
      const wrap = await fixture(html`<div dir="rtl"><media-gallery endpoint=${API} entity-id=${entity}></media-gallery></div>`);
      const el = wrap.querySelector('media-gallery')!;
      await loaded(el, 3);
      tiles(el)[0]!.click();
      await until(() => dialog(el).open, 'dialog open');
      expect(heading(el)).to.equal('Video 1 of 3');
      await sendKeys({ press: 'ArrowLeft' });
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Photo 2 of 3');
      await sendKeys({ press: 'ArrowRight' });
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Video 1 of 3');

      const stage = lb(el).querySelector<HTMLElement>('.stage')!;
      const swipe = async (dx: number, dy = 0) => {
        stage.dispatchEvent(new PointerEvent('pointerdown', { clientX: 300, clientY: 200, bubbles: true }));
        stage.dispatchEvent(new PointerEvent('pointerup', { clientX: 300 + dx, clientY: 200 + dy, bubbles: true }));
        await lightbox(el).updateComplete;
      };
      // Right to left: a drag to the right brings in the next item.
      await swipe(120);
      expect(heading(el)).to.equal('Photo 2 of 3');
      await swipe(30); // too short
      expect(heading(el)).to.equal('Photo 2 of 3');
      await swipe(60, 120); // mostly vertical
      expect(heading(el)).to.equal('Photo 2 of 3');
      await swipe(-80);
      expect(heading(el)).to.equal('Video 1 of 3');
      lightbox(el).close();
    });

    it('swipes left for the next item in left-to-right pages', async () => {
      const entity = uniqueId();
      await seedMixed(entity);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity}></media-gallery>`);
      await loaded(el, 3);
      tiles(el)[0]!.click();
      await until(() => dialog(el).open, 'dialog open');
      const stage = lb(el).querySelector<HTMLElement>('.stage')!;
      stage.dispatchEvent(new PointerEvent('pointerdown', { clientX: 300, clientY: 200 }));
      stage.dispatchEvent(new PointerEvent('pointerup', { clientX: 250, clientY: 210 }));
      await lightbox(el).updateComplete;
      expect(heading(el)).to.equal('Photo 2 of 3');
      lightbox(el).close();
    });

    it('links to the review through review-href and closes when the link is followed', async () => {
      const entity = uniqueId();
      const { bob } = await seedMixed(entity);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity} review-href="#r-{entityId}-{id}"></media-gallery>`);
      await loaded(el, 3);
      tiles(el)[1]!.click();
      await until(() => dialog(el).open, 'dialog open');
      const link = lb(el).querySelector('a')!;
      expect(link.getAttribute('href')).to.equal(`#r-${entity}-${bob.id}`);
      const hash = location.hash;
      link.click();
      await until(() => !dialog(el).open, 'dialog closed');
      expect(location.hash).to.equal(`#r-${entity}-${bob.id}`);
      history.replaceState(null, '', location.pathname + location.search + hash);
    });
  });

  describe('review link', () => {
    it('focuses the review card shown on the page instead of navigating', async () => {
      const entity = uniqueId();
      const { bob } = await seedMixed(entity);
      const wrap = await fixture(html`<div>
        <media-gallery endpoint=${API} entity-id=${entity}></media-gallery>
        <article part="review" data-review-id=${bob.id} tabindex="-1">Bob's review</article>
      </div>`);
      const el = wrap.querySelector('media-gallery')!;
      await loaded(el, 3);
      tiles(el)[1]!.click();
      await until(() => dialog(el).open, 'dialog open');
      const hash = location.hash;
      lb(el).querySelector('a')!.click();
      await until(() => !dialog(el).open, 'dialog closed');
      await new Promise((r) => setTimeout(r, 0));
      expect(document.activeElement).to.equal(wrap.querySelector('article'));
      expect(location.hash).to.equal(hash);
    });
  });

  describe('states', () => {
    it('reserves the final size while loading', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      await seedReviews(entity, [{ rating: 5, media: [photo(img)] }, { rating: 4, media: [photo(img)] }, { rating: 3, media: [photo(img)] }]);
      const el = await fixture<MediaGallery>(html`<media-gallery style="width: 500px" endpoint=${faultEndpoint('slow-600')} entity-id=${entity} limit="3"></media-gallery>`);
      const status = root(el).querySelector('[role="status"]');
      expect(status!.textContent).to.equal('Loading photos and videos');
      expect(root(el).querySelectorAll('.skeleton')).to.have.length(3);
      const loadingHeight = el.getBoundingClientRect().height;
      expect(loadingHeight).to.be.greaterThan(50);
      await expect(el).to.be.accessible();
      await loaded(el, 3);
      expect(el.getBoundingClientRect().height).to.equal(loadingHeight);
    });

    it('says so when there are no photos or videos', async () => {
      const entity = uniqueId();
      await seedReviews(entity, [{ rating: 5, authorName: 'Text only' }]);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${API} entity-id=${entity}></media-gallery>`);
      await until(() => root(el).querySelector('.empty') !== null, 'empty state');
      expect(root(el).querySelector('.empty')!.textContent).to.equal('No photos or videos yet');
      expect(tiles(el)).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it('shows an error with a working Retry', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      const [r] = await seedReviews(entity, [{ rating: 5, media: [photo(img)] }]);
      await fetch(faultEndpoint('reset') + '/');
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${faultEndpoint('flaky-1')} entity-id=${entity}></media-gallery>`);
      await until(() => alert(el) !== null, 'error shown');
      expect(alert(el)!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Photos and videos could not be loaded. Retry');
      await expect(el).to.be.accessible();
      alert(el)!.querySelector('button')!.click();
      await loaded(el, 1);
      expect(tileIds(el)).to.deep.equal([r!.id]);
    });

    it('treats an invalid envelope as an error, never showing raw validation text', async () => {
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${faultEndpoint('envelope')} entity-id=${uniqueId()}></media-gallery>`);
      await until(() => alert(el) !== null, 'error shown');
      expect(alert(el)!.querySelector('span')!.textContent).to.equal('Photos and videos could not be loaded.');
    });

    it('skips an invalid review item and shows the rest', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      const [older] = await seedReviews(entity, [{ rating: 4, media: [photo(img)] }, { rating: 5, media: [photo(img)] }]);
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${faultEndpoint('corrupt')} entity-id=${entity}></media-gallery>`);
      await loaded(el, 1);
      expect(tileIds(el)).to.deep.equal([older!.id]);
    });

    it('renders hostile content inert and drops unsafe media URLs', async () => {
      const entity = uniqueId();
      const img = await uploadImage();
      await seedReviews(entity, [{ rating: 5, authorName: 'Eve', media: [photo(img)] }]);
      // The server itself refuses javascript: media ...
      let refused = false;
      await seedReviews(entity, [{ rating: 1, media: [{ image: { url: 'javascript:alert(1)' } }] }]).catch(() => (refused = true));
      expect(refused).to.equal(true);
      // ... and the gallery drops it when a response carries it anyway.
      const el = await fixture<MediaGallery>(html`<media-gallery endpoint=${faultEndpoint('xss')} entity-id=${entity}></media-gallery>`);
      await until(() => root(el).querySelector('.empty') !== null, () => `empty state; have ${root(el).innerHTML}`);
      expect(root(el).querySelectorAll('img, video, a')).to.have.length(0);
      await new Promise((r) => requestAnimationFrame(r));
      expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    });
  });
});
