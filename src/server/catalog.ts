/**
 * The store's catalog and orders (our extension): what Review Requests pick items from
 * and send to. Products and orders are bulk-upserted by the owner (or by the import
 * command, through `upsertProducts` / `upsertOrders`); each item is validated and written
 * on its own, so one bad item is reported with its index and the rest are stored.
 *
 * Owner routes (all need the owner API key):
 * - `PUT /reviews/v2/store/products` `{products: [Product, ...]}` (1-1000) → bulk result
 * - `GET /reviews/v2/store/products?limit=&cursor=` → `{products, pagingMetadata}` (by id)
 * - `GET /reviews/v2/store/products/{id}` → `{product}`; `DELETE` → `{}`
 * - `PUT /reviews/v2/store/orders` `{orders: [Order, ...]}` (1-1000) → bulk result
 * - `GET /reviews/v2/store/orders?limit=&cursor=&contactId=` → `{orders, pagingMetadata}`
 *   (newest first)
 * - `GET /reviews/v2/store/orders/{id}` → `{order}`; `DELETE` → `{}`
 *
 * Product: `{id, name, price: {amount: "12.50", currency: "EUR"}, imageUrl?, url?}`; the id
 * is the reviews' `entityId`. Order: `{id, number, contact: {email, name?}, items:
 * [{catalogItemId, quantity?, price?}], createdDate?}`; the contact is found or created by
 * e-mail and returned as `contactId`; every item must name a product already in the
 * catalog, and keeps the unit price paid (default: the product's price at upsert).
 *
 * Bulk result (the Wix bulk shape): `{results: [{itemMetadata: {id?, originalIndex,
 * success, error?: {code, description, data?}}, item?}], bulkActionMetadata:
 * {totalSuccesses, totalFailures, undetailedFailures}}`.
 */
import { Hono, type Context } from 'hono';
import { safeParse } from 'zod/mini';
import {
  OrderInputSchema,
  ProductInputSchema,
  UpsertOrdersRequestSchema,
  UpsertProductsRequestSchema,
  type OrderInput,
  type Price,
  type ProductInput,
} from '../api/review-requests.js';
import type { Db, Queryable } from './db.js';
import { ApiError, fieldError, invalid, notFound } from './errors.js';
import { jsonLimit, readJson, requireOwner, type Env } from './http.js';
import { contactForEmail } from './reviews.js';

export { OrderInputSchema, ProductInputSchema };

/** A catalog product as the API returns it. */
export interface Product {
  id: string;
  name: string;
  price: Price;
  imageUrl?: string;
  url?: string;
  createdDate: string;
  updatedDate: string;
}

/** An order as the API returns it. */
export interface Order {
  id: string;
  number: string;
  contactId: string;
  contact: { email: string | null; name: string | null };
  items: { catalogItemId: string; quantity: number; price: Price }[];
  createdDate: string;
  updatedDate: string;
}

/** One item's outcome in a bulk upsert. */
export interface BulkItemResult<T> {
  itemMetadata: {
    id?: string;
    originalIndex: number;
    success: boolean;
    error?: { code: string; description: string; data?: unknown };
  };
  item?: T;
}

/** Result of a bulk upsert: one entry per input item, in input order. */
export interface BulkResult<T = Product | Order> {
  results: BulkItemResult<T>[];
  bulkActionMetadata: { totalSuccesses: number; totalFailures: number; undetailedFailures: number };
}

export interface CatalogOptions {
  /** The current time (tests pass a fake clock). */
  clock?: () => Date;
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

interface ProductRow {
  id: string;
  name: string;
  price_amount: string;
  price_currency: string;
  image_url: string | null;
  url: string | null;
  created_date: Date | string;
  updated_date: Date | string;
}

interface OrderRow {
  id: string;
  number: string;
  contact_id: string;
  email: string | null;
  name: string | null;
  created_date: Date | string;
  updated_date: Date | string;
}

interface OrderItemRow {
  order_id: string;
  catalog_item_id: string;
  quantity: number;
  price_amount: string;
  price_currency: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

const PRODUCT_COLUMNS = 'id, name, price_amount::text AS price_amount, price_currency, image_url, url, created_date, updated_date';

/** Serialises a product row. */
export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    price: { amount: String(row.price_amount), currency: row.price_currency },
    ...(row.image_url ? { imageUrl: row.image_url } : {}),
    ...(row.url ? { url: row.url } : {}),
    createdDate: iso(row.created_date),
    updatedDate: iso(row.updated_date),
  };
}

function toOrder(row: OrderRow, items: readonly OrderItemRow[]): Order {
  return {
    id: row.id,
    number: row.number,
    contactId: row.contact_id,
    contact: { email: row.email, name: row.name },
    items: items.map((i) => ({
      catalogItemId: i.catalog_item_id,
      quantity: Number(i.quantity),
      price: { amount: String(i.price_amount), currency: i.price_currency },
    })),
    createdDate: iso(row.created_date),
    updatedDate: iso(row.updated_date),
  };
}

// ---------------------------------------------------------------------------
// Bulk upserts
// ---------------------------------------------------------------------------

/**
 * Inserts or replaces products (by id). Each item is validated with `ProductInputSchema`
 * and written on its own: a bad item becomes a failed result (index and reason), the
 * others are stored. An existing product keeps its createdDate.
 */
export async function upsertProducts(db: Db, products: unknown[], options: CatalogOptions = {}): Promise<BulkResult<Product>> {
  return bulk(products, 'products', async (raw, path) => {
    const parsed = safeParse(ProductInputSchema, raw, { reportInput: true });
    if (!parsed.success) throw invalid(parsed.error.issues, path);
    const product = await writeProduct(db, parsed.data, options.clock?.() ?? new Date());
    return { id: product.id, item: product };
  });
}

/** Writes one validated product. */
export async function writeProduct(db: Queryable, p: ProductInput, now: Date): Promise<Product> {
  const { rows } = await db.query<ProductRow>(
    `INSERT INTO products (id, name, price_amount, price_currency, image_url, url, created_date, updated_date)
     VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, $7)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, price_amount = excluded.price_amount,
       price_currency = excluded.price_currency, image_url = excluded.image_url, url = excluded.url,
       updated_date = excluded.updated_date
     RETURNING ${PRODUCT_COLUMNS}`,
    [p.id, p.name, p.price.amount, p.price.currency, p.imageUrl ?? null, p.url ?? null, now],
  );
  return toProduct(rows[0]!);
}

/**
 * Inserts or replaces orders (by id), each in its own transaction: the buyer's contact is
 * found or created by e-mail (`contactId` in the result), the items are replaced. Every
 * item must name a product in the catalog; an item without a price takes the product's.
 * Bad items are reported with their index and reason; the others are stored.
 */
export async function upsertOrders(db: Db, orders: unknown[], options: CatalogOptions = {}): Promise<BulkResult<Order>> {
  return bulk(orders, 'orders', async (raw, path) => {
    const parsed = safeParse(OrderInputSchema, raw, { reportInput: true });
    if (!parsed.success) throw invalid(parsed.error.issues, path);
    const order = await db.transaction((tx) => writeOrder(tx, parsed.data, options.clock?.() ?? new Date(), path));
    return { id: order.id, item: order };
  });
}

/** Writes one validated order inside the caller's transaction. */
export async function writeOrder(tx: Queryable, o: OrderInput, now: Date, path = 'order'): Promise<Order> {
  const ids = [...new Set(o.items.map((i) => i.catalogItemId))];
  const { rows: known } = await tx.query<{ id: string; price_amount: string; price_currency: string }>(
    'SELECT id, price_amount::text AS price_amount, price_currency FROM products WHERE id = ANY($1::text[])',
    [ids],
  );
  const byId = new Map(known.map((p) => [p.id, p]));
  const missing = o.items.findIndex((i) => !byId.has(i.catalogItemId));
  if (missing >= 0) {
    const id = o.items[missing]!.catalogItemId;
    throw new ApiError(
      428,
      `${path}.items[${missing}].catalogItemId "${id}" is not in the catalog: upsert the product first (PUT /reviews/v2/store/products)`,
      'PRODUCT_NOT_FOUND',
      undefined,
      { catalogItemId: id, field: `${path}.items[${missing}].catalogItemId` },
    );
  }
  const contactId = await contactForEmail(tx, o.contact.email, o.contact.name ?? undefined);
  const created = o.createdDate ? new Date(o.createdDate) : now;
  const { rows } = await tx.query<{ created_date: Date | string }>(
    `INSERT INTO orders (id, number, contact_id, created_date, updated_date) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET number = excluded.number, contact_id = excluded.contact_id,
       created_date = CASE WHEN $6 THEN excluded.created_date ELSE orders.created_date END,
       updated_date = excluded.updated_date
     RETURNING created_date`,
    [o.id, String(o.number), contactId, created, now, o.createdDate != null],
  );
  await tx.query('DELETE FROM order_items WHERE order_id = $1', [o.id]);
  const items = o.items.map((i) => {
    const product = byId.get(i.catalogItemId)!;
    return {
      catalogItemId: i.catalogItemId,
      quantity: i.quantity ?? 1,
      price: i.price ? { amount: i.price.amount, currency: i.price.currency } : { amount: product.price_amount, currency: product.price_currency },
    };
  });
  if (items.length) {
    await tx.query(
      `INSERT INTO order_items (order_id, position, catalog_item_id, quantity, price_amount, price_currency)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::numeric[], $6::text[])`,
      [o.id, items.map((_, i) => i), items.map((i) => i.catalogItemId), items.map((i) => i.quantity), items.map((i) => i.price.amount), items.map((i) => i.price.currency)],
    );
  }
  const contact = await tx.query<{ email: string | null; name: string | null }>('SELECT email, name FROM contacts WHERE id = $1', [contactId]);
  return {
    id: o.id,
    number: String(o.number),
    contactId,
    contact: { email: contact.rows[0]?.email ?? null, name: contact.rows[0]?.name ?? null },
    items,
    createdDate: iso(rows[0]!.created_date),
    updatedDate: now.toISOString(),
  };
}

async function bulk<T>(
  items: readonly unknown[],
  field: string,
  write: (raw: unknown, path: string) => Promise<{ id: string; item: T }>,
): Promise<BulkResult<T>> {
  const results: BulkItemResult<T>[] = [];
  let ok = 0;
  for (const [i, raw] of items.entries()) {
    try {
      const { id, item } = await write(raw, `${field}[${i}]`);
      ok++;
      results.push({ itemMetadata: { id, originalIndex: i, success: true }, item });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const data = err.violations ? { fieldViolations: err.violations } : err.data;
      results.push({
        itemMetadata: {
          ...(isRecord(raw) && typeof raw.id === 'string' ? { id: raw.id } : {}),
          originalIndex: i,
          success: false,
          error: { code: err.code, description: err.message, ...(data === undefined ? {} : { data }) },
        },
      });
    }
  }
  return { results, bulkActionMetadata: { totalSuccesses: ok, totalFailures: results.length - ok, undetailedFailures: 0 } };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

/** Products by id (those that exist). */
export async function productsById(db: Queryable, ids: readonly string[]): Promise<Map<string, Product>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, toProduct(r)]));
}

export async function getProduct(db: Queryable, id: string): Promise<Product> {
  const found = (await productsById(db, [id])).get(id);
  if (!found) throw notFound(`Product ${id}`);
  return found;
}

/** An order with its items, or null. */
export async function findOrder(db: Queryable, id: string): Promise<Order | null> {
  return (await loadOrders(db, 'o.id = $1', [id], 'o.id', 1))[0] ?? null;
}

async function loadOrders(db: Queryable, where: string, params: unknown[], orderBy: string, limit: number): Promise<Order[]> {
  const { rows } = await db.query<OrderRow>(
    `SELECT o.id, o.number, o.contact_id, c.email, c.name, o.created_date, o.updated_date
     FROM orders o LEFT JOIN contacts c ON c.id = o.contact_id WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit}`,
    params,
  );
  if (rows.length === 0) return [];
  const { rows: items } = await db.query<OrderItemRow>(
    `SELECT order_id, catalog_item_id, quantity, price_amount::text AS price_amount, price_currency
     FROM order_items WHERE order_id = ANY($1::text[]) ORDER BY order_id, position`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => toOrder(r, items.filter((i) => i.order_id === r.id)));
}

/** Reads `?limit=` (1-100, default `fallback`) with a 400 naming the parameter. */
export function pageLimit(c: Context, fallback = 50): number {
  const raw = c.req.query('limit');
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) throw fieldError('limit', 'must be an integer from 1 to 100');
  return Number(raw);
}

function encodeKey(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeKey(cursor: string | undefined, size: number): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === size && v.every((s) => typeof s === 'string' && s.length <= 200 && !s.includes('\u0000'))) {
      return v as string[];
    }
  } catch {
    /* fall through */
  }
  throw fieldError('cursor', 'is not a cursor this server issued (or it was altered)');
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

/** The owner's catalog and order routes, under `/reviews/v2/store`. */
export function catalogRoutes(options: { db: Db; clock?: () => Date }): Hono<Env> {
  const { db } = options;
  const app = new Hono<Env>();
  app.use('/reviews/v2/store/*', async (c, next) => {
    requireOwner(c);
    await next();
  });

  app.put('/reviews/v2/store/products', jsonLimit, async (c) => {
    const body = await readJson(c, UpsertProductsRequestSchema);
    return c.json(await upsertProducts(db, body.products, options));
  });

  app.get('/reviews/v2/store/products', async (c) => {
    const limit = pageLimit(c);
    const after = decodeKey(c.req.query('cursor'), 1);
    const { rows } = await db.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM products ${after ? 'WHERE id > $1' : ''} ORDER BY id LIMIT ${limit + 1}`,
      after ? after : [],
    );
    const page = rows.slice(0, limit);
    const hasNext = rows.length > limit;
    return c.json({
      products: page.map(toProduct),
      pagingMetadata: { count: page.length, cursors: hasNext ? { next: encodeKey([page.at(-1)!.id]) } : {}, hasNext },
    });
  });

  app.get('/reviews/v2/store/products/:id', async (c) => c.json({ product: await getProduct(db, c.req.param('id')) }));

  app.delete('/reviews/v2/store/products/:id', async (c) => {
    const { rowCount } = await db.query('DELETE FROM products WHERE id = $1', [c.req.param('id')]);
    if (rowCount === 0) throw notFound(`Product ${c.req.param('id')}`);
    return c.json({});
  });

  app.put('/reviews/v2/store/orders', jsonLimit, async (c) => {
    const body = await readJson(c, UpsertOrdersRequestSchema);
    return c.json(await upsertOrders(db, body.orders, options));
  });

  app.get('/reviews/v2/store/orders', async (c) => {
    const limit = pageLimit(c);
    const after = decodeKey(c.req.query('cursor'), 2);
    if (after && !ISO_MS.test(after[0]!)) throw fieldError('cursor', 'is not a cursor this server issued (or it was altered)');
    const contactId = c.req.query('contactId');
    const params: unknown[] = [];
    const where: string[] = [];
    if (contactId) {
      params.push(contactId);
      where.push(`o.contact_id = $${params.length}`);
    }
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(o.created_date, o.id) < ($${params.length - 1}::timestamptz, $${params.length}::text)`);
    }
    const orders = await loadOrders(db, where.join(' AND ') || 'TRUE', params, 'o.created_date DESC, o.id DESC', limit + 1);
    const page = orders.slice(0, limit);
    const hasNext = orders.length > limit;
    const last = page.at(-1);
    return c.json({
      orders: page,
      pagingMetadata: { count: page.length, cursors: hasNext && last ? { next: encodeKey([last.createdDate, last.id]) } : {}, hasNext },
    });
  });

  app.get('/reviews/v2/store/orders/:id', async (c) => {
    const order = await findOrder(db, c.req.param('id'));
    if (!order) throw notFound(`Order ${c.req.param('id')}`);
    return c.json({ order });
  });

  app.delete('/reviews/v2/store/orders/:id', async (c) => {
    const { rowCount } = await db.query('DELETE FROM orders WHERE id = $1', [c.req.param('id')]);
    if (rowCount === 0) throw notFound(`Order ${c.req.param('id')}`);
    return c.json({});
  });

  return app;
}
