/**
 * Review Requests (`/reviews/v2`, reference §8): ask a customer to review what they
 * bought, by e-mail, with a personal link to a review page.
 *
 * Lifecycle: SCHEDULED → SENT | FAILED | CANCELED. The scheduler (and the owner's
 * `send-due` route) sends requests whose sendDate has come, one per transaction with the
 * row claimed `FOR UPDATE SKIP LOCKED`, so servers sharing one PostgreSQL database never
 * send a request twice. The message links to `<reviewPageUrl>?reviewRequest=<id>&token=<t>`;
 * the token (tokens.ts) lets the page read the request (`/form`) and write one verified
 * review per item (`/reviews`) without the owner's key.
 *
 * Routes (owner key unless noted):
 * - `POST /reviews/v2/review-requests` `{reviewRequest}` → `{reviewRequest}`
 * - `GET|DELETE /reviews/v2/review-requests/{id}` (delete: CANCELED only) → `{reviewRequest}` | `{}`
 * - `POST /reviews/v2/review-requests/query` `{query: {filter, sort, cursorPaging}}`
 * - `POST /reviews/v2/review-requests/count` `{filter}` → `{count}`
 * - `PUT /reviews/v2/bulk/review-requests/cancel-by-filter` `{filter}` → `{jobId, affected}`
 * - `POST /reviews/v2/review-requests/send-due` `{limit?}` → what one pass did (extension)
 * - `GET /reviews/v2/outbox?limit=&cursor=&reviewRequestId=` → outbox messages, newest first
 * - public, token: `GET /reviews/v2/review-requests/{id}/form?token=T` and
 *   `POST /reviews/v2/review-requests/{id}/reviews` `{token, catalogItemId, content}`
 */
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import {
  BulkCancelReviewRequestsRequestSchema,
  CountReviewRequestsRequestSchema,
  CreateReviewRequestRequestSchema,
  QueryReviewRequestsRequestSchema,
  SendDueRequestSchema,
  SubmitRequestReviewRequestSchema,
  type CreateReviewRequestInput,
  type FailureReason,
  type ReviewRequest,
  type ReviewRequestForm,
  type ReviewRequestStatus,
} from '../api/review-requests.js';
import type { CreateReviewInput } from '../api/requests.js';
import { LIMITS, type Review } from '../api/schema.js';
import { findOrder, pageLimit, productsById } from './catalog.js';
import type { Db, Queryable } from './db.js';
import { ApiError, conflict, fieldError, notFound } from './errors.js';
import { recordEvent, recordEvents, type EventInput } from './events.js';
import { appIdOf, jsonLimit, readJson, requireOwner, type Env } from './http.js';
import { listOutbox, outboxSender, renderReviewRequestMessage, type Sender } from './mailer.js';
import { moderate } from './moderation.js';
import {
  ELEMENT_OPS,
  Params,
  RANGE,
  compileFilter,
  compileSort,
  decodeCursor,
  encodeCursor,
  keysetCondition,
  orderBy,
  type CursorState,
  type ResourceSpec,
} from './query.js';
import { createReview, type ReviewsConfig } from './reviews.js';
import { signToken, tokenSecret, verifyToken } from './tokens.js';

const ENTITY_FQDN = 'wix.reviews.v2.review_request';
const DAY_MS = 86_400_000;
/** Default lifetime of the link in a message. */
export const DEFAULT_TOKEN_TTL_DAYS = 30;
/** The store's name in messages unless configured (`--store-name`). */
export const DEFAULT_STORE_NAME = 'Storefront';

const EQ4 = ['$eq', '$ne', '$in', '$nin'] as const;
const EQ4_EXISTS = [...EQ4, '$exists'] as const;

/** Filterable and sortable fields of Query / Count / Bulk Cancel (reference §8 table). */
export const REVIEW_REQUEST_SPEC: ResourceSpec = {
  idColumn: 'id',
  fields: {
    id: { column: 'id', type: 'text', ops: EQ4 },
    namespace: { column: 'namespace', type: 'text', ops: EQ4 },
    communicationChannel: {
      column: 'communication_channel',
      type: 'enum',
      ops: EQ4,
      values: ['UNKNOWN_COMMUNICATION_CHANNEL', 'EMAIL'],
    },
    'recipient.contactId': { column: 'contact_id', type: 'text', ops: EQ4 },
    'requestedBy.identityType': {
      column: 'requested_by_type',
      type: 'enum',
      ops: EQ4,
      values: ['UNKNOWN', 'ANONYMOUS_VISITOR', 'MEMBER', 'WIX_USER', 'APP'],
    },
    'requestedBy.wixUserId': { column: 'requested_by_user_id', type: 'text', ops: EQ4, nullable: true },
    'requestedBy.appId': { column: 'requested_by_app_id', type: 'text', ops: EQ4, nullable: true },
    'items.catalogItemId': { column: 'item_ids', type: 'textArray', ops: ELEMENT_OPS.filter((o) => o !== '$exists') },
    'items.reviewId': { column: 'array_remove(item_review_ids, NULL)', type: 'textArray', ops: ELEMENT_OPS },
    'order.id': { column: 'order_id', type: 'text', ops: EQ4_EXISTS, nullable: true },
    automationActivationId: { column: 'automation_activation_id', type: 'text', ops: EQ4_EXISTS, nullable: true },
    createdDate: { column: 'created_date', type: 'date', ops: [...RANGE, '$nin'], sortable: true },
    sendDate: { column: 'send_date', type: 'date', ops: [...RANGE, '$nin'], sortable: true },
    status: {
      column: 'status',
      type: 'enum',
      ops: EQ4,
      sortable: true,
      values: ['UNKNOWN_REVIEW_REQUEST_STATUS', 'SCHEDULED', 'CANCELED', 'FAILED', 'SENT'],
    },
  },
  aliases: { _id: 'id', _createdDate: 'createdDate' },
  defaultSort: [{ field: 'createdDate', desc: false }],
};

// ---------------------------------------------------------------------------
// Rows and the API object
// ---------------------------------------------------------------------------

interface RequestRow {
  id: string;
  revision: number | string;
  created_date: Date | string;
  updated_date: Date | string;
  send_date: Date | string;
  namespace: string;
  order_id: string | null;
  order_number: string | null;
  item_ids: string[];
  item_review_ids: (string | null)[];
  contact_id: string;
  communication_channel: 'UNKNOWN_COMMUNICATION_CHANNEL' | 'EMAIL';
  status: ReviewRequestStatus;
  opened: boolean;
  failure_reason: FailureReason | null;
  failure_message: string | null;
  requested_by_type: 'WIX_USER' | 'APP';
  requested_by_user_id: string | null;
  requested_by_app_id: string | null;
  automation_activation_id: string | null;
}

const COLUMNS = `id, revision, created_date, updated_date, send_date, namespace, order_id, order_number,
  item_ids, item_review_ids, contact_id, communication_channel, status, opened, failure_reason,
  failure_message, requested_by_type, requested_by_user_id, requested_by_app_id, automation_activation_id`;

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** Serialises a row as the Wix ReviewRequest object. */
export function toReviewRequest(row: RequestRow): ReviewRequest {
  return {
    id: row.id,
    revision: String(row.revision),
    createdDate: iso(row.created_date),
    updatedDate: iso(row.updated_date),
    sendDate: iso(row.send_date),
    namespace: row.namespace,
    ...(row.order_id ? { order: { id: row.order_id, number: row.order_number } } : {}),
    items: row.item_ids.map((catalogItemId, i) => {
      const reviewId = row.item_review_ids[i];
      return reviewId ? { catalogItemId, reviewId } : { catalogItemId };
    }),
    recipient: { contactId: row.contact_id },
    communicationChannel: row.communication_channel,
    status: row.status,
    ...(row.status === 'SENT' ? { sentOptions: { opened: row.opened } } : {}),
    ...(row.status === 'FAILED'
      ? { failedOptions: { reason: row.failure_reason ?? 'UNKNOWN_FAILURE_REASON', ...(row.failure_message ? { message: row.failure_message } : {}) } }
      : {}),
    requestedBy:
      row.requested_by_type === 'APP'
        ? { identityType: 'APP', appId: row.requested_by_app_id ?? '' }
        : { identityType: 'WIX_USER', wixUserId: row.requested_by_user_id ?? 'owner' },
    ...(row.automation_activation_id ? { automationActivationId: row.automation_activation_id } : {}),
  };
}

/** The event of one change, stamped with the server clock's time of that change. */
function requestEvent(slug: 'created' | 'updated' | 'deleted', request: ReviewRequest, appId: string | null, eventTime: Date): EventInput {
  return { entityFqdn: ENTITY_FQDN, slug, entityId: request.id, payload: request, appId, eventTime };
}

async function record(tx: Queryable, slug: 'created' | 'updated' | 'deleted', request: ReviewRequest, appId: string | null, eventTime: Date): Promise<void> {
  await recordEvent(tx, requestEvent(slug, request, appId, eventTime));
}

async function lockRow(tx: Queryable, id: string): Promise<RequestRow | undefined> {
  const { rows } = await tx.query<RequestRow>(`SELECT ${COLUMNS} FROM review_requests WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

// ---------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------

/** Who asked: an app (owner key plus `X-Storefront-App-Id`) or the site owner. */
export type RequestedBy = { appId: string } | { wixUserId: string };

/**
 * Create Review Request, inside the caller's transaction. Items: order only → the 5 most
 * expensive items of the order still in the catalog (unit price, ties by id); items only →
 * exactly those; both → the given items, each of which must be in the order.
 */
export async function createReviewRequest(
  tx: Queryable,
  input: CreateReviewRequestInput,
  options: { now: Date; requestedBy: RequestedBy; appId?: string | null; id?: string },
): Promise<ReviewRequest> {
  const orderId = input.order?.id ?? null;
  const given = input.items ?? [];
  if (!orderId && given.length === 0) {
    throw new ApiError(
      400,
      'Give reviewRequest.order.id, reviewRequest.items (catalog item ids), or both',
      'EITHER_ORDER_OR_ITEMS_REQUIRED',
    );
  }
  if (input.communicationChannel !== 'EMAIL') {
    throw fieldError('reviewRequest.communicationChannel', 'must be EMAIL (the only channel this server sends on)');
  }
  const seen = new Set<string>();
  given.forEach((item, i) => {
    if (seen.has(item.catalogItemId)) {
      throw fieldError(`reviewRequest.items[${i}].catalogItemId`, `repeats "${item.catalogItemId}": list each item once`);
    }
    seen.add(item.catalogItemId);
  });

  let itemIds: string[];
  let orderNumber: string | null = null;
  if (orderId) {
    const order = await findOrder(tx, orderId);
    if (!order) throw new ApiError(428, `Order ${orderId} is not in the store's orders (PUT /reviews/v2/store/orders)`, 'ORDER_NOT_FOUND', undefined, { orderId });
    if (order.items.length === 0) throw new ApiError(428, `Order ${orderId} has no items to review`, 'ORDER_IS_EMPTY', undefined, { orderId });
    orderNumber = order.number;
    if (given.length) {
      const inOrder = new Set(order.items.map((i) => i.catalogItemId));
      given.forEach((item, i) => {
        if (!inOrder.has(item.catalogItemId)) {
          throw fieldError(`reviewRequest.items[${i}].catalogItemId`, `"${item.catalogItemId}" is not an item of order ${orderId}`);
        }
      });
      itemIds = given.map((i) => i.catalogItemId);
    } else {
      // Unit price paid, highest first; a product that left the catalog cannot be reviewed.
      const { rows } = await tx.query<{ id: string }>(
        `SELECT oi.catalog_item_id AS id FROM order_items oi JOIN products p ON p.id = oi.catalog_item_id
         WHERE oi.order_id = $1 GROUP BY oi.catalog_item_id
         ORDER BY max(oi.price_amount) DESC, oi.catalog_item_id LIMIT 5`,
        [orderId],
      );
      if (rows.length === 0) {
        throw new ApiError(428, `None of the items of order ${orderId} is in the catalog any more`, 'ORDER_IS_EMPTY', undefined, { orderId });
      }
      itemIds = rows.map((r) => r.id);
    }
  } else {
    itemIds = given.map((i) => i.catalogItemId);
  }
  const products = await productsById(tx, itemIds);
  const missing = itemIds.filter((id) => !products.has(id));
  if (missing.length) {
    throw new ApiError(
      428,
      `Catalog item${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the catalog (PUT /reviews/v2/store/products)`,
      'PRODUCT_NOT_FOUND',
      undefined,
      { catalogItemIds: missing },
    );
  }
  const contact = await tx.query('SELECT 1 FROM contacts WHERE id = $1', [input.recipient.contactId]);
  if (contact.rows.length === 0) {
    throw new ApiError(428, `Contact ${input.recipient.contactId} does not exist`, 'CONTACT_NOT_FOUND', undefined, { contactId: input.recipient.contactId });
  }

  const by = options.requestedBy;
  const { rows } = await tx.query<RequestRow>(
    `INSERT INTO review_requests (id, created_date, updated_date, send_date, namespace, order_id, order_number,
        item_ids, item_review_ids, contact_id, communication_channel, status, requested_by_type,
        requested_by_user_id, requested_by_app_id, automation_activation_id)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7::text[], $8::text[], $9, $10, 'SCHEDULED', $11, $12, $13, $14)
     RETURNING ${COLUMNS}`,
    [
      options.id ?? randomUUID(),
      options.now,
      input.sendDate ? new Date(input.sendDate) : options.now,
      input.namespace ?? 'stores',
      orderId,
      orderNumber,
      itemIds,
      itemIds.map(() => null),
      input.recipient.contactId,
      input.communicationChannel,
      'appId' in by ? 'APP' : 'WIX_USER',
      'wixUserId' in by ? by.wixUserId : null,
      'appId' in by ? by.appId : null,
      input.automationActivationId ?? null,
    ],
  );
  const created = toReviewRequest(rows[0]!);
  await record(tx, 'created', created, options.appId ?? null, options.now);
  return created;
}

// ---------------------------------------------------------------------------
// Read, query, count, delete, cancel
// ---------------------------------------------------------------------------

export async function getReviewRequest(db: Queryable, id: string): Promise<ReviewRequest> {
  const { rows } = await db.query<RequestRow>(`SELECT ${COLUMNS} FROM review_requests WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound(`Review request ${id}`);
  return toReviewRequest(rows[0]);
}

export interface QueryRequestsResult {
  reviewRequests: ReviewRequest[];
  pagingMetadata: { count: number; cursors: { next?: string; prev?: string }; hasNext: boolean };
}

/** Query Review Requests: WQL filter and sort over REVIEW_REQUEST_SPEC, keyset cursors. */
export async function queryReviewRequests(
  db: Queryable,
  query: { filter?: unknown; sort?: readonly { fieldName: string; order?: 'ASC' | 'DESC' }[] | null; limit?: number | null; cursor?: string | null },
): Promise<QueryRequestsResult> {
  let state: CursorState;
  if (query.cursor) {
    state = decodeCursor(query.cursor, REVIEW_REQUEST_SPEC);
    if (query.limit) state.limit = query.limit;
  } else {
    state = {
      filter: query.filter ?? null,
      sort: compileSort(query.sort, REVIEW_REQUEST_SPEC),
      search: null,
      limit: query.limit ?? 50,
      private: false,
      after: [],
      dir: 'next',
    };
  }
  const params = new Params();
  const conditions = [compileFilter(state.filter, REVIEW_REQUEST_SPEC, params, 'query.filter')];
  const reverse = state.dir === 'prev';
  if (state.after.length) conditions.push(keysetCondition(state.sort, state.after, REVIEW_REQUEST_SPEC, params, reverse));
  const { rows } = await db.query<RequestRow>(
    `SELECT ${COLUMNS} FROM review_requests WHERE ${conditions.join(' AND ')}
     ORDER BY ${orderBy(state.sort, REVIEW_REQUEST_SPEC, reverse)} LIMIT ${state.limit + 1}`,
    params.values,
  );
  const more = rows.length > state.limit;
  const page = rows.slice(0, state.limit);
  if (reverse) page.reverse();
  const keyOf = (r: RequestRow) => [...state.sort.map((k) => sortValue(r, k.field)), r.id];
  const base = { filter: state.filter, sort: state.sort, search: null, limit: state.limit, private: false };
  const hasNext = reverse ? true : more;
  const hasPrev = reverse ? more : state.after.length > 0;
  const cursors: { next?: string; prev?: string } = {};
  const first = page[0];
  const last = page.at(-1);
  if (hasNext && last) cursors.next = encodeCursor({ ...base, after: keyOf(last), dir: 'next' });
  if (hasNext && !last && reverse && state.after.length) cursors.next = encodeCursor({ ...base, after: state.after, dir: 'next' });
  if (hasPrev && first) cursors.prev = encodeCursor({ ...base, after: keyOf(first), dir: 'prev' });
  return { reviewRequests: page.map(toReviewRequest), pagingMetadata: { count: page.length, cursors, hasNext } };
}

function sortValue(row: RequestRow, field: string): unknown {
  switch (field) {
    case 'createdDate':
      return iso(row.created_date);
    case 'sendDate':
      return iso(row.send_date);
    case 'status':
      return row.status;
    default:
      throw new Error(`no sort value for ${field}`);
  }
}

export async function countReviewRequests(db: Queryable, filter: unknown): Promise<number> {
  const params = new Params();
  const where = compileFilter(filter, REVIEW_REQUEST_SPEC, params);
  const { rows } = await db.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM review_requests WHERE ${where}`, params.values);
  return Number(rows[0]!.n);
}

/** Delete Review Request: only a CANCELED request may be deleted. */
export async function deleteReviewRequest(db: Db, id: string, now: Date, appId: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockRow(tx, id);
    if (!row) throw notFound(`Review request ${id}`);
    if (row.status !== 'CANCELED') {
      throw new ApiError(
        428,
        `Only a CANCELED review request can be deleted; this one is ${row.status}${row.status === 'SCHEDULED' ? ' (cancel it first with PUT /reviews/v2/bulk/review-requests/cancel-by-filter)' : ''}`,
        'REVIEW_REQUEST_NOT_CANCELED',
        undefined,
        { status: row.status },
      );
    }
    await tx.query('DELETE FROM review_requests WHERE id = $1', [id]);
    await record(tx, 'deleted', toReviewRequest(row), appId, now);
  });
}

/** Bulk Cancel By Filter: every SCHEDULED request matching the filter becomes CANCELED. */
export async function cancelByFilter(db: Db, filter: unknown, now: Date, appId: string | null): Promise<ReviewRequest[]> {
  return db.transaction((tx) => cancelScheduled(tx, filter, now, appId));
}

/** Bulk Cancel By Filter inside the caller's transaction. */
export async function cancelScheduled(tx: Queryable, filter: unknown, now: Date, appId: string | null): Promise<ReviewRequest[]> {
  const params = new Params();
  const where = compileFilter(filter, REVIEW_REQUEST_SPEC, params);
  // A request being sent right now is locked: the UPDATE waits for it, re-checks the
  // status and leaves it alone once it is SENT.
  const { rows } = await tx.query<RequestRow>(
    `UPDATE review_requests SET status = 'CANCELED', updated_date = ${params.add(now)}, revision = revision + 1
     WHERE status = 'SCHEDULED' AND ${where} RETURNING ${COLUMNS}`,
    params.values,
  );
  const canceled = rows.map(toReviewRequest);
  await recordEvents(tx, canceled.map((r) => requestEvent('updated', r, appId, now)));
  return canceled;
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

/** What sending needs; shared by the routes (`send-due`) and the background scheduler. */
export interface SendingOptions {
  db: Db;
  /** Defaults to the outbox sender. */
  sender?: Sender;
  clock?: () => Date;
  /** Page the message links to (the token and id are added as query parameters). */
  reviewPageUrl?: string | (() => string);
  /** Lifetime of the link, in days (default 30). */
  tokenTtlDays?: number;
  /** Named in the message. */
  storeName?: string;
}

/** Outcome of one sending pass. */
export interface SendDueResult {
  /** Requests that became SENT or FAILED in this pass, in sending order. */
  reviewRequests: ReviewRequest[];
  sent: number;
  failed: number;
  /** Due requests left SCHEDULED after a temporary failure; the next pass retries them. */
  deferred: number;
  /** The temporary failure that stopped the pass, if any. */
  deferredReason?: string;
}

/** The review page URL for a request and its token. */
export function reviewLink(pageUrl: string, id: string, token: string): string {
  const url = new URL(pageUrl);
  url.searchParams.set('reviewRequest', id);
  url.searchParams.set('token', token);
  return url.toString();
}

function resolvePageUrl(option: SendingOptions['reviewPageUrl']): string {
  const raw = typeof option === 'function' ? option() : option;
  return raw ?? 'http://localhost:8787/review-request.html';
}

/**
 * One sending pass: claims due SCHEDULED requests (sendDate <= now) one at a time with
 * `FOR UPDATE SKIP LOCKED`, renders and sends each, and records SENT or FAILED in the same
 * transaction. At most `limit` requests per pass. A temporary sender failure ends the
 * pass and leaves that request SCHEDULED.
 */
export async function sendDueReviewRequests(options: SendingOptions, limit = 100): Promise<SendDueResult> {
  const { db } = options;
  const ctx = await sendingContext(options);
  const result: SendDueResult = { reviewRequests: [], sent: 0, failed: 0, deferred: 0 };
  for (let n = 0; n < limit; n++) {
    const done = await db.transaction((tx) => sendNextDue(tx, ctx));
    if (!done) break;
    if ('retry' in done) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM review_requests WHERE status = 'SCHEDULED' AND send_date <= $1`,
        [ctx.now],
      );
      result.deferred = Number(rows[0]!.n);
      result.deferredReason = done.retry;
      break;
    }
    result.reviewRequests.push(done.updated);
    if (done.updated.status === 'SENT') result.sent++;
    else result.failed++;
  }
  return result;
}

/** Everything one sending pass needs, resolved once (the secret is read outside any transaction). */
export interface SendingContext {
  sender: Sender;
  now: Date;
  secret: Buffer;
  ttlMs: number;
  storeName: string;
  pageUrl: string;
}

export async function sendingContext(options: SendingOptions): Promise<SendingContext> {
  return {
    sender: options.sender ?? defaultSender,
    now: options.clock?.() ?? new Date(),
    secret: await tokenSecret(options.db),
    ttlMs: (options.tokenTtlDays ?? DEFAULT_TOKEN_TTL_DAYS) * DAY_MS,
    storeName: options.storeName ?? DEFAULT_STORE_NAME,
    pageUrl: resolvePageUrl(options.reviewPageUrl),
  };
}

/**
 * Claims the oldest due SCHEDULED request (`FOR UPDATE SKIP LOCKED`: one another server is
 * sending is skipped), sends it and records SENT or FAILED, all in `tx`. Null when nothing
 * is due; `{retry}` when the sender failed temporarily (nothing changed).
 */
export async function sendNextDue(tx: Queryable, ctx: SendingContext): Promise<{ updated: ReviewRequest } | { retry: string } | null> {
  const { now } = ctx;
  const { rows } = await tx.query<RequestRow>(
    `SELECT ${COLUMNS} FROM review_requests WHERE status = 'SCHEDULED' AND send_date <= $1
     ORDER BY send_date, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now],
  );
  const row = rows[0];
  if (!row) return null;
  const outcome = await sendOne(tx, row, ctx);
  if (outcome.status === 'retry') return { retry: outcome.message };
  const { rows: out } = await tx.query<RequestRow>(
    outcome.status === 'sent'
      ? `UPDATE review_requests SET status = 'SENT', opened = false, sent_date = $2, updated_date = $2, revision = revision + 1
         WHERE id = $1 RETURNING ${COLUMNS}`
      : `UPDATE review_requests SET status = 'FAILED', failure_reason = $3, failure_message = $4, updated_date = $2,
           revision = revision + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
    outcome.status === 'sent' ? [row.id, now] : [row.id, now, outcome.reason, outcome.message.slice(0, 1000)],
  );
  const updated = toReviewRequest(out[0]!);
  await record(tx, 'updated', updated, null, now);
  return { updated };
}

const defaultSender = outboxSender();

async function sendOne(
  tx: Queryable,
  row: RequestRow,
  ctx: SendingContext,
): Promise<Awaited<ReturnType<Sender['send']>>> {
  const { rows: contacts } = await tx.query<{ email: string | null; name: string | null }>('SELECT email, name FROM contacts WHERE id = $1', [row.contact_id]);
  const contact = contacts[0];
  if (!contact) return { status: 'failed', reason: 'UNKNOWN_FAILURE_REASON', message: 'The recipient contact no longer exists' };
  if (!contact.email) return { status: 'failed', reason: 'UNKNOWN_FAILURE_REASON', message: 'The recipient contact has no e-mail address' };
  const products = await productsById(tx, row.item_ids);
  const listed = row.item_ids.flatMap((id) => {
    const p = products.get(id);
    return p ? [{ name: p.name, imageUrl: p.imageUrl ?? null, url: p.url ?? null }] : [];
  });
  if (listed.length === 0) return { status: 'failed', reason: 'UNKNOWN_FAILURE_REASON', message: 'None of the requested products is in the catalog any more' };
  const expires = new Date(ctx.now.getTime() + ctx.ttlMs);
  const token = signToken(ctx.secret, { reviewRequestId: row.id, contactId: row.contact_id, expires });
  const reviewUrl = reviewLink(ctx.pageUrl, row.id, token);
  const message = renderReviewRequestMessage({
    storeName: ctx.storeName,
    recipientName: contact.name,
    orderNumber: row.order_number,
    products: listed,
    reviewUrl,
    expires,
  });
  return ctx.sender.send(
    { reviewRequestId: row.id, to: contact.email, toName: contact.name, ...message, reviewUrl },
    { tx, now: ctx.now },
  );
}

/** The background sender: a pass every `intervalMs` (timer `unref()`ed), one at a time. */
export interface ReviewRequestScheduler {
  /** Runs a pass now (after the one in progress, if any). */
  runNow(): Promise<SendDueResult>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** Starts the scheduler. `intervalMs` 0 starts no timer (passes run only through `runNow`). */
export function startReviewRequestScheduler(options: SendingOptions & { intervalMs: number; onError?: (err: unknown) => void }): ReviewRequestScheduler {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const runNow = () => {
    const pass = chain.then(() => sendDueReviewRequests(options));
    chain = pass.catch(() => undefined);
    return pass;
  };
  let busy = false;
  const timer = options.intervalMs > 0
    ? setInterval(() => {
        if (busy || stopped) return;
        busy = true;
        runNow()
          .then((r) => {
            if (r.deferredReason) (options.onError ?? console.error)(new Error(`review requests: sending deferred (${r.deferred} due): ${r.deferredReason}`));
          })
          .catch((err) => {
            if (!stopped) (options.onError ?? console.error)(err);
          })
          .finally(() => {
            busy = false;
          });
      }, options.intervalMs)
    : undefined;
  timer?.unref();
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await chain;
    },
  };
}

// ---------------------------------------------------------------------------
// The customer's side: form and review, authorised by the token
// ---------------------------------------------------------------------------

const TOKEN_INVALID = 'This review link is not valid. Please open the link exactly as it appears in your e-mail.';
const TOKEN_EXPIRED = 'This review link has expired. Please ask the store for a new one.';

/** Checks the token for request `id` and locks the request; throws a customer-readable 403/404/428. */
async function authorise(tx: Queryable, secret: Buffer, id: string, token: string, now: Date): Promise<RequestRow & { expires: Date }> {
  const check = verifyToken(secret, token, now);
  if (!check.ok && check.problem === 'invalid') throw new ApiError(403, TOKEN_INVALID, 'TOKEN_INVALID');
  if (check.claims.reviewRequestId !== id) throw new ApiError(403, TOKEN_INVALID, 'TOKEN_INVALID');
  const row = await lockRow(tx, id);
  if (!row) throw new ApiError(404, 'This review request no longer exists.', 'NOT_FOUND');
  if (row.contact_id !== check.claims.contactId) throw new ApiError(403, TOKEN_INVALID, 'TOKEN_INVALID');
  if (!check.ok) throw new ApiError(403, TOKEN_EXPIRED, 'TOKEN_EXPIRED', undefined, { expiresDate: check.claims.expires.toISOString() });
  if (row.status === 'CANCELED') throw new ApiError(428, 'The store has withdrawn this review request.', 'REVIEW_REQUEST_CANCELED');
  return { ...row, expires: check.claims.expires };
}

/**
 * The review page's view of a request (no e-mail, no contact id). The first time a SENT
 * request is opened, `sentOptions.opened` becomes true.
 */
export async function openReviewRequestForm(db: Db, id: string, token: string, now: Date): Promise<ReviewRequestForm> {
  const secret = await tokenSecret(db);
  return db.transaction(async (tx) => {
    const row = await authorise(tx, secret, id, token, now);
    if (row.status === 'SENT' && !row.opened) {
      const { rows } = await tx.query<RequestRow>(
        `UPDATE review_requests SET opened = true, updated_date = $2, revision = revision + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, now],
      );
      await record(tx, 'updated', toReviewRequest(rows[0]!), null, now);
    }
    const products = await productsById(tx, row.item_ids);
    const { rows: contact } = await tx.query<{ name: string | null }>('SELECT name FROM contacts WHERE id = $1', [row.contact_id]);
    return {
      id: row.id,
      status: row.status,
      expiresDate: row.expires.toISOString(),
      recipient: { name: contact[0]?.name ?? null },
      items: row.item_ids.map((catalogItemId, i) => {
        const p = products.get(catalogItemId);
        return {
          catalogItemId,
          reviewId: row.item_review_ids[i] ?? null,
          product: p ? { name: p.name, imageUrl: p.imageUrl ?? null, price: p.price } : null,
        };
      }),
    };
  });
}

/**
 * Writes the customer's review of one item of a SENT request, as the recipient contact,
 * `verified: true`, moderated like a visitor's review; links it to the item. One review
 * per item: a second one is refused with 409 ITEM_ALREADY_REVIEWED.
 */
export async function submitRequestReview(
  db: Db,
  id: string,
  body: { token: string; catalogItemId: string; content: CreateReviewInput['content'] },
  options: { now: Date; config: ReviewsConfig; mediaBase: string },
): Promise<Review> {
  const secret = await tokenSecret(db);
  const outcome = await db.transaction(async (tx) => {
    const row = await authorise(tx, secret, id, body.token, options.now);
    if (row.status !== 'SENT') {
      throw new ApiError(428, 'This review request has not been sent, so it cannot take reviews.', 'REVIEW_REQUEST_NOT_SENT', undefined, { status: row.status });
    }
    const index = row.item_ids.indexOf(body.catalogItemId);
    if (index < 0) throw fieldError('catalogItemId', `"${body.catalogItemId}" is not one of the items of this review request`);
    if (row.item_review_ids[index]) {
      return { already: row.item_review_ids[index]! };
    }
    const { rows: contacts } = await tx.query<{ name: string | null }>('SELECT name FROM contacts WHERE id = $1', [row.contact_id]);
    // Reviewed already without the link (e.g. on the product page): link that review.
    const { rows: existing } = await tx.query<{ id: string }>(
      'SELECT id FROM reviews WHERE namespace = $1 AND entity_id = $2 AND contact_id = $3',
      [row.namespace, body.catalogItemId, row.contact_id],
    );
    let review: Review | null = null;
    let reviewId: string;
    if (existing[0]) {
      reviewId = existing[0].id;
    } else {
      const authorName = contacts[0]?.name?.slice(0, LIMITS.nameMax) ?? null;
      const decision = moderate(
        options.config.moderation,
        { title: body.content.title, body: body.content.body, authorName, mediaCount: body.content.media?.length ?? 0 },
        options.config.blockWords,
      );
      review = await createReview(
        tx,
        { namespace: row.namespace, entityId: body.catalogItemId, content: body.content, author: { contactId: row.contact_id, authorName }, verified: true },
        {
          caller: { owner: true },
          config: options.config,
          mediaBase: options.mediaBase,
          status: decision.status,
          createdDate: options.now,
          clock: () => options.now,
          appId: null,
        },
      );
      reviewId = review.id;
    }
    const { rows } = await tx.query<RequestRow>(
      `UPDATE review_requests SET item_review_ids[$2] = $3, updated_date = $4, revision = revision + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, index + 1, reviewId, options.now],
    );
    await record(tx, 'updated', toReviewRequest(rows[0]!), null, options.now);
    return review ? { review } : { already: reviewId };
  });
  if ('already' in outcome) {
    throw conflict('You have already reviewed this product. Thank you!', 'ITEM_ALREADY_REVIEWED', {
      catalogItemId: body.catalogItemId,
      reviewId: outcome.already,
    });
  }
  return outcome.review;
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

export interface ReviewRequestsOptions extends SendingOptions {
  /** Moderation rules applied to reviews written through a request link (visitor rules). */
  config: ReviewsConfig;
  /** Public base URL for media links in returned reviews; defaults to the request origin. */
  publicUrl?: string;
}

/** The Review Requests routes (paths include `/reviews/v2`: mount at the root). */
export function reviewRequestsRoutes(options: ReviewRequestsOptions): Hono<Env> {
  const { db } = options;
  const now = () => options.clock?.() ?? new Date();
  const mediaBase = (c: Context) => options.publicUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;
  const app = new Hono<Env>();
  const R = '/reviews/v2/review-requests';

  app.post(R, jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, CreateReviewRequestRequestSchema);
    const appId = appIdOf(c);
    const reviewRequest = await db.transaction((tx) =>
      createReviewRequest(tx, body.reviewRequest, { now: now(), requestedBy: appId ? { appId } : { wixUserId: 'owner' }, appId }),
    );
    return c.json({ reviewRequest });
  });

  app.post(`${R}/query`, jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, QueryReviewRequestsRequestSchema, true);
    const q = body.query ?? {};
    return c.json(await queryReviewRequests(db, { filter: q.filter, sort: q.sort, limit: q.cursorPaging?.limit, cursor: q.cursorPaging?.cursor }));
  });

  app.post(`${R}/count`, jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, CountReviewRequestsRequestSchema, true);
    return c.json({ count: await countReviewRequests(db, body.filter) });
  });

  app.post(`${R}/send-due`, jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, SendDueRequestSchema, true);
    return c.json(await sendDueReviewRequests(options, body.limit));
  });

  app.put('/reviews/v2/bulk/review-requests/cancel-by-filter', jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, BulkCancelReviewRequestsRequestSchema);
    if (Object.keys(body.filter).length === 0) {
      throw fieldError('filter', 'must not be empty: name what to cancel (e.g. {"namespace": "stores"} for every scheduled request)');
    }
    const canceled = await cancelByFilter(db, body.filter, now(), appIdOf(c));
    return c.json({ jobId: randomUUID(), affected: canceled.length });
  });

  app.get('/reviews/v2/outbox', async (c) => {
    requireOwner(c);
    return c.json(await listOutbox(db, { limit: pageLimit(c, 20), cursor: c.req.query('cursor'), reviewRequestId: c.req.query('reviewRequestId') }));
  });

  app.get(`${R}/:id/form`, async (c) => {
    const token = c.req.query('token');
    if (!token) throw fieldError('token', 'is required: open the link from your e-mail', 'REQUIRED_FIELD');
    if (token.length > 2048) throw new ApiError(403, TOKEN_INVALID, 'TOKEN_INVALID');
    c.header('Cache-Control', 'no-store');
    return c.json({ reviewRequest: await openReviewRequestForm(db, c.req.param('id'), token, now()) });
  });

  app.post(`${R}/:id/reviews`, jsonLimit, async (c) => {
    const body = await readJson(c, SubmitRequestReviewRequestSchema);
    const review = await submitRequestReview(db, c.req.param('id'), body, { now: now(), config: options.config, mediaBase: mediaBase(c) });
    return c.json({ review });
  });

  app.get(`${R}/:id`, async (c) => {
    requireOwner(c);
    return c.json({ reviewRequest: await getReviewRequest(db, c.req.param('id')) });
  });

  app.delete(`${R}/:id`, async (c) => {
    requireOwner(c);
    await deleteReviewRequest(db, c.req.param('id'), now(), appIdOf(c));
    return c.json({});
  });

  return app;
}
