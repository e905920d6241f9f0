/**
 * Helpfulness votes (extension): `POST /reviews/v1/reviews/{id}/helpfulness` with
 * `{vote, visitorId}`. One vote per visitor per review, exact counters under concurrency.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Review } from '../../src/api/schema.js';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';
import { moderate, vote } from './review-data.js';

type Choice = 'HELPFUL' | 'UNHELPFUL' | 'NONE';

describe('helpfulness votes', () => {
  let server: TestServer;
  before(async () => {
    // Visitor reviews wait IN_MODERATION; the owner's are published at once.
    server = await startTestServer({ moderation: 'all' });
  });
  after(() => server.close());

  async function create(): Promise<Review> {
    const res = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: `v-${randomUUID().slice(0, 8)}` }), { owner: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.review.moderation.moderationStatus, 'APPROVED');
    return res.body.review;
  }
  /** [foundHelpful, foundUnhelpful, helpfulness] */
  const counts = (r: Review) => [r.foundHelpful, r.foundUnhelpful, r.helpfulness];
  async function stored(id: string): Promise<Review> {
    const res = await server.call('GET', `/reviews/v1/reviews/${id}?returnPrivateReviews=true`, undefined, { owner: true });
    assert.equal(res.status, 200);
    return res.body.review;
  }
  const send = (id: string, visitorId: string, choice: Choice) =>
    server.call('POST', `/reviews/v1/reviews/${id}/helpfulness`, { vote: choice, visitorId });

  describe('one vote per visitor', () => {
    it('counts a vote, ignores a repeat, moves the counts on a change and withdraws with NONE', async () => {
      const r = await create();
      assert.deepEqual(counts(r), [0, 0, 0]);
      const [v1, v2, v3, v4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const steps: [string, Choice, number[]][] = [
        [v1, 'HELPFUL', [1, 0, 1]],
        [v1, 'HELPFUL', [1, 0, 1]],
        [v1, 'UNHELPFUL', [0, 1, -1]],
        [v2, 'HELPFUL', [1, 1, 0]],
        [v1, 'NONE', [1, 0, 1]],
        [v1, 'NONE', [1, 0, 1]],
        [v3, 'UNHELPFUL', [1, 1, 0]],
        [v4, 'UNHELPFUL', [1, 2, -1]],
        [v3, 'UNHELPFUL', [1, 2, -1]],
        [v1, 'HELPFUL', [2, 2, 0]],
        [v2, 'UNHELPFUL', [1, 3, -2]],
        [v4, 'HELPFUL', [2, 2, 0]],
      ];
      for (const [i, [visitor, choice, expected]] of steps.entries()) {
        const after = await vote(server, r.id, visitor, choice);
        assert.equal(after.id, r.id);
        assert.deepEqual(counts(after), expected, `step ${i + 1}: ${choice}`);
      }
      // What readers see agrees with the vote responses.
      const res = await server.call('GET', `/reviews/v1/reviews/${r.id}`);
      assert.deepEqual(counts(res.body.review), [2, 2, 0]);
      const q = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { id: r.id, helpfulness: 0 } } });
      assert.deepEqual(q.body.reviews.map((x: Review) => x.id), [r.id]);
    });

    it('treats a visitor id in upper case as the same visitor', async () => {
      const r = await create();
      const v = randomUUID();
      await vote(server, r.id, v, 'HELPFUL');
      assert.deepEqual(counts(await vote(server, r.id, v.toUpperCase(), 'UNHELPFUL')), [0, 1, -1]);
      assert.deepEqual(counts(await vote(server, r.id, v, 'NONE')), [0, 0, 0]);
    });

    it('keeps each review its own votes', async () => {
      const a = await create();
      const b = await create();
      const v = randomUUID();
      await vote(server, a.id, v, 'HELPFUL');
      await vote(server, b.id, v, 'UNHELPFUL');
      await vote(server, b.id, randomUUID(), 'UNHELPFUL');
      assert.deepEqual(counts(await stored(a.id)), [1, 0, 1]);
      assert.deepEqual(counts(await stored(b.id)), [0, 2, -2]);
      await vote(server, a.id, v, 'NONE');
      assert.deepEqual(counts(await stored(a.id)), [0, 0, 0]);
      assert.deepEqual(counts(await stored(b.id)), [0, 2, -2]);
    });
  });

  describe('concurrency', () => {
    it('gives exact counts for 100 concurrent votes from distinct visitors', async () => {
      const r = await create();
      const choices: Choice[] = Array.from({ length: 100 }, (_, i) => (i % 5 < 3 || i === 99 ? 'HELPFUL' : 'UNHELPFUL'));
      const helpful = choices.filter((c) => c === 'HELPFUL').length;
      assert.equal(helpful, 61);
      const responses = await Promise.all(choices.map((c) => send(r.id, randomUUID(), c)));
      for (const res of responses) assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(counts(await stored(r.id)), [61, 39, 22]);
      // Votes were applied one after another: each response saw a different total, 1..100.
      const totals = responses.map((res) => res.body.review.foundHelpful + res.body.review.foundUnhelpful).sort((x, y) => x - y);
      assert.deepEqual(totals, Array.from({ length: 100 }, (_, i) => i + 1));
    });

    it('keeps one vote per visitor when the same visitors change their votes concurrently', async () => {
      const r = await create();
      const switchers = Array.from({ length: 20 }, () => randomUUID());
      const burst: [string, Choice][] = [];
      // 40 distinct visitors: 25 helpful, 15 unhelpful.
      for (let i = 0; i < 40; i++) burst.push([randomUUID(), i < 25 ? 'HELPFUL' : 'UNHELPFUL']);
      // 20 visitors send 5 conflicting votes each, all at once.
      for (const v of switchers) for (const c of ['HELPFUL', 'UNHELPFUL', 'HELPFUL', 'NONE', 'UNHELPFUL'] as const) burst.push([v, c]);
      const shuffled = burst.map((b, i) => [b, (i * 7919) % burst.length] as const).sort((x, y) => x[1] - y[1]).map(([b]) => b);
      const responses = await Promise.all(shuffled.map(([v, c]) => send(r.id, v, c)));
      for (const res of responses) assert.equal(res.status, 200, JSON.stringify(res.body));

      // Whatever order the burst ran in, each switcher holds at most one vote.
      const [h, u, score] = counts(await stored(r.id)) as number[];
      assert.ok(h! >= 25 && h! <= 45, `foundHelpful ${h}`);
      assert.ok(u! >= 15 && u! <= 35, `foundUnhelpful ${u}`);
      assert.ok(h! + u! <= 60, `at most one vote per visitor (${h} + ${u})`);
      assert.equal(score, h! - u!);

      // Each switcher's final vote, once more at the same time: the counts are now exact.
      const finals: Choice[] = switchers.map((_, i) => (i < 10 ? 'HELPFUL' : i < 16 ? 'UNHELPFUL' : 'NONE'));
      const settled = await Promise.all(switchers.map((v, i) => send(r.id, v, finals[i]!)));
      for (const res of settled) assert.equal(res.status, 200);
      assert.deepEqual(counts(await stored(r.id)), [35, 21, 14]);
    });
  });

  describe('refusals', () => {
    it('answers 404 for a review that is rejected, waiting for moderation, or unknown', async () => {
      const r = await create();
      await vote(server, r.id, randomUUID(), 'HELPFUL');
      await moderate(server, r.id, 'REJECTED');
      const rejected = await send(r.id, randomUUID(), 'HELPFUL');
      assert.equal(rejected.status, 404);
      assert.equal(rejected.body.details.applicationError.code, 'NOT_FOUND');

      const pending = await server.call('POST', '/reviews/v1/reviews/contact', {
        namespace: 'stores',
        entityId: 'v-pending',
        name: 'Visitor',
        email: 'visitor@example.com',
        content: { rating: 4, body: 'waiting' },
      });
      assert.equal(pending.status, 200);
      assert.equal(pending.body.review.moderation.moderationStatus, 'IN_MODERATION');
      assert.equal((await send(pending.body.review.id, randomUUID(), 'UNHELPFUL')).status, 404);
      assert.equal((await send(randomUUID(), randomUUID(), 'HELPFUL')).status, 404);

      // The refused votes left no trace; the earlier one is kept.
      assert.deepEqual(counts(await stored(r.id)), [1, 0, 1]);
      assert.deepEqual(counts(await stored(pending.body.review.id)), [0, 0, 0]);
      await moderate(server, r.id, 'APPROVED');
      assert.deepEqual(counts(await vote(server, r.id, randomUUID(), 'HELPFUL')), [2, 0, 2]);
    });

    it('answers 400 for a bad visitorId, vote or body', async () => {
      const r = await create();
      const bad: [unknown, string][] = [
        [{ vote: 'HELPFUL', visitorId: 'visitor-1' }, 'visitorId'],
        [{ vote: 'HELPFUL', visitorId: '' }, 'visitorId'],
        [{ vote: 'HELPFUL', visitorId: `${randomUUID()}x` }, 'visitorId'],
        [{ vote: 'HELPFUL', visitorId: 12345 }, 'visitorId'],
        [{ vote: 'HELPFUL' }, 'visitorId'],
        [{ vote: 'LIKE', visitorId: randomUUID() }, 'vote'],
        [{ visitorId: randomUUID() }, 'vote'],
      ];
      for (const [body, field] of bad) {
        const res = await server.call('POST', `/reviews/v1/reviews/${r.id}/helpfulness`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.details.validationError.fieldViolations[0].field, field, JSON.stringify(body));
      }
      const extra = await server.call('POST', `/reviews/v1/reviews/${r.id}/helpfulness`, { vote: 'HELPFUL', visitorId: randomUUID(), weight: 10 });
      assert.equal(extra.status, 400);
      const notJson = await server.call('POST', `/reviews/v1/reviews/${r.id}/helpfulness`, '{"vote": "HELPFUL",', { headers: { 'Content-Type': 'application/json' } });
      assert.equal(notJson.status, 400);
      assert.deepEqual(counts(await stored(r.id)), [0, 0, 0]);
    });
  });
});
