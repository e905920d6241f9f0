/**
 * Moderation modes for visitor reviews: `off` publishes everything; `all` holds every
 * visitor review IN_MODERATION; `auto` holds reviews with links, e-mail addresses, phone
 * numbers, media or block-list words. The owner's own reviews are always published, and
 * only APPROVED reviews are public.
 *
 * The mode is a server option, so this file starts one server per mode (in parallel);
 * the `auto` one has a few words added to the default block list.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BLOCK_WORDS } from '../../src/server/moderation.js';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';

describe('moderation', () => {
  let off: TestServer;
  let auto: TestServer;
  let all: TestServer;
  before(async () => {
    [off, auto, all] = await Promise.all([
      startTestServer({ moderation: 'off' }),
      startTestServer({ moderation: 'auto', blockWords: [...DEFAULT_BLOCK_WORDS, 'knock-off', 'fake rolex', 'Ärger'] }),
      startTestServer({ moderation: 'all' }),
    ]);
  });
  after(() => Promise.all([off, auto, all].map((s) => s?.close())));

  const owner = { owner: true };
  const fresh = () => `mod-${randomUUID().slice(0, 8)}`;

  /** A visitor review through Create Review And Contact. */
  async function visitorReview(server: TestServer, content: Record<string, unknown>, name = 'Vi', entityId = fresh()) {
    const res = await server.call('POST', '/reviews/v1/reviews/contact', {
      namespace: 'stores',
      entityId,
      name,
      email: `${randomUUID()}@example.com`,
      content: { rating: 4, ...content },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.review;
  }

  const status = (r: any) => r.moderation.moderationStatus;

  describe('auto', () => {
    const held: [string, Record<string, unknown>, string?][] = [
      ['a link with a scheme', { body: 'Better deal at https://spam.example/deal' }],
      ['a www. link', { body: 'see www.example.org for more' }],
      ['a bare domain', { title: 'Buy at cheap-deals.com' }],
      ['an e-mail address', { body: 'write to me: dana.k@example.net' }],
      ['a phone number', { body: 'Call me on +1 (555) 123-4567' }],
      ['a phone number without a plus', { body: 'ring 020 7946 0958 today' }],
      ['an external image', { media: [{ image: { url: 'https://cdn.example/x.jpg' } }] }],
      ['a video', { media: [{ video: { url: 'https://cdn.example/x.mp4' } }] }],
      ['a block-list word in any case', { body: 'Won this at the CASINO' }],
      ['a block-list phrase', { title: 'Crypto giveaway inside' }],
      ['a link in the author name', { body: 'Nice' }, 'www.spam-shop.com'],
    ];
    for (const [what, content, name] of held) {
      it(`holds a visitor review with ${what} IN_MODERATION`, async () => {
        const r = await visitorReview(auto, content, name);
        assert.deepEqual(r.moderation, { moderationStatus: 'IN_MODERATION', manuallyChanged: false });
        assert.equal(r.publishCount, 0);
      });
    }

    const published: [string, Record<string, unknown>][] = [
      ['plain text', { title: 'Great jacket', body: 'Warm, well made, true to size.' }],
      ['no text at all', {}],
      ['numbers that are not a phone number', { body: 'Size 42, 3.5 cm heel, 10/10 would buy, paid $59.99 for 2' }],
      ['a block-list word only inside a longer word', { body: 'Size XXXL fits; the casinos nearby are loud' }],
      ['an @ that is not an e-mail', { body: 'Ordered @ noon, arrived next day' }],
    ];
    for (const [what, content] of published) {
      it(`publishes a visitor review with ${what}`, async () => {
        const r = await visitorReview(auto, content);
        assert.deepEqual(r.moderation, { moderationStatus: 'APPROVED', manuallyChanged: false });
        assert.equal(r.publishCount, 1);
        assert.equal((await auto.call('GET', `/reviews/v1/reviews/${r.id}`)).status, 200);
      });
    }

    it('publishes the owner\'s reviews even with links and media (Create Review, contact route, bulk)', async () => {
      const content = { rating: 5, body: 'see https://shop.example/care and call 555 123 4567', media: [{ image: { url: 'https://cdn.example/y.jpg' } }] };
      const a = await auto.call('POST', '/reviews/v1/reviews', { review: { ...reviewBody({ entityId: fresh() }).review, content } }, owner);
      assert.equal(a.status, 200);
      assert.equal(status(a.body.review), 'APPROVED');
      const b = await auto.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: fresh(), content }, owner);
      assert.equal(b.status, 200);
      assert.equal(status(b.body.review), 'APPROVED');
      const c = await auto.call('POST', '/reviews/v1/bulk/reviews/create', { reviews: [{ ...reviewBody({ entityId: fresh() }).review, content }], returnEntity: true }, owner);
      assert.equal(c.status, 200);
      assert.equal(status(c.body.results[0].review), 'APPROVED');
    });

    it('hides a held review from visitors everywhere until the owner approves it', async () => {
      const entityId = fresh();
      const shown = await visitorReview(auto, { rating: 5, body: 'Lovely' }, 'Ann', entityId);
      const held = await visitorReview(auto, { rating: 1, body: 'go to https://spam.example' }, 'Spam', entityId);
      assert.equal(status(shown), 'APPROVED');
      assert.equal(status(held), 'IN_MODERATION');

      // Get: 404 for visitors and for the owner unless asked for private reviews.
      assert.equal((await auto.call('GET', `/reviews/v1/reviews/${held.id}`)).status, 404);
      assert.equal((await auto.call('GET', `/reviews/v1/reviews/${held.id}`, undefined, owner)).status, 404);
      const ownerView = await auto.call('GET', `/reviews/v1/reviews/${held.id}?returnPrivateReviews=true`, undefined, owner);
      assert.equal(ownerView.status, 200);
      assert.deepEqual(ownerView.body.review, held);

      // Query and Count: only the approved one, even when filtering for the held status.
      const q = await auto.call('POST', '/reviews/v1/reviews/query', { query: { filter: { entityId } } });
      assert.deepEqual(q.body.reviews.map((r: any) => r.id), [shown.id]);
      const qOwner = await auto.call('POST', '/reviews/v1/reviews/query', { query: { filter: { entityId } } }, owner);
      assert.deepEqual(qOwner.body.reviews.map((r: any) => r.id), [shown.id]);
      const qHeld = await auto.call('POST', '/reviews/v1/reviews/query', { query: { filter: { entityId, 'moderation.moderationStatus': 'IN_MODERATION' } } });
      assert.deepEqual(qHeld.body.reviews, []);
      assert.deepEqual((await auto.call('POST', '/reviews/v1/reviews/count', { filter: { entityId } })).body, { count: 1 });
      const queue = await auto.call(
        'POST',
        '/reviews/v1/reviews/query',
        { query: { filter: { entityId, 'moderation.moderationStatus': 'IN_MODERATION' } }, returnPrivateReviews: true },
        owner,
      );
      assert.deepEqual(queue.body.reviews.map((r: any) => r.id), [held.id]);
      assert.deepEqual((await auto.call('POST', '/reviews/v1/reviews/count', { filter: { entityId }, includePrivateReviews: true }, owner)).body, { count: 2 });

      // Summaries and averages count only the approved review; nobody can vote on the held one.
      const summary = await auto.call('GET', `/ratings/v1/ratings/groups/stores/entities/${entityId}/summary`);
      assert.equal(summary.status, 200);
      assert.equal(summary.body.attributeSummaries[0].total, 1);
      assert.equal(summary.body.attributeSummaries[0].average, 5);
      const avg = await auto.call('POST', '/ratings/v1/ratings/groups/stores/attributes/average', { entityIds: [entityId] });
      assert.deepEqual(avg.body.entityAverages, [{ entityId, total: 1, average: 5 }]);
      const vote = await auto.call('POST', `/reviews/v1/reviews/${held.id}/helpfulness`, { vote: 'HELPFUL', visitorId: randomUUID() });
      assert.equal(vote.status, 404);

      // Approve: now public everywhere.
      const approved = await auto.call('PATCH', `/reviews/v1/reviews/${held.id}/moderate`, { reviewId: held.id, status: 'APPROVED' }, owner);
      assert.equal(approved.status, 200);
      assert.deepEqual(approved.body.review.moderation, { moderationStatus: 'APPROVED', manuallyChanged: true });
      assert.equal(approved.body.review.publishCount, 1);
      const read = await auto.call('GET', `/reviews/v1/reviews/${held.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.review, approved.body.review);
      assert.deepEqual((await auto.call('POST', '/reviews/v1/reviews/count', { filter: { entityId } })).body, { count: 2 });
      const after = await auto.call('GET', `/ratings/v1/ratings/groups/stores/entities/${entityId}/summary`);
      assert.equal(after.body.attributeSummaries[0].total, 2);
      assert.equal(after.body.attributeSummaries[0].average, 3);
    });

    it('keeps a rejected review hidden', async () => {
      const held = await visitorReview(auto, { body: 'email me a@spam.example.com' });
      const rejected = await auto.call('PATCH', `/reviews/v1/reviews/${held.id}/moderate`, { status: 'REJECTED' }, owner);
      assert.equal(rejected.status, 200);
      assert.deepEqual(rejected.body.review.moderation, { moderationStatus: 'REJECTED', manuallyChanged: true });
      assert.equal(rejected.body.review.publishCount, 0);
      assert.equal((await auto.call('GET', `/reviews/v1/reviews/${held.id}`)).status, 404);
      assert.deepEqual((await auto.call('POST', '/reviews/v1/reviews/count', { filter: { entityId: held.entityId } })).body, { count: 0 });
    });
  });

  describe('auto with words added to the block list', () => {
    it('holds reviews with the configured words and phrases, in any case and script', async () => {
      for (const body of ['This is a knock-off', 'a FAKE ROLEX, sadly', 'Nur ärger damit']) {
        const r = await visitorReview(auto, { body });
        assert.equal(status(r), 'IN_MODERATION', body);
      }
    });

    it('matches whole words and phrases only', async () => {
      for (const body of ['not a knock-offer', 'a fake, then a rolex', 'Ärgernis']) {
        const r = await visitorReview(auto, { body });
        assert.equal(status(r), 'APPROVED', body);
      }
    });
  });

  describe('all', () => {
    it('holds every visitor review, even a clean one', async () => {
      const r = await visitorReview(all, { title: 'Nice', body: 'Simply nice.' });
      assert.deepEqual(r.moderation, { moderationStatus: 'IN_MODERATION', manuallyChanged: false });
      assert.equal((await all.call('GET', `/reviews/v1/reviews/${r.id}`)).status, 404);
      assert.deepEqual((await all.call('POST', '/reviews/v1/reviews/count', { filter: { entityId: r.entityId } })).body, { count: 0 });
    });

    it('publishes the owner\'s reviews', async () => {
      const a = await all.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: fresh() }), owner);
      assert.equal(status(a.body.review), 'APPROVED');
      const b = await all.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: fresh(), name: 'Owner', content: { rating: 5 } }, owner);
      assert.equal(status(b.body.review), 'APPROVED');
      assert.equal((await all.call('GET', `/reviews/v1/reviews/${b.body.review.id}`)).status, 200);
    });

    it('publishes a held review once approved, with Bulk Update Moderation Status', async () => {
      const entityId = fresh();
      await visitorReview(all, { rating: 2 }, 'A', entityId);
      await visitorReview(all, { rating: 4 }, 'B', entityId);
      const res = await all.call('POST', '/reviews/v1/bulk/reviews/moderate', { filter: { entityId, 'moderation.moderationStatus': 'IN_MODERATION' }, status: 'APPROVED' }, owner);
      assert.equal(res.status, 200);
      assert.equal(res.body.affected, 2);
      const q = await all.call('POST', '/reviews/v1/reviews/query', { query: { filter: { entityId }, sort: [{ fieldName: 'content.rating' }] } });
      assert.deepEqual(q.body.reviews.map((r: any) => [r.content.rating, r.moderation.moderationStatus, r.moderation.manuallyChanged, r.publishCount]), [
        [2, 'APPROVED', true, 1],
        [4, 'APPROVED', true, 1],
      ]);
    });
  });

  describe('off', () => {
    it('publishes every visitor review, links, contact details, media and block-list words included', async () => {
      const r = await visitorReview(off, {
        title: 'casino',
        body: 'https://spam.example, a@b.example.com, +1 555 123 4567',
        media: [{ image: { url: 'https://cdn.example/q.jpg' } }],
      });
      assert.deepEqual(r.moderation, { moderationStatus: 'APPROVED', manuallyChanged: false });
      assert.equal(r.publishCount, 1);
      assert.equal((await off.call('GET', `/reviews/v1/reviews/${r.id}`)).status, 200);
    });
  });
});
