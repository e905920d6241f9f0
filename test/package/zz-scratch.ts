// The React and Vue fixture apps (test/fixtures/*) on the PACKED package: `npm run build`,
// `npm pack`, each fixture copied to a temp dir and `npm install`ed with the tarball (its
// other dependencies pinned to the repo's versions, from the npm cache), type-checked
// (React: against the package's .d.ts) and built with Vite, served from its own origin,
// and driven in Chromium against the real reference server on another origin.
import assert from 'node:assert/strict';
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import {
  Cleanup,
  browserUnavailable,
  buildPackage,
  fixtureTool,
  installFixture,
  launchChromium,
  openPage,
  packPackage,
  reviewsOnServer,
  root,
  seedProduct,
  serveStatic,
  startApi,
  until,
  type SeededProduct,
} from './helpers.js';

interface Fixture {
  dir: 'react-app' | 'vue-app';
  label: string;
  /** Type-check the app against the installed package's declarations first. */
  typecheck: boolean;
}

const FIXTURES: Fixture[] = [
  { dir: 'react-app', label: 'React 19 app (storefront-reviews/react)', typecheck: true },
  { dir: 'vue-app', label: 'Vue 3 app (per-element imports)', typecheck: false },
];

const cleanup = new Cleanup();
let tarball = '';
let api: RunningServer;
let browser: Browser;

describe('fixture apps on the packed package', { skip: browserUnavailable(), timeout: 20 * 60_000 }, () => {
  before(
    async () => {
      // scratch: prebuilt
      tarball = await packPackage(cleanup);
      api = await startApi(cleanup);
      browser = await launchChromium(cleanup);
    },
    { timeout: 10 * 60_000 },
  );

  after(() => cleanup.run(), { timeout: 60_000 });

  for (const fixture of FIXTURES) {
    describe(fixture.label, () => {
      let dir = '';
      let product: SeededProduct;
      let page: Page;
      let problems: () => string[];

      before(
        async () => {
          dir = await installFixture(cleanup, fixture.dir, tarball);
          if (fixture.typecheck) await fixtureTool(dir, 'tsc', ['--noEmit', '-p', 'tsconfig.json']);
          await fixtureTool(dir, 'vite', ['build']);
          const site = await serveStatic(cleanup, join(dir, 'dist'));
          product = await seedProduct(api, fixture.dir);
          ({ page, problems } = await openPage(browser, cleanup));
          const query = new URLSearchParams({ endpoint: api.url, product: product.entityId });
          await page.goto(`${site.url}/?${query}`);
        },
        { timeout: 12 * 60_000 },
      );

      it('installs the packed tarball, not a link to the repo', async () => {
        const installed = join(dir, 'node_modules/storefront-reviews');
        assert.equal((await lstat(installed)).isSymbolicLink(), false, 'node_modules/storefront-reviews is a symlink');
        const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8'));
        assert.equal(lock.packages['node_modules/storefront-reviews'].resolved, 'file:storefront-reviews.tgz');
        const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
        const ours = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
        assert.equal(manifest.version, ours.version);
        // The built app bundles the package's code, with no path into the repo.
        const assets = join(dir, 'dist/assets');
        for (const file of (await readdir(assets)).filter((f) => f.endsWith('.js'))) {
          const code = await readFile(join(assets, file), 'utf8');
          assert.ok(!code.includes(root), `${file} refers to the repo at ${root}`);
        }
      });

      it('renders the seeded reviews in every widget', async () => {
        await until('the rating badge', () => page.locator('#badge [role="img"]').getAttribute('aria-label'), (l) => l === 'Rated 3.7 out of 5, 3 reviews');
        const titles = (sel: string) => page.locator(`${sel} [part="review"]`).allInnerTexts();
        const list = await until('3 reviews in review-list', () => titles('review-list'), (t) => t.length === 3);
        for (const r of product.reviews) assert.ok(list.some((t) => t.includes(r.content.title!)), `review-list shows "${r.content.title}"`);
        const helpful = await until('3 reviews in most-helpful', () => titles('most-helpful'), (t) => t.length === 3);
        assert.match(helpful[0]!, /Runs small/, 'the review with the most helpful votes comes first');
        await until('the summary average', () => page.locator('rating-summary [part="average"]').innerText(), (t) => t.trim() === '3.7');
        assert.match(await page.locator('rating-summary [part="total"]').innerText(), /\b3\b/);
        const thumbs = page.locator('media-gallery [part="thumbnail"] img');
        await until('the photo in media-gallery', () => thumbs.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth)), (w) => w.length === 1 && w[0]! > 0);
        assert.equal(await page.locator('review-form [part="heading"]').innerText(), 'Write a review for Trail Runner 2');
      });

      it('binds rating-stars to app state both ways', async () => {
        const stars = page.locator('#quick-rating');
        const shown = () => page.locator('#rating-value').innerText();
        assert.equal(await shown(), '0');
        await stars.locator('[part="star"]').nth(3).click();
        await until('the app to show rating 4', shown, (t) => t === '4');
        await stars.locator('input[type="radio"]').nth(3).press('ArrowRight');
        await until('the app to show rating 5 after ArrowRight', shown, (t) => t === '5');
        // App state back into the element: the app's own button clears it.
        await page.locator('#clear-rating').click();
        await until('the app to show rating 0', shown, (t) => t === '0');
        const state = await stars.evaluate((el) => ({
          value: (el as HTMLElement & { value: number }).value,
          checked: [...el.shadowRoot!.querySelectorAll('input')].filter((i) => i.checked).length,
        }));
        assert.deepEqual(state, { value: 0, checked: 0 }, 'the element follows the app state');
      });

      it('hears review-vote from the list', async () => {
        await page.locator('review-list').getByRole('button', { name: /^Helpful/ }).first().click();
        await until('the app to count the vote', () => page.locator('#votes').innerText(), (t) => t === '1');
      });

      it('submits a review: the app hears review-submitted and the server has it', async () => {
        const form = page.locator('review-form');
        await form.locator('rating-stars [part="star"]').nth(4).click();
        await form.locator('#title').fill(`Great on trails (${fixture.dir})`);
        await form.locator('#body').fill('Held up for 500 km.');
        await form.locator('#name').fill('Margaret');
        await form.locator('#email').fill('margaret@example.com');
        await form.locator('[part="submit"]').click();
        const message = page.locator('#submitted');
        const text = await until('the app message', () => message.innerText(), (t) => t.length > 0);
        assert.equal(text.replace(/\s+/g, ' ').trim(), `Thanks, Margaret! Your 5-star review “Great on trails (${fixture.dir})” is live.`);
        const id = await message.getAttribute('data-review-id');
        const stored = await reviewsOnServer(api, product.entityId);
        const review = stored.find((r) => r.id === id);
        assert.ok(review, `review ${id} is on the server (has ${stored.map((r) => r.id).join(', ')})`);
        assert.equal(review.content.title, `Great on trails (${fixture.dir})`);
        assert.equal(review.content.rating, 5);
        assert.equal(review.author?.authorName, 'Margaret');
        // The list of the same product updates from the server once reloaded.
        await page.reload();
        await until('4 reviews after reload', () => page.locator('review-list [part="review"]').count(), (n) => n === 4);
      });

      it('logs no errors', () => {
        assert.deepEqual(problems(), []);
      });
    });
  }
});
