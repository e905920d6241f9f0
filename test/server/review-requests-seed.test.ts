/**
 * The demo data set's store: the catalog with prices, customers with orders, and a review
 * request in each status (so `npm start` shows them), identical in two fresh databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDb, type Db } from '../../src/server/db.js';
import { DEMO_PRODUCTS, seedDemo } from '../../src/server/seed.js';
import { startTestServer, type TestServer } from './helpers.js';

const owner = { owner: true };

describe('demo store and review requests', () => {
  let server: TestServer;
  let other: Db;
  let requests: any[];

  before(async () => {
    server = await startTestServer({ seed: 'demo', schedulerIntervalMs: 0 });
    other = await openDb('memory');
    await seedDemo(other);
    const res = await server.call('POST', '/reviews/v2/review-requests/query', { query: { cursorPaging: { limit: 100 } } }, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    requests = res.body.reviewRequests;
  });
  after(async () => {
    await Promise.all([server?.close(), other?.close()]);
  });

  // First: the form test below marks a request opened.
  it('gives two fresh databases identical catalogs, orders and review requests', async () => {
    // PGlite and node-postgres parse some types differently (bigint, dates): compare as text.
    const plain = (v: unknown): unknown =>
      v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map(plain) : v === null ? null : String(v);
    const rows = (list: Record<string, unknown>[]) => list.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
    for (const sql of [
      'SELECT * FROM products ORDER BY id',
      'SELECT * FROM orders ORDER BY id',
      'SELECT * FROM order_items ORDER BY order_id, position',
      'SELECT * FROM review_requests ORDER BY id',
    ]) {
      const [a, b] = await Promise.all([server.db.query(sql), other.query(sql)]);
      assert.ok(a.rows.length > 0, sql);
      assert.deepEqual(rows(b.rows), rows(a.rows), sql);
    }
  });

  it('prices every demo product in the catalog', async () => {
    const res = await server.call('GET', '/reviews/v2/store/products?limit=100', undefined, owner);
    assert.equal(res.body.products.length, DEMO_PRODUCTS.length);
    for (const p of DEMO_PRODUCTS) {
      const got = res.body.products.find((x: any) => x.id === p.id);
      assert.deepEqual(got.price, { amount: p.price.toFixed(2), currency: 'USD' });
      assert.equal(got.name, p.name);
    }
    const orders = await server.call('GET', '/reviews/v2/store/orders', undefined, owner);
    assert.equal(orders.body.orders.length, 4);
    assert.ok(orders.body.orders.every((o: any) => o.contact.email?.endsWith('@example.com') && o.items.length > 0));
  });

  it('has a review request in each status', () => {
    const by = (status: string) => requests.filter((r) => r.status === status);
    assert.equal(requests.length, 5);
    assert.equal(by('SENT').length, 2);
    assert.equal(by('SCHEDULED').length, 1);
    assert.equal(by('FAILED').length, 1);
    assert.equal(by('CANCELED').length, 1);
    assert.equal(by('FAILED')[0].failedOptions.reason, 'UNKNOWN_FAILURE_REASON');
    const scheduled = by('SCHEDULED')[0];
    assert.equal(scheduled.items.length, 5, 'the five most expensive items of a six-item order');
    assert.ok(!scheduled.items.some((i: any) => i.catalogItemId === 'organic-cotton-tee'), 'the cheapest item is left out');
    assert.ok(Date.parse(scheduled.sendDate) > Date.now() + 365 * 86_400_000, 'far enough ahead that the demo never sends it');
  });

  it('links a verified review to the opened request', async () => {
    const opened = requests.find((r) => r.status === 'SENT' && r.sentOptions.opened);
    assert.ok(opened);
    const item = opened.items.find((i: any) => i.reviewId);
    assert.ok(item);
    const review = await server.call('GET', `/reviews/v1/reviews/${item.reviewId}`);
    assert.equal(review.status, 200);
    assert.equal(review.body.review.verified, true);
    assert.equal(review.body.review.entityId, item.catalogItemId);
    assert.equal(review.body.review.author.contactId, opened.recipient.contactId);
    assert.ok(Date.parse(opened.sendDate) < Date.parse(review.body.review.createdDate), 'the review came after the request');
  });

  it('keeps the unopened request\'s message in the outbox, with a link that works today', async () => {
    const unopened = requests.find((r) => r.status === 'SENT' && !r.sentOptions.opened);
    const res = await server.call('GET', `/reviews/v2/outbox?reviewRequestId=${unopened.id}`, undefined, owner);
    assert.equal(res.body.messages.length, 1);
    const url = new URL(res.body.messages[0].reviewUrl);
    assert.equal(`${url.origin}${url.pathname}`, 'http://localhost:8787/review-request.html');
    const form = await server.call('GET', `/reviews/v2/review-requests/${unopened.id}/form?token=${encodeURIComponent(url.searchParams.get('token')!)}`);
    assert.equal(form.status, 200, JSON.stringify(form.body));
    assert.equal(form.body.reviewRequest.recipient.name, 'Maya Lindqvist');
    assert.equal(form.body.reviewRequest.items.length, 3);
  });

});
