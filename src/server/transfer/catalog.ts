/**
 * Import of catalog products and orders (NDJSON or CSV) through the catalog's bulk
 * upserts (`upsertProducts`, `upsertOrders` in catalog.ts). As for reviews, an existing
 * product or order (same id) wins unless `--update`; an identical one is "unchanged".
 *
 * CSV: products one per row; orders one row per item, the rows of one order consecutive
 * (grouped by `orderId`), the order's own cells (number, email, name, createdDate) on its
 * first row (later rows may repeat them or leave them empty).
 */
import { safeParse } from 'zod/mini';
import { toFieldViolations } from '../../api/schema.js';
import { OrderInputSchema, ProductInputSchema, findOrder, productsById, upsertOrders, upsertProducts, type BulkResult, type Order, type Product } from '../catalog.js';
import type { Db } from '../db.js';
import type { ImportOptions, ImportReport, RejectLog, RejectedRow } from '../transfer.js';
import { clip, formatProblems, intCell, type RowProblem } from './formats.js';
import { TransferError } from './lines.js';

/** The CSV columns of each catalog kind. */
export const CATALOG_CSV_COLUMNS = {
  products: ['id', 'name', 'price', 'currency', 'imageUrl', 'url'],
  orders: ['orderId', 'number', 'email', 'name', 'createdDate', 'catalogItemId', 'quantity', 'price', 'currency'],
} as const;

const REQUIRED = {
  products: ['id', 'name', 'price', 'currency'],
  orders: ['orderId', 'number', 'email', 'catalogItemId'],
} as const;

/** JSON paths of product / order problems, as the CSV columns they come from. */
const PRODUCT_FIELD: Record<string, string> = { 'price.amount': 'price', 'price.currency': 'currency', price: 'price' };
const ORDER_FIELD: Record<string, string> = { id: 'orderId', 'contact.email': 'email', 'contact.name': 'name', contact: 'email' };
const ITEM_FIELD: Record<string, string> = { 'price.amount': 'price', 'price.currency': 'currency', price: 'price' };

type Reject = (line: number, reason: string) => void;

interface Pending {
  /** The lines the item came from (an order in CSV: one per item row). */
  lines: number[];
  item: Record<string, unknown>;
}

/** The sink behind `importData` for products and orders. */
export async function catalogSink(
  db: Db,
  kind: 'products' | 'orders',
  options: ImportOptions,
  report: ImportReport,
  log: RejectLog,
) {
  const reject: Reject = (line, reason) => log.add(line, reason);
  const csv = options.format === 'csv';
  const batch = Math.min(options.batchSize ?? 200, 1000);
  const pending: Pending[] = [];
  let group: { id: string; lines: number[]; order: Record<string, unknown>; items: Record<string, unknown>[]; problems: { line: number; problems: RowProblem[] }[] } | null = null;
  const finishedOrders = new Map<string, number>();
  log.undecided = () => Math.min(pending[0]?.lines[0] ?? Infinity, group?.lines[0] ?? Infinity);

  const flush = async () => {
    const items = pending.splice(0);
    if (!items.length) return;
    const rejects: RejectedRow[] = [];
    await write(db, kind, items, options, report, (line, reason) => rejects.push({ line, reason }), csv);
    log.addMany(rejects);
  };
  const add = async (p: Pending) => {
    pending.push(p);
    if (pending.length >= batch) await flush();
  };
  const closeGroup = async () => {
    const g = group;
    group = null;
    if (!g) return;
    finishedOrders.set(g.id, g.lines.at(-1)!);
    if (g.problems.length) {
      const bad = new Map(g.problems.map((p) => [p.line, formatProblems(p.problems)]));
      const first = g.problems[0]!.line;
      log.addMany(g.lines.map((line) => ({ line, reason: bad.get(line) ?? `order ${JSON.stringify(g.id)} was not imported: line ${first} has an error` })));
      return;
    }
    await add({ lines: g.lines, item: { ...g.order, items: g.items } });
  };

  return {
    async add(line: number, data: Record<string, unknown>): Promise<void> {
      if (!csv) {
        await add({ lines: [line], item: data });
        return;
      }
      const row = data as Record<string, string>;
      const problems: RowProblem[] = [];
      const cell = (c: string) => (row[c] ?? '').trim();
      if (kind === 'products') {
        const product: Record<string, unknown> = { id: cell('id'), name: row.name ?? '', price: { amount: cell('price'), currency: cell('currency') } };
        if (cell('imageUrl')) product.imageUrl = cell('imageUrl');
        if (cell('url')) product.url = cell('url');
        await add({ lines: [line], item: product });
        return;
      }
      const id = cell('orderId');
      if (!id) {
        await closeGroup();
        reject(line, 'orderId is required');
        return;
      }
      if (group?.id !== id) {
        await closeGroup();
        if (finishedOrders.has(id)) {
          reject(line, `the rows of order ${JSON.stringify(clip(id))} must be consecutive (its earlier rows end on line ${finishedOrders.get(id)})`);
          return;
        }
        const order: Record<string, unknown> = { id, number: cell('number'), contact: { email: cell('email'), ...(cell('name') ? { name: cell('name') } : {}) } };
        if (cell('createdDate')) order.createdDate = cell('createdDate');
        group = { id, lines: [], order, items: [], problems: [] };
      } else {
        const contact = group.order.contact as { email: string; name?: string };
        const same: [string, string | undefined][] = [
          ['number', group.order.number as string],
          ['email', contact.email],
          ['name', contact.name],
          ['createdDate', group.order.createdDate as string | undefined],
        ];
        for (const [c, first] of same) {
          if (cell(c) && cell(c) !== (first ?? '')) problems.push({ field: c, description: `differs from the order's first row (${JSON.stringify(clip(first ?? ''))})` });
        }
      }
      group.lines.push(line);
      const item: Record<string, unknown> = { catalogItemId: cell('catalogItemId') };
      const quantity = intCell(row.quantity ?? '', 'quantity', problems);
      if (quantity !== undefined) item.quantity = quantity;
      if (cell('price') || cell('currency')) item.price = { amount: cell('price'), currency: cell('currency') };
      const itemCheck = safeParse(OrderInputSchema.shape.items.def.element, item, { reportInput: true });
      if (!itemCheck.success) {
        const known = new Set(problems.map((p) => p.field));
        for (const v of toFieldViolations(itemCheck.error.issues)) {
          const field = ITEM_FIELD[v.field] ?? v.field;
          if (!known.has(field)) problems.push({ field, description: v.description });
        }
      }
      if (problems.length) group.problems.push({ line, problems });
      group.items.push(item);
    },
    async finish(): Promise<void> {
      await closeGroup();
      await flush();
    },
  };
}

/** Checks the CSV header of a catalog kind; throws when a required column is missing. */
export function checkCatalogHeader(kind: 'products' | 'orders', names: readonly (string | null)[], line: number): void {
  const missing = REQUIRED[kind].filter((c) => !names.includes(c));
  if (missing.length) {
    throw new TransferError(`line ${line}: the header has no ${missing.map((m) => `"${m}"`).join(', ')} column${missing.length > 1 ? 's' : ''} (${kind} CSV columns: ${CATALOG_CSV_COLUMNS[kind].join(', ')})`);
  }
}

async function write(db: Db, kind: 'products' | 'orders', batch: Pending[], options: ImportOptions, report: ImportReport, reject: Reject, csv: boolean): Promise<void> {
  const clock = options.clock;
  // Validate first, so each problem is reported on its own line with the file's names.
  const valid: Pending[] = [];
  for (const p of batch) {
    const parsed = safeParse(kind === 'products' ? ProductInputSchema : OrderInputSchema, p.item, { reportInput: true });
    if (parsed.success) {
      valid.push(p);
      continue;
    }
    reportViolations(kind, p, toFieldViolations(parsed.error.issues), reject, csv);
  }
  const ids = valid.map((p) => String(p.item.id));
  const existing = kind === 'products' ? await productsById(db, ids) : await ordersById(db, ids);
  const toWrite: Pending[] = [];
  for (const p of valid) {
    const cur = existing.get(String(p.item.id));
    if (cur && (!options.update || (kind === 'products' ? sameProduct(cur as Product, p.item) : sameOrder(cur as Order, p.item)))) {
      report.unchanged++;
      continue;
    }
    // Within one batch a repeated id is written once: the first occurrence wins like an existing one.
    if (toWrite.some((w) => w.item.id === p.item.id)) {
      report.unchanged++;
      continue;
    }
    toWrite.push(p);
  }
  if (!toWrite.length) return;
  const items = toWrite.map((p) => p.item);
  const result: BulkResult = kind === 'products' ? await upsertProducts(db, items, { clock }) : await upsertOrders(db, items, { clock });
  for (const r of result.results) {
    const p = toWrite[r.itemMetadata.originalIndex]!;
    if (r.itemMetadata.success) {
      if (existing.has(String(p.item.id))) report.updated++;
      else report.imported++;
      continue;
    }
    const err = r.itemMetadata.error!;
    const data = err.data as { fieldViolations?: { field: string; description: string }[]; field?: string } | undefined;
    const violations = data?.fieldViolations?.map((v) => ({ field: stripIndex(v.field), description: v.description }));
    if (violations?.length) {
      reportViolations(kind, p, violations, reject, csv);
    } else if (data?.field) {
      const field = stripIndex(data.field);
      reportViolations(kind, p, [{ field, description: stripIndex(err.description).replace(/^\S+\s/, '') }], reject, csv);
    } else {
      for (const line of p.lines) reject(line, stripIndex(err.description));
    }
  }
}

/** Removes the `products[3].` / `orders[0].` prefix of a bulk result's path. */
const stripIndex = (s: string) => s.replace(/^(products|orders)\[\d+\]\.?/, '');

/** Reports an item's violations on its lines (an order item's on the item's own line in CSV). */
function reportViolations(kind: 'products' | 'orders', p: Pending, violations: readonly { field: string; description: string }[], reject: Reject, csv: boolean): void {
  if (!csv) {
    reject(p.lines[0]!, formatProblems(violations));
    return;
  }
  const byLine = new Map<number, RowProblem[]>();
  for (const v of violations) {
    let line = p.lines[0]!;
    let field = v.field;
    const item = /^items[.[](\d+)\]?\.?(.*)$/.exec(v.field);
    if (kind === 'orders' && item) {
      line = p.lines[Number(item[1])] ?? line;
      field = ITEM_FIELD[item[2]!] ?? (item[2] || 'catalogItemId');
    } else {
      field = (kind === 'products' ? PRODUCT_FIELD : ORDER_FIELD)[field] ?? field;
    }
    const list = byLine.get(line) ?? [];
    list.push({ field, description: v.description });
    byLine.set(line, list);
  }
  const first = [...byLine.keys()][0]!;
  for (const line of p.lines) {
    const problems = byLine.get(line);
    reject(line, problems ? formatProblems(problems) : `order ${JSON.stringify(String(p.item.id))} was not imported: line ${first} has an error`);
  }
}

async function ordersById(db: Db, ids: readonly string[]): Promise<Map<string, Order>> {
  const out = new Map<string, Order>();
  for (const id of new Set(ids)) {
    const order = await findOrder(db, id);
    if (order) out.set(id, order);
  }
  return out;
}

const sameAmount = (a: string, b: string) => Number(a) === Number(b);

function sameProduct(cur: Product, item: Record<string, unknown>): boolean {
  const price = item.price as { amount: string; currency: string };
  return (
    cur.name === item.name &&
    sameAmount(cur.price.amount, price.amount) &&
    cur.price.currency === price.currency &&
    (cur.imageUrl ?? null) === ((item.imageUrl as string | undefined) ?? null) &&
    (cur.url ?? null) === ((item.url as string | undefined) ?? null)
  );
}

function sameOrder(cur: Order, item: Record<string, unknown>): boolean {
  const contact = item.contact as { email: string; name?: string | null };
  const items = item.items as { catalogItemId: string; quantity?: number; price?: { amount: string; currency: string } | null }[];
  if (String(item.number) !== cur.number) return false;
  if (contact.email.trim().toLowerCase() !== cur.contact.email) return false;
  if (item.createdDate != null && new Date(String(item.createdDate)).getTime() !== new Date(cur.createdDate).getTime()) return false;
  if (items.length !== cur.items.length) return false;
  return items.every((it, i) => {
    const c = cur.items[i]!;
    return (
      c.catalogItemId === it.catalogItemId &&
      c.quantity === (it.quantity ?? 1) &&
      (!it.price || (sameAmount(c.price.amount, it.price.amount) && c.price.currency === it.price.currency))
    );
  });
}
