/**
 * The store catalog and orders (extension, `/reviews/v2/store`): bulk upserts with
 * per-item results and errors, list / get / delete, the owner key on every route, and the
 * `upsertProducts` / `upsertOrders` functions the import command calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { upsertOrders, upsertProducts } from '../../src/server/catalog.js';
import { startTestServer, type TestServer } from './helpers.js';

const owner = { owner: true };
const P = '/reviews/v2/store';

describe('store catalog and orders', () => {
  let server: TestServer;
  let now = new Date('2031-03-01T10:00:00.000Z');
  before(async () => {
    server = await startTestServer({ clock: () => now, schedulerIntervalMs: 0 });
  });
  after(() => server.close());

  const product = (id: string, amount = '10.00', extra: Record<string, unknown> = {}) => ({
    id,
    name: `Product ${id}`,
    price: { amount, currency: 'EUR' },
    ...extra,
  });

  describe('products', () => {
    it('bulk upserts products and reports each one in input order', async () => {
      const res = await server.call('PUT', `${P}/products`, {
        products: [
          product('cat-a', '12.50', { imageUrl: 'https://img.example/a.png', url: 'https://shop.example/a' }),
          product('cat-b', '7'),
        ],
      }, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.bulkActionMetadata, { totalSuccesses: 2, totalFailures: 0, undetailedFailures: 0 });
      assert.deepEqual(res.body.results.map((r: any) => r.itemMetadata), [
        { id: 'cat-a', originalIndex: 0, success: true },
        { id: 'cat-b', originalIndex: 1, success: true },
      ]);
      assert.deepEqual(res.body.results[0].item, {
        id: 'cat-a',
        name: 'Product cat-a',
        price: { amount: '12.50', currency: 'EUR' },
        imageUrl: 'https://img.example/a.png',
        url: 'https://shop.example/a',
        createdDate: now.toISOString(),
        updatedDate: now.toISOString(),
      });
      // The amount keeps the scale it was given.
      assert.deepEqual(res.body.results[1].item.price, { amount: '7', currency: 'EUR' });
      assert.equal('imageUrl' in res.body.results[1].item, false);
    });

    it('reports bad items with their index and reason and stores the rest', async () => {
      const res = await server.call('PUT', `${P}/products`, {
        products: [
          product('cat-c'),
          { id: 'cat-d', name: '', price: { amount: '-1', currency: 'eur' } },
          'not an object',
          product('cat-e', '1.5', { imageUrl: 'javascript:alert(1)' }),
          { ...product('cat-f'), color: 'red' },
          product('x'.repeat(37)),
        ],
      }, owner);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.bulkActionMetadata, { totalSuccesses: 1, totalFailures: 5, undetailedFailures: 0 });
      const meta = res.body.results.map((r: any) => r.itemMetadata);
      assert.deepEqual(meta.map((m: any) => [m.originalIndex, m.success]), [[0, true], [1, false], [2, false], [3, false], [4, false], [5, false]]);
      const fields = (i: number) => meta[i].error.data.fieldViolations.map((v: any) => v.field);
      assert.deepEqual(fields(1), ['products[1].name', 'products[1].price.amount', 'products[1].price.currency']);
      assert.equal(meta[1].id, 'cat-d');
      assert.match(meta[1].error.description, /products\[1\]/);
      assert.equal(meta[1].error.code, 'INVALID_ARGUMENT');
      assert.deepEqual(fields(2), ['products[2]']);
      assert.deepEqual(fields(3), ['products[3].imageUrl']);
      assert.deepEqual(fields(4), ['products[4]']);
      assert.match(meta[4].error.description, /unknown field: color/);
      assert.deepEqual(fields(5), ['products[5].id']);
      assert.equal((await server.call('GET', `${P}/products/cat-c`, undefined, owner)).status, 200);
      assert.equal((await server.call('GET', `${P}/products/cat-d`, undefined, owner)).status, 404);
    });

    it('replaces an existing product but keeps its creation date', async () => {
      const created = now.toISOString();
      now = new Date('2031-03-02T10:00:00.000Z');
      const res = await server.call('PUT', `${P}/products`, { products: [product('cat-a', '15.00')] }, owner);
      assert.equal(res.body.bulkActionMetadata.totalSuccesses, 1);
      const got = await server.call('GET', `${P}/products/cat-a`, undefined, owner);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.product, {
        id: 'cat-a',
        name: 'Product cat-a',
        price: { amount: '15.00', currency: 'EUR' },
        createdDate: created,
        updatedDate: now.toISOString(),
      });
    });

    it('lists products by id, a page at a time', async () => {
      const ids: string[] = [];
      let cursor = '';
      for (let page = 0; page < 10; page++) {
        const res = await server.call('GET', `${P}/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, owner);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.products.length <= 2);
        assert.equal(res.body.pagingMetadata.count, res.body.products.length);
        ids.push(...res.body.products.map((p: any) => p.id));
        if (!res.body.pagingMetadata.hasNext) break;
        cursor = res.body.pagingMetadata.cursors.next;
      }
      assert.deepEqual(ids, ['cat-a', 'cat-b', 'cat-c']);
      for (const bad of ['limit=0', 'limit=101', 'limit=x', 'cursor=nonsense']) {
        const res = await server.call('GET', `${P}/products?${bad}`, undefined, owner);
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, bad.split('=')[0]);
      }
    });

    it('deletes a product (404 once gone)', async () => {
      await server.call('PUT', `${P}/products`, { products: [product('cat-gone')] }, owner);
      assert.deepEqual((await server.call('DELETE', `${P}/products/cat-gone`, undefined, owner)).body, {});
      assert.equal((await server.call('DELETE', `${P}/products/cat-gone`, undefined, owner)).status, 404);
      const res = await server.call('GET', `${P}/products/cat-gone`, undefined, owner);
      assert.equal(res.status, 404);
      assert.equal(res.body.details.applicationError.code, 'NOT_FOUND');
    });

    it('refuses empty and oversized batches', async () => {
      assert.equal((await server.call('PUT', `${P}/products`, { products: [] }, owner)).status, 400);
      assert.equal((await server.call('PUT', `${P}/products`, {}, owner)).status, 400);
      const many = Array.from({ length: 1001 }, (_, i) => product(`n${i}`));
      const res = await server.call('PUT', `${P}/products`, { products: many }, owner);
      assert.equal(res.status, 400);
      assert.equal(res.body.details.validationError.fieldViolations[0].field, 'products');
    });
  });

  describe('orders', () => {
    let contactId = '';

    it('bulk upserts orders: finds or creates the buyer by e-mail and snapshots prices', async () => {
      const res = await server.call('PUT', `${P}/orders`, {
        orders: [
          {
            id: 'ord-1',
            number: 10042,
            contact: { email: 'Ada.Lovelace@Example.com', name: 'Ada Lovelace' },
            items: [{ catalogItemId: 'cat-a', quantity: 2 }, { catalogItemId: 'cat-b', price: { amount: '6.99', currency: 'EUR' } }],
            createdDate: '2031-02-20T08:00:00Z',
          },
          { id: 'ord-2', number: 'A-7', contact: { email: 'ada.lovelace@example.com' }, items: [{ catalogItemId: 'cat-c' }] },
        ],
      }, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.bulkActionMetadata.totalSuccesses, 2);
      const [first, second] = res.body.results.map((r: any) => r.item);
      contactId = first.contactId;
      assert.match(contactId, /^[0-9a-f-]{36}$/);
      assert.equal(second.contactId, contactId, 'the same e-mail (any case) is the same contact');
      assert.deepEqual(first, {
        id: 'ord-1',
        number: '10042',
        contactId,
        contact: { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' },
        items: [
          { catalogItemId: 'cat-a', quantity: 2, price: { amount: '15.00', currency: 'EUR' } },
          { catalogItemId: 'cat-b', quantity: 1, price: { amount: '6.99', currency: 'EUR' } },
        ],
        createdDate: '2031-02-20T08:00:00.000Z',
        updatedDate: now.toISOString(),
      });
      assert.equal(second.createdDate, now.toISOString(), 'createdDate defaults to now');
      // The buyer can now be the author of reviews: the contact exists.
      const review = await server.call('POST', '/reviews/v1/reviews', {
        review: { namespace: 'stores', entityId: 'cat-a', author: { contactId }, content: { rating: 4 } },
      }, owner);
      assert.equal(review.status, 200);
    });

    it('reports unknown products and bad fields per order and stores the rest', async () => {
      const res = await server.call('PUT', `${P}/orders`, {
        orders: [
          { id: 'ord-3', number: 1, contact: { email: 'x@example.com' }, items: [{ catalogItemId: 'cat-a' }, { catalogItemId: 'nope' }] },
          { id: 'ord-4', number: 2, contact: { email: 'not-an-email' }, items: [{ catalogItemId: 'cat-a', quantity: 0 }] },
          { id: 'ord-5', number: 3, contact: { email: 'y@example.com' }, items: [] },
          { number: 4, contact: { email: 'z@example.com' }, items: [] },
        ],
      }, owner);
      assert.equal(res.status, 200);
      const meta = res.body.results.map((r: any) => r.itemMetadata);
      assert.deepEqual(meta.map((m: any) => m.success), [false, false, true, false]);
      assert.equal(meta[0].error.code, 'PRODUCT_NOT_FOUND');
      assert.match(meta[0].error.description, /orders\[0\]\.items\[1\]\.catalogItemId "nope" is not in the catalog/);
      assert.deepEqual(meta[0].error.data, { catalogItemId: 'nope', field: 'orders[0].items[1].catalogItemId' });
      assert.deepEqual(meta[1].error.data.fieldViolations.map((v: any) => v.field), ['orders[1].contact.email', 'orders[1].items.0.quantity']);
      assert.deepEqual(meta[3].error.data.fieldViolations.map((v: any) => [v.field, v.ruleName]), [['orders[3].id', 'REQUIRED_FIELD']]);
      assert.equal((await server.call('GET', `${P}/orders/ord-3`, undefined, owner)).status, 404, 'a refused order leaves nothing behind');
      const { rows } = await server.db.query(`SELECT 1 FROM contacts WHERE email = 'x@example.com'`);
      assert.equal(rows.length, 0, 'nor a new contact');
    });

    it('replaces an order and its items', async () => {
      const res = await server.call('PUT', `${P}/orders`, {
        orders: [{ id: 'ord-2', number: 'A-7', contact: { email: 'grace@example.com', name: 'Grace' }, items: [{ catalogItemId: 'cat-b', quantity: 3 }] }],
      }, owner);
      assert.equal(res.body.bulkActionMetadata.totalSuccesses, 1);
      const got = await server.call('GET', `${P}/orders/ord-2`, undefined, owner);
      assert.equal(got.status, 200);
      assert.notEqual(got.body.order.contactId, contactId);
      assert.deepEqual(got.body.order.contact, { email: 'grace@example.com', name: 'Grace' });
      assert.deepEqual(got.body.order.items, [{ catalogItemId: 'cat-b', quantity: 3, price: { amount: '7', currency: 'EUR' } }]);
    });

    it('lists orders newest first, by contact, a page at a time', async () => {
      const seen: string[] = [];
      let cursor = '';
      for (let page = 0; page < 10; page++) {
        const res = await server.call('GET', `${P}/orders?limit=1${cursor ? `&cursor=${cursor}` : ''}`, undefined, owner);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        seen.push(...res.body.orders.map((o: any) => o.id));
        if (!res.body.pagingMetadata.hasNext) break;
        cursor = res.body.pagingMetadata.cursors.next;
      }
      // ord-2 and ord-5 were created "now" (ties broken by id, descending), ord-1 earlier.
      assert.deepEqual(seen, ['ord-5', 'ord-2', 'ord-1']);
      const mine = await server.call('GET', `${P}/orders?contactId=${contactId}`, undefined, owner);
      assert.deepEqual(mine.body.orders.map((o: any) => o.id), ['ord-1']);
    });

    it('deletes an order', async () => {
      assert.deepEqual((await server.call('DELETE', `${P}/orders/ord-5`, undefined, owner)).body, {});
      assert.equal((await server.call('GET', `${P}/orders/ord-5`, undefined, owner)).status, 404);
      assert.equal((await server.call('DELETE', `${P}/orders/ord-5`, undefined, owner)).status, 404);
    });
  });

  describe('access', () => {
    it('needs the owner key on every route', async () => {
      for (const [method, path, body] of [
        ['PUT', `${P}/products`, { products: [product('cat-z')] }],
        ['GET', `${P}/products`],
        ['GET', `${P}/products/cat-a`],
        ['DELETE', `${P}/products/cat-a`],
        ['PUT', `${P}/orders`, { orders: [] }],
        ['GET', `${P}/orders`],
        ['GET', `${P}/orders/ord-1`],
        ['DELETE', `${P}/orders/ord-1`],
      ] as const) {
        const res = await server.call(method, path, body);
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.details.applicationError.code, 'UNAUTHENTICATED');
      }
      assert.equal((await server.call('GET', `${P}/products/cat-a`, undefined, owner)).status, 200, 'nothing was deleted');
    });
  });

  describe('upsertProducts / upsertOrders (import)', () => {
    it('validate each item and report index and reason without failing the rest', async () => {
      const products = await upsertProducts(server.db, [product('imp-1', '3.00'), { id: 'imp-2' }, null]);
      assert.deepEqual(products.bulkActionMetadata, { totalSuccesses: 1, totalFailures: 2, undetailedFailures: 0 });
      assert.deepEqual(products.results.map((r) => r.itemMetadata.originalIndex), [0, 1, 2]);
      assert.equal(products.results[0]!.item?.id, 'imp-1');
      assert.match(products.results[1]!.itemMetadata.error!.description, /products\[1\]\.name is required; products\[1\]\.price is required/);
      const orders = await upsertOrders(server.db, [
        { id: 'imp-o1', number: 5, contact: { email: 'imp@example.com' }, items: [{ catalogItemId: 'imp-1' }] },
        { id: 'imp-o2', number: 6, contact: { email: 'imp@example.com' }, items: [{ catalogItemId: 'imp-2' }] },
      ]);
      assert.deepEqual(orders.results.map((r) => r.itemMetadata.success), [true, false]);
      assert.equal(orders.results[1]!.itemMetadata.error!.code, 'PRODUCT_NOT_FOUND');
      const got = await server.call('GET', `${P}/orders/imp-o1`, undefined, owner);
      assert.deepEqual(got.body.order.items, [{ catalogItemId: 'imp-1', quantity: 1, price: { amount: '3.00', currency: 'EUR' } }]);
    });
  });
});
