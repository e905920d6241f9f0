// The script-tag build as a shop uses it: after `npm run build`, plain HTML files in a temp
// dir outside the repo, holding only `<script type="module" src=".../storefront-reviews.js">`
// and the elements, served from their own origin; the script from a CDN-like origin
// (dist/ with CORS), reviews from the reference server on a third origin.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import {
  Cleanup,
  browserUnavailable,
  buildPackage,
  launchChromium,
  openPage,
  root,
  seedProduct,
  serveStatic,
  startApi,
  tempDir,
  until,
  type SeededProduct,
  type StaticServer,
} from './helpers.js';

const cleanup = new Cleanup();
let api: RunningServer;
let browser: Browser;
let cdn: StaticServer;
let shop: StaticServer;
let product: SeededProduct;

/** Writes `name` to the shop's directory: an HTML page with just these scripts and this body. */
async function page(dir: string, name: string, scripts: string[], body: string): Promise<void> {
  const tags = scripts.map((s) => `<script type="module" src="${cdn.url}/${s}"></script>`).join('\n');
  await writeFile(join(dir, name), `<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<title>${name}</title>\n${tags}\n${body}\n</html>\n`);
}

describe('script tag on a plain HTML page', { skip: browserUnavailable(), timeout: 10 * 60_000 }, () => {
  before(
    async () => {
      // scratch: prebuilt
      api = await startApi(cleanup);
      product = await seedProduct(api, 'script-tag');
      cdn = await serveStatic(cleanup, join(root, 'dist'), { cors: true });
      const dir = await tempDir(cleanup, 'script-tag');
      assert.ok(!dir.startsWith(root), `${dir} is outside the repo`);
      const attrs = `endpoint="${api.url}" entity-id="${product.entityId}"`;
      await page(
        dir,
        'index.html',
        ['storefront-reviews.js'],
        `<rating-stars id="badge" ${attrs}></rating-stars>
<media-gallery ${attrs}></media-gallery>
<rating-summary ${attrs} for="reviews"></rating-summary>
<most-helpful ${attrs}></most-helpful>
<review-list id="reviews" ${attrs}></review-list>
<review-form ${attrs} product-name="Trail Runner 2"></review-form>`,
      );
      await page(dir, 'badge.html', ['cdn/rating-stars.js'], `<rating-stars id="badge" ${attrs}></rating-stars>`);
      await page(dir, 'twice.html', ['storefront-reviews.js', 'cdn/rating-stars.js', 'cdn/review-list.js'], `<rating-stars id="badge" ${attrs}></rating-stars>\n<review-list ${attrs}></review-list>`);
      shop = await serveStatic(cleanup, dir);
      browser = await launchChromium(cleanup);
    },
    { timeout: 5 * 60_000 },
  );

  after(() => cleanup.run(), { timeout: 60_000 });

  it('renders reviews from the other origin in every element, with no console errors', async () => {
    const { page: tab, problems } = await openPage(browser, cleanup);
    const from = cdn.requests.length;
    await tab.goto(`${shop.url}/index.html`);
    await until('the rating badge', () => tab.locator('#badge [role="img"]').getAttribute('aria-label'), (l) => l === 'Rated 3.7 out of 5, 3 reviews');
    const list = await until('3 reviews in review-list', () => tab.locator('review-list [part="review"]').allInnerTexts(), (t) => t.length === 3);
    for (const r of product.reviews) assert.ok(list.some((t) => t.includes(r.content.title!)), `review-list shows "${r.content.title}"`);
    await until('3 reviews in most-helpful', () => tab.locator('most-helpful [part="review"]').count(), (n) => n === 3);
    await until('the summary average', () => tab.locator('rating-summary [part="average"]').innerText(), (t) => t.trim() === '3.7');
    await until('the photo', () => tab.locator('media-gallery [part="thumbnail"] img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth)), (w) => w.length === 1 && w[0]! > 0);
    assert.equal(await tab.locator('review-form [part="heading"]').innerText(), 'Write a review for Trail Runner 2');
    // Linked summary: pressing the 2-star bar filters the list on the page.
    await tab.locator('rating-summary [part="bar"]').nth(3).click();
    await until('the list filtered to 2 stars', () => tab.locator('review-list [part="review"]').allInnerTexts(), (t) => t.length === 1 && t[0]!.includes('Runs small'));
    // One self-contained file: nothing else was fetched from the CDN.
    assert.deepEqual(cdn.requests.slice(from), ['/storefront-reviews.js']);
    assert.deepEqual(problems(), []);
  });

  it('the single-element file shows a rating badge on its own', async () => {
    const { page: tab, problems } = await openPage(browser, cleanup);
    await tab.goto(`${shop.url}/badge.html`);
    await until('the rating badge', () => tab.locator('#badge [role="img"]').getAttribute('aria-label'), (l) => l === 'Rated 3.7 out of 5, 3 reviews');
    assert.deepEqual(problems(), []);
  });

  it('loading the full file and single-element files on one page does not throw', async () => {
    const { page: tab, problems } = await openPage(browser, cleanup);
    await tab.goto(`${shop.url}/twice.html`);
    await until('3 reviews in review-list', () => tab.locator('review-list [part="review"]').count(), (n) => n === 3);
    await until('the rating badge', () => tab.locator('#badge [role="img"]').getAttribute('aria-label'), (l) => l === 'Rated 3.7 out of 5, 3 reviews');
    assert.deepEqual(problems(), []);
  });
});
