/**
 * Webhooks: subscriptions (`/reviews/v1/webhooks`), the event envelope of every review
 * event, and delivery to a real `node:http` receiver on 127.0.0.1 that is down for a while:
 * retries on a fake clock, signatures, per-entity order, the 24 h give-up, redeliver, the
 * delivery log, two workers on one database.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { EventEnvelopeSchema, WEBHOOK_EVENT_TYPES, eventPayload, eventTypeOf, type Delivery, type EventEnvelope } from '../../src/api/webhooks.js';
import { DeliveryWorker } from '../../src/server/webhooks.js';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';

const HOUR = 60 * 60 * 1000;
const W = '/reviews/v1/webhooks';
const owner = { owner: true } as const;

// ---------------------------------------------------------------------------
// Harness: a fake clock and a real receiver
// ---------------------------------------------------------------------------

function fakeClock(start = '2030-01-01T00:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

interface Hit {
  headers: IncomingHttpHeaders;
  raw: string;
  event: EventEnvelope;
  status: number;
}

/** A webhook receiver on 127.0.0.1: records every request and answers as told. */
class Receiver {
  /** Every request, in arrival order. */
  hits: Hit[] = [];
  /** How to answer a request: an HTTP status, `hang` (never answer) or `redirect`. */
  answer: (event: EventEnvelope, hit: Omit<Hit, 'status'>) => number | 'hang' | 'redirect' = () => 200;
  private _server: Server | undefined;
  private _port = 0;

  get url(): string {
    return `http://127.0.0.1:${this._port}/hook`;
  }
  /** Requests answered 2xx: what the sender may count as delivered. */
  get delivered(): Hit[] {
    return this.hits.filter((h) => h.status >= 200 && h.status < 300);
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const event = EventEnvelopeSchema.parse(JSON.parse(raw));
        const base = { headers: req.headers, raw, event };
        const answer = this.answer(event, base);
        if (answer === 'hang') {
          this.hits.push({ ...base, status: 0 });
          return;
        }
        if (answer === 'redirect') {
          this.hits.push({ ...base, status: 302 });
          res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }).end();
          return;
        }
        this.hits.push({ ...base, status: answer });
        res.writeHead(answer, { 'Content-Type': 'text/plain' }).end(answer === 200 ? 'ok' : `no thanks (${answer})`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this._port, '127.0.0.1', () => resolve());
    });
    this._server = server;
    this._port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Goes away (connections refused) until started again on the same port. */
  async stop(): Promise<void> {
    const server = this._server;
    if (!server) return;
    this._server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function verify(secret: string, hit: Hit): boolean {
  const header = String(hit.headers['x-storefront-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(hit.raw).digest('hex')}`;
  return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}

async function subscribe(server: TestServer, url: string, events: string[] = ['*'], secret?: string): Promise<{ id: string; secret: string }> {
  const res = await server.call('POST', W, { webhook: { url, events, ...(secret ? { secret } : {}) } }, owner);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { id: res.body.webhook.id, secret: res.body.webhook.secret };
}

async function deliverNow(server: TestServer): Promise<{ attempted: number; delivered: number; retrying: number; failed: number }> {
  const res = await server.call('POST', `${W}/deliver-now`, undefined, owner);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The whole delivery log of a webhook (all pages), newest first. */
async function deliveryLog(server: TestServer, webhookId: string, query = ''): Promise<Delivery[]> {
  const out: Delivery[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const qs = new URLSearchParams(query);
    qs.set('limit', '100');
    if (cursor) qs.set('cursor', cursor);
    const res = await server.call('GET', `${W}/${webhookId}/deliveries?${qs}`, undefined, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    out.push(...res.body.deliveries);
    cursor = res.body.metadata.cursors.next;
    if (!cursor) return out;
  }
  throw new Error('delivery log did not end');
}

async function createReview(server: TestServer, overrides: Parameters<typeof reviewBody>[0] = {}, headers?: Record<string, string>) {
  const res = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: `p-${randomUUID().slice(0, 8)}`, ...overrides }), { owner: true, headers });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.review;
}

async function patchReview(server: TestServer, id: string, content: Record<string, unknown>) {
  const cur = await server.call('GET', `/reviews/v1/reviews/${id}?returnPrivateReviews=true`, undefined, owner);
  const res = await server.call('PATCH', `/reviews/v1/reviews/${id}`, { review: { revision: cur.body.review.revision, content } }, owner);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.review;
}

/** Asserts that, per entity, sequences arrive strictly increasing. */
function assertPerEntityOrder(hits: readonly Hit[]): void {
  const last = new Map<string, bigint>();
  for (const h of hits) {
    const key = `${h.event.entityFqdn}/${h.event.entityId}`;
    const seq = BigInt(h.event.entityEventSequence);
    const prev = last.get(key);
    assert.ok(prev === undefined || seq > prev, `${key}: sequence ${seq} arrived after ${prev}`);
    last.set(key, seq);
  }
}

// ---------------------------------------------------------------------------
// Subscriptions
// ---------------------------------------------------------------------------

describe('webhook subscriptions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ deliveryIntervalMs: 0 });
  });
  after(() => server.close());

  it('are for the owner only', async () => {
    for (const [method, path] of [['GET', W], ['POST', W], ['GET', `${W}/x`], ['DELETE', `${W}/x`], ['GET', `${W}/x/deliveries`], ['POST', `${W}/deliveries/x/redeliver`], ['POST', `${W}/deliver-now`]] as const) {
      const res = await server.call(method, path, method === 'POST' ? { webhook: { url: 'http://127.0.0.1/x', events: ['*'] } } : undefined);
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(res.body.details.applicationError.code, 'UNAUTHENTICATED');
    }
  });

  it('registers with a generated secret shown once, then lists, gets and deletes', async () => {
    const res = await server.call('POST', W, { webhook: { url: 'https://example.com/hooks/reviews', events: ['wix.reviews.v1.review_created', 'wix.ratings.v1.rating_created'] } }, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const hook = res.body.webhook;
    assert.match(hook.secret, /^whsec_[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(hook.events, ['wix.reviews.v1.review_created', 'wix.ratings.v1.rating_created']);
    assert.equal(hook.url, 'https://example.com/hooks/reviews');
    assert.ok(!Number.isNaN(Date.parse(hook.createdDate)));

    const got = await server.call('GET', `${W}/${hook.id}`, undefined, owner);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.webhook, { id: hook.id, url: hook.url, events: hook.events, createdDate: hook.createdDate });
    const list = await server.call('GET', W, undefined, owner);
    assert.ok(list.body.webhooks.some((w: { id: string }) => w.id === hook.id));
    assert.ok(list.body.webhooks.every((w: Record<string, unknown>) => !('secret' in w)), 'the list never shows secrets');

    const given = await server.call('POST', W, { webhook: { url: 'http://127.0.0.1:9/x', events: ['*'], secret: 'my-own-secret-0123456789' } }, owner);
    assert.equal(given.body.webhook.secret, 'my-own-secret-0123456789');

    assert.deepEqual((await server.call('DELETE', `${W}/${hook.id}`, undefined, owner)).body, {});
    assert.equal((await server.call('GET', `${W}/${hook.id}`, undefined, owner)).status, 404);
    const again = await server.call('DELETE', `${W}/${hook.id}`, undefined, owner);
    assert.equal(again.status, 404);
    assert.equal(again.body.details.applicationError.code, 'NOT_FOUND');
    assert.equal((await server.call('GET', `${W}/${hook.id}/deliveries`, undefined, owner)).status, 404);
  });

  it('refuses bad registrations with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ webhook: { url: 'ftp://example.com/x', events: ['*'] } }, 'webhook.url'],
      [{ webhook: { url: 'not a url', events: ['*'] } }, 'webhook.url'],
      [{ webhook: { url: 'javascript:alert(1)', events: ['*'] } }, 'webhook.url'],
      [{ webhook: { url: 'https://example.com/x#frag', events: ['*'] } }, 'webhook.url'],
      [{ webhook: { events: ['*'] } }, 'webhook.url'],
      [{ webhook: { url: 'https://example.com/x', events: [] } }, 'webhook.events'],
      [{ webhook: { url: 'https://example.com/x' } }, 'webhook.events'],
      [{ webhook: { url: 'https://example.com/x', events: ['wix.reviews.v1.review_exploded'] } }, 'webhook.events.0'],
      [{ webhook: { url: 'https://example.com/x', events: ['*', '*'] } }, 'webhook.events'],
      [{ webhook: { url: 'https://example.com/x', events: ['*'], secret: 'short' } }, 'webhook.secret'],
      [{ webhook: { url: 'https://example.com/x', events: ['*'], secret: 'has spaces in it, sixteen+' } }, 'webhook.secret'],
      [{ webhook: { url: 'https://example.com/x', events: ['*'], active: true } }, 'webhook'],
      [{ url: 'https://example.com/x', events: ['*'] }, 'webhook'],
    ];
    for (const [body, field] of cases) {
      const res = await server.call('POST', W, body, owner);
      assert.equal(res.status, 400, JSON.stringify(body));
      const fields = res.body.details.validationError.fieldViolations.map((v: { field: string }) => v.field);
      assert.ok(fields.includes(field), `${JSON.stringify(body)}: ${JSON.stringify(fields)}`);
    }
    const notJson = await server.call('POST', W, '{"webhook":', owner);
    assert.equal(notJson.status, 400);
  });

  it('validates the delivery log query', async () => {
    const { id } = await subscribe(server, 'http://127.0.0.1:9/x');
    for (const [qs, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=abc', 'limit'], ['status=LOST', 'status'], ['colour=red', '(body)']]) {
      const res = await server.call('GET', `${W}/${id}/deliveries?${qs}`, undefined, owner);
      assert.equal(res.status, 400, qs);
      assert.ok(JSON.stringify(res.body).includes(field), `${qs}: ${JSON.stringify(res.body)}`);
    }
    const bad = await server.call('GET', `${W}/${id}/deliveries?cursor=nonsense`, undefined, owner);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.details.applicationError.code, 'INVALID_CURSOR');
    assert.equal((await server.call('POST', `${W}/deliveries/${randomUUID()}/redeliver`, undefined, owner)).status, 404);
    assert.equal((await server.call('GET', `${W}/deliveries/${randomUUID()}`, undefined, owner)).status, 404);
  });
});

// ---------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------

describe('review event envelopes', () => {
  let server: TestServer;
  let receiver: Receiver;
  let hook: { id: string; secret: string };
  before(async () => {
    // Visitors' reviews wait IN_MODERATION; the owner's are published at once.
    server = await startTestServer({ moderation: 'all', deliveryIntervalMs: 0 });
    receiver = await new Receiver().start();
    hook = await subscribe(server, receiver.url);
  });
  after(async () => {
    await receiver.stop();
    await server.close();
  });

  /** Delivers everything and returns what arrived since the last call. */
  let seen = 0;
  async function flush(): Promise<Hit[]> {
    await deliverNow(server);
    const fresh = receiver.delivered.slice(seen);
    seen = receiver.delivered.length;
    for (const h of fresh) {
      assert.ok(verify(hook.secret, h), 'signature verifies with the secret');
      assert.equal(h.headers['x-storefront-event-id'], h.event.id);
      assert.match(String(h.headers['x-storefront-delivery-id']), /^[0-9a-f-]{36}$/);
      assert.equal(h.headers['x-storefront-event-type'], h.event.eventType);
      assert.match(String(h.headers['user-agent']), /^storefront-reviews-webhooks\//);
      assert.equal(h.headers['content-type'], 'application/json');
      assert.equal(h.event.eventType, eventTypeOf(h.event.entityFqdn, h.event.slug));
      assert.equal(h.event.triggeredByAnonymizeRequest, false);
      assert.ok(!Number.isNaN(Date.parse(h.event.eventTime)));
    }
    return fresh;
  }
  const slugs = (hits: Hit[]) => hits.map((h) => h.event.slug);
  const seqs = (hits: Hit[]) => hits.map((h) => h.event.entityEventSequence);

  it('owner create: created, moderation_status_changed, review_published', async () => {
    const review = await createReview(server, { rating: 4 });
    const hits = await flush();
    assert.deepEqual(slugs(hits), ['created', 'moderation_status_changed', 'review_published']);
    assert.deepEqual(seqs(hits), ['1', '2', '3']);
    for (const h of hits) {
      assert.equal(h.event.entityFqdn, 'wix.reviews.v1.review');
      assert.equal(h.event.entityId, review.id);
      assert.equal(h.event.originatedFrom, undefined);
      assert.ok(!('originatedFrom' in JSON.parse(h.raw)));
    }
    const [created, changed, published] = hits as [Hit, Hit, Hit];
    assert.equal(typeof created.event.createdEvent!.entityAsJson, 'string', 'entityAsJson is a JSON string');
    assert.deepEqual(eventPayload(created.event), review);
    assert.equal(changed.event.eventType, 'wix.reviews.v1.review_moderation_status_changed');
    assert.deepEqual(eventPayload(changed.event), { review }, 'a new review has no previous status');
    assert.equal(published.event.eventType, 'wix.reviews.v1.review_published');
    assert.deepEqual(eventPayload(published.event), { review });
  });

  it('visitor create waits in moderation; approve publishes; reject and re-reject', async () => {
    const res = await server.call('POST', '/reviews/v1/reviews/contact', {
      namespace: 'stores', entityId: `p-${randomUUID().slice(0, 8)}`, name: 'Vera', email: `v-${randomUUID()}@example.com`, content: { rating: 2, body: 'meh' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const id = res.body.review.id;
    let hits = await flush();
    assert.deepEqual(slugs(hits), ['created', 'moderation_status_changed']);
    assert.equal((eventPayload(hits[1]!.event) as any).review.moderation.moderationStatus, 'IN_MODERATION');

    const approve = await server.call('PATCH', `/reviews/v1/reviews/${id}/moderate`, { status: 'APPROVED' }, owner);
    assert.equal(approve.status, 200);
    hits = await flush();
    assert.deepEqual(slugs(hits), ['updated', 'moderation_status_changed', 'review_published']);
    assert.deepEqual(seqs(hits), ['3', '4', '5']);
    assert.deepEqual(eventPayload(hits[0]!.event), approve.body.review);
    assert.deepEqual(eventPayload(hits[1]!.event), { review: approve.body.review, previousModerationStatus: 'IN_MODERATION' });
    assert.deepEqual(eventPayload(hits[2]!.event), { review: approve.body.review });

    await server.call('PATCH', `/reviews/v1/reviews/${id}/moderate`, { status: 'REJECTED' }, owner);
    hits = await flush();
    assert.deepEqual(slugs(hits), ['updated', 'moderation_status_changed']);
    assert.equal((eventPayload(hits[1]!.event) as any).previousModerationStatus, 'APPROVED');

    await server.call('PATCH', `/reviews/v1/reviews/${id}/moderate`, { status: 'REJECTED' }, owner);
    hits = await flush();
    assert.deepEqual(slugs(hits), ['updated'], 'an unchanged status is no status change');
  });

  it('update, reply, reply removal, vote and delete', async () => {
    const review = await createReview(server);
    await flush();
    const updated = await patchReview(server, review.id, { rating: 1, title: 'Changed my mind' });
    let hits = await flush();
    assert.deepEqual(slugs(hits), ['updated']);
    assert.equal(hits[0]!.event.updatedEvent!.currentEntityAsJson, JSON.stringify(updated));

    const reply = await server.call('PATCH', `/reviews/v1/reviews/${review.id}/reply`, { message: 'Sorry to hear that' }, owner);
    hits = await flush();
    assert.deepEqual(slugs(hits), ['updated']);
    assert.equal((eventPayload(hits[0]!.event) as any).reply.message, 'Sorry to hear that');
    assert.deepEqual(eventPayload(hits[0]!.event), reply.body.review);
    await server.call('DELETE', `/reviews/v1/reviews/${review.id}/reply`, undefined, owner);
    hits = await flush();
    assert.equal((eventPayload(hits[0]!.event) as any).reply, undefined);

    const visitor = randomUUID();
    await server.call('POST', `/reviews/v1/reviews/${review.id}/helpfulness`, { vote: 'HELPFUL', visitorId: visitor });
    hits = await flush();
    assert.deepEqual(slugs(hits), ['updated']);
    assert.equal((eventPayload(hits[0]!.event) as any).foundHelpful, 1);
    await server.call('POST', `/reviews/v1/reviews/${review.id}/helpfulness`, { vote: 'HELPFUL', visitorId: visitor });
    assert.deepEqual(await flush(), [], 'a repeated vote changes nothing');

    const before = await server.call('GET', `/reviews/v1/reviews/${review.id}`, undefined, owner);
    await server.call('DELETE', `/reviews/v1/reviews/${review.id}`, undefined, owner);
    hits = await flush();
    assert.deepEqual(slugs(hits), ['deleted']);
    assert.equal(hits[0]!.event.eventType, 'wix.reviews.v1.review_deleted');
    assert.deepEqual(eventPayload(hits[0]!.event), before.body.review, 'deletedEntityAsJson: the review as it was');
    // created 1-3, updated 4, reply 5, unreply 6, vote 7, deleted 8
    assert.equal(hits[0]!.event.entityEventSequence, '8');
  });

  it('marks app writes with originatedFrom (the request app id, or the review origin app)', async () => {
    const viaHeader = await createReview(server, {}, { 'X-Storefront-App-Id': 'sync-app' });
    let hits = await flush();
    assert.deepEqual(hits.map((h) => h.event.originatedFrom), ['sync-app', 'sync-app', 'sync-app']);
    await patchReview(server, viaHeader.id, { rating: 3 });
    hits = await flush();
    assert.equal(hits[0]!.event.originatedFrom, undefined, "the owner's own edit is not the app's");

    const body = reviewBody({ entityId: `p-${randomUUID().slice(0, 8)}` });
    const res = await server.call('POST', '/reviews/v1/reviews', { review: { ...body.review, origin: { type: 'APP', appId: 'importer' } } }, owner);
    assert.equal(res.status, 200);
    hits = await flush();
    assert.deepEqual(hits.map((h) => h.event.originatedFrom), ['importer', 'importer', 'importer']);

    const cur = res.body.review;
    const patched = await server.call('PATCH', `/reviews/v1/reviews/${cur.id}`, { review: { revision: cur.revision, content: { rating: 2 } } }, { owner: true, headers: { 'X-Storefront-App-Id': 'other-app' } });
    assert.equal(patched.status, 200);
    hits = await flush();
    assert.equal(hits[0]!.event.originatedFrom, 'other-app');
  });

  it('bulk moderation and bulk delete: one set of events per review', async () => {
    const entityId = `bulk-${randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId, name: `N${i}`, email: `b${i}-${randomUUID()}@example.com`, content: { rating: 5 } });
      ids.push(res.body.review.id);
    }
    await flush();
    const mod = await server.call('POST', '/reviews/v1/bulk/reviews/moderate', { filter: { entityId }, status: 'APPROVED' }, owner);
    assert.equal(mod.body.affected, 3);
    let hits = await flush();
    assert.equal(hits.length, 9);
    for (const id of ids) {
      const mine = hits.filter((h) => h.event.entityId === id);
      assert.deepEqual(slugs(mine), ['updated', 'moderation_status_changed', 'review_published']);
      assert.deepEqual(seqs(mine), ['3', '4', '5']);
      assert.equal((eventPayload(mine[1]!.event) as any).previousModerationStatus, 'IN_MODERATION');
      assert.equal((eventPayload(mine[0]!.event) as any).moderation.moderationStatus, 'APPROVED');
    }
    const del = await server.call('POST', '/reviews/v1/bulk/reviews/delete', { filter: { entityId } }, owner);
    assert.equal(del.body.affected, 3);
    hits = await flush();
    assert.deepEqual(hits.map((h) => h.event.entityId).sort(), [...ids].sort());
    assert.ok(hits.every((h) => h.event.slug === 'deleted' && (eventPayload(h.event) as any).id === h.event.entityId));
  });

  it('records nothing for a write that fails (the event commits with the change or not at all)', async () => {
    const review = await createReview(server);
    await flush();
    const dup = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: review.entityId, contactId: review.author.contactId }), owner);
    assert.equal(dup.status, 409);
    const stale = await server.call('PATCH', `/reviews/v1/reviews/${review.id}`, { review: { revision: '99', content: { rating: 1 } } }, owner);
    assert.equal(stale.status, 409);
    const badMedia = await server.call('POST', '/reviews/v1/reviews/contact', {
      namespace: 'stores', entityId: 'x', name: 'N', email: `m-${randomUUID()}@example.com`, content: { rating: 5, media: [{ image: { id: 'never-uploaded' } }] },
    });
    assert.equal(badMedia.status, 400);
    assert.equal((await server.call('DELETE', `/reviews/v1/reviews/${randomUUID()}`, undefined, owner)).status, 404);
    assert.deepEqual(await flush(), []);
    const log = await deliveryLog(server, hook.id);
    assert.equal(log.filter((d) => d.entityId === review.id).length, 3);
  });

  it('a rating event, when the Ratings API is mounted', async (t) => {
    const res = await server.call('POST', '/ratings/v1/ratings', { rating: { namespace: 'reviews', group: 'stores', entityId: 'p-rated', attributeName: 'quality', value: 80, owner: { contactId: randomUUID() } } }, owner);
    if (res.status === 404 && res.body?.message?.startsWith('No route')) {
      t.skip('the Ratings API routes are not mounted yet');
      return;
    }
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const hits = await flush();
    const created = hits.find((h) => h.event.entityFqdn === 'wix.ratings.v1.rating');
    assert.ok(created, 'a rating event arrived');
    assert.equal(created.event.eventType, 'wix.ratings.v1.rating_created');
    assert.equal(created.event.entityId, res.body.rating.id);
    assert.equal(created.event.entityEventSequence, '1');
    assert.deepEqual(eventPayload(created.event), res.body.rating);
  });

  it('a review request event, when the Review Requests API is mounted', async (t) => {
    const product = await server.call('PUT', '/reviews/v2/store/products', { products: [{ id: 'p-mug', name: 'Mug', price: { amount: '9.50', currency: 'EUR' } }] }, owner);
    if (product.status === 404 && product.body?.message?.startsWith('No route')) {
      t.skip('the catalog and Review Requests routes are not mounted yet');
      return;
    }
    const orderId = `o-${randomUUID().slice(0, 8)}`;
    const order = await server.call('PUT', '/reviews/v2/store/orders', { orders: [{ id: orderId, number: 1001, contact: { email: `o-${randomUUID()}@example.com` }, items: [{ catalogItemId: 'p-mug' }] }] }, owner);
    assert.equal(order.status, 200, JSON.stringify(order.body));
    const contactId = order.body.results[0].item.contactId;
    const res = await server.call('POST', '/reviews/v2/review-requests', { reviewRequest: { order: { id: orderId }, recipient: { contactId }, communicationChannel: 'EMAIL' } }, { owner: true, headers: { 'X-Storefront-App-Id': 'crm' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const hits = (await flush()).filter((h) => h.event.entityFqdn === 'wix.reviews.v2.review_request');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.event.eventType, 'wix.reviews.v2.review_request_created');
    assert.equal(hits[0]!.event.entityId, res.body.reviewRequest.id);
    assert.equal(hits[0]!.event.originatedFrom, 'crm');
    assert.deepEqual(eventPayload(hits[0]!.event), res.body.reviewRequest);
  });

  it('names event types <entityFqdn>_<slug>, without repeating the entity', () => {
    assert.equal(eventTypeOf('wix.reviews.v1.review', 'created'), 'wix.reviews.v1.review_created');
    assert.equal(eventTypeOf('wix.reviews.v1.review', 'moderation_status_changed'), 'wix.reviews.v1.review_moderation_status_changed');
    assert.equal(eventTypeOf('wix.reviews.v1.review', 'review_published'), 'wix.reviews.v1.review_published');
    assert.equal(eventTypeOf('wix.ratings.v1.rating', 'deleted'), 'wix.ratings.v1.rating_deleted');
    assert.equal(eventTypeOf('wix.reviews.v2.review_request', 'updated'), 'wix.reviews.v2.review_request_updated');
    assert.ok(WEBHOOK_EVENT_TYPES.every((t) => /^wix\.(reviews|ratings)\.v\d\.[a-z_]+$/.test(t)));
  });
});

describe('subscription filters', () => {
  let server: TestServer;
  let receiver: Receiver;
  before(async () => {
    server = await startTestServer({ deliveryIntervalMs: 0 });
    receiver = await new Receiver().start();
  });
  after(async () => {
    await receiver.stop();
    await server.close();
  });

  it('delivers only the asked-for types, and only events recorded after the subscription', async () => {
    const early = await createReview(server);
    const onlyDeleted = await subscribe(server, `${receiver.url}?only=deleted`, ['wix.reviews.v1.review_deleted']);
    const all = await subscribe(server, `${receiver.url}?all`, ['*']);
    const later = await createReview(server);
    await server.call('DELETE', `/reviews/v1/reviews/${early.id}`, undefined, owner);
    const stats = await deliverNow(server);
    assert.equal(stats.delivered, 5);

    const deletedOnly = await deliveryLog(server, onlyDeleted.id);
    assert.deepEqual(deletedOnly.map((d) => [d.eventType, d.entityId]), [['wix.reviews.v1.review_deleted', early.id]]);
    const everything = await deliveryLog(server, all.id);
    assert.deepEqual(
      everything.map((d) => [d.entityId, d.eventType]).reverse(),
      [
        [later.id, 'wix.reviews.v1.review_created'],
        [later.id, 'wix.reviews.v1.review_moderation_status_changed'],
        [later.id, 'wix.reviews.v1.review_published'],
        [early.id, 'wix.reviews.v1.review_deleted'],
      ],
      'nothing from before the subscription',
    );
    // The early review's first event for this subscriber is its deletion: its sequence starts there.
    const deletedHit = receiver.delivered.find((h) => h.event.slug === 'deleted')!;
    assert.equal(deletedHit.event.entityEventSequence, '1');
  });

  it('stops delivering to a deleted webhook, pending deliveries included', async () => {
    const stopper = new Receiver();
    stopper.answer = () => 503;
    await stopper.start();
    try {
      const hook = await subscribe(server, stopper.url);
      await createReview(server);
      await deliverNow(server);
      assert.equal(stopper.hits.length, 1);
      assert.equal((await server.call('DELETE', `${W}/${hook.id}`, undefined, owner)).status, 200);
      stopper.answer = () => 200;
      await deliverNow(server);
      assert.equal(stopper.hits.length, 1);
    } finally {
      await stopper.stop();
    }
  });
});

// ---------------------------------------------------------------------------
// Delivery
// ---------------------------------------------------------------------------

describe('delivery to a receiver that is down for a while', () => {
  const clock = fakeClock();
  let server: TestServer;
  let receiver: Receiver;
  let hook: { id: string; secret: string };
  before(async () => {
    server = await startTestServer({ clock: clock.now, deliveryIntervalMs: 0 });
    receiver = new Receiver();
    receiver.answer = () => 503;
    await receiver.start();
    hook = await subscribe(server, receiver.url);
  });
  after(async () => {
    await receiver.stop();
    await server.close();
  });

  it('retries with backoff, keeps per-entity order, and delivers everything once it is back', async () => {
    // Three reviews, each with several events, interleaved.
    const a = await createReview(server);
    const b = await createReview(server);
    await patchReview(server, a.id, { rating: 2 });
    const c = await createReview(server);
    await patchReview(server, b.id, { title: 'b2' });
    await server.call('PATCH', `/reviews/v1/reviews/${a.id}/reply`, { message: 'thanks' }, owner);
    await server.call('DELETE', `/reviews/v1/reviews/${c.id}`, undefined, owner);
    const expected = await deliveryLog(server, hook.id);
    assert.equal(expected.length, 3 + 3 + 1 + 3 + 1 + 1 + 1);
    assert.ok(expected.every((d) => d.status === 'PENDING' && d.attempts.length === 0));

    // Down (503): only the first event of each entity is tried; the rest wait behind it.
    let stats = await deliverNow(server);
    assert.deepEqual(stats, { attempted: 3, delivered: 0, retrying: 3, failed: 0 });
    let log = await deliveryLog(server, hook.id);
    const firstOfA = log.find((d) => d.entityId === a.id && d.entityEventSequence === '1')!;
    assert.equal(firstOfA.attempts.length, 1);
    assert.equal(firstOfA.attempts[0]!.httpStatus, 503);
    assert.equal(firstOfA.attempts[0]!.error, 'HTTP 503');
    assert.equal(firstOfA.attempts[0]!.responseBody, 'no thanks (503)');
    assert.equal(firstOfA.attempts[0]!.attemptedDate, clock.now().toISOString());
    const wait = Date.parse(firstOfA.nextAttemptDate!) - clock.now().getTime();
    assert.ok(wait >= 1000 && wait <= 10_000, `first retry within 10 s, got ${wait} ms`);
    const secondOfA = log.find((d) => d.entityId === a.id && d.entityEventSequence === '2')!;
    assert.equal(secondOfA.waitingFor, firstOfA.id);
    assert.equal(secondOfA.attempts.length, 0);

    // Not due yet: nothing is sent.
    assert.equal((await deliverNow(server)).attempted, 0);

    // Retries back off: after each failure the bound doubles (10 s, 20 s, 40 s, ...), capped at 1 h.
    for (let i = 2; i <= 4; i++) {
      clock.advance(HOUR);
      stats = await deliverNow(server);
      assert.equal(stats.attempted, 3);
      log = await deliveryLog(server, hook.id);
      const d = log.find((x) => x.id === firstOfA.id)!;
      assert.equal(d.attempts.length, i);
      const bound = Math.min(HOUR, 10_000 * 2 ** (i - 1));
      const next = Date.parse(d.nextAttemptDate!) - clock.now().getTime();
      assert.ok(next >= 1000 && next <= bound, `attempt ${i}: next in ${next} ms, bound ${bound}`);
    }

    // Gone (connection refused) for a while.
    await receiver.stop();
    clock.advance(HOUR);
    stats = await deliverNow(server);
    assert.equal(stats.retrying, 3);
    log = await deliveryLog(server, hook.id);
    const refused = log.find((x) => x.id === firstOfA.id)!.attempts.at(-1)!;
    assert.equal(refused.httpStatus, undefined);
    assert.match(refused.error!, /ECONNREFUSED/);

    // Back, and healthy: one pass delivers everything, in order per entity.
    receiver.answer = () => 200;
    await receiver.start();
    clock.advance(HOUR);
    stats = await deliverNow(server);
    assert.equal(stats.delivered, expected.length);
    assert.equal(stats.retrying + stats.failed, 0);

    const delivered = receiver.delivered;
    assert.deepEqual(delivered.map((h) => h.event.id).sort(), expected.map((d) => d.eventId).sort(), 'every event arrived, none twice');
    assert.ok(delivered.every((h) => verify(hook.secret, h)), 'every signature verifies');
    assertPerEntityOrder(delivered);
    // Counting failed attempts too: a later event was never tried before an earlier one got through.
    const tried = receiver.hits.filter((h) => h.event.entityId === a.id).map((h) => Number(h.event.entityEventSequence));
    assert.deepEqual(tried, [...tried].sort((p, q) => p - q));
    for (const entity of [a.id, b.id, c.id]) {
      const mine = delivered.filter((h) => h.event.entityId === entity).map((h) => h.event.entityEventSequence);
      assert.deepEqual(mine, mine.map((_, i) => String(i + 1)), `${entity}: 1..n with no gap`);
    }
    // The attempt header counts attempts of the delivery.
    const firstHit = delivered.find((h) => h.event.id === firstOfA.eventId)!;
    assert.equal(firstHit.headers['x-storefront-delivery-attempt'], '6');

    log = await deliveryLog(server, hook.id);
    assert.ok(log.every((d) => d.status === 'DELIVERED' && d.deliveredDate === clock.now().toISOString() && !d.nextAttemptDate));
    assert.equal(log.find((d) => d.id === firstOfA.id)!.attempts.at(-1)!.httpStatus, 200);
    assert.deepEqual((await deliverNow(server)).attempted, 0);
  });

  it('keeps order when one event is refused and later ones of the same entity are not', async () => {
    receiver.hits = [];
    const x = await createReview(server);
    const y = await createReview(server);
    const firstOfX = (await deliveryLog(server, hook.id)).find((d) => d.entityId === x.id && d.entityEventSequence === '1')!;
    let refusals = 2;
    receiver.answer = (event) => (event.id === firstOfX.eventId && refusals-- > 0 ? 500 : 200);

    let stats = await deliverNow(server);
    // y: all three delivered in one pass; x: its first refused, the other two wait.
    assert.equal(stats.delivered, 3);
    assert.equal(stats.retrying, 1);
    assert.ok(receiver.delivered.every((h) => h.event.entityId === y.id));
    clock.advance(HOUR);
    stats = await deliverNow(server);
    assert.equal(stats.retrying, 1);
    clock.advance(HOUR);
    stats = await deliverNow(server);
    assert.equal(stats.delivered, 3);
    const xs = receiver.delivered.filter((h) => h.event.entityId === x.id).map((h) => h.event.slug);
    assert.deepEqual(xs, ['created', 'moderation_status_changed', 'review_published']);
    assertPerEntityOrder(receiver.hits.filter((h) => h.status === 200));
  });
});

describe('giving up after 24 hours, and redeliver', () => {
  const clock = fakeClock('2031-06-01T12:00:00.000Z');
  let server: TestServer;
  let receiver: Receiver;
  let hook: { id: string; secret: string };
  before(async () => {
    server = await startTestServer({ clock: clock.now, deliveryIntervalMs: 0 });
    receiver = new Receiver();
    receiver.answer = () => 503;
    await receiver.start();
    hook = await subscribe(server, receiver.url);
  });
  after(async () => {
    await receiver.stop();
    await server.close();
  });

  it('retries for at least 24 h after the first attempt, then marks the delivery FAILED', async () => {
    const review = await createReview(server);
    const start = clock.now().getTime();
    await deliverNow(server);
    // Hourly passes up to 23 h 59 min: still retrying.
    while (clock.now().getTime() - start < 24 * HOUR - 60_000) {
      clock.advance(Math.min(HOUR, start + 24 * HOUR - 60_000 - clock.now().getTime()));
      const stats = await deliverNow(server);
      assert.equal(stats.failed, 0, `still retrying at ${(clock.now().getTime() - start) / HOUR} h`);
    }
    let log = await deliveryLog(server, hook.id);
    const first = log.find((d) => d.entityEventSequence === '1')!;
    assert.equal(first.status, 'PENDING');
    assert.ok(first.attempts.length >= 24, `${first.attempts.length} attempts in 24 h`);

    clock.advance(HOUR + 60_000); // 25 h after the first attempt
    const stats = await deliverNow(server);
    assert.equal(stats.failed, 1);
    log = await deliveryLog(server, hook.id);
    const failed = log.find((d) => d.id === first.id)!;
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.failedDate, clock.now().toISOString());
    assert.equal(failed.nextAttemptDate, undefined);
    assert.equal(failed.attempts.at(-1)!.httpStatus, 503);
    // A failed event no longer holds back the entity's next one: it got its first attempt.
    const second = log.find((d) => d.entityEventSequence === '2')!;
    assert.equal(second.status, 'PENDING');
    assert.equal(second.attempts.length, 1);
    assert.equal(second.waitingFor, undefined);
    const third = log.find((d) => d.entityEventSequence === '3')!;
    assert.equal(third.waitingFor, second.id);

    const failedOnly = await deliveryLog(server, hook.id, 'status=FAILED');
    assert.deepEqual(failedOnly.map((d) => d.id), [first.id]);
    assert.equal(review.id, failed.entityId);
  });

  it('redelivers a failed delivery as a new delivery of the same event', async () => {
    const failed = (await deliveryLog(server, hook.id, 'status=FAILED'))[0]!;
    receiver.answer = () => 200;
    receiver.hits = [];
    const res = await server.call('POST', `${W}/deliveries/${failed.id}/redeliver`, undefined, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const again: Delivery = res.body.delivery;
    assert.notEqual(again.id, failed.id);
    assert.equal(again.eventId, failed.eventId);
    assert.equal(again.redeliveryOf, failed.id);
    assert.equal(again.status, 'PENDING');
    assert.deepEqual(again.attempts, []);

    await deliverNow(server);
    const hit = receiver.delivered.find((h) => h.event.id === failed.eventId);
    assert.ok(hit, 'the event arrived again');
    assert.equal(hit.headers['x-storefront-delivery-id'], again.id);
    assert.ok(verify(hook.secret, hit));
    const one = await server.call('GET', `${W}/deliveries/${again.id}`, undefined, owner);
    assert.equal(one.body.delivery.status, 'DELIVERED');
    assert.equal(one.body.event.id, failed.eventId);
    assert.equal(JSON.stringify(one.body.event), hit.raw, 'the stored envelope is what was sent');
    // The original stays FAILED in the log, with its history.
    const original = await server.call('GET', `${W}/deliveries/${failed.id}`, undefined, owner);
    assert.equal(original.body.delivery.status, 'FAILED');
    assert.ok(original.body.delivery.attempts.length >= 25);

    // A delivered one can be redelivered too.
    const twice = await server.call('POST', `${W}/deliveries/${again.id}/redeliver`, undefined, owner);
    assert.equal(twice.status, 200);
    await deliverNow(server);
    assert.equal(receiver.delivered.filter((h) => h.event.id === failed.eventId).length, 2);
  });

  it('redeliver on a PENDING delivery makes it due now', async () => {
    receiver.answer = () => 503;
    await createReview(server);
    await deliverNow(server);
    const pending = (await deliveryLog(server, hook.id, 'status=PENDING')).find((d) => d.attempts.length === 1 && !d.waitingFor)!;
    assert.ok(Date.parse(pending.nextAttemptDate!) > clock.now().getTime());
    assert.equal((await deliverNow(server)).attempted, 0);
    const res = await server.call('POST', `${W}/deliveries/${pending.id}/redeliver`, undefined, owner);
    assert.equal(res.status, 200);
    assert.equal(res.body.delivery.id, pending.id);
    assert.ok(Date.parse(res.body.delivery.nextAttemptDate) <= clock.now().getTime());
    receiver.answer = () => 200;
    const stats = await deliverNow(server);
    assert.ok(stats.delivered >= 1);
    const after = await server.call('GET', `${W}/deliveries/${pending.id}`, undefined, owner);
    assert.equal(after.body.delivery.status, 'DELIVERED');
  });
});

describe('delivery details', () => {
  const clock = fakeClock();
  let server: TestServer;
  let receiver: Receiver;
  before(async () => {
    server = await startTestServer({ clock: clock.now, deliveryIntervalMs: 0, delivery: { timeoutMs: 300, retentionMs: 2 * HOUR } });
    receiver = await new Receiver().start();
  });
  after(async () => {
    await receiver.stop();
    await server.close();
  });
  afterEach(async () => {
    for (const w of (await server.call('GET', W, undefined, owner)).body.webhooks) await server.call('DELETE', `${W}/${w.id}`, undefined, owner);
    receiver.hits = [];
    receiver.answer = () => 200;
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const hook = await subscribe(server, receiver.url);
    receiver.answer = () => 'hang';
    await createReview(server);
    const stats = await deliverNow(server);
    assert.equal(stats.retrying, 1);
    const [d] = (await deliveryLog(server, hook.id)).filter((x) => x.attempts.length);
    assert.equal(d!.attempts[0]!.error, 'timed out after 300 ms');
    assert.ok(d!.attempts[0]!.durationMs >= 250);
  });

  it('does not follow redirects', async () => {
    const hook = await subscribe(server, receiver.url);
    receiver.answer = () => 'redirect';
    await createReview(server);
    await deliverNow(server);
    const [d] = (await deliveryLog(server, hook.id)).filter((x) => x.attempts.length);
    assert.equal(d!.attempts[0]!.httpStatus, 302);
    assert.match(d!.attempts[0]!.error!, /redirects are not followed/);
    assert.equal(receiver.hits.length, 1);
  });

  it('pages the log newest first', async () => {
    const hook = await subscribe(server, receiver.url);
    for (let i = 0; i < 3; i++) await createReview(server);
    await deliverNow(server);
    const all = await deliveryLog(server, hook.id);
    assert.equal(all.length, 9);
    const pages: string[][] = [];
    let cursor = '';
    do {
      const res = await server.call('GET', `${W}/${hook.id}/deliveries?limit=4${cursor ? `&cursor=${cursor}` : ''}`, undefined, owner);
      pages.push(res.body.deliveries.map((d: Delivery) => d.id));
      assert.equal(res.body.metadata.count, res.body.deliveries.length);
      cursor = res.body.metadata.cursors.next ?? '';
    } while (cursor);
    assert.deepEqual(pages.map((p) => p.length), [4, 4, 1]);
    assert.deepEqual(pages.flat(), all.map((d) => d.id));
    // Newest first: the last review's published event leads.
    assert.equal(all[0]!.eventType, 'wix.reviews.v1.review_published');
  });

  it('forgets finished deliveries after the retention period', async () => {
    const hook = await subscribe(server, receiver.url);
    await createReview(server);
    await deliverNow(server);
    assert.equal((await deliveryLog(server, hook.id)).length, 3);
    clock.advance(3 * HOUR);
    await deliverNow(server);
    assert.equal((await deliveryLog(server, hook.id)).length, 0);
  });

  it('two workers on one database never send a delivery twice', async () => {
    const hook = await subscribe(server, receiver.url);
    for (let i = 0; i < 8; i++) await createReview(server);
    const workers = [0, 1].map(() => new DeliveryWorker({ db: server.db, clock: clock.now }));
    try {
      const results = await Promise.all([...workers.map((w) => w.runPass()), deliverNow(server), ...workers.map((w) => w.runPass())]);
      assert.equal(results.reduce((s, r) => s + r.delivered, 0), 24);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const ids = receiver.delivered.map((h) => h.event.id);
    assert.equal(ids.length, 24);
    assert.equal(new Set(ids).size, 24, 'no event sent twice');
    assertPerEntityOrder(receiver.delivered);
    assert.ok((await deliveryLog(server, hook.id)).every((d) => d.status === 'DELIVERED' && d.attempts.length === 1));
  });
});

describe('background delivery', () => {
  it('the server delivers on its own interval, without deliver-now', async () => {
    const server = await startTestServer({ deliveryIntervalMs: 25 });
    const receiver = await new Receiver().start();
    try {
      const hook = await subscribe(server, receiver.url);
      const review = await createReview(server);
      const deadline = Date.now() + 30_000;
      while (receiver.delivered.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(receiver.delivered.map((h) => h.event.slug), ['created', 'moderation_status_changed', 'review_published']);
      assert.ok(receiver.delivered.every((h) => h.event.entityId === review.id && verify(hook.secret, h)));
    } finally {
      await server.close();
      await receiver.stop();
    }
  });
});
