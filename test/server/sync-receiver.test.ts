/**
 * The example sync receiver (demo/sync-receiver): two real servers, the receiver subscribed
 * to both. A review written on A reaches B once, an edit on B reaches A once, nothing
 * ping-pongs (the receiver skips events its own writes caused), and a new review rated
 * below 3 raises one alert.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Review } from '../../src/api/schema.js';
import type { Delivery } from '../../src/api/webhooks.js';
import { registerWebhook, startSyncReceiver, type SyncReceiver } from '../../demo/sync-receiver/sync.js';
import { OWNER_KEY, reviewBody, startTestServer, type TestServer } from './helpers.js';

const APP_ID = 'sync-test';
const owner = { owner: true } as const;

describe('example sync receiver', () => {
  let a: TestServer;
  let b: TestServer;
  let receiver: SyncReceiver;
  const hooks = { a: '', b: '' };
  const secrets = { a: `whsec_a_${randomUUID()}`, b: `whsec_b_${randomUUID()}` };
  const lines: string[] = [];

  before(async () => {
    // Store A moderates visitors' reviews; store B publishes everything.
    [a, b] = await Promise.all([
      startTestServer({ moderation: 'all', deliveryIntervalMs: 0 }),
      startTestServer({ moderation: 'off', deliveryIntervalMs: 0 }),
    ]);
    receiver = await startSyncReceiver({
      appId: APP_ID,
      stores: { a: { url: a.url, apiKey: OWNER_KEY, secret: secrets.a }, b: { url: b.url, apiKey: OWNER_KEY, secret: secrets.b } },
      log: (line) => lines.push(line),
    });
    hooks.a = await registerWebhook({ url: a.url, apiKey: OWNER_KEY }, receiver.hookUrl('a'), secrets.a);
    hooks.b = await registerWebhook({ url: b.url, apiKey: OWNER_KEY }, receiver.hookUrl('b'), secrets.b);
  });
  after(async () => {
    await receiver.close();
    await Promise.all([a.close(), b.close()]);
  });

  /** Runs delivery passes on both stores until neither has anything to send; returns the rounds. */
  async function settle(): Promise<number> {
    for (let round = 1; round <= 10; round++) {
      const [pa, pb] = await Promise.all([a, b].map((s) => s.call('POST', '/reviews/v1/webhooks/deliver-now', undefined, owner)));
      assert.equal(pa!.status, 200);
      assert.equal(pb!.status, 200);
      assert.equal(pa!.body.retrying + pb!.body.retrying + pa!.body.failed + pb!.body.failed, 0, `round ${round}: ${lines.slice(-5).join(' | ')}`);
      if (pa!.body.attempted === 0 && pb!.body.attempted === 0) return round;
    }
    assert.fail('the stores kept sending events to each other (ping-pong)');
  }

  async function log(server: TestServer, hook: string): Promise<Delivery[]> {
    const res = await server.call('GET', `/reviews/v1/webhooks/${hook}/deliveries?limit=100`, undefined, owner);
    assert.equal(res.status, 200);
    return res.body.deliveries;
  }

  async function find(server: TestServer, entityId: string): Promise<Review[]> {
    const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { entityId } }, returnPrivateReviews: true }, owner);
    assert.equal(res.status, 200);
    return res.body.reviews;
  }

  async function get(server: TestServer, id: string): Promise<Review> {
    const res = await server.call('GET', `/reviews/v1/reviews/${id}?returnPrivateReviews=true`, undefined, owner);
    assert.equal(res.status, 200);
    return res.body.review;
  }

  let onA: Review;
  let onB: Review;

  it('copies a review written on A to B, once', async () => {
    const body = reviewBody({ entityId: 'mug', rating: 4, title: 'Solid mug', body: 'Keeps coffee warm.' });
    const res = await a.call('POST', '/reviews/v1/reviews', body, owner);
    assert.equal(res.status, 200);
    onA = res.body.review;

    assert.ok((await settle()) <= 3);
    const copies = await find(b, 'mug');
    assert.equal(copies.length, 1);
    onB = copies[0]!;
    assert.notEqual(onB.id, onA.id);
    assert.deepEqual(onB.content, onA.content);
    assert.deepEqual(onB.author, onA.author);
    assert.equal(onB.reviewDate, onA.reviewDate);
    assert.equal(onB.moderation!.moderationStatus, 'APPROVED');
    assert.deepEqual(onB.origin, { type: 'APP', appId: APP_ID });

    // A sent one event (created); B sent one back (its created), marked as the app's and skipped.
    const fromA = await log(a, hooks.a);
    const fromB = await log(b, hooks.b);
    assert.deepEqual(fromA.map((d) => [d.eventType, d.status]), [['wix.reviews.v1.review_created', 'DELIVERED']]);
    assert.deepEqual(fromB.map((d) => [d.eventType, d.status]), [['wix.reviews.v1.review_created', 'DELIVERED']]);
    assert.equal(receiver.stats.skippedOwn, 1);
    assert.equal(receiver.stats.writes, 1);
    assert.equal(await settle(), 1, 'quiet afterwards');
  });

  it('copies an edit made on B back to A, once, without ping-pong', async () => {
    const before = { a: (await log(a, hooks.a)).length, b: (await log(b, hooks.b)).length, revA: (await get(a, onA.id)).revision };
    const res = await b.call('PATCH', `/reviews/v1/reviews/${onB.id}`, { review: { revision: onB.revision, content: { title: 'Solid mug, chipped after a month', rating: 3 } } }, owner);
    assert.equal(res.status, 200);
    await settle();

    const now = await get(a, onA.id);
    assert.equal(now.content.title, 'Solid mug, chipped after a month');
    assert.equal(now.content.rating, 3);
    assert.equal(Number(now.revision), Number(before.revA) + 1, 'A was written exactly once');
    // One event each way: B's edit, and A's copy of it (the app's own, skipped).
    const fromA = await log(a, hooks.a);
    const fromB = await log(b, hooks.b);
    assert.equal(fromB.length - before.b, 1);
    assert.equal(fromA.length - before.a, 1);
    assert.equal(receiver.stats.skippedOwn, 2);
    assert.equal(await settle(), 1);

    // A reply on B reaches A too.
    await b.call('PATCH', `/reviews/v1/reviews/${onB.id}/reply`, { message: 'Sorry! We will send a new one.' }, owner);
    await settle();
    assert.equal((await get(a, onA.id)).reply?.message, 'Sorry! We will send a new one.');
    assert.equal(receiver.stats.skippedOwn, 3);
  });

  it('alerts once on a new review rated below 3, and copies it only when published', async () => {
    const res = await a.call('POST', '/reviews/v1/reviews/contact', {
      namespace: 'stores', entityId: 'teapot', name: 'Grumpy', email: `g-${randomUUID()}@example.com`, content: { rating: 2, title: 'Leaks' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.review.moderation.moderationStatus, 'IN_MODERATION');
    await settle();
    assert.equal(receiver.alerts.length, 1);
    assert.deepEqual(
      { ...receiver.alerts[0], eventTime: undefined },
      { store: 'a', reviewId: res.body.review.id, namespace: 'stores', entityId: 'teapot', rating: 2, authorName: 'Grumpy', title: 'Leaks', eventTime: undefined },
    );
    assert.ok(lines.some((l) => l.startsWith('ALERT store A: 2-star review of teapot by Grumpy')));
    assert.deepEqual(await find(b, 'teapot'), [], 'waiting for moderation on A: not copied');

    await a.call('PATCH', `/reviews/v1/reviews/${res.body.review.id}/moderate`, { status: 'APPROVED' }, owner);
    await settle();
    const copies = await find(b, 'teapot');
    assert.equal(copies.length, 1);
    assert.equal(copies[0]!.content.rating, 2);
    assert.equal(receiver.alerts.length, 1, 'the copy on B raises no second alert');

    // A good review raises none.
    await a.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: 'teapot', rating: 5 }), owner);
    await settle();
    assert.equal(receiver.alerts.length, 1);
    const served = await fetch(`${receiver.url}/alerts`).then((r) => r.json() as Promise<{ alerts: unknown[] }>);
    assert.equal(served.alerts.length, 1);
  });

  it('mirrors rejection and deletion', async () => {
    const [copy] = await find(b, 'teapot').then((rs) => rs.filter((r) => r.content.rating === 2));
    await b.call('PATCH', `/reviews/v1/reviews/${copy!.id}/moderate`, { status: 'REJECTED' }, owner);
    await settle();
    const original = (await find(a, 'teapot')).find((r) => r.content.rating === 2)!;
    assert.equal(original.moderation!.moderationStatus, 'REJECTED');

    await a.call('DELETE', `/reviews/v1/reviews/${onA.id}`, undefined, owner);
    await settle();
    assert.deepEqual(await find(b, 'mug'), []);
    assert.equal(await settle(), 1);
  });

  it('refuses forged events and ignores repeated ones', async () => {
    const writes = receiver.stats.writes;
    const forged = JSON.stringify({
      id: randomUUID(), entityFqdn: 'wix.reviews.v1.review', slug: 'deleted', entityId: 'x', eventType: 'wix.reviews.v1.review_deleted',
      eventTime: new Date().toISOString(), triggeredByAnonymizeRequest: false, entityEventSequence: '1', deletedEvent: { deletedEntityAsJson: '{}' },
    });
    const wrongKey = `sha256=${createHmac('sha256', 'not-the-secret').update(forged).digest('hex')}`;
    for (const signature of [wrongKey, '', 'sha256=00']) {
      const res = await fetch(receiver.hookUrl('a'), { method: 'POST', body: forged, headers: { 'X-Storefront-Signature': signature } });
      assert.equal(res.status, 401);
    }
    // Signed, but not an envelope.
    const junk = '{"hello":"world"}';
    const res = await fetch(receiver.hookUrl('a'), { method: 'POST', body: junk, headers: { 'X-Storefront-Signature': `sha256=${createHmac('sha256', secrets.a).update(junk).digest('hex')}` } });
    assert.equal(res.status, 400);
    assert.equal(receiver.stats.refused, 4);

    // At-least-once: a redelivered event is recognised and changes nothing.
    const delivered = (await log(a, hooks.a)).find((d) => d.status === 'DELIVERED')!;
    const re = await a.call('POST', `/reviews/v1/webhooks/deliveries/${delivered.id}/redeliver`, undefined, owner);
    assert.equal(re.status, 200);
    const duplicates = receiver.stats.duplicates;
    await settle();
    assert.equal(receiver.stats.duplicates, duplicates + 1);
    assert.equal(receiver.stats.writes, writes);
  });
});
