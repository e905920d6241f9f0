/**
 * The demo (`npm start`) in Chromium: the real reference server seeded with the demo data
 * and serving the demo through Vite middleware, as `serve --seed demo --demo` does; and
 * the static copy (`npm run build:demo`) served from another origin and pointed at that
 * server with `?endpoint=`.
 *
 * Run: node --import tsx --test --test-concurrency=1 test/demo/demo.test.ts
 * (CHROME_PATH overrides /usr/bin/chromium; scripts/test.mjs passes it.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REVIEW_SORTS } from '../../src/api/client.js';
import { DEMO_PRODUCTS } from '../../src/server/demo-products.js';
import { demoMiddleware } from '../../src/server/demo.js';
import { startTestServer, type TestServer } from '../server/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = 30_000;

interface ManifestAttribute {
  name: string;
  type?: { text: string };
}
interface ManifestElement {
  tagName?: string;
  customElement?: boolean;
  attributes?: ManifestAttribute[];
  events?: Array<{ name?: string }>;
}
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as {
  modules: Array<{ declarations?: ManifestElement[] }>;
};
function declared(tag: string): ManifestElement {
  const found = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement && d.tagName === tag);
  assert.ok(found, `custom-elements.json declares <${tag}>`);
  return found;
}

/** Polls `fn` until it returns a truthy value; fails with `what` after `timeout` ms. */
async function until<T>(what: string, fn: () => Promise<T> | T, timeout = WAIT): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Problems the page reported: uncaught errors and console warnings or errors (Lit's dev warnings among them). */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() !== 'warning' && msg.type() !== 'error') return;
    if (/Lit is in dev mode/.test(text)) return;
    // Requests the error stories make on purpose.
    if (/Failed to load resource: the server responded with a status of 404/.test(text)) return;
    problems.push(`console ${msg.type()}: ${text}`);
  });
  return problems;
}

const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page, as "rule: target" lines. */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
  });
}

const reviews = (page: Page, host = '#canvas review-list') => page.locator(`${host} [part="review"]`);
const codeText = (page: Page) => page.locator('#code-panel').innerText();
const logText = (page: Page) => page.locator('#log').innerText();

/** The star rating of the first review shown, from its accessible label ("Rated 4 out of 5"). */
async function firstRating(page: Page, host = '#canvas review-list'): Promise<number> {
  const label = await reviews(page, host).first().locator('rating-stars [role="img"]').getAttribute('aria-label');
  return Number(/Rated ([\d.]+) out of/.exec(label ?? '')?.[1]);
}

async function go(page: Page, url: string) {
  await page.goto(url);
  await page.locator('#story-title').filter({ hasNotText: 'Loading' }).waitFor({ timeout: WAIT });
}

describe('demo (npm start)', { timeout: 300_000 }, () => {
  let server: TestServer;
  let closeDemo: (() => Promise<void>) | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const product = DEMO_PRODUCTS[0]!;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (set CHROME_PATH)`);
    const demo = await demoMiddleware();
    closeDemo = demo.close;
    server = await startTestServer({ seed: 'demo', fallback: demo.handle, moderation: 'auto', deliveryIntervalMs: 300 });
    await demo.attach({ url: server.url, apiKey: server.apiKey });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    problems = watch(page);
  });

  after(async () => {
    await browser?.close();
    await closeDemo?.();
    await server?.close();
  });

  it('opens on the product page with every widget loaded from the server', async () => {
    await go(page, `${server.url}/`);
    assert.match(page.url(), /#\/pages\/product-page$/);
    assert.equal(await page.locator('h1').innerText(), 'Product page');
    for (const tag of ['media-gallery', 'rating-stars', 'rating-summary', 'most-helpful', 'review-list', 'review-form']) {
      assert.equal(await page.locator(`#canvas ${tag}[data-control]`).getAttribute('entity-id'), product.id, tag);
    }
    await until('five reviews in the list', async () => (await reviews(page).count()) === 5);
    await page.locator('#canvas rating-summary').getByText(/Based on \d+ reviews/).waitFor({ timeout: WAIT });
    assert.deepEqual(problems, []);
  });

  it('lists every element and page in the sidebar and picks a story by mouse and by keyboard', async () => {
    const groups = await page.locator('#sidebar button.group > span:first-child').allInnerTexts();
    assert.deepEqual(groups, ['rating-stars', 'rating-summary', 'review-list', 'most-helpful', 'media-gallery', 'review-form']);
    assert.deepEqual(await page.locator('#sidebar a[href^="#/pages/"]').allInnerTexts(), ['Product page', 'Product grid', 'Review request e-mails', 'Two-way sync (webhooks)']);

    await page.locator('#sidebar button.group', { hasText: 'review-list' }).click();
    assert.equal(await page.locator('#sidebar button.group', { hasText: 'review-list' }).getAttribute('aria-expanded'), 'true');
    const storyNames = await page.locator('#nav-review-list a').allInnerTexts();
    for (const sort of REVIEW_SORTS) assert.ok(storyNames.includes(`Sort: ${sort}`), `a story for sort ${sort}`);
    for (const name of ['Default', 'Empty', 'Error', 'Dark', 'Right to left', 'Themed', 'Read-only (no controls)', 'Filter: with photos', 'Filter: verified buyers']) {
      assert.ok(storyNames.includes(name), `review-list story "${name}"`);
    }

    await page.locator('#nav-review-list a', { hasText: 'Sort: highest' }).click();
    await until('the route', () => page.url().endsWith('#/review-list/sort-highest'));
    assert.equal(await page.locator('h1').innerText(), 'Sort: highest');
    assert.equal(await page.locator('#sidebar a[aria-current="page"]').innerText(), 'Sort: highest');
    assert.equal(await page.locator('#canvas review-list').getAttribute('sort'), 'highest');
    await until('reviews sorted highest first', async () => (await reviews(page).count()) > 0 && (await firstRating(page)) === 5);

    // Keyboard: the tree has one tab stop (the current story); arrows move, Enter opens.
    const current = page.locator('#sidebar a[aria-current="page"]');
    assert.equal(await current.getAttribute('tabindex'), '0');
    await current.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Sort: lowest');
    await page.keyboard.press('Enter');
    await until('the keyboard-picked route', () => page.url().endsWith('#/review-list/sort-lowest'));
    await until('reviews sorted lowest first', async () => (await reviews(page).count()) > 0 && (await firstRating(page)) === 1);
    // ArrowLeft from a story goes to its group; ArrowLeft again collapses it.
    await page.locator('#sidebar a[aria-current="page"]').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-expanded')), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('#sidebar button.group', { hasText: 'review-list' }).getAttribute('aria-expanded'), 'false');
    assert.ok(await page.locator('#nav-review-list').isHidden());

    // Find a story.
    await page.locator('#find').fill('face');
    assert.deepEqual(await page.locator('#sidebar .tree a').allInnerTexts(), ['Face-off']);
    await page.locator('#find').press('Escape');
    assert.ok((await page.locator('#sidebar .tree a').count()) > 2);

    // Stories are addressable: loading the URL opens the story.
    await go(page, `${server.url}/#/most-helpful/face-off`);
    assert.equal(await page.locator('h1').innerText(), 'Face-off');
    assert.equal(await page.locator('#canvas most-helpful').getAttribute('face-off'), '');
    await page.locator('#canvas most-helpful').getByText('Top positive review').waitFor({ timeout: WAIT });
    await page.locator('#canvas most-helpful').getByText('Top critical review').waitFor({ timeout: WAIT });
    assert.deepEqual(problems, []);
  });

  it('generates the controls from custom-elements.json and changing one updates the live element at once', async () => {
    await go(page, `${server.url}/#/review-list/default`);
    await until('ten reviews', async () => (await reviews(page).count()) === 10);
    // One control per attribute in the manifest, of the attribute's type.
    for (const attr of declared('review-list').attributes ?? []) {
      const control = page.locator(`#ctl-${attr.name}`);
      const type = attr.type?.text ?? 'string';
      const expected = type === 'boolean' ? 'checkbox' : type === 'number' ? 'number' : type.includes("'") ? 'select' : 'text';
      const actual = await control.evaluate((el) => (el instanceof HTMLSelectElement ? 'select' : (el as HTMLInputElement).type));
      assert.equal(actual, expected, `control for ${attr.name} (${type})`);
    }
    assert.deepEqual(await page.locator('#ctl-sort option').allInnerTexts(), [...REVIEW_SORTS]);
    assert.equal(await page.locator('#ctl-entity-id').inputValue(), product.id);
    assert.equal(await page.locator('#ctl-page-size').inputValue(), '10');

    // number → the list shows three reviews, the URL remembers it.
    await page.locator('#ctl-page-size').fill('3');
    assert.equal(await page.locator('#canvas review-list').getAttribute('page-size'), '3');
    await until('three reviews', async () => (await reviews(page).count()) === 3);
    assert.match(page.url(), /#\/review-list\/default\?page-size=3$/);
    // select
    await page.locator('#ctl-sort').selectOption('lowest');
    await until('lowest first', async () => (await firstRating(page)) === 1);
    // boolean: the built-in controls go away.
    assert.equal(await page.locator('#canvas review-list [part="controls"]').count(), 1);
    await page.locator('#ctl-no-controls').check();
    await until('no built-in controls', async () => (await page.locator('#canvas review-list [part="controls"]').count()) === 0);
    // CSS custom property
    await page.locator('#ctl-review-list-gap-css').fill('3rem');
    assert.equal(await page.locator('#canvas review-list').evaluate((el) => el.style.getPropertyValue('--review-list-gap')), '3rem');

    // The element changing itself (its own sort select) shows in the controls.
    await page.locator('#ctl-no-controls').uncheck();
    await until('built-in controls back', async () => (await page.locator('#canvas review-list [part="controls"]').count()) === 1);
    await page.locator('#canvas review-list select').selectOption('highest');
    await until('the sort control follows the element', async () => (await page.locator('#ctl-sort').inputValue()) === 'highest');

    // Reload: the changed controls come back from the URL.
    await page.reload();
    await until('three reviews after reload', async () => (await reviews(page).count()) === 3);
    assert.equal(await page.locator('#ctl-page-size').inputValue(), '3');
    // Reset: back to the story.
    await page.locator('#controls-reset').click();
    await until('ten reviews after reset', async () => (await reviews(page).count()) === 10);
    assert.match(page.url(), /#\/review-list\/default$/);
    assert.deepEqual(problems, []);
  });

  it('shows HTML, React and Vue code matching the controls, and copies it', async () => {
    await go(page, `${server.url}/#/review-list/default`);
    await page.locator('#ctl-page-size').fill('3');
    await page.locator('#ctl-sort').selectOption('lowest');
    await page.locator('#ctl-filter-verified').check();
    const html = await codeText(page);
    assert.match(html, new RegExp(`<review-list\\s+entity-id="${product.id}"\\s+sort="lowest"\\s+filter-verified\\s+page-size="3"\\s*></review-list>`));
    assert.match(html, new RegExp(`<meta name="storefront-reviews:endpoint" content="${server.url}" />`));

    await page.getByRole('tab', { name: 'React' }).click();
    const react = await codeText(page);
    assert.match(react, /import \{ ReviewList \} from 'storefront-reviews\/react';/);
    assert.match(react, new RegExp(`<ReviewList\\s+entityId="${product.id}"\\s+sort="lowest"\\s+filterVerified\\s+pageSize=\\{3\\}\\s+onReviewFilter=`));
    for (const handler of ['onReviewFilter', 'onChange', 'onReviewVote']) assert.ok(react.includes(`${handler}={`), handler);

    // Arrow keys move between the tabs.
    await page.getByRole('tab', { name: 'React' }).press('ArrowRight');
    assert.equal(await page.getByRole('tab', { name: 'Vue' }).getAttribute('aria-selected'), 'true');
    const vue = await codeText(page);
    assert.match(vue, new RegExp(`<review-list\\s+entity-id="${product.id}"\\s+sort="lowest"\\s+:filter-verified="true"\\s+:page-size="3"\\s+@review-filter="onReviewFilter"`));
    assert.match(vue, /import 'storefront-reviews';/);

    // Changing a control changes the code at once.
    await page.locator('#ctl-page-size').fill('4');
    assert.match(await codeText(page), /:page-size="4"/);

    await page.locator('#copy').click();
    await until('"Copied"', async () => (await page.locator('#copy-status').innerText()) === 'Copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await codeText(page));
    await page.getByRole('tab', { name: 'HTML' }).click();
    assert.deepEqual(problems, []);
  });

  it('logs the events the elements declare, with their detail', async () => {
    await go(page, `${server.url}/#/rating-summary/alone`);
    const bar = page.locator('#canvas rating-summary [part~="bar"]').first();
    await until('the bars enabled', () => bar.isEnabled());
    await bar.click();
    await until('review-filter logged', async () => /rating-summary\s+review-filter\s+\{"ratings":\[5\]\}/.test(await logText(page)));
    // The controls are read back in a task after the event (demo/main.ts onElementEvent).
    await until('the control follows the pressed bar', async () => (await page.locator('#ctl-filter-rating').inputValue()) === '5');

    // Editable stars: keyboard input fires input and change.
    await go(page, `${server.url}/#/rating-stars/input`);
    assert.equal(await page.locator('#log li').count(), 0, 'a new story starts a new log');
    await page.locator('#canvas rating-stars input').first().focus();
    await page.keyboard.press('ArrowRight');
    const value = await until('a rating', () => page.locator('#canvas rating-stars').evaluate((el) => (el as HTMLElement & { value: number }).value));
    await until('change logged', async () => new RegExp(`rating-stars\\s+change\\s+value: ${value}`).test(await logText(page)));
    assert.match(await logText(page), /rating-stars\s+input/);
    assert.equal(await page.locator('#ctl-value').inputValue(), String(value), 'the value control follows the stars');
    await page.locator('#canvas button[type="submit"]').click();
    assert.equal(await page.locator('#canvas output').innerText(), `FormData rating = ${value}`);

    // A helpfulness vote on the list (the server records it first).
    await go(page, `${server.url}/#/review-list/paged`);
    await until('reviews', async () => (await reviews(page).count()) === 3);
    const first = reviews(page).first();
    const id = await first.getAttribute('data-review-id');
    await first.getByRole('button', { name: /^Helpful/ }).click();
    await until('review-vote logged', async () => new RegExp(`review-list\\s+review-vote\\s+\\{"reviewId":"${id}","vote":"HELPFUL"\\}`).test(await logText(page)));
    assert.deepEqual(problems, []);
  });

  it('has the empty, error, read-only, carousel, dark, RTL and themed stories', async () => {
    await go(page, `${server.url}/#/review-list/empty`);
    await until('"No reviews yet."', async () => (await page.locator('#canvas review-list').getByText('No reviews yet.').count()) > 0);

    await go(page, `${server.url}/#/review-list/error`);
    await until('an alert with Retry', async () => (await page.locator('#canvas review-list [role="alert"]').count()) > 0);
    assert.ok(await page.locator('#canvas review-list').getByRole('button', { name: 'Retry' }).isVisible());
    assert.match((await page.locator('#canvas review-list').getAttribute('endpoint')) ?? '', /\/reviews\/unavailable$/);

    await go(page, `${server.url}/#/review-form/read-only`);
    await until('a disabled form', () => page.locator('#canvas review-form textarea').first().isDisabled());

    await go(page, `${server.url}/#/most-helpful/carousel`);
    await until('the carousel', async () => (await page.locator('#canvas most-helpful [part="track"]').count()) === 1);

    await go(page, `${server.url}/#/rating-summary/dark`);
    const bg = await page.locator('#canvas').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(22, 27, 34)');
    const surface = await page.locator('#canvas rating-summary').evaluate((el) => getComputedStyle(el).getPropertyValue('--reviews-color-text').trim());
    assert.equal(surface, '#e6edf3');

    await go(page, `${server.url}/#/review-list/rtl`);
    assert.equal(await page.locator('#canvas').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('#canvas review-list').evaluate((el) => getComputedStyle(el).direction), 'rtl');

    await go(page, `${server.url}/#/review-list/themed`);
    assert.equal(await page.locator('#canvas review-list').evaluate((el) => el.style.getPropertyValue('--reviews-color-accent')), '#7a3e1d');
    assert.equal(await page.locator('#ctl-reviews-clamp-lines-css').inputValue(), '3');
    assert.match(await codeText(page), /style="--reviews-color-accent: #7a3e1d;/);
    assert.deepEqual(problems, []);
  });

  it('shows attribute ratings: a bar per attribute in the summary, stars per attribute in the form', async () => {
    await go(page, `${server.url}/#/rating-summary/attributes-labelled`);
    const attrs = page.locator('#canvas rating-summary [part="attribute"]');
    await until('three attributes', async () => (await attrs.count()) === 3);
    assert.deepEqual(
      (await attrs.allInnerTexts()).map((t) => t.split('\n')[0]!.trim()),
      ['Build quality', 'Worth the price', 'Comfort'],
    );
    // The seed rates quality and value on every product: the meters carry the averages.
    const meter = page.locator('#canvas rating-summary [role="meter"]').first();
    await until('the quality average', async () => /out of 5, \d+ ratings/.test((await meter.getAttribute('aria-valuetext')) ?? ''));
    assert.match(await attrs.nth(2).innerText(), /No ratings yet/);

    await go(page, `${server.url}/#/review-form/attributes`);
    const form = page.locator('#canvas review-form');
    for (const label of ['Quality (optional)', 'Value for money (optional)', 'Fit (optional)']) {
      await form.locator(`rating-stars[label="${label}"] input[type="radio"]`).first().waitFor({ timeout: WAIT });
    }
    assert.deepEqual(problems, []);
  });

  it('lists the review request e-mails of the outbox, and a message\'s link opens the review page of its order', async () => {
    await go(page, `${server.url}/#/pages/review-requests`);
    const messages = page.locator('#canvas demo-outbox .message');
    await until('the seeded e-mails', async () => (await messages.count()) >= 1);
    const first = messages.first();
    assert.match(await first.locator('.message-subject').innerText(), /Review it for/);
    assert.match(await first.locator('.message-text').innerText(), /review-request\.html\?reviewRequest=/);
    await first.locator('.message-link').click();
    await until('the review page', () => page.url().includes('/review-request.html?reviewRequest='));
    const items = page.locator('review-form [part="item"]');
    await until('the order\'s products', async () => (await items.count()) > 0);
    const item = items.first();
    await item.locator('rating-stars').first().locator('input[value="4"]').check({ force: true });
    await item.locator('rating-stars').nth(1).locator('input[value="5"]').check({ force: true });
    await item.getByRole('button', { name: 'Submit review' }).click();
    await item.getByText('Thanks! Your review is live.').waitFor({ timeout: WAIT });
    // The review is the customer's, verified, linked to its item, with its quality rating.
    const requestId = new URL(page.url()).searchParams.get('reviewRequest')!;
    const rr = (await server.call('GET', `/reviews/v2/review-requests/${requestId}`, undefined, { owner: true })).body as {
      reviewRequest: { items: Array<{ reviewId?: string }> };
    };
    const reviewId = rr.reviewRequest.items.find((i) => i.reviewId)?.reviewId;
    assert.ok(reviewId, 'the item links its review');
    const review = (await server.call('GET', `/reviews/v1/reviews/${reviewId}`, undefined, { owner: true })).body as { review: { verified: boolean; content: { rating: number } } };
    assert.equal(review.review.verified, true);
    assert.equal(review.review.content.rating, 4);
    const ratings = (await server.call('POST', '/ratings/v1/ratings/query', { query: { filter: { relatedEntityIds: { $hasSome: [reviewId] } } } }, { owner: true })).body as {
      ratings: Array<{ attributeName: string; value: number }>;
    };
    assert.deepEqual(ratings.ratings.map((r) => [r.attributeName, r.value]), [['quality', 100]]);

    // The seed's older e-mail (order #1001) has a link that expired long ago.
    await go(page, `${server.url}/#/pages/review-requests`);
    await page.locator('#canvas demo-outbox .message', { hasText: '#1001' }).locator('.message-link').click();
    await until('the review page', () => page.url().includes('/review-request.html?reviewRequest='));
    await page.locator('review-form [role="alert"]').getByText('This review link has expired. Please ask the store for a new one.').waitFor({ timeout: WAIT });
    assert.equal(await page.locator('review-form [part="item"]').count(), 0, 'nothing to fill in');
    assert.equal(await page.locator('review-form form, review-form button').count(), 0, 'no form and no button');
    assert.deepEqual(await axe(page), [], 'axe on the expired link');
    // The browser logs the server's 403 for the expired link itself: expected here, once.
    const refused = problems.filter((p) => /status of 403/.test(p));
    assert.equal(refused.length, 1, problems.join('\n'));
    problems.splice(problems.indexOf(refused[0]!), 1);

    // The flow again, on a new order: the page places it and sends its request.
    await go(page, `${server.url}/#/pages/review-requests`);
    const before = Number(await until('the e-mails', async () => (await messages.count()) || false));
    // Another site's page could only send a form or text/plain POST: that places nothing.
    const outboxSize = async () => ((await (await fetch(`${server.url}/__demo/outbox`)).json()) as { messages: unknown[] }).messages.length;
    const sizeBefore = await outboxSize();
    await fetch(`${server.url}/__demo/review-requests`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(await outboxSize(), sizeBefore, 'a cross-site-style POST placed no order');
    await page.getByRole('button', { name: 'Place a demo order and send its review request' }).click();
    await until('a new e-mail', async () => (await messages.count()) === before + 1);
    const fresh = messages.first();
    assert.match(await fresh.locator('.message-meta').innerText(), /To demo\.customer\+\w+@example\.com/);
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'message-subject', 'focus on the new e-mail');
    await fresh.locator('.message-link').click();
    await until('its three products', async () => (await page.locator('review-form [part="item"]').count()) === 3);
    assert.equal(await page.locator('review-form').getByText('Thanks, already reviewed').count(), 0);
    assert.deepEqual(problems, []);
  });

  it('runs the webhook example: a review written on store A is mirrored to store B, and a low one raises an alert', async () => {
    await go(page, `${server.url}/#/pages/two-way-sync`);
    const sync = page.locator('#canvas demo-sync');
    // The receiver's counters once earlier tests' events have all come through.
    type Stats = { skippedOwn: number; writes: number; received: number };
    const stats = async () => ((await (await fetch(`${server.url}/__demo/sync`)).json()) as { stats: Stats }).stats;
    let settled = await stats();
    await until('the receiver idle', async () => {
      await new Promise((r) => setTimeout(r, 1200));
      const now = await stats();
      const same = now.received === settled.received;
      settled = now;
      return same;
    });
    const form = sync.locator('review-form');
    await form.locator('#title').waitFor({ timeout: WAIT });
    // No digits: a run of them reads as a phone number, which `auto` moderation holds back.
    const title = 'Mirrored to store B';
    await form.locator('rating-stars').first().locator('input[value="2"]').check({ force: true });
    await form.locator('#title').fill(title);
    await form.locator('#body').fill('Faded after two washes.');
    await form.locator('#name').fill('Sync Tester');
    await form.locator('#email').fill('sync.tester@example.com');
    await form.locator('[part="submit"]').click();
    await form.getByText('Thanks! Your review is live.').waitFor({ timeout: WAIT });
    await sync.locator('.alerts li', { hasText: title }).waitFor({ timeout: WAIT });
    assert.match(await sync.locator('.alerts li', { hasText: title }).innerText(), /2 of 5 stars .* by Sync Tester/);
    await sync.locator('review-list [part="review"]', { hasText: title }).waitFor({ timeout: WAIT });
    // The copy's own event came back from store B and was recognised as the receiver's:
    // one write (A to B) and no copy back into A.
    await until('the echo skipped', async () => Number(await sync.locator('.stat-skipped').innerText()) > settled.skippedOwn);
    assert.equal((await stats()).writes, settled.writes + 1, 'one write: the copy into store B');
    const entityId = (await sync.getAttribute('entity-id'))!;
    const inA = (await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { entityId }, cursorPaging: { limit: 100 } } }, { owner: true })).body as { reviews: { content: { title?: string } }[] };
    assert.equal(inA.reviews.filter((r) => r.content.title === title).length, 1, 'store A has the review once');
    assert.deepEqual(problems, []);
  });

  it('answers the owner pages only to requests addressed to this machine (no DNS rebinding)', async () => {
    const { port } = new URL(server.url);
    // Node's fetch will not send another Host than the URL's: a plain HTTP request does.
    const get = (host: string, method = 'GET') =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path: method === 'GET' ? '/__demo/outbox' : '/__demo/review-requests', headers: { Host: host, 'Content-Type': 'application/json' } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject).end(method === 'GET' ? undefined : '{}');
      });
    const before = JSON.parse((await get(`127.0.0.1:${port}`)).body) as { messages: unknown[] };
    assert.ok(before.messages.length > 0, 'the outbox answers 127.0.0.1');
    assert.equal((await get(`localhost:${port}`)).status, 200);
    assert.equal((await get(`[::1]:${port}`)).status, 200);
    for (const host of [`rebind.example:${port}`, 'rebind.example', `127.0.0.1.rebind.example:${port}`]) {
      const res = await get(host);
      assert.equal(res.status, 403, host);
      assert.doesNotMatch(res.body, /reviewUrl|@example\.com/, `${host}: nothing of the outbox`);
      assert.equal((await get(host, 'POST')).status, 403, `${host}: no order placed`);
    }
    const after = JSON.parse((await get(`127.0.0.1:${port}`)).body) as { messages: unknown[] };
    assert.equal(after.messages.length, before.messages.length, 'no review request was sent');
  });

  it('keeps the owner pages to a server listening on loopback', async () => {
    const other = await demoMiddleware();
    try {
      // `--host 0.0.0.0` serves the network, while its URL says localhost: the host decides.
      await assert.rejects(other.attach({ url: server.url.replace('127.0.0.1', 'localhost'), apiKey: server.apiKey, host: '0.0.0.0' }), /on this machine only/);
      await assert.rejects(other.attach({ url: 'http://192.0.2.10:8787', apiKey: server.apiKey }), /on this machine only/);
      // Not attached: the owner routes answer 404 and place nothing.
      const probe = (method: string, url: string) =>
        new Promise<number>((resolve) => {
          const res = { writeHead: (status: number) => resolve(status), end: () => {} } as unknown as import('node:http').ServerResponse;
          other.handle({ method, url, headers: { host: '127.0.0.1', 'content-type': 'application/json' } } as import('node:http').IncomingMessage, res, () => resolve(0));
        });
      assert.equal(await probe('GET', '/__demo/outbox'), 404);
      assert.equal(await probe('GET', '/__demo/sync'), 404);
      assert.equal(await probe('POST', '/__demo/review-requests'), 404);
    } finally {
      await other.close();
    }
  });

  it('removes a demo webhook left behind by a killed demo at start, and its own at close, and no other', async () => {
    const store = await startTestServer();
    const other = await demoMiddleware();
    let closed = false;
    try {
      const hooks = async () =>
        ((await store.call('GET', '/reviews/v1/webhooks', undefined, { owner: true })).body as { webhooks: { id: string; url: string }[] }).webhooks.map((w) => w.url).sort();
      const add = (url: string) => store.call('POST', '/reviews/v1/webhooks', { webhook: { url, events: ['wix.reviews.v1.review_created'], secret: 'whsec_test_secret_value' } }, { owner: true });
      const stale = 'http://127.0.0.1:9/webhooks/a?from=storefront-reviews-demo';
      const owners = ['http://127.0.0.1:9/webhooks/a', 'https://crm.example/webhooks/a?from=storefront-reviews-demo'];
      for (const url of [stale, ...owners]) assert.equal((await add(url)).status, 200, url);
      await other.attach({ url: store.url, apiKey: store.apiKey });
      const running = await hooks();
      assert.ok(!running.includes(stale), 'the stale demo webhook is gone');
      const mine = running.filter((u) => !owners.includes(u));
      assert.equal(mine.length, 1, `one new demo webhook: ${running.join(', ')}`);
      assert.match(mine[0]!, /^http:\/\/127\.0\.0\.1:\d+\/webhooks\/a\?from=storefront-reviews-demo$/);
      await other.close();
      closed = true;
      assert.deepEqual(await hooks(), [...owners].sort(), "only the owner's webhooks are left");
    } finally {
      if (!closed) await other.close();
      await store.close();
    }
  });

  it('switches the whole demo to dark and right-to-left, and the product', async () => {
    await go(page, `${server.url}/#/pages/product-grid`);
    const badges = page.locator('#canvas rating-stars [role="img"]');
    await until('24 badges with their averages', async () => {
      const labels = await badges.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
      return labels.length === 24 && labels.every((l) => /^(Rated [\d.]+ out of 5, \d+ reviews?|No reviews yet)$/.test(l));
    });
    await page.locator('#theme').selectOption('dark');
    await page.locator('#dir').selectOption('rtl');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    assert.match(page.url(), /theme=dark/);
    assert.match(page.url(), /dir=rtl/);
    // A badge's product link opens that product's page in place.
    const other = DEMO_PRODUCTS[1]!;
    await page.locator('#canvas a', { hasText: other.name }).first().click();
    await until('the product page', () => page.url().endsWith('#/pages/product-page'));
    assert.equal(await page.locator('#canvas review-list').getAttribute('entity-id'), other.id);
    assert.equal(await page.locator('#product').inputValue(), other.id);
    await page.locator('#product').selectOption(product.id);
    assert.equal(await page.locator('#canvas review-list').getAttribute('entity-id'), product.id);
    await page.locator('#theme').selectOption('auto');
    await page.locator('#dir').selectOption('ltr');
    assert.deepEqual(problems, []);
  });

  it('is accessible: axe finds nothing on pages and stories, light and dark', async () => {
    for (const [route, query] of [
      ['pages/product-page', ''],
      ['pages/product-grid', ''],
      ['review-list/default', ''],
      ['review-list/dark', ''],
      ['rating-summary/default', ''],
      ['rating-summary/attributes', ''],
      ['review-form/attributes', ''],
      ['pages/review-requests', ''],
      ['pages/two-way-sync', '?theme=dark'],
      ['media-gallery/themed', ''],
      ['rating-stars/input', ''],
      ['most-helpful/face-off', '?theme=dark'],
      ['review-form/default', '?dir=rtl'],
    ] as const) {
      await go(page, `${server.url}/${query}#/${route}`);
      await page.waitForLoadState('networkidle');
      await until(`${route} loaded`, async () => (await page.locator('#canvas [aria-busy="true"], #canvas .skeleton').count()) === 0, 10_000).catch(() => {});
      assert.deepEqual(await axe(page), [], `axe on ${route}${query}`);
    }
    assert.deepEqual(problems, []);
  });
});

/** Serves a directory over HTTP on 127.0.0.1 (another origin than the API server). */
function serveDir(dir: string): Promise<Server & { url: string }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.(\/|\\|$))+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))),
  );
}

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe('demo static copy (npm run build:demo)', { timeout: 300_000 }, () => {
  let api: TestServer;
  let site: Server & { url: string };
  let outDir: string;
  let browser: Browser;

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'storefront-reviews-demo-'));
    api = await startTestServer({ seed: 'demo' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => (site ? site.close(r) : r(undefined)));
    await api?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { code, out } = await run(npm, ['run', 'build:demo', '--', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn']);
    assert.equal(code, 0, out);
    for (const file of ['index.html', 'review-request.html']) assert.ok(existsSync(join(outDir, file)), file);
    site = await serveDir(outDir);
  });

  it('works from another origin against the server given by ?endpoint=', async () => {
    assert.ok(site, 'the build succeeded');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = watch(page);
    await go(page, `${site.url}/index.html?endpoint=${encodeURIComponent(api.url)}#/review-list/sort-highest`);
    assert.equal(await page.locator('meta[name="storefront-reviews:endpoint"]').getAttribute('content'), api.url);
    await until('reviews from the API server', async () => (await reviews(page).count()) === 10);
    assert.equal(await firstRating(page), 5);
    // The manifest is in the build: controls, and a control still updates the element.
    await page.locator('#ctl-page-size').fill('2');
    await until('two reviews', async () => (await reviews(page).count()) === 2);
    assert.match(await codeText(page), new RegExp(`content="${api.url}"`));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('has the review request page, which passes the request and token to <review-form>', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/review-request.html?endpoint=${encodeURIComponent(api.url)}&reviewRequest=rq-1&token=t-2`);
    const form = page.locator('review-form');
    await until('the form', async () => (await form.getAttribute('review-request')) === 'rq-1');
    assert.equal(await form.getAttribute('token'), 't-2');
    assert.ok(await page.evaluate(() => customElements.get('review-form') !== undefined), 'the elements are defined');

    await page.goto(`${site.url}/review-request.html`);
    await until('the hint', () => page.locator('#missing').isVisible());
    assert.ok(await form.isHidden());
    await page.close();
  });
});
