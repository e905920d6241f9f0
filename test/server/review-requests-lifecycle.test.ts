/**
 * Review Requests over time, with a fake clock: SCHEDULED → SENT (outbox message with a
 * working link) → the customer opens the form and reviews through the token → items
 * linked, verified review, reuse refused; the FAILED path; tokens forged, expired or for
 * another request; canceled and deleted requests; moderation of request reviews; no
 * request sent twice by concurrent passes (and, on PostgreSQL, by two servers).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signToken, tokenSecret } from '../../src/server/tokens.js';
import { startTestServer, type TestServer } from './helpers.js';

const owner = { owner: true };
const R = '/reviews/v2/review-requests';
const DAY = 86_400_000;

interface Fixture {
  server: TestServer;
  setNow(d: Date): void;
  now(): Date;
}

/** A server with a fake clock, products and one order for ada@example.com. */
async function fixture(options: Parameters<typeof startTestServer>[0] = {}): Promise<Fixture & { contactId: string }> {
  let now = new Date('2032-02-01T10:00:00.000Z');
  const server = await startTestServer({ clock: () => now, schedulerIntervalMs: 0, ...options });
  await server.call('PUT', '/reviews/v2/store/products', {
    products: [
      { id: 'tee', name: 'Organic <Tee> & "Co"', price: { amount: '30.00', currency: 'EUR' }, imageUrl: 'https://img.example/tee.png?a=1&b=2' },
      { id: 'mug', name: 'Mug', price: { amount: '12.00', currency: 'EUR' } },
      { id: 'sock', name: 'Socks', price: { amount: '9.00', currency: 'EUR' } },
    ],
  }, owner);
  const res = await server.call('PUT', '/reviews/v2/store/orders', {
    orders: [{ id: 'o-1', number: 'N-100', contact: { email: 'ada@example.com', name: 'Ada <Lovelace>' }, items: [{ catalogItemId: 'tee' }, { catalogItemId: 'mug' }] }],
  }, owner);
  assert.equal(res.body.bulkActionMetadata.totalSuccesses, 1, JSON.stringify(res.body));
  return { server, contactId: res.body.results[0].item.contactId, setNow: (d) => (now = d), now: () => now };
}

async function createRequest(server: TestServer, reviewRequest: Record<string, unknown>) {
  const res = await server.call('POST', R, { reviewRequest: { communicationChannel: 'EMAIL', ...reviewRequest } }, owner);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.reviewRequest;
}

async function sendDue(server: TestServer) {
  const res = await server.call('POST', `${R}/send-due`, {}, owner);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function get(server: TestServer, id: string) {
  const res = await server.call('GET', `${R}/${id}`, undefined, owner);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.reviewRequest;
}

async function messageFor(server: TestServer, id: string) {
  const res = await server.call('GET', `/reviews/v2/outbox?reviewRequestId=${id}`, undefined, owner);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.messages.length, 1, JSON.stringify(res.body));
  return res.body.messages[0];
}

function linkParts(reviewUrl: string) {
  const url = new URL(reviewUrl);
  return { base: `${url.origin}${url.pathname}`, id: url.searchParams.get('reviewRequest')!, token: url.searchParams.get('token')! };
}

const form = (server: TestServer, id: string, token: string) =>
  server.call('GET', `${R}/${encodeURIComponent(id)}/form?token=${encodeURIComponent(token)}`);
const review = (server: TestServer, id: string, body: Record<string, unknown>) => server.call('POST', `${R}/${encodeURIComponent(id)}/reviews`, body);

function assertAppError(res: { status: number; body: any }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.details.applicationError.code, code);
  assert.equal(res.body.details.applicationError.description, res.body.message);
}

describe('review request lifecycle', () => {
  let f: Fixture & { contactId: string };
  before(async () => {
    f = await fixture({ storeName: 'Ada & Sons' });
  });
  after(() => f.server.close());

  let requestId = '';
  let token = '';
  let reviewUrl = '';

  it('sends nothing before the sendDate, then sends through the outbox', async () => {
    const { server } = f;
    const created = await createRequest(server, { order: { id: 'o-1' }, recipient: { contactId: f.contactId }, sendDate: '2032-02-03T09:00:00Z' });
    requestId = created.id;
    assert.deepEqual(await sendDue(server), { reviewRequests: [], sent: 0, failed: 0, deferred: 0 });
    assert.equal((await get(server, requestId)).status, 'SCHEDULED');
    const empty = await server.call('GET', `/reviews/v2/outbox?reviewRequestId=${requestId}`, undefined, owner);
    assert.deepEqual(empty.body.messages, []);

    f.setNow(new Date('2032-02-03T09:00:00.000Z'));
    const pass = await sendDue(server);
    assert.equal(pass.sent, 1);
    assert.equal(pass.failed, 0);
    assert.equal(pass.reviewRequests.length, 1);
    const sent = pass.reviewRequests[0];
    assert.equal(sent.id, requestId);
    assert.equal(sent.status, 'SENT');
    assert.deepEqual(sent.sentOptions, { opened: false });
    assert.equal(sent.revision, '2');
    assert.equal(sent.updatedDate, '2032-02-03T09:00:00.000Z');
    assert.equal(sent.sendDate, '2032-02-03T09:00:00.000Z');
    assert.deepEqual(await get(server, requestId), sent);
    // A second pass finds nothing more to send.
    assert.equal((await sendDue(server)).sent, 0);
  });

  it('keeps one message with the personal link, naming the store and the products', async () => {
    const { server } = f;
    const message = await messageFor(server, requestId);
    assert.deepEqual(Object.keys(message).sort(), ['createdDate', 'html', 'id', 'reviewRequestId', 'reviewUrl', 'subject', 'text', 'to']);
    assert.equal(message.to, 'ada@example.com');
    assert.equal(message.createdDate, '2032-02-03T09:00:00.000Z');
    reviewUrl = message.reviewUrl;
    const link = linkParts(reviewUrl);
    assert.equal(link.base, `${server.url}/review-request.html`);
    assert.equal(link.id, requestId);
    token = link.token;
    assert.match(message.subject, /Ada & Sons/);
    assert.match(message.subject, /N-100/);
    assert.ok(!/[\r\n]/.test(message.subject));
    for (const text of ['Hi Ada <Lovelace>,', 'order #N-100 from Ada & Sons', '  - Organic <Tee> & "Co"', '  - Mug', reviewUrl, 'works until 4 March 2032']) {
      assert.ok(message.text.includes(text), `text has ${text}:\n${message.text}`);
    }
    // HTML: every catalog, order and contact value escaped; the link's & too.
    assert.ok(message.html.includes('Organic &lt;Tee&gt; &amp; &quot;Co&quot;'));
    assert.ok(message.html.includes('Hi Ada &lt;Lovelace&gt;,'));
    assert.ok(message.html.includes('Ada &amp; Sons'));
    assert.ok(message.html.includes(`href="${reviewUrl.replace(/&/g, '&amp;')}"`));
    assert.ok(message.html.includes('src="https://img.example/tee.png?a=1&amp;b=2"'));
    assert.ok(!message.html.includes('<Tee>') && !message.html.includes('<Lovelace>'));
  });

  it('shows the review page its form (no e-mail, no contact id) and marks the request opened', async () => {
    const { server } = f;
    f.setNow(new Date('2032-02-04T12:00:00.000Z'));
    const res = await form(server, requestId, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(res.body, {
      reviewRequest: {
        id: requestId,
        status: 'SENT',
        expiresDate: '2032-03-04T09:00:00.000Z',
        recipient: { name: 'Ada <Lovelace>' },
        items: [
          { catalogItemId: 'tee', reviewId: null, product: { name: 'Organic <Tee> & "Co"', imageUrl: 'https://img.example/tee.png?a=1&b=2', price: { amount: '30.00', currency: 'EUR' } } },
          { catalogItemId: 'mug', reviewId: null, product: { name: 'Mug', imageUrl: null, price: { amount: '12.00', currency: 'EUR' } } },
        ],
      },
    });
    const raw = JSON.stringify(res.body);
    assert.ok(!raw.includes('ada@example.com') && !raw.includes(f.contactId));
    const after = await get(server, requestId);
    assert.deepEqual(after.sentOptions, { opened: true });
    assert.equal(after.revision, '3');
    assert.equal(after.updatedDate, '2032-02-04T12:00:00.000Z');
    // Opening again changes nothing.
    assert.equal((await form(server, requestId, token)).status, 200);
    assert.equal((await get(server, requestId)).revision, '3');
  });

  it('writes a verified review as the recipient and links it to the item', async () => {
    const { server } = f;
    const res = await review(server, requestId, { token, catalogItemId: 'tee', content: { rating: 4, title: 'Soft', body: 'Wears well.' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const written = res.body.review;
    assert.equal(written.entityId, 'tee');
    assert.equal(written.namespace, 'stores');
    assert.equal(written.verified, true);
    assert.deepEqual(written.author, { contactId: f.contactId, authorName: 'Ada <Lovelace>' });
    assert.deepEqual(written.content, { title: 'Soft', body: 'Wears well.', media: [], rating: 4 });
    assert.equal(written.moderation.moderationStatus, 'APPROVED');
    assert.equal(written.createdDate, '2032-02-04T12:00:00.000Z');
    const request = await get(server, requestId);
    assert.deepEqual(request.items, [{ catalogItemId: 'tee', reviewId: written.id }, { catalogItemId: 'mug' }]);
    assert.equal(request.revision, '4');
    // It is a real, public review of the product.
    const pub = await server.call('GET', `/reviews/v1/reviews/${written.id}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.review.verified, true);
    // The form now shows the item as reviewed.
    const again = await form(server, requestId, token);
    assert.equal(again.body.reviewRequest.items[0].reviewId, written.id);
    assert.equal(again.body.reviewRequest.items[1].reviewId, null);
    // And the owner can find requests by their reviews.
    const q = await server.call('POST', `${R}/query`, { query: { filter: { 'items.reviewId': written.id } } }, owner);
    assert.deepEqual(q.body.reviewRequests.map((r: any) => r.id), [requestId]);
  });

  it('refuses a second review of the same item, and items not in the request', async () => {
    const { server } = f;
    const dup = await review(server, requestId, { token, catalogItemId: 'tee', content: { rating: 1 } });
    assertAppError(dup, 409, 'ITEM_ALREADY_REVIEWED');
    assert.match(dup.body.message, /already reviewed/);
    const other = await review(server, requestId, { token, catalogItemId: 'sock', content: { rating: 5 } });
    assert.equal(other.status, 400);
    assert.equal(other.body.details.validationError.fieldViolations[0].field, 'catalogItemId');
    assert.match(other.body.message, /"sock" is not one of the items of this review request/);
    const count = await server.call('POST', '/reviews/v1/reviews/count', { filter: { entityId: { $in: ['tee', 'sock'] } } });
    assert.equal(count.body.count, 1);
  });

  it('validates the review body', async () => {
    const { server } = f;
    for (const [body, field] of [
      [{ catalogItemId: 'mug', content: { rating: 5 } }, 'token'],
      [{ token, content: { rating: 5 } }, 'catalogItemId'],
      [{ token, catalogItemId: 'mug', content: { rating: 6 } }, 'content.rating'],
      [{ token, catalogItemId: 'mug', content: { rating: 5, title: 'x'.repeat(201) } }, 'content.title'],
      [{ token, catalogItemId: 'mug', content: { rating: 5 }, verified: false }, '(body)'],
    ] as const) {
      const res = await review(server, requestId, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.details.validationError.fieldViolations[0].field, field, JSON.stringify(res.body));
    }
  });

  it('links a review the customer had already written elsewhere and says so', async () => {
    const { server } = f;
    const earlier = await server.call('POST', '/reviews/v1/reviews', {
      review: { namespace: 'stores', entityId: 'mug', author: { contactId: f.contactId, authorName: 'Ada' }, content: { rating: 3 } },
    }, owner);
    assert.equal(earlier.status, 200);
    const res = await review(server, requestId, { token, catalogItemId: 'mug', content: { rating: 5 } });
    assertAppError(res, 409, 'ITEM_ALREADY_REVIEWED');
    assert.deepEqual(res.body.details.applicationError.data, { catalogItemId: 'mug', reviewId: earlier.body.review.id });
    const request = await get(server, requestId);
    assert.deepEqual(request.items[1], { catalogItemId: 'mug', reviewId: earlier.body.review.id });
  });

  describe('tokens', () => {
    it('refuses forged and altered tokens with a readable 403 TOKEN_INVALID', async () => {
      const { server } = f;
      const [payload, sig] = token.split('.') as [string, string];
      const flipped = `${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
      // A payload naming a far expiry, with the old signature.
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const extended = `${Buffer.from(JSON.stringify({ ...claims, e: claims.e + 365 * 86_400 })).toString('base64url')}.${sig}`;
      for (const bad of [flipped, extended, 'garbage', `${payload}.`, '.', 'a.b.c', 'x'.repeat(3000)]) {
        const res = await form(server, requestId, bad);
        assertAppError(res, 403, 'TOKEN_INVALID');
        assert.match(res.body.message, /not valid/);
        if (bad.length < 2048) assertAppError(await review(server, requestId, { token: bad, catalogItemId: 'mug', content: { rating: 5 } }), 403, 'TOKEN_INVALID');
      }
    });

    it('refuses a genuine token on another request', async () => {
      const { server } = f;
      const other = await createRequest(server, { items: [{ catalogItemId: 'sock' }], recipient: { contactId: f.contactId } });
      await sendDue(server);
      const otherToken = linkParts((await messageFor(server, other.id)).reviewUrl).token;
      assertAppError(await form(server, requestId, otherToken), 403, 'TOKEN_INVALID');
      assertAppError(await review(server, requestId, { token: otherToken, catalogItemId: 'mug', content: { rating: 5 } }), 403, 'TOKEN_INVALID');
      assertAppError(await form(server, other.id, token), 403, 'TOKEN_INVALID');
      assert.equal((await form(server, other.id, otherToken)).status, 200);
    });

    it('needs a token on the form route', async () => {
      const res = await f.server.call('GET', `${R}/${requestId}/form`);
      assert.equal(res.status, 400);
      assert.equal(res.body.details.validationError.fieldViolations[0].field, 'token');
    });

    it('expires after 30 days with a readable 403 TOKEN_EXPIRED', async () => {
      const { server } = f;
      f.setNow(new Date('2032-03-04T09:00:00.000Z'));
      const res = await form(server, requestId, token);
      assertAppError(res, 403, 'TOKEN_EXPIRED');
      assert.match(res.body.message, /expired/);
      assert.deepEqual(res.body.details.applicationError.data, { expiresDate: '2032-03-04T09:00:00.000Z' });
      assertAppError(await review(server, requestId, { token, catalogItemId: 'sock', content: { rating: 5 } }), 403, 'TOKEN_EXPIRED');
      f.setNow(new Date('2032-03-04T08:59:59.000Z'));
      assert.equal((await form(server, requestId, token)).status, 200);
    });
  });

  describe('canceled, unsent and deleted requests', () => {
    it('refuses the form and reviews of a CANCELED request with 428', async () => {
      const { server } = f;
      const r = await createRequest(server, { items: [{ catalogItemId: 'sock' }], recipient: { contactId: f.contactId }, sendDate: '2033-01-01T00:00:00Z' });
      // Only a sent request has a link; sign one as the server would have.
      const secret = await tokenSecret(server.db);
      const t = signToken(secret, { reviewRequestId: r.id, contactId: f.contactId, expires: new Date(f.now().getTime() + DAY) });
      assert.equal((await form(server, r.id, t)).body.reviewRequest.status, 'SCHEDULED');
      assertAppError(await review(server, r.id, { token: t, catalogItemId: 'sock', content: { rating: 5 } }), 428, 'REVIEW_REQUEST_NOT_SENT');
      await server.call('PUT', '/reviews/v2/bulk/review-requests/cancel-by-filter', { filter: { id: r.id } }, owner);
      const res = await form(server, r.id, t);
      assertAppError(res, 428, 'REVIEW_REQUEST_CANCELED');
      assert.match(res.body.message, /withdrawn/);
      assertAppError(await review(server, r.id, { token: t, catalogItemId: 'sock', content: { rating: 5 } }), 428, 'REVIEW_REQUEST_CANCELED');
      assert.equal((await server.call('DELETE', `${R}/${r.id}`, undefined, owner)).status, 200);
      assertAppError(await form(server, r.id, t), 404, 'NOT_FOUND');
      // A token for a different contact than the request's is not accepted either.
      const r2 = await createRequest(server, { items: [{ catalogItemId: 'sock' }], recipient: { contactId: f.contactId }, sendDate: '2033-01-01T00:00:00Z' });
      const wrongContact = signToken(secret, { reviewRequestId: r2.id, contactId: 'someone-else', expires: new Date(f.now().getTime() + DAY) });
      assertAppError(await form(server, r2.id, wrongContact), 403, 'TOKEN_INVALID');
    });
  });

  describe('FAILED', () => {
    it('fails a request whose contact has no e-mail address, and sends no message', async () => {
      const { server } = f;
      // Owner reviews without an e-mail address create a contact without one.
      const anon = await server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'other-product', name: 'Phone customer', content: { rating: 5 } }, owner);
      assert.equal(anon.status, 200, JSON.stringify(anon.body));
      const r = await createRequest(server, { items: [{ catalogItemId: 'mug' }], recipient: { contactId: anon.body.review.author.contactId } });
      const pass = await sendDue(server);
      assert.equal(pass.failed, 1);
      const failed = await get(server, r.id);
      assert.equal(failed.status, 'FAILED');
      assert.deepEqual(failed.failedOptions, { reason: 'UNKNOWN_FAILURE_REASON', message: 'The recipient contact has no e-mail address' });
      assert.equal('sentOptions' in failed, false);
      assert.equal(failed.revision, '2');
      const outbox = await server.call('GET', `/reviews/v2/outbox?reviewRequestId=${r.id}`, undefined, owner);
      assert.deepEqual(outbox.body.messages, []);
      const q = await server.call('POST', `${R}/count`, { filter: { status: 'FAILED' } }, owner);
      assert.equal(q.body.count, 1);
    });
  });

  describe('send-due', () => {
    it('is owner only and validates its limit', async () => {
      assertAppError(await f.server.call('POST', `${R}/send-due`, {}), 401, 'UNAUTHENTICATED');
      const res = await f.server.call('POST', `${R}/send-due`, { limit: 0 }, owner);
      assert.equal(res.status, 400);
      assert.equal(res.body.details.validationError.fieldViolations[0].field, 'limit');
    });

    it('sends at most `limit` requests per pass', async () => {
      const { server } = f;
      for (let i = 0; i < 3; i++) await createRequest(server, { items: [{ catalogItemId: 'sock' }], recipient: { contactId: f.contactId } });
      const first = await (await server.call('POST', `${R}/send-due`, { limit: 2 }, owner)).body;
      assert.equal(first.sent, 2);
      assert.equal((await sendDue(server)).sent, 1);
    });

    it('never sends a request twice when passes run at the same time', async () => {
      const { server } = f;
      const made = [];
      for (let i = 0; i < 12; i++) made.push((await createRequest(server, { items: [{ catalogItemId: 'mug' }], recipient: { contactId: f.contactId } })).id);
      const passes = await Promise.all([sendDue(server), sendDue(server), sendDue(server)]);
      assert.equal(passes.reduce((n, p) => n + p.sent, 0), 12);
      const sentIds = passes.flatMap((p) => p.reviewRequests.map((r: any) => r.id));
      assert.deepEqual([...sentIds].sort(), [...made].sort());
      for (const id of made) await messageFor(server, id);
    });
  });

  describe('outbox', () => {
    it('lists messages newest first, a page at a time; owner only', async () => {
      const { server } = f;
      const all: any[] = [];
      let cursor = '';
      for (let page = 0; page < 50; page++) {
        const res = await server.call('GET', `/reviews/v2/outbox?limit=5${cursor ? `&cursor=${cursor}` : ''}`, undefined, owner);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.pagingMetadata.count, res.body.messages.length);
        all.push(...res.body.messages);
        if (!res.body.pagingMetadata.hasNext) break;
        cursor = res.body.pagingMetadata.cursors.next;
      }
      const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox');
      assert.equal(all.length, Number(rows[0]!.n));
      assert.equal(new Set(all.map((m) => m.id)).size, all.length);
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].createdDate >= all[i].createdDate);
      assert.equal(all.at(-1).reviewRequestId, requestId, 'the first message is listed last');
      assertAppError(await server.call('GET', '/reviews/v2/outbox'), 401, 'UNAUTHENTICATED');
      for (const bad of ['limit=0', 'limit=500', 'cursor=zzz']) {
        const res = await server.call('GET', `/reviews/v2/outbox?${bad}`, undefined, owner);
        assert.equal(res.status, 400, bad);
      }
    });
  });
});

describe('review request options', () => {
  it('moderates reviews written through a link like a visitor\'s, and they stay verified', async () => {
    const f = await fixture({ moderation: 'all' });
    try {
      const r = await createRequest(f.server, { items: [{ catalogItemId: 'tee' }], recipient: { contactId: f.contactId } });
      await sendDue(f.server);
      const { token } = linkParts((await messageFor(f.server, r.id)).reviewUrl);
      const res = await review(f.server, r.id, { token, catalogItemId: 'tee', content: { rating: 5, body: 'Lovely' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.review.moderation.moderationStatus, 'IN_MODERATION');
      assert.equal(res.body.review.verified, true);
      assert.equal((await f.server.call('GET', `/reviews/v1/reviews/${res.body.review.id}`)).status, 404, 'not public yet');
      assert.equal((await get(f.server, r.id)).items[0].reviewId, res.body.review.id);
    } finally {
      await f.server.close();
    }
  });

  it('takes the link lifetime and the review page from the options', async () => {
    const f = await fixture({ tokenTtlDays: 2, reviewPageUrl: 'https://shop.example/reviews/write?lang=en' });
    try {
      const r = await createRequest(f.server, { items: [{ catalogItemId: 'tee' }], recipient: { contactId: f.contactId } });
      await sendDue(f.server);
      const message = await messageFor(f.server, r.id);
      const url = new URL(message.reviewUrl);
      assert.equal(`${url.origin}${url.pathname}`, 'https://shop.example/reviews/write');
      assert.equal(url.searchParams.get('lang'), 'en');
      const token = url.searchParams.get('token')!;
      assert.equal((await form(f.server, r.id, token)).body.reviewRequest.expiresDate, new Date(f.now().getTime() + 2 * DAY).toISOString());
      f.setNow(new Date(f.now().getTime() + 2 * DAY));
      assertAppError(await form(f.server, r.id, token), 403, 'TOKEN_EXPIRED');
    } finally {
      await f.server.close();
    }
  });

  it('lets any origin read the form; writes follow the server\'s CORS rules like /reviews/contact', async () => {
    const f = await fixture({ corsOrigins: ['https://shop.example'] });
    try {
      const r = await createRequest(f.server, { items: [{ catalogItemId: 'tee' }], recipient: { contactId: f.contactId } });
      await sendDue(f.server);
      const { token } = linkParts((await messageFor(f.server, r.id)).reviewUrl);
      const read = await f.server.call('GET', `${R}/${r.id}/form?token=${encodeURIComponent(token)}`, undefined, { headers: { Origin: 'https://elsewhere.example' } });
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('access-control-allow-origin'), '*');
      const body = { token, catalogItemId: 'tee', content: { rating: 5 } };
      const foreign = await f.server.call('POST', `${R}/${r.id}/reviews`, body, { headers: { Origin: 'https://elsewhere.example' } });
      assert.equal(foreign.status, 403);
      const shop = await f.server.call('POST', `${R}/${r.id}/reviews`, body, { headers: { Origin: 'https://shop.example' } });
      assert.equal(shop.status, 200, JSON.stringify(shop.body));
      assert.equal(shop.headers.get('access-control-allow-origin'), 'https://shop.example');
    } finally {
      await f.server.close();
    }
  });

  it('sends due requests in the background on its own (scheduler)', async () => {
    const f = await fixture({ schedulerIntervalMs: 25 });
    try {
      const r = await createRequest(f.server, { items: [{ catalogItemId: 'mug' }], recipient: { contactId: f.contactId } });
      const deadline = Date.now() + 15_000;
      let status = 'SCHEDULED';
      while (status === 'SCHEDULED' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        status = (await get(f.server, r.id)).status;
      }
      assert.equal(status, 'SENT');
      await messageFor(f.server, r.id);
    } finally {
      await f.server.close();
    }
  });

  it('records created, updated and deleted events in the transaction of each change', async () => {
    const f = await fixture({ deliveryIntervalMs: 0 });
    try {
      const hook = await f.server.call('POST', '/reviews/v1/webhooks', {
        webhook: { url: 'https://hooks.example/reviews', events: ['wix.reviews.v2.review_request_created', 'wix.reviews.v2.review_request_updated', 'wix.reviews.v2.review_request_deleted'] },
      }, owner);
      assert.equal(hook.status, 200, JSON.stringify(hook.body));
      const sent = await createRequest(f.server, { items: [{ catalogItemId: 'tee' }], recipient: { contactId: f.contactId } });
      await sendDue(f.server);
      const { token } = linkParts((await messageFor(f.server, sent.id)).reviewUrl);
      await form(f.server, sent.id, token);
      const written = await review(f.server, sent.id, { token, catalogItemId: 'tee', content: { rating: 5 } });
      assert.equal(written.status, 200);
      const res = await f.server.call('POST', R, { reviewRequest: { items: [{ catalogItemId: 'mug' }], recipient: { contactId: f.contactId }, communicationChannel: 'EMAIL', sendDate: '2040-01-01T00:00:00Z' } }, { ...owner, headers: { 'X-Storefront-App-Id': 'crm' } });
      const canceled = res.body.reviewRequest;
      await f.server.call('PUT', '/reviews/v2/bulk/review-requests/cancel-by-filter', { filter: { id: canceled.id } }, { ...owner, headers: { 'X-Storefront-App-Id': 'crm' } });
      await f.server.call('DELETE', `${R}/${canceled.id}`, undefined, owner);
      // A refused change records nothing.
      await f.server.call('DELETE', `${R}/${sent.id}`, undefined, owner);

      const { rows } = await f.server.db.query<{ entity_id: string; event_type: string; originated_from: string | null; body: string }>(
        `SELECT entity_id, event_type, originated_from, body FROM domain_events WHERE entity_fqdn = 'wix.reviews.v2.review_request' ORDER BY entity_id, entity_seq`,
      );
      const of = (id: string) => rows.filter((r) => r.entity_id === id);
      const type = (t: string) => t.replace('wix.reviews.v2.review_request_', '');
      assert.deepEqual(of(sent.id).map((r) => type(r.event_type)), ['created', 'updated', 'updated', 'updated']);
      const states = of(sent.id).map((r) => {
        const body = JSON.parse(r.body);
        return JSON.parse(body.createdEvent?.entityAsJson ?? body.updatedEvent.currentEntityAsJson);
      });
      assert.deepEqual(states.map((x) => [x.status, x.revision, x.sentOptions?.opened ?? null, x.items[0].reviewId ?? null]), [
        ['SCHEDULED', '1', null, null],
        ['SENT', '2', false, null],
        ['SENT', '3', true, null],
        ['SENT', '4', true, written.body.review.id],
      ]);
      assert.deepEqual(of(canceled.id).map((r) => [type(r.event_type), r.originated_from]), [['created', 'crm'], ['updated', 'crm'], ['deleted', null]]);
      const deleted = JSON.parse(JSON.parse(of(canceled.id)[2]!.body).deletedEvent.deletedEntityAsJson);
      assert.equal(deleted.status, 'CANCELED');
    } finally {
      await f.server.close();
    }
  });

  it('two servers on one PostgreSQL database never send a request twice', { skip: !process.env.TEST_DATABASE_URL && 'PostgreSQL only (set TEST_DATABASE_URL)' }, async () => {
    const a = await fixture();
    const { rows } = await a.server.db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const b = await startTestServer({ dbSchema: rows[0]!.schema, clock: a.now, schedulerIntervalMs: 0 });
    try {
      const made = [];
      for (let i = 0; i < 20; i++) made.push((await createRequest(a.server, { items: [{ catalogItemId: 'mug' }], recipient: { contactId: a.contactId } })).id);
      const passes = await Promise.all([sendDue(a.server), sendDue(b), sendDue(a.server), sendDue(b)]);
      assert.equal(passes.reduce((n, p) => n + p.sent, 0), 20);
      const { rows: counts } = await a.server.db.query<{ review_request_id: string; n: number }>(
        'SELECT review_request_id, count(*)::int AS n FROM mail_outbox GROUP BY review_request_id',
      );
      assert.equal(counts.length, 20);
      assert.ok(counts.every((c) => Number(c.n) === 1));
    } finally {
      await b.close();
      await a.server.close();
    }
  });
});
