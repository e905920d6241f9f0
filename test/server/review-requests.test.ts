/**
 * Review Requests (`/reviews/v2`, reference §8), the owner's side: Create (order only,
 * items only, both, and every error), Get, Query (the §8 filter and sort table, cursors),
 * Count, Bulk Cancel By Filter and Delete (CANCELED only). Sending and the customer's
 * side are in review-requests-lifecycle.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers.js';

const owner = { owner: true };
const R = '/reviews/v2/review-requests';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_KEYS = [
  'communicationChannel', 'createdDate', 'id', 'items', 'namespace', 'order', 'recipient', 'requestedBy',
  'revision', 'sendDate', 'status', 'updatedDate',
];

const PRICES: Record<string, string> = { 'p-a': '50.00', 'p-b': '20.00', 'p-c': '20.00', 'p-d': '5.00', 'p-e': '80.00', 'p-f': '1.00', 'p-g': '35.00' };

describe('review requests', () => {
  let server: TestServer;
  let now = new Date('2031-05-01T09:00:00.000Z');
  const tick = () => {
    now = new Date(now.getTime() + 60_000);
  };
  let ada = '';
  let grace = '';

  before(async () => {
    server = await startTestServer({ clock: () => now, schedulerIntervalMs: 0 });
    const products = Object.entries(PRICES).map(([id, amount]) => ({ id, name: `Product ${id}`, price: { amount, currency: 'EUR' } }));
    products.push({ id: 'p-gone', name: 'Discontinued', price: { amount: '999.00', currency: 'EUR' } });
    assert.equal((await server.call('PUT', '/reviews/v2/store/products', { products }, owner)).body.bulkActionMetadata.totalFailures, 0);
    const res = await server.call('PUT', '/reviews/v2/store/orders', {
      orders: [
        {
          id: 'big',
          number: 5001,
          contact: { email: 'ada@example.com', name: 'Ada' },
          items: [
            { catalogItemId: 'p-f', quantity: 100 },
            { catalogItemId: 'p-d' },
            { catalogItemId: 'p-c' },
            { catalogItemId: 'p-b' },
            { catalogItemId: 'p-g' },
            { catalogItemId: 'p-a' },
            // Bought on sale: the price paid ranks it, not today's price.
            { catalogItemId: 'p-e', price: { amount: '4.00', currency: 'EUR' } },
            { catalogItemId: 'p-gone' },
          ],
        },
        { id: 'small', number: 5002, contact: { email: 'grace@example.com', name: 'Grace' }, items: [{ catalogItemId: 'p-a' }, { catalogItemId: 'p-b' }] },
        { id: 'empty', number: 5003, contact: { email: 'grace@example.com' }, items: [] },
        { id: 'gone', number: 5004, contact: { email: 'grace@example.com' }, items: [{ catalogItemId: 'p-gone' }] },
      ],
    }, owner);
    assert.equal(res.body.bulkActionMetadata.totalFailures, 0, JSON.stringify(res.body));
    ada = res.body.results[0].item.contactId;
    grace = res.body.results[1].item.contactId;
    // A product that left the catalog after it was ordered.
    assert.equal((await server.call('DELETE', '/reviews/v2/store/products/p-gone', undefined, owner)).status, 200);
  });
  after(() => server.close());

  async function create(reviewRequest: Record<string, unknown>, init: { headers?: Record<string, string> } = {}) {
    tick();
    const res = await server.call('POST', R, { reviewRequest: { communicationChannel: 'EMAIL', ...reviewRequest } }, { ...owner, ...init });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.reviewRequest;
  }

  function assertAppError(res: { status: number; body: any }, status: number, code: string) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.details.applicationError.code, code);
    assert.equal(res.body.details.applicationError.description, res.body.message);
  }

  function assertViolation(res: { status: number; body: any }, field: string, ruleName?: string) {
    assert.equal(res.status, 400, JSON.stringify(res.body));
    const v = res.body.details.validationError.fieldViolations.find((x: any) => x.field === field);
    assert.ok(v, `${field} in ${JSON.stringify(res.body)}`);
    if (ruleName) assert.equal(v.ruleName, ruleName);
  }

  describe('Create Review Request', () => {
    it('order only: the 5 most expensive items by the unit price paid, ties by id', async () => {
      const r = await create({ namespace: 'stores', order: { id: 'big' }, recipient: { contactId: ada } });
      assert.deepEqual(Object.keys(r).sort(), REQUEST_KEYS);
      assert.match(r.id, UUID);
      assert.deepEqual(r.items, [{ catalogItemId: 'p-a' }, { catalogItemId: 'p-g' }, { catalogItemId: 'p-b' }, { catalogItemId: 'p-c' }, { catalogItemId: 'p-d' }]);
      assert.deepEqual(
        { ...r, id: undefined, items: undefined },
        {
          id: undefined,
          items: undefined,
          revision: '1',
          createdDate: now.toISOString(),
          updatedDate: now.toISOString(),
          sendDate: now.toISOString(),
          namespace: 'stores',
          order: { id: 'big', number: '5001' },
          recipient: { contactId: ada },
          communicationChannel: 'EMAIL',
          status: 'SCHEDULED',
          requestedBy: { identityType: 'WIX_USER', wixUserId: 'owner' },
        },
      );
    });

    it('items only: exactly those, in the order given, with no order', async () => {
      const r = await create({ items: [{ catalogItemId: 'p-f' }, { catalogItemId: 'p-e' }], recipient: { contactId: grace }, sendDate: '2031-06-01T12:00:00+02:00', automationActivationId: 'auto-1' });
      assert.deepEqual(r.items, [{ catalogItemId: 'p-f' }, { catalogItemId: 'p-e' }]);
      assert.equal('order' in r, false);
      assert.equal(r.sendDate, '2031-06-01T10:00:00.000Z');
      assert.equal(r.automationActivationId, 'auto-1');
      assert.equal(r.namespace, 'stores', 'namespace defaults to stores');
    });

    it('order and items: the given items of that order', async () => {
      const r = await create({ order: { id: 'small' }, items: [{ catalogItemId: 'p-b' }], recipient: { contactId: grace } });
      assert.deepEqual(r.items, [{ catalogItemId: 'p-b' }]);
      assert.deepEqual(r.order, { id: 'small', number: '5002' });
      const res = await server.call('POST', R, {
        reviewRequest: { order: { id: 'small' }, items: [{ catalogItemId: 'p-a' }, { catalogItemId: 'p-g' }], recipient: { contactId: grace }, communicationChannel: 'EMAIL' },
      }, owner);
      assertViolation(res, 'reviewRequest.items[1].catalogItemId');
      assert.match(res.body.message, /"p-g" is not an item of order small/);
    });

    it('records who asked: an app (X-Storefront-App-Id) or the owner', async () => {
      const r = await create({ items: [{ catalogItemId: 'p-a' }], recipient: { contactId: ada } }, { headers: { 'X-Storefront-App-Id': 'crm-sync' } });
      assert.deepEqual(r.requestedBy, { identityType: 'APP', appId: 'crm-sync' });
    });

    it('accepts a request object read back from the API (read-only fields ignored)', async () => {
      const first = await create({ items: [{ catalogItemId: 'p-c' }], recipient: { contactId: ada } });
      const again = await create({ ...first, status: 'SENT', sentOptions: { opened: true } });
      assert.notEqual(again.id, first.id);
      assert.equal(again.status, 'SCHEDULED');
      assert.equal(again.revision, '1');
      assert.deepEqual(again.items, first.items);
    });

    it('needs an order, items, or both', async () => {
      for (const reviewRequest of [{}, { items: [] }, { order: null, items: null }]) {
        const res = await server.call('POST', R, { reviewRequest: { ...reviewRequest, recipient: { contactId: ada }, communicationChannel: 'EMAIL' } }, owner);
        assertAppError(res, 400, 'EITHER_ORDER_OR_ITEMS_REQUIRED');
      }
    });

    it('refuses unknown orders, empty orders and unknown products with 428', async () => {
      const post = (reviewRequest: Record<string, unknown>) =>
        server.call('POST', R, { reviewRequest: { recipient: { contactId: grace }, communicationChannel: 'EMAIL', ...reviewRequest } }, owner);
      const unknownOrder = await post({ order: { id: 'nope' } });
      assertAppError(unknownOrder, 428, 'ORDER_NOT_FOUND');
      assert.deepEqual(unknownOrder.body.details.applicationError.data, { orderId: 'nope' });
      assertAppError(await post({ order: { id: 'empty' } }), 428, 'ORDER_IS_EMPTY');
      assertAppError(await post({ order: { id: 'gone' } }), 428, 'ORDER_IS_EMPTY');
      const unknownItem = await post({ items: [{ catalogItemId: 'p-a' }, { catalogItemId: 'ghost' }] });
      assertAppError(unknownItem, 428, 'PRODUCT_NOT_FOUND');
      assert.match(unknownItem.body.message, /"ghost"/);
      assert.deepEqual(unknownItem.body.details.applicationError.data, { catalogItemIds: ['ghost'] });
      assertAppError(await post({ order: { id: 'big' }, items: [{ catalogItemId: 'p-gone' }] }), 428, 'PRODUCT_NOT_FOUND');
    });

    it('refuses an unknown recipient with 428 CONTACT_NOT_FOUND', async () => {
      const res = await server.call('POST', R, { reviewRequest: { items: [{ catalogItemId: 'p-a' }], recipient: { contactId: 'no-such-contact' }, communicationChannel: 'EMAIL' } }, owner);
      assertAppError(res, 428, 'CONTACT_NOT_FOUND');
    });

    it('validates the body and names each bad field', async () => {
      const post = (reviewRequest: Record<string, unknown>) => server.call('POST', R, { reviewRequest }, owner);
      const base = { items: [{ catalogItemId: 'p-a' }], recipient: { contactId: ada }, communicationChannel: 'EMAIL' };
      assertViolation(await post({ items: base.items, communicationChannel: 'EMAIL' }), 'reviewRequest.recipient', 'REQUIRED_FIELD');
      assertViolation(await post({ items: base.items, recipient: base.recipient }), 'reviewRequest.communicationChannel', 'REQUIRED_FIELD');
      assertViolation(await post({ ...base, communicationChannel: 'SMS' }), 'reviewRequest.communicationChannel');
      assertViolation(await post({ ...base, communicationChannel: 'UNKNOWN_COMMUNICATION_CHANNEL' }), 'reviewRequest.communicationChannel');
      assertViolation(await post({ ...base, namespace: 'blog' }), 'reviewRequest.namespace');
      assertViolation(await post({ ...base, sendDate: 'tomorrow' }), 'reviewRequest.sendDate');
      assertViolation(await post({ ...base, sendDate: '2031-13-01T00:00:00Z' }), 'reviewRequest.sendDate');
      assertViolation(await post({ ...base, items: ['p-a', 'p-b', 'p-c', 'p-d', 'p-e', 'p-f'].map((catalogItemId) => ({ catalogItemId })) }), 'reviewRequest.items', 'OUT_OF_RANGE');
      assertViolation(await post({ ...base, items: [{ catalogItemId: 'p-a' }, { catalogItemId: 'p-a' }] }), 'reviewRequest.items[1].catalogItemId');
      assertViolation(await post({ ...base, bogus: 1 }), 'reviewRequest');
      assertViolation(await server.call('POST', R, {}, owner), 'reviewRequest', 'REQUIRED_FIELD');
      assert.equal((await server.call('POST', R, 'not json', owner)).status, 400);
    });

    it('needs the owner key', async () => {
      const res = await server.call('POST', R, { reviewRequest: { items: [{ catalogItemId: 'p-a' }], recipient: { contactId: ada }, communicationChannel: 'EMAIL' } });
      assertAppError(res, 401, 'UNAUTHENTICATED');
      assertAppError(await server.call('POST', R, {}, { key: 'wrong' }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('Get Review Request', () => {
    it('returns the request; 404 for an unknown id; owner only', async () => {
      const r = await create({ items: [{ catalogItemId: 'p-a' }], recipient: { contactId: ada } });
      const got = await server.call('GET', `${R}/${r.id}`, undefined, owner);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, { reviewRequest: r });
      assertAppError(await server.call('GET', `${R}/nope`, undefined, owner), 404, 'NOT_FOUND');
      assertAppError(await server.call('GET', `${R}/${r.id}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('Query and Count', () => {
    let ids: string[] = [];
    before(async () => {
      // A fresh contact so these tests see only their own requests.
      const res = await server.call('PUT', '/reviews/v2/store/orders', {
        orders: [{ id: 'q-order', number: 7001, contact: { email: 'query@example.com', name: 'Q' }, items: [{ catalogItemId: 'p-a' }, { catalogItemId: 'p-b' }] }],
      }, owner);
      const contactId = res.body.results[0].item.contactId;
      const made = [
        await create({ order: { id: 'q-order' }, recipient: { contactId }, sendDate: '2031-07-03T00:00:00Z' }),
        await create({ items: [{ catalogItemId: 'p-c' }], recipient: { contactId }, sendDate: '2031-07-01T00:00:00Z' }),
        await create({ items: [{ catalogItemId: 'p-a' }, { catalogItemId: 'p-c' }], recipient: { contactId }, sendDate: '2031-07-02T00:00:00Z' }, { headers: { 'X-Storefront-App-Id': 'q-app' } }),
        await create({ order: { id: 'q-order' }, items: [{ catalogItemId: 'p-b' }], recipient: { contactId }, sendDate: '2031-07-04T00:00:00Z', automationActivationId: 'q-auto' }),
      ];
      ids = made.map((r) => r.id);
      queryContact = contactId;
    });
    let queryContact = '';

    async function query(body: unknown) {
      const res = await server.call('POST', `${R}/query`, body, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    }
    const mine = (filter: Record<string, unknown> = {}) => ({ $and: [{ 'recipient.contactId': queryContact }, filter] });
    const idsOf = (body: any) => body.reviewRequests.map((r: any) => ids.indexOf(r.id));

    it('sorts by createdDate ascending by default, with the Wix paging metadata', async () => {
      const body = await query({ query: { filter: mine() } });
      assert.deepEqual(idsOf(body), [0, 1, 2, 3]);
      assert.deepEqual(body.pagingMetadata, { count: 4, cursors: {}, hasNext: false });
    });

    it('filters by every field of the §8 table', async () => {
      const cases: [Record<string, unknown>, number[]][] = [
        [{ 'items.catalogItemId': 'p-c' }, [1, 2]],
        [{ 'items.catalogItemId': { $eq: 'p-a' } }, [0, 2]],
        [{ 'items.catalogItemId': { $ne: 'p-a' } }, [1, 3]],
        [{ 'items.catalogItemId': { $in: ['p-b', 'p-c'] } }, [0, 1, 2, 3]],
        [{ 'items.catalogItemId': { $nin: ['p-b'] } }, [1, 2]],
        [{ 'items.catalogItemId': { $hasSome: ['p-b', 'zzz'] } }, [0, 3]],
        [{ 'items.catalogItemId': { $hasAll: ['p-a', 'p-c'] } }, [2]],
        [{ 'items.reviewId': { $exists: false } }, [0, 1, 2, 3]],
        [{ 'items.reviewId': { $exists: true } }, []],
        [{ 'order.id': 'q-order' }, [0, 3]],
        [{ 'order.id': { $exists: false } }, [1, 2]],
        [{ 'order.id': { $ne: 'q-order' } }, [1, 2]],
        [{ 'order.id': { $nin: ['q-order'] } }, [1, 2]],
        [{ automationActivationId: { $exists: true } }, [3]],
        [{ automationActivationId: 'q-auto' }, [3]],
        [{ 'requestedBy.identityType': 'APP' }, [2]],
        [{ 'requestedBy.appId': 'q-app' }, [2]],
        [{ 'requestedBy.wixUserId': { $ne: 'owner' } }, [2]],
        [{ sendDate: { $gte: '2031-07-02T00:00:00Z', $lt: '2031-07-04T00:00:00Z' } }, [0, 2]],
        [{ status: { $in: ['SCHEDULED'] } }, [0, 1, 2, 3]],
        [{ status: { $ne: 'SCHEDULED' } }, []],
        [{ namespace: 'stores', communicationChannel: 'EMAIL' }, [0, 1, 2, 3]],
        [{ id: { $in: [ids[1], ids[3]] } }, [1, 3]],
        [{ $or: [{ 'order.id': { $exists: false } }, { automationActivationId: 'q-auto' }] }, [1, 2, 3]],
      ];
      for (const [filter, expected] of cases) {
        const body = await query({ query: { filter: mine(filter) } });
        assert.deepEqual(idsOf(body), expected, JSON.stringify(filter));
        const count = await server.call('POST', `${R}/count`, { filter: mine(filter) }, owner);
        assert.deepEqual(count.body, { count: expected.length }, JSON.stringify(filter));
      }
    });

    it('sorts by sendDate, createdDate and status', async () => {
      assert.deepEqual(idsOf(await query({ query: { filter: mine(), sort: [{ fieldName: 'sendDate' }] } })), [1, 2, 0, 3]);
      assert.deepEqual(idsOf(await query({ query: { filter: mine(), sort: [{ fieldName: 'sendDate', order: 'DESC' }] } })), [3, 0, 2, 1]);
      assert.deepEqual(idsOf(await query({ query: { filter: mine(), sort: [{ fieldName: 'createdDate', order: 'DESC' }] } })), [3, 2, 1, 0]);
      assert.deepEqual(idsOf(await query({ query: { filter: mine(), sort: [{ fieldName: 'status' }, { fieldName: 'sendDate', order: 'DESC' }] } })), [3, 0, 2, 1]);
    });

    it('pages with cursors both ways', async () => {
      const first = await query({ query: { filter: mine(), sort: [{ fieldName: 'sendDate' }], cursorPaging: { limit: 3 } } });
      assert.deepEqual(idsOf(first), [1, 2, 0]);
      assert.equal(first.pagingMetadata.hasNext, true);
      const second = await query({ query: { cursorPaging: { cursor: first.pagingMetadata.cursors.next } } });
      assert.deepEqual(idsOf(second), [3]);
      assert.equal(second.pagingMetadata.hasNext, false);
      const back = await query({ query: { cursorPaging: { cursor: second.pagingMetadata.cursors.prev } } });
      assert.deepEqual(idsOf(back), [1, 2, 0]);
    });

    it('refuses unknown fields, unsupported operators, bad values and tampered cursors', async () => {
      const bad = async (body: unknown, field: string) => {
        const res = await server.call('POST', `${R}/query`, body, owner);
        assertViolation(res, field);
      };
      await bad({ query: { filter: { rating: 5 } } }, 'query.filter.rating');
      await bad({ query: { filter: { status: { $gt: 'SENT' } } } }, 'query.filter.status.$gt');
      await bad({ query: { filter: { status: 'DONE' } } }, 'query.filter.status.$eq');
      await bad({ query: { filter: { 'items.catalogItemId': { $exists: true } } } }, 'query.filter.items.catalogItemId.$exists');
      await bad({ query: { filter: { 'order.id': { $exists: 'yes' } } } }, 'query.filter.order.id.$exists');
      await bad({ query: { filter: { 'items.catalogItemId': { $hasSome: 'p-a' } } } }, 'query.filter.items.catalogItemId.$hasSome');
      await bad({ query: { sort: [{ fieldName: 'recipient.contactId' }] } }, 'query.sort[0].fieldName');
      await bad({ query: { cursorPaging: { cursor: 'not-a-cursor' } } }, 'query.cursorPaging.cursor');
      await bad({ query: { cursorPaging: { limit: 101 } } }, 'query.cursorPaging.limit');
      const count = await server.call('POST', `${R}/count`, { filter: { nope: 1 } }, owner);
      assertViolation(count, 'filter.nope');
    });

    it('counts everything without a filter; both routes are owner only', async () => {
      const all = await server.call('POST', `${R}/count`, undefined, owner);
      const listed = await query({ query: { cursorPaging: { limit: 100 } } });
      assert.equal(all.body.count, listed.reviewRequests.length);
      assertAppError(await server.call('POST', `${R}/query`, {}), 401, 'UNAUTHENTICATED');
      assertAppError(await server.call('POST', `${R}/count`, {}), 401, 'UNAUTHENTICATED');
    });
  });

  describe('Bulk Cancel and Delete', () => {
    it('cancels the SCHEDULED requests matching the filter and says how many', async () => {
      const a = await create({ order: { id: 'small' }, recipient: { contactId: grace }, sendDate: '2031-09-01T00:00:00Z' });
      const b = await create({ order: { id: 'small' }, items: [{ catalogItemId: 'p-a' }], recipient: { contactId: grace }, sendDate: '2031-09-01T00:00:00Z' });
      // A request that has gone out is not canceled.
      const sent = await create({ order: { id: 'small' }, items: [{ catalogItemId: 'p-b' }], recipient: { contactId: grace } });
      const pass = await server.call('POST', `${R}/send-due`, {}, owner);
      assert.ok(pass.body.reviewRequests.some((r: any) => r.id === sent.id && r.status === 'SENT'), JSON.stringify(pass.body));
      tick();
      const res = await server.call('PUT', '/reviews/v2/bulk/review-requests/cancel-by-filter', { filter: { 'order.id': 'small' } }, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(res.body.jobId, UUID);
      assert.equal(res.body.affected, 2);
      for (const r of [a, b]) {
        const got = (await server.call('GET', `${R}/${r.id}`, undefined, owner)).body.reviewRequest;
        assert.equal(got.status, 'CANCELED');
        assert.equal(got.revision, '2');
        assert.equal(got.updatedDate, now.toISOString());
        assert.equal('sentOptions' in got || 'failedOptions' in got, false);
      }
      assert.equal((await server.call('GET', `${R}/${sent.id}`, undefined, owner)).body.reviewRequest.status, 'SENT');
      const again = await server.call('PUT', '/reviews/v2/bulk/review-requests/cancel-by-filter', { filter: { 'order.id': 'small' } }, owner);
      assert.equal(again.body.affected, 0);
    });

    it('needs a non-empty, valid filter and the owner key', async () => {
      const path = '/reviews/v2/bulk/review-requests/cancel-by-filter';
      assertViolation(await server.call('PUT', path, { filter: {} }, owner), 'filter');
      assertViolation(await server.call('PUT', path, {}, owner), 'filter', 'REQUIRED_FIELD');
      assertViolation(await server.call('PUT', path, { filter: { colour: 'red' } }, owner), 'filter.colour');
      assertAppError(await server.call('PUT', path, { filter: { namespace: 'stores' } }), 401, 'UNAUTHENTICATED');
    });

    it('deletes only CANCELED requests', async () => {
      const r = await create({ items: [{ catalogItemId: 'p-g' }], recipient: { contactId: ada }, sendDate: '2032-01-01T00:00:00Z' });
      const refused = await server.call('DELETE', `${R}/${r.id}`, undefined, owner);
      assertAppError(refused, 428, 'REVIEW_REQUEST_NOT_CANCELED');
      assert.match(refused.body.message, /Only a CANCELED review request can be deleted; this one is SCHEDULED/);
      assertAppError(await server.call('DELETE', `${R}/${r.id}`), 401, 'UNAUTHENTICATED');
      await server.call('PUT', '/reviews/v2/bulk/review-requests/cancel-by-filter', { filter: { id: r.id } }, owner);
      const deleted = await server.call('DELETE', `${R}/${r.id}`, undefined, owner);
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, {});
      assertAppError(await server.call('GET', `${R}/${r.id}`, undefined, owner), 404, 'NOT_FOUND');
      assertAppError(await server.call('DELETE', `${R}/${r.id}`, undefined, owner), 404, 'NOT_FOUND');
    });

    it('refuses to delete a SENT request', async () => {
      const r = await create({ items: [{ catalogItemId: 'p-d' }], recipient: { contactId: ada } });
      await server.call('POST', `${R}/send-due`, {}, owner);
      assert.equal((await server.call('GET', `${R}/${r.id}`, undefined, owner)).body.reviewRequest.status, 'SENT');
      const res = await server.call('DELETE', `${R}/${r.id}`, undefined, owner);
      assertAppError(res, 428, 'REVIEW_REQUEST_NOT_CANCELED');
      assert.deepEqual(res.body.details.applicationError.data, { status: 'SENT' });
    });
  });
});
