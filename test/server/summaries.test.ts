/**
 * Ratings-shaped summaries computed from APPROVED reviews: Get Entity Summary, Get Group
 * Summary and List Attribute Averages By Entity (reference §7), checked against exact
 * numbers after creates, moderation changes, rating updates and deletes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Review } from '../../src/api/schema.js';
import { startTestServer, type TestServer } from './helpers.js';
import { bulkCreate, moderate } from './review-data.js';

interface Summary {
  total: number;
  average: number;
  /** count per rating value 1..5 */
  breakdown: Record<1 | 2 | 3 | 4 | 5, number>;
}

describe('rating summaries', () => {
  let server: TestServer;
  before(async () => {
    // Visitor reviews wait IN_MODERATION; the owner's are published at once.
    server = await startTestServer({ moderation: 'all' });
  });
  after(() => server.close());

  const entity = () => `s-${randomUUID().slice(0, 12)}`;

  async function create(entityId: string, ratings: number[], namespace = 'stores'): Promise<Review[]> {
    return bulkCreate(server, ratings.map((rating) => ({ namespace, entityId, contactId: randomUUID(), rating, body: `rated ${rating}` })));
  }

  async function visitorReview(entityId: string, rating: number): Promise<Review> {
    const res = await server.call('POST', '/reviews/v1/reviews/contact', {
      namespace: 'stores',
      entityId,
      name: 'Visitor',
      email: `${randomUUID()}@example.com`,
      content: { rating, body: 'pending' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.review.moderation.moderationStatus, 'IN_MODERATION');
    return res.body.review;
  }

  /** Reads the entity summary and checks its envelope; returns the "overall" numbers. */
  async function summary(entityId: string, group = 'stores'): Promise<Summary> {
    const res = await server.call('GET', `/ratings/v1/ratings/groups/${group}/entities/${encodeURIComponent(entityId)}/summary`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.group, group);
    assert.equal(res.body.entityId, entityId);
    return overall(res.body.attributeSummaries);
  }

  function overall(attributeSummaries: any[]): Summary {
    assert.equal(attributeSummaries.length, 1);
    const s = attributeSummaries[0];
    assert.equal(s.attributeName, 'overall');
    const entries = s.valueBreakdown as { value: number; total: number }[];
    assert.deepEqual(entries.map((b) => b.value).sort((x, y) => x - y), [1, 2, 3, 4, 5], 'one breakdown entry per rating value');
    const breakdown = Object.fromEntries(entries.map((b) => [b.value, b.total])) as Summary['breakdown'];
    assert.equal(s.total, entries.reduce((sum, b) => sum + b.total, 0), 'total is the sum of the breakdown');
    return { total: s.total, average: s.average, breakdown };
  }

  /** Averages are compared to 4 decimal places; everything else exactly. */
  function expectSummary(actual: Summary, expected: Summary): void {
    assert.deepEqual({ ...actual, average: 0 }, { ...expected, average: 0 });
    assert.ok(Math.abs(actual.average - expected.average) < 1e-4, `average ${actual.average}, expected ${expected.average}`);
  }

  function expectAverages(actual: { entityId: string; total: number; average: number }[], expected: { entityId: string; total: number; average: number }[]): void {
    assert.deepEqual(actual.map((a) => ({ ...a, average: 0 })), expected.map((e) => ({ ...e, average: 0 })));
    actual.forEach((a, i) => assert.ok(Math.abs(a.average - expected[i]!.average) < 1e-4, `${a.entityId}: average ${a.average}, expected ${expected[i]!.average}`));
  }

  const bd = (n1: number, n2: number, n3: number, n4: number, n5: number) => ({ 1: n1, 2: n2, 3: n3, 4: n4, 5: n5 });

  describe('entity summary', () => {
    it('counts approved reviews, then follows moderation, rating updates and deletes', async () => {
      const e = entity();
      const [r5a, r5b, r4, r3, r1] = await create(e, [5, 5, 4, 3, 1]);
      expectSummary(await summary(e), { total: 5, average: 3.6, breakdown: bd(1, 0, 1, 1, 2) });

      // Visitor reviews waiting for moderation do not count until approved.
      const pending = await visitorReview(e, 2);
      expectSummary(await summary(e), { total: 5, average: 3.6, breakdown: bd(1, 0, 1, 1, 2) });
      await moderate(server, pending.id, 'APPROVED');
      expectSummary(await summary(e), { total: 6, average: 20 / 6, breakdown: bd(1, 1, 1, 1, 2) });

      // Rejected reviews drop out, and come back when approved again.
      await moderate(server, r1!.id, 'REJECTED');
      await moderate(server, pending.id, 'REJECTED');
      expectSummary(await summary(e), { total: 4, average: 4.25, breakdown: bd(0, 0, 1, 1, 2) });
      await moderate(server, r1!.id, 'APPROVED');
      expectSummary(await summary(e), { total: 5, average: 3.6, breakdown: bd(1, 0, 1, 1, 2) });

      // The owner changes a rating.
      const upd = await server.call('PATCH', `/reviews/v1/reviews/${r3!.id}`, { review: { revision: r3!.revision, content: { rating: 4 } } }, { owner: true });
      assert.equal(upd.status, 200, JSON.stringify(upd.body));
      expectSummary(await summary(e), { total: 5, average: 3.8, breakdown: bd(1, 0, 0, 2, 2) });

      // Deletes.
      for (const r of [r5a!, r1!]) assert.equal((await server.call('DELETE', `/reviews/v1/reviews/${r.id}`, undefined, { owner: true })).status, 200);
      expectSummary(await summary(e), { total: 3, average: 13 / 3, breakdown: bd(0, 0, 0, 2, 1) });
      for (const r of [r5b!, r4!, r3!]) assert.equal((await server.call('DELETE', `/reviews/v1/reviews/${r.id}`, undefined, { owner: true })).status, 200);
      expectSummary(await summary(e), { total: 0, average: 0, breakdown: bd(0, 0, 0, 0, 0) });
    });

    it('keeps entities and groups (namespaces) apart', async () => {
      const e = entity();
      const other = entity();
      await create(e, [2, 4]);
      await create(other, [5]);
      await create(e, [1, 1, 1], 'bookings');
      expectSummary(await summary(e), { total: 2, average: 3, breakdown: bd(0, 1, 0, 1, 0) });
      expectSummary(await summary(e, 'bookings'), { total: 3, average: 1, breakdown: bd(3, 0, 0, 0, 0) });
      expectSummary(await summary(other), { total: 1, average: 5, breakdown: bd(0, 0, 0, 0, 1) });
    });

    it('averages a larger set exactly', async () => {
      const e = entity();
      const ratings = Array.from({ length: 240 }, (_, i) => [5, 4, 4, 3, 5, 1, 2, 5][i % 8]!);
      await create(e, ratings);
      const n = (v: number) => ratings.filter((r) => r === v).length;
      const s = await summary(e);
      assert.deepEqual(s.breakdown, bd(n(1), n(2), n(3), n(4), n(5)));
      assert.equal(s.total, 240);
      assert.equal(s.average, 3.625);
    });

    it('reports an unknown entity with total 0', async () => {
      expectSummary(await summary('never-reviewed'), { total: 0, average: 0, breakdown: bd(0, 0, 0, 0, 0) });
    });

    it('accepts attributeNames=overall alone or with stored attributes, and refuses malformed names with a 400', async () => {
      const e = entity();
      await create(e, [4]);
      for (const q of ['attributeNames=overall', 'attributeNames[]=overall']) {
        const res = await server.call('GET', `/ratings/v1/ratings/groups/stores/entities/${e}/summary?${q}`);
        assert.equal(res.status, 200, q);
        assert.equal(res.body.attributeSummaries[0].total, 1);
      }
      // A stored attribute nobody rated yet is an empty summary, after overall in the order asked.
      const both = await server.call('GET', `/ratings/v1/ratings/groups/stores/entities/${e}/summary?attributeNames[]=overall&attributeNames[]=fit`);
      assert.equal(both.status, 200);
      assert.deepEqual(both.body.attributeSummaries.map((s: { attributeName: string; total: number }) => [s.attributeName, s.total]), [['overall', 1], ['fit', 0]]);
      for (const q of ['attributeNames=Not%20A%20Name', 'attributeNames[]=overall&attributeNames[]=%3Cscript%3E']) {
        const res = await server.call('GET', `/ratings/v1/ratings/groups/stores/entities/${e}/summary?${q}`);
        assert.equal(res.status, 400, q);
        assert.match(res.body.message, /attributeNames/);
      }
    });
  });

  describe('group summary', () => {
    it('summarises every approved review of the group', async () => {
      const group = `g${randomUUID().slice(0, 8)}`;
      const [, , rejectMe] = await create(entity(), [5, 3, 1], group);
      await create(entity(), [4, 4], group);
      await create(entity(), [2], 'stores');
      await moderate(server, rejectMe!.id, 'REJECTED');
      const res = await server.call('GET', `/ratings/v1/ratings/groups/${group}/summary`);
      assert.equal(res.status, 200);
      assert.equal(res.body.group, group);
      expectSummary(overall(res.body.attributeSummaries), { total: 4, average: 4, breakdown: bd(0, 0, 1, 2, 1) });
    });
  });

  describe('attribute averages', () => {
    const averages = (group: string, body: unknown) => server.call('POST', `/ratings/v1/ratings/groups/${group}/attributes/average`, body);

    it('returns total and average per requested entity, in request order, 0 for unknown ids', async () => {
      const a = entity();
      const b = entity();
      const c = entity();
      await create(a, [5, 4]);
      await create(b, [1, 2, 2]);
      const [, hidden] = await create(c, [3, 5]);
      await moderate(server, hidden!.id, 'REJECTED');
      await visitorReview(c, 1);
      await create(a, [1], 'bookings');
      const res = await averages('stores', { entityIds: [b, 'unknown-entity', a, c], attributeName: 'overall' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.group, 'stores');
      expectAverages(res.body.entityAverages, [
        { entityId: b, total: 3, average: 5 / 3 },
        { entityId: 'unknown-entity', total: 0, average: 0 },
        { entityId: a, total: 2, average: 4.5 },
        { entityId: c, total: 1, average: 3 },
      ]);
      const other = await averages('bookings', { entityIds: [a], attributeName: 'overall' });
      assert.deepEqual(other.body, { group: 'bookings', entityAverages: [{ entityId: a, total: 1, average: 1 }] });
    });

    it('agrees with the entity summaries', async () => {
      const ids = [entity(), entity(), entity()];
      await create(ids[0]!, [5, 5, 4, 2]);
      await create(ids[1]!, [3]);
      await create(ids[2]!, [1, 2, 3, 4, 5, 5]);
      const res = await averages('stores', { entityIds: ids, attributeName: 'overall' });
      for (const [i, id] of ids.entries()) {
        const s = await summary(id);
        assert.deepEqual(res.body.entityAverages[i], { entityId: id, total: s.total, average: s.average });
      }
    });

    it('takes up to 100 entity ids and refuses 101 with a 400', async () => {
      const known = entity();
      await create(known, [2, 3]);
      const ids = [known, ...Array.from({ length: 99 }, (_, i) => `none-${i}`)];
      const ok = await averages('stores', { entityIds: ids, attributeName: 'overall' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.entityAverages.length, 100);
      assert.deepEqual(ok.body.entityAverages[0], { entityId: known, total: 2, average: 2.5 });
      assert.deepEqual(ok.body.entityAverages.map((x: { entityId: string }) => x.entityId), ids);
      assert.ok(ok.body.entityAverages.slice(1).every((x: { total: number; average: number }) => x.total === 0 && x.average === 0));

      const tooMany = await averages('stores', { entityIds: [...ids, 'one-more'], attributeName: 'overall' });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.details.validationError.fieldViolations[0].field, 'entityIds');
      const none = await averages('stores', { entityIds: [], attributeName: 'overall' });
      assert.equal(none.status, 400);
    });

    it('averages a stored attribute nobody rated as zero, and refuses a malformed name with a 400', async () => {
      const ok = await averages('stores', { entityIds: ['x'], attributeName: 'quality' });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body.entityAverages, [{ entityId: 'x', total: 0, average: 0 }]);
      const res = await averages('stores', { entityIds: ['x'], attributeName: 'Bad Name!' });
      assert.equal(res.status, 400);
      assert.match(res.body.message, /attributeName/);
    });
  });
});
