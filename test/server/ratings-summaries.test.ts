/**
 * Ratings summaries and averages (reference §7) for stored attributes next to `overall`
 * (computed from approved reviews, unchanged): Get Entity Summary, Get Group Summary and
 * List Attribute Averages By Entity, checked against exact numbers computed in JS after
 * creates, updates and deletes, with moderation of the linked reviews.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Rating } from '../../src/api/ratings.js';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';
import { rng } from './review-data.js';

const R = '/ratings/v1/ratings';
const owner = { owner: true } as const;

interface Summary {
  attributeName: string;
  total: number;
  average: number;
  valueBreakdown: { value: number; total: number }[];
}

const round = (n: number) => Math.round(n * 10000) / 10000;

/** The summary the server must give for these stored values. */
function summaryOf(attributeName: string, values: readonly number[]): Summary {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sum = values.reduce((s, v) => s + v, 0);
  return {
    attributeName,
    total: values.length,
    average: values.length ? round(sum / values.length) : 0,
    valueBreakdown: [...counts].sort((a, b) => b[0] - a[0]).map(([value, total]) => ({ value, total })),
  };
}

describe('ratings summaries', () => {
  let server: TestServer;
  before(async () => {
    // Visitor reviews wait IN_MODERATION; the owner's are published at once.
    server = await startTestServer({ moderation: 'all', deliveryIntervalMs: 0 });
  });
  after(() => server.close());

  const entity = () => `s-${randomUUID().slice(0, 12)}`;

  async function rate(entityId: string, attributeName: string, value: number, more: Record<string, unknown> = {}): Promise<Rating> {
    const res = await server.call('POST', R, { rating: { group: 'stores', entityId, attributeName, value, owner: { contactId: randomUUID() }, ...more } }, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.rating;
  }

  async function update(r: Rating, change: Record<string, unknown>): Promise<Rating> {
    const res = await server.call('PATCH', `${R}/${r.id}`, { rating: { revision: r.revision, ...change } }, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.rating;
  }

  async function remove(r: Rating): Promise<void> {
    const res = await server.call('DELETE', `${R}/${r.id}?revision=${r.revision}`, undefined, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  async function entitySummary(entityId: string, query = '', group = 'stores'): Promise<Summary[]> {
    const res = await server.call('GET', `${R}/groups/${group}/entities/${encodeURIComponent(entityId)}/summary${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body), ['group', 'entityId', 'attributeSummaries']);
    assert.equal(res.body.group, group);
    assert.equal(res.body.entityId, entityId);
    return res.body.attributeSummaries;
  }

  async function groupSummary(group: string, query = ''): Promise<Summary[]> {
    const res = await server.call('GET', `${R}/groups/${group}/summary${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body), ['group', 'attributeSummaries']);
    return res.body.attributeSummaries;
  }

  async function averages(group: string, body: unknown): Promise<{ entityId: string; total: number; average: number }[]> {
    const res = await server.call('POST', `${R}/groups/${group}/attributes/average`, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body), ['group', 'entityAverages']);
    assert.equal(res.body.group, group);
    return res.body.entityAverages;
  }

  async function review(entityId: string, rating: number, namespace = 'stores') {
    const res = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId, rating, namespace }), owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.review;
  }

  async function visitorReview(entityId: string, rating: number) {
    const res = await server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId, name: 'Visitor', email: `${randomUUID()}@example.com`, content: { rating, body: 'waiting' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.review.moderation.moderationStatus, 'IN_MODERATION');
    return res.body.review;
  }

  async function moderate(reviewId: string, status: 'APPROVED' | 'REJECTED') {
    const res = await server.call('PATCH', `/reviews/v1/reviews/${reviewId}/moderate`, { status }, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  const overallOf = (n: [number, number, number, number, number], total: number, average: number): Summary => ({
    attributeName: 'overall',
    total,
    average,
    valueBreakdown: [5, 4, 3, 2, 1].map((value) => ({ value, total: n[5 - value]! })),
  });

  describe('entity summary', () => {
    it('summarises stored attributes in the order asked; an attribute nobody rated is empty', async () => {
      const e = entity();
      for (const v of [80, 80, 60, 100]) await rate(e, 'quality', v);
      await rate(e, 'value', 40);
      await rate(entity(), 'quality', 0);
      await rate(e, 'quality', 10, { group: 'bookings' });
      const got = await entitySummary(e, '?attributeNames[]=value&attributeNames[]=quality&attributeNames[]=fit');
      assert.deepEqual(got, [summaryOf('value', [40]), summaryOf('quality', [80, 80, 60, 100]), summaryOf('fit', [])]);
      assert.deepEqual(got[1], { attributeName: 'quality', total: 4, average: 80, valueBreakdown: [{ value: 100, total: 1 }, { value: 80, total: 2 }, { value: 60, total: 1 }] });
      assert.deepEqual(await entitySummary(e, '?attributeNames=quality', 'bookings'), [summaryOf('quality', [10])]);
    });

    it('stays exact through random creates, updates and deletes', async () => {
      const random = rng(77);
      const entities = [entity(), entity()];
      const attributes = ['quality', 'value'];
      const live: Rating[] = [];
      const check = async () => {
        for (const e of entities) {
          const got = await entitySummary(e, `?attributeNames=${attributes.join(',')}`);
          const want = attributes.map((a) => summaryOf(a, live.filter((r) => r.entityId === e && r.attributeName === a).map((r) => r.value)));
          assert.deepEqual(got, want);
        }
        const avg = await averages('stores', { entityIds: entities, attributeName: 'value' });
        assert.deepEqual(avg, entities.map((e) => {
          const s = summaryOf('value', live.filter((r) => r.entityId === e && r.attributeName === 'value').map((r) => r.value));
          return { entityId: e, total: s.total, average: s.average };
        }));
      };
      for (let step = 0; step < 120; step++) {
        const u = random();
        if (u < 0.5 || live.length < 3) {
          live.push(await rate(entities[Math.floor(random() * 2)]!, attributes[Math.floor(random() * 2)]!, Math.floor(random() * 101)));
        } else if (u < 0.8) {
          const i = Math.floor(random() * live.length);
          live[i] = await update(live[i]!, { value: Math.floor(random() * 101) });
        } else {
          const [gone] = live.splice(Math.floor(random() * live.length), 1);
          await remove(gone!);
        }
        if (step % 15 === 14) await check();
      }
      await check();
      assert.ok(live.length > 20);
    });

    it('reads attributeNames, attributeNames[] and comma lists, once each, in order', async () => {
      const e = entity();
      await review(e, 4);
      await rate(e, 'quality', 70);
      await rate(e, 'value', 30);
      const want = [summaryOf('quality', [70]), summaryOf('value', [30]), overallOf([0, 1, 0, 0, 0], 1, 4)];
      for (const q of [
        '?attributeNames=quality,value,overall',
        '?attributeNames[]=quality&attributeNames[]=value&attributeNames[]=overall',
        '?attributeNames=quality&attributeNames[]=value,overall&attributeNames=quality',
        '?attributeNames=quality,,value, overall',
        '?attributeNames%5B%5D=quality&attributeNames%5B%5D=value%2Coverall',
      ]) {
        assert.deepEqual(await entitySummary(e, q), want, q);
      }
    });

    it('answers overall alone without attributeNames, exactly as before', async () => {
      const e = entity();
      await review(e, 5);
      await review(e, 3);
      await rate(e, 'quality', 90);
      const res = await server.call('GET', `${R}/groups/stores/entities/${e}/summary`);
      assert.deepEqual(res.body, { group: 'stores', entityId: e, attributeSummaries: [overallOf([1, 0, 1, 0, 0], 2, 4)] });
      for (const q of ['?attributeNames=', '?attributeNames[]=overall', '?attributeNames=overall&namespace=reviews']) {
        assert.deepEqual(await entitySummary(e, q), [overallOf([1, 0, 1, 0, 0], 2, 4)], q);
      }
    });

    it('refuses names that are not attribute names, and too many names', async () => {
      for (const q of ['attributeNames=Quality', 'attributeNames[]=build%20quality', 'attributeNames=quality,1st', `attributeNames=${'a'.repeat(51)}`]) {
        const res = await server.call('GET', `${R}/groups/stores/entities/x/summary?${q}`);
        assert.equal(res.status, 400, q);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, 'attributeNames');
        assert.match(res.body.message, /not an attribute name/);
      }
      const many = Array.from({ length: 21 }, (_, i) => `a${i}`).join(',');
      const res = await server.call('GET', `${R}/groups/stores/summary?attributeNames=${many}`);
      assert.equal(res.status, 400);
      assert.match(res.body.message, /at most 20/);
    });

    it('keeps namespaces apart; overall exists only in namespace "reviews"', async () => {
      const e = entity();
      await review(e, 2);
      await rate(e, 'quality', 20);
      await rate(e, 'quality', 90, { namespace: 'comments' });
      assert.deepEqual(await entitySummary(e, '?attributeNames=quality'), [summaryOf('quality', [20])]);
      assert.deepEqual(await entitySummary(e, '?attributeNames=quality&namespace=reviews'), [summaryOf('quality', [20])]);
      assert.deepEqual(await entitySummary(e, '?attributeNames=quality,overall&namespace=comments'), [summaryOf('quality', [90]), overallOf([0, 0, 0, 0, 0], 0, 0)]);
      const bad = await server.call('GET', `${R}/groups/stores/entities/${e}/summary?namespace=a%20b`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.details.validationError.fieldViolations[0].field, 'namespace');
    });
  });

  describe('moderation of linked reviews', () => {
    it('counts a rating only while every review it is linked to is approved', async () => {
      const e = entity();
      const pending = await visitorReview(e, 2);
      const approved = await review(e, 5);
      const linkedToPending = await rate(e, 'quality', 20, { owner: { contactId: pending.author.contactId }, relatedEntityIds: [pending.id] });
      await rate(e, 'quality', 100, { owner: { contactId: approved.author.contactId }, relatedEntityIds: [approved.id, 'order-1'] });
      await rate(e, 'quality', 60); // linked to nothing: always counts
      await rate(e, 'quality', 40, { relatedEntityIds: ['order-2'] }); // linked to no review: counts
      const both = await rate(e, 'quality', 0, { relatedEntityIds: [approved.id, pending.id] });
      const expectQuality = async (values: number[]) => {
        assert.deepEqual(await entitySummary(e, '?attributeNames=quality'), [summaryOf('quality', values)]);
        const s = summaryOf('quality', values);
        assert.deepEqual(await averages('stores', { entityIds: [e], attributeName: 'quality' }), [{ entityId: e, total: s.total, average: s.average }]);
      };
      await expectQuality([100, 60, 40]);
      await moderate(pending.id, 'APPROVED');
      await expectQuality([20, 100, 60, 40, 0]);
      await moderate(pending.id, 'REJECTED');
      await expectQuality([100, 60, 40]);
      await moderate(approved.id, 'REJECTED');
      await expectQuality([60, 40]);
      await moderate(approved.id, 'APPROVED');
      // Unlinking the rejected review makes the rating count again.
      await update(both, { relatedEntityIds: [approved.id] });
      await expectQuality([100, 60, 40, 0]);
      await update(linkedToPending, { value: 30 });
      await expectQuality([100, 60, 40, 0]);
    });
  });

  describe('deleting a review', () => {
    it('deletes the ratings linked to it, one by one and by filter, and the summaries follow', async () => {
      const e = entity();
      const first = await review(e, 5);
      const second = await review(e, 3);
      await rate(e, 'quality', 80, { owner: { contactId: first.author.contactId }, relatedEntityIds: [first.id] });
      await rate(e, 'value', 60, { owner: { contactId: first.author.contactId }, relatedEntityIds: [first.id] });
      await rate(e, 'quality', 40, { owner: { contactId: second.author.contactId }, relatedEntityIds: [second.id] });
      const loose = await rate(e, 'quality', 100);
      assert.deepEqual(await entitySummary(e, '?attributeNames=quality,value'), [summaryOf('quality', [80, 40, 100]), summaryOf('value', [60])]);

      const del = await server.call('DELETE', `/reviews/v1/reviews/${first.id}`, undefined, owner);
      assert.equal(del.status, 200, JSON.stringify(del.body));
      assert.deepEqual(await entitySummary(e, '?attributeNames=quality,value'), [summaryOf('quality', [40, 100]), summaryOf('value', [])]);

      const bulk = await server.call('POST', '/reviews/v1/bulk/reviews/delete', { filter: { entityId: e } }, owner);
      assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
      assert.deepEqual(await entitySummary(e, '?attributeNames=quality'), [summaryOf('quality', [100])]);
      // The rating linked to no review stays.
      assert.equal((await server.call('GET', `${R}/${loose.id}`, undefined, owner)).status, 200);
    });
  });

  describe('group summary', () => {
    it('summarises every counted rating of the group, in the order asked', async () => {
      const group = `g${randomUUID().slice(0, 8)}`;
      const [a, b] = [entity(), entity()];
      const ra = await review(a, 4, group);
      await rate(a, 'fit', 60, { group });
      await rate(b, 'fit', 100, { group });
      await rate(b, 'value', 50, { group });
      await rate(b, 'fit', 20, { group, relatedEntityIds: [(await visitorReview(b, 1)).id] });
      await rate(b, 'fit', 0); // another group
      assert.deepEqual(await groupSummary(group, '?attributeNames=overall,fit,value,quality'), [
        overallOf([0, 1, 0, 0, 0], 1, 4),
        summaryOf('fit', [60, 100]),
        summaryOf('value', [50]),
        summaryOf('quality', []),
      ]);
      assert.deepEqual(await groupSummary(group), [overallOf([0, 1, 0, 0, 0], 1, 4)], 'overall alone, as before');
      await moderate(ra.id, 'REJECTED');
      assert.deepEqual(await groupSummary(group, '?attributeNames[]=overall'), [overallOf([0, 0, 0, 0, 0], 0, 0)]);
    });
  });

  describe('attribute averages', () => {
    it('averages any attribute per entity in request order, duplicates once, 0 for unknown ids', async () => {
      const [a, b] = [entity(), entity()];
      await rate(a, 'value', 30);
      await rate(a, 'value', 45);
      await rate(b, 'value', 100);
      await rate(b, 'quality', 0);
      await rate(b, 'value', 10, { namespace: 'comments' });
      assert.deepEqual(await averages('stores', { entityIds: [b, 'nobody', a, b], attributeName: 'value' }), [
        { entityId: b, total: 1, average: 100 },
        { entityId: 'nobody', total: 0, average: 0 },
        { entityId: a, total: 2, average: 37.5 },
      ]);
      assert.deepEqual(await averages('stores', { entityIds: [b], attributeId: 'value', namespace: 'comments' }), [{ entityId: b, total: 1, average: 10 }]);
      assert.deepEqual(await averages('bookings', { entityIds: [a], attributeName: 'value' }), [{ entityId: a, total: 0, average: 0 }]);
    });

    it('averages overall from approved reviews, also when attributeName is left out', async () => {
      const e = entity();
      await review(e, 5);
      await review(e, 2);
      await visitorReview(e, 1);
      const want = [{ entityId: e, total: 2, average: 3.5 }];
      assert.deepEqual(await averages('stores', { entityIds: [e], attributeName: 'overall' }), want);
      assert.deepEqual(await averages('stores', { entityIds: [e] }), want);
      assert.deepEqual(await averages('stores', { entityIds: [e], namespace: 'comments' }), [{ entityId: e, total: 0, average: 0 }]);
      const s = (await entitySummary(e))[0]!;
      assert.deepEqual(want[0], { entityId: e, total: s.total, average: s.average }, 'agrees with the entity summary');
    });

    it('refuses a bad attribute name or entity list with a 400 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ entityIds: ['x'], attributeName: 'Value!' }, 'attributeName'],
        [{ entityIds: ['x'], attributeId: '' }, 'attributeId'],
        [{ entityIds: ['x'], attributeName: 'value', attributeId: 'fit' }, 'attributeId'],
        [{ entityIds: [], attributeName: 'value' }, 'entityIds'],
        [{ entityIds: Array.from({ length: 101 }, (_, i) => `e${i}`), attributeName: 'value' }, 'entityIds'],
        [{ entityIds: ['x'], attributeName: 'value', namespace: 'a b' }, 'namespace'],
        [{ entityIds: ['x'], attributeName: 'value', extra: 1 }, '(body)'],
      ];
      for (const [body, field] of cases) {
        const res = await server.call('POST', `${R}/groups/stores/attributes/average`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.details.validationError.fieldViolations[0].field, field, JSON.stringify(body));
      }
    });
  });
});
