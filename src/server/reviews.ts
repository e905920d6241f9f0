/**
 * Reviews: storage and rules (one review per author per entity, revisions, moderation,
 * replies, helpfulness votes, summaries). Routes in app.ts validate input and call these.
 */
import { randomUUID } from 'node:crypto';
import type { CreateReviewInput, UpdateReviewRequest } from '../api/requests.js';
import {
  LIMITS,
  type EntityAverage,
  type EntitySummary,
  type HelpfulnessVote,
  type MediaInput,
  type ModerationStatus,
  type Review,
} from '../api/schema.js';
import type { Db, Queryable } from './db.js';
import { ApiError, conflict, fieldError, forbidden, notFound } from './errors.js';
import { ENTITY_FQDNS } from '../api/webhooks.js';
import { recordEvents, type EventContext, type EventInput } from './events.js';
import { loadImageMeta } from './media.js';
import { deleteRatingsRelatedTo } from './ratings.js';
import { moderate, type ModerationMode } from './moderation.js';
import {
  EQ_OPS,
  Params,
  RANGE,
  compileFilter,
  compileSort,
  decodeCursor,
  encodeCursor,
  keysetCondition,
  orderBy,
  searchQuery,
  type CursorState,
  type ResourceSpec,
} from './query.js';

export const REVIEW_SPEC: ResourceSpec = {
  idColumn: 'id',
  fields: {
    id: { column: 'id', type: 'text', ops: EQ_OPS },
    namespace: { column: 'namespace', type: 'text', ops: EQ_OPS },
    entityId: { column: 'entity_id', type: 'text', ops: EQ_OPS },
    'author.contactId': { column: 'contact_id', type: 'text', ops: EQ_OPS },
    'moderation.moderationStatus': {
      column: 'moderation_status',
      type: 'enum',
      ops: EQ_OPS,
      values: ['UNKNOWN', 'APPROVED', 'IN_MODERATION', 'REJECTED', 'SUBMITTED'],
    },
    'content.rating': { column: 'rating', type: 'int', ops: RANGE, sortable: true },
    helpfulness: { column: 'helpfulness', type: 'int', ops: RANGE, sortable: true },
    createdDate: { column: 'created_date', type: 'date', ops: RANGE, sortable: true },
    relevanceScore: { column: 'relevance_score', type: 'number', ops: RANGE, sortable: true },
    verified: { column: 'verified', type: 'bool', ops: ['$eq', '$ne'], sortable: true },
    'origin.type': {
      column: 'origin_type',
      type: 'enum',
      ops: ['$eq', '$ne'],
      sortable: true,
      values: ['UNKNOWN', 'ORGANIC', 'APP'],
    },
    'content.media': { column: 'has_media', type: 'empty', ops: ['$isEmpty'] },
  },
  aliases: { _id: 'id', _createdDate: 'createdDate' },
  defaultSort: [{ field: 'createdDate', desc: false }],
  searchColumn: 'search_doc',
};

export interface ReviewsConfig {
  moderation: ModerationMode;
  blockWords: readonly string[];
}

export interface Caller {
  owner: boolean;
}

interface ReviewRow {
  id: string;
  namespace: string;
  entity_id: string;
  contact_id: string;
  author_name: string | null;
  title: string | null;
  body: string | null;
  media: StoredMedia[];
  rating: number;
  created_date: Date;
  updated_date: Date;
  review_date: Date;
  reply_message: string | null;
  reply_created_date: Date | null;
  reply_updated_date: Date | null;
  found_helpful: number;
  found_unhelpful: number;
  helpfulness: number;
  moderation_status: ModerationStatus;
  manually_changed: boolean;
  revision: number | string;
  verified: boolean;
  origin_type: 'UNKNOWN' | 'ORGANIC' | 'APP';
  origin_app_id: string | null;
  relevance_score: number;
  publish_count: number;
}

/** Media as stored: local uploads keep only their id; external media keep their URL. */
type StoredMedia =
  | { image: { id?: string; url?: string; width?: number; height?: number; filename?: string | null; altText?: string | null } }
  | { video: { id?: string; url?: string; resolutions?: { url: string; format?: string }[] } };

const COLUMNS = `id, namespace, entity_id, contact_id, author_name, title, body, media, rating,
  created_date, updated_date, review_date, reply_message, reply_created_date, reply_updated_date,
  found_helpful, found_unhelpful, helpfulness, moderation_status, manually_changed, revision,
  verified, origin_type, origin_app_id, relevance_score, publish_count`;

/** COLUMNS qualified with the alias `r`, for UPDATE ... FROM. */
const QUALIFIED_COLUMNS = COLUMNS.split(',').map((c) => `r.${c.trim()}`).join(', ');

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** Serialises a row as the Wix Review object; `mediaBase` makes local media URLs absolute. */
export function toReview(row: ReviewRow, mediaBase: string): Review {
  const review: Review = {
    id: row.id,
    namespace: row.namespace,
    entityId: row.entity_id,
    content: {
      title: row.title,
      body: row.body,
      media: row.media.map((m) => publicMedia(m, mediaBase)),
      rating: Number(row.rating),
    },
    createdDate: iso(row.created_date),
    updatedDate: iso(row.updated_date),
    reviewDate: iso(row.review_date),
    author: { contactId: row.contact_id, authorName: row.author_name },
    foundHelpful: Number(row.found_helpful),
    foundUnhelpful: Number(row.found_unhelpful),
    helpfulness: Number(row.helpfulness),
    moderation: { moderationStatus: row.moderation_status, manuallyChanged: row.manually_changed },
    revision: String(row.revision),
    verified: row.verified,
    origin: row.origin_type === 'APP' ? { type: 'APP', appId: row.origin_app_id } : { type: row.origin_type },
    relevanceScore: Number(row.relevance_score),
    publishCount: Number(row.publish_count),
  };
  if (row.reply_message !== null) {
    review.reply = {
      message: row.reply_message,
      createdDate: iso(row.reply_created_date ?? row.updated_date),
      updatedDate: iso(row.reply_updated_date ?? row.updated_date),
    };
  }
  return review;
}

function publicMedia(m: StoredMedia, base: string) {
  if ('image' in m) {
    const img = m.image;
    return {
      image: {
        ...img,
        url: img.url ?? `${base}/reviews/v1/media/${encodeURIComponent(img.id ?? '')}`,
        altText: img.altText ?? img.filename ?? null,
      },
    };
  }
  return { video: { ...m.video } };
}

/**
 * Checks media references: uploaded ids must exist (their size and name are filled in
 * from the upload); external media must be absolute http(s) URLs (checked by the schema).
 */
async function resolveMedia(db: Queryable, media: readonly MediaInput[] | undefined, path: string): Promise<StoredMedia[]> {
  if (!media?.length) return [];
  const ids = media.flatMap((m) => (m.image?.id && !m.image.url ? [m.image.id] : []));
  const known = await loadImageMeta(db, ids);
  return media.map((m, i) => {
    if (m.image) {
      const { id, url, altText } = m.image;
      if (url) return { image: { ...(id ? { id } : {}), url, altText: altText ?? null, ...(m.image.width ? { width: m.image.width, height: m.image.height } : {}) } };
      const meta = known.get(id!);
      if (!meta) throw fieldError(`${path}[${i}].image.id`, `"${id}" is not an uploaded image id (upload it with POST /reviews/v1/media first)`);
      return { image: { id: meta.id, width: meta.width, height: meta.height, filename: meta.filename, altText: altText ?? null } };
    }
    const v = m.video!;
    if (!v.url) throw fieldError(`${path}[${i}].video.url`, 'is required: videos are given by an absolute http(s) URL');
    return { video: { url: v.url, ...(v.id ? { id: v.id } : {}), resolutions: [{ url: v.url, format: guessVideoFormat(v.url) }] } };
  });
}

function guessVideoFormat(url: string): string {
  return /\.m3u8(\?|$)/i.test(url) ? 'hls' : 'mp4';
}

// ---------------------------------------------------------------------------
// Events: every mutation records its events in its own transaction (events.ts)
// ---------------------------------------------------------------------------

/**
 * Runs `fn` in one transaction: given a Db, opens one; given a transaction (a caller
 * composing several writes), runs inside it. Either way the change and its events commit together.
 */
function inTransaction<T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return typeof (db as Partial<Db>).transaction === 'function' ? (db as Db).transaction(fn) : fn(db);
}

function reviewEvent(slug: string, review: Review, payload: unknown, ctx: EventContext, appId = ctx.appId): EventInput {
  return { entityFqdn: ENTITY_FQDNS.review, slug, entityId: review.id, payload, appId: appId ?? null, eventTime: ctx.clock?.() };
}

/**
 * The events of a moderation decision, after its `updated` event:
 * `moderation_status_changed` when the status changed (or the review is new: `previous`
 * null), and `review_published` when it became APPROVED.
 */
function moderationEvents(review: Review, previous: ModerationStatus | null, ctx: EventContext, appId = ctx.appId): EventInput[] {
  const status = review.moderation?.moderationStatus;
  if (status === previous) return [];
  return [
    reviewEvent('moderation_status_changed', review, previous === null ? { review } : { review, previousModerationStatus: previous }, ctx, appId),
    ...(status === 'APPROVED' ? [reviewEvent('review_published', review, { review }, ctx, appId)] : []),
  ];
}

export interface CreateOptions extends EventContext {
  caller: Caller;
  config: ReviewsConfig;
  mediaBase: string;
  /** Seed and import only: keep a known id, creation time or moderation status. */
  id?: string;
  createdDate?: Date;
  status?: ModerationStatus;
}

/**
 * Create Review (owner) and the write half of Create Review And Contact. Records
 * `created`, `moderation_status_changed` and (when APPROVED) `review_published`. Pass a
 * transaction to make the review part of a larger change; given the Db, it opens its own.
 */
export async function createReview(db: Queryable, input: CreateReviewInput, opts: CreateOptions): Promise<Review> {
  return inTransaction(db, (tx) => insertReview(tx, input, opts));
}

async function insertReview(db: Queryable, input: CreateReviewInput, opts: CreateOptions): Promise<Review> {
  const media = await resolveMedia(db, input.content.media, 'review.content.media');
  const now = opts.createdDate ?? new Date();
  const { caller, config } = opts;
  const decision = opts.status
    ? { status: opts.status }
    : caller.owner
    ? { status: 'APPROVED' as const }
    : moderate(config.moderation, { title: input.content.title, body: input.content.body, authorName: input.author.authorName, mediaCount: media.length }, config.blockWords);
  const origin = caller.owner && input.origin?.type === 'APP' ? input.origin : { type: 'ORGANIC' as const, appId: null };
  if (origin.type === 'APP' && !origin.appId) throw fieldError('review.origin.appId', 'is required when origin.type is APP');
  const { rows } = await db.query<ReviewRow>(
    `INSERT INTO reviews (id, namespace, entity_id, contact_id, author_name, title, body, media, rating,
        created_date, updated_date, review_date, moderation_status, verified, origin_type, origin_app_id, publish_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT ON CONSTRAINT reviews_one_per_author DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      opts.id ?? randomUUID(),
      input.namespace,
      input.entityId,
      input.author.contactId,
      input.author.authorName?.trim() || null,
      input.content.title ?? null,
      input.content.body ?? null,
      JSON.stringify(media),
      input.content.rating,
      now,
      caller.owner && input.reviewDate ? new Date(input.reviewDate) : now,
      decision.status,
      caller.owner ? (input.verified ?? false) : false,
      origin.type,
      origin.type === 'APP' ? origin.appId : null,
      decision.status === 'APPROVED' ? 1 : 0,
    ],
  );
  const row = rows[0];
  if (!row) {
    throw conflict('This author has already reviewed this item (one review per author per entity)', 'DUPLICATE_REVIEW', {
      namespace: input.namespace,
      entityId: input.entityId,
    });
  }
  const review = toReview(row, opts.mediaBase);
  // A review written for an app (origin APP) is that app's change, whoever sent it.
  const appId = review.origin?.type === 'APP' ? review.origin.appId : opts.appId;
  await recordEvents(db, [reviewEvent('created', review, review, opts, appId), ...moderationEvents(review, null, opts, appId)]);
  return review;
}

/** Finds or creates the contact for an e-mail address (case-insensitive). */
export async function contactForEmail(db: Queryable, email: string | undefined, name: string | undefined): Promise<string> {
  if (!email) {
    const id = randomUUID();
    await db.query('INSERT INTO contacts (id, email, name, created_date) VALUES ($1, NULL, $2, $3)', [id, name ?? null, new Date()]);
    return id;
  }
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO contacts (id, email, name, created_date) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO UPDATE SET name = coalesce(contacts.name, excluded.name)
     RETURNING id`,
    [randomUUID(), email.trim().toLowerCase(), name?.trim() || null, new Date()],
  );
  return rows[0]!.id;
}

export async function getReview(db: Queryable, id: string, includePrivate: boolean, mediaBase: string): Promise<Review> {
  const { rows } = await db.query<ReviewRow>(`SELECT ${COLUMNS} FROM reviews WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row || (!includePrivate && row.moderation_status !== 'APPROVED')) throw notFound(`Review ${id}`);
  return toReview(row, mediaBase);
}

export async function updateReview(db: Db, id: string, req: UpdateReviewRequest, mediaBase: string, ctx: EventContext = {}): Promise<Review> {
  const patch = req.review;
  if (patch.id !== undefined && patch.id !== id) throw fieldError('review.id', 'does not match the id in the path');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<ReviewRow>(`SELECT ${COLUMNS} FROM reviews WHERE id = $1 FOR UPDATE`, [id]);
    const cur = rows[0];
    if (!cur) throw notFound(`Review ${id}`);
    if (String(cur.revision) !== String(patch.revision)) {
      throw conflict(
        `Revision ${patch.revision} is stale: the review is at revision ${cur.revision}. Get it again and retry.`,
        'REVISION_MISMATCH',
        { currentRevision: String(cur.revision) },
      );
    }
    for (const f of ['namespace', 'entityId'] as const) {
      const current = f === 'namespace' ? cur.namespace : cur.entity_id;
      if (patch[f] !== undefined && patch[f] !== current) throw fieldError(`review.${f}`, 'cannot be changed after the review is created');
    }
    if (patch.author?.contactId != null && patch.author.contactId !== cur.contact_id) {
      throw fieldError('review.author.contactId', 'cannot be changed after the review is created');
    }
    const c = patch.content ?? {};
    const media = c.media !== undefined ? await resolveMedia(tx, c.media, 'review.content.media') : cur.media;
    const { rows: out } = await tx.query<ReviewRow>(
      `UPDATE reviews SET title = $2, body = $3, media = $4, rating = $5, author_name = $6, verified = $7,
          review_date = $8, updated_date = $9, revision = revision + 1
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        c.title !== undefined ? c.title : cur.title,
        c.body !== undefined ? c.body : cur.body,
        JSON.stringify(media),
        c.rating ?? cur.rating,
        patch.author?.authorName !== undefined ? patch.author.authorName?.trim() || null : cur.author_name,
        patch.verified ?? cur.verified,
        patch.reviewDate ? new Date(patch.reviewDate) : cur.review_date,
        new Date(),
      ],
    );
    const review = toReview(out[0]!, mediaBase);
    await recordEvents(tx, [reviewEvent('updated', review, review, ctx)]);
    return review;
  });
}

/** Deletes a review; its `deleted` event carries the review as it was. */
export async function deleteReview(db: Queryable, id: string, mediaBase: string, ctx: EventContext = {}): Promise<Review> {
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<ReviewRow>(`DELETE FROM reviews WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    if (!rows[0]) throw notFound(`Review ${id}`);
    const review = toReview(rows[0], mediaBase);
    await recordEvents(tx, [reviewEvent('deleted', review, review, ctx)]);
    // The attribute ratings given with the review go with it (each records its own event).
    await deleteRatingsRelatedTo(tx, review.id, ctx);
    return review;
  });
}

export async function setReply(db: Queryable, id: string, message: string | null, mediaBase: string, ctx: EventContext = {}): Promise<Review> {
  return inTransaction(db, (tx) => writeReply(tx, id, message, mediaBase, ctx));
}

async function writeReply(db: Queryable, id: string, message: string | null, mediaBase: string, ctx: EventContext): Promise<Review> {
  const now = new Date();
  const { rows } = await db.query<ReviewRow>(
    message === null
      ? `UPDATE reviews SET reply_message = NULL, reply_created_date = NULL, reply_updated_date = NULL,
           updated_date = $2, revision = revision + 1 WHERE id = $1 RETURNING ${COLUMNS}`
      : `UPDATE reviews SET reply_message = $3, reply_created_date = coalesce(reply_created_date, $2),
           reply_updated_date = $2, updated_date = $2, revision = revision + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
    message === null ? [id, now] : [id, now, message],
  );
  if (!rows[0]) throw notFound(`Review ${id}`);
  const review = toReview(rows[0], mediaBase);
  await recordEvents(db, [reviewEvent('updated', review, review, ctx)]);
  return review;
}

function moderationSet(status: string, now: string): string {
  return `moderation_status = ${status}::text, manually_changed = true,
  publish_count = publish_count + CASE WHEN ${status}::text = 'APPROVED' AND moderation_status <> 'APPROVED' THEN 1 ELSE 0 END,
  updated_date = ${now}, revision = revision + 1`;
}

/**
 * Moderate Review. Records `updated`, plus `moderation_status_changed` (with the previous
 * status) when the status changes and `review_published` when it becomes APPROVED.
 */
export async function setModeration(db: Queryable, id: string, status: 'APPROVED' | 'REJECTED', mediaBase: string, ctx: EventContext = {}): Promise<Review> {
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<ReviewRow & { previous_status: ModerationStatus }>(
      `UPDATE reviews r SET ${moderationSet('$2', '$3')} FROM (SELECT id, moderation_status AS previous_status FROM reviews WHERE id = $1 FOR UPDATE) p
       WHERE r.id = p.id RETURNING ${QUALIFIED_COLUMNS}, p.previous_status`,
      [id, status, new Date()],
    );
    if (!rows[0]) throw notFound(`Review ${id}`);
    const review = toReview(rows[0], mediaBase);
    await recordEvents(tx, [reviewEvent('updated', review, review, ctx), ...moderationEvents(review, rows[0].previous_status, ctx)]);
    return review;
  });
}

/**
 * Bulk Update Moderation Status: applies to every review matching the filter, recording
 * each review's events as setModeration does.
 */
export async function bulkModerate(db: Queryable, filter: unknown, status: 'APPROVED' | 'REJECTED', mediaBase = '', ctx: EventContext = {}): Promise<number> {
  return inTransaction(db, async (tx) => {
    const params = new Params();
    const set = moderationSet(params.add(status), params.add(new Date()));
    const where = compileFilter(filter, REVIEW_SPEC, params);
    const { rows } = await tx.query<ReviewRow & { previous_status: ModerationStatus }>(
      `UPDATE reviews r SET ${set} FROM (SELECT id, moderation_status AS previous_status FROM reviews WHERE ${where} ORDER BY id FOR UPDATE) p
       WHERE r.id = p.id RETURNING ${QUALIFIED_COLUMNS}, p.previous_status`,
      params.values,
    );
    await recordEvents(
      tx,
      rows.flatMap((row) => {
        const review = toReview(row, mediaBase);
        return [reviewEvent('updated', review, review, ctx), ...moderationEvents(review, row.previous_status, ctx)];
      }),
    );
    return rows.length;
  });
}

/** Bulk Delete Reviews: one `deleted` event per review. */
export async function bulkDelete(db: Queryable, filter: unknown, mediaBase = '', ctx: EventContext = {}): Promise<number> {
  return inTransaction(db, async (tx) => {
    const params = new Params();
    const where = compileFilter(filter, REVIEW_SPEC, params);
    const { rows } = await tx.query<ReviewRow>(`DELETE FROM reviews WHERE ${where} RETURNING ${COLUMNS}`, params.values);
    await recordEvents(
      tx,
      rows.map((row) => {
        const review = toReview(row, mediaBase);
        return reviewEvent('deleted', review, review, ctx);
      }),
    );
    for (const row of rows) await deleteRatingsRelatedTo(tx, row.id, ctx);
    return rows.length;
  });
}

// ---------------------------------------------------------------------------
// Query and count
// ---------------------------------------------------------------------------

export interface QueryInput {
  filter?: unknown;
  sort?: readonly { fieldName: string; order?: 'ASC' | 'DESC' }[] | null;
  limit?: number | null;
  cursor?: string | null;
  search?: string | { expression: string } | null;
  includePrivate: boolean;
}

export interface QueryResult {
  reviews: Review[];
  metadata: { count: number; cursors: { next?: string; prev?: string }; hasNext: boolean };
}

function searchText(search: QueryInput['search']): string | null {
  if (search == null) return null;
  const text = typeof search === 'string' ? search : search.expression;
  return text.trim() || null;
}

function whereClause(filter: unknown, search: string | null, includePrivate: boolean, params: Params, path = 'filter'): string {
  const parts = [compileFilter(filter, REVIEW_SPEC, params, path)];
  if (!includePrivate) parts.push(`moderation_status = 'APPROVED'`);
  if (search) {
    const q = searchQuery(search);
    parts.push(q ? `search_doc @@ to_tsquery('english', ${params.add(q)})` : 'FALSE');
  }
  return parts.filter((p) => p !== 'TRUE').join(' AND ') || 'TRUE';
}

export async function queryReviews(db: Queryable, input: QueryInput, caller: Caller, mediaBase: string): Promise<QueryResult> {
  let state: CursorState;
  if (input.cursor) {
    state = decodeCursor(input.cursor, REVIEW_SPEC);
    // Validate the cursor's filter exactly like a fresh one.
    if (state.private && !caller.owner) throw forbidden('This cursor pages through private reviews: it needs the owner API key');
    if (input.limit) state.limit = input.limit;
  } else {
    state = {
      filter: input.filter ?? null,
      sort: compileSort(input.sort, REVIEW_SPEC),
      search: searchText(input.search),
      limit: input.limit ?? LIMITS.pageDefault,
      private: input.includePrivate,
      after: [],
      dir: 'next',
    };
  }
  const params = new Params();
  const conditions = [whereClause(state.filter, state.search, state.private, params, 'query.filter')];
  const reverse = state.dir === 'prev';
  if (state.after.length) conditions.push(keysetCondition(state.sort, state.after, REVIEW_SPEC, params, reverse));
  const sql = `SELECT ${COLUMNS} FROM reviews WHERE ${conditions.join(' AND ')}
    ORDER BY ${orderBy(state.sort, REVIEW_SPEC, reverse)} LIMIT ${state.limit + 1}`;
  const { rows } = await db.query<ReviewRow>(sql, params.values);
  const more = rows.length > state.limit;
  const page = rows.slice(0, state.limit);
  if (reverse) page.reverse();
  const keyOf = (r: ReviewRow) => [...state.sort.map((k) => sortValue(r, k.field)), r.id];
  const base = { filter: state.filter, sort: state.sort, search: state.search, limit: state.limit, private: state.private };
  const cursors: { next?: string; prev?: string } = {};
  const first = page[0];
  const last = page.at(-1);
  const hasNext = reverse ? true : more;
  const hasPrev = reverse ? more : state.after.length > 0;
  if (hasNext && last) cursors.next = encodeCursor({ ...base, after: keyOf(last), dir: 'next' });
  if (hasNext && !last && reverse && state.after.length) {
    cursors.next = encodeCursor({ ...base, after: state.after, dir: 'next' });
  }
  if (hasPrev && first) cursors.prev = encodeCursor({ ...base, after: keyOf(first), dir: 'prev' });
  return {
    reviews: page.map((r) => toReview(r, mediaBase)),
    metadata: { count: page.length, cursors, hasNext },
  };
}

function sortValue(row: ReviewRow, field: string): unknown {
  switch (field) {
    case 'content.rating':
      return Number(row.rating);
    case 'helpfulness':
      return Number(row.helpfulness);
    case 'createdDate':
      return iso(row.created_date);
    case 'relevanceScore':
      return Number(row.relevance_score);
    case 'verified':
      return row.verified;
    case 'origin.type':
      return row.origin_type;
    default:
      throw new Error(`no sort value for ${field}`);
  }
}

export async function countReviews(db: Queryable, filter: unknown, search: QueryInput['search'], includePrivate: boolean): Promise<number> {
  const params = new Params();
  const where = whereClause(filter, searchText(search), includePrivate, params);
  const { rows } = await db.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM reviews WHERE ${where}`, params.values);
  return Number(rows[0]!.n);
}

// ---------------------------------------------------------------------------
// Helpfulness votes (extension)
// ---------------------------------------------------------------------------

const VOTE_VALUE: Record<HelpfulnessVote, number> = { HELPFUL: 1, UNHELPFUL: -1, NONE: 0 };

/**
 * Records one visitor's vote. The review row is locked first, so concurrent votes on one
 * review are applied one after another and the counters stay exact.
 */
export async function vote(db: Db, reviewId: string, visitorId: string, choice: HelpfulnessVote, mediaBase: string, ctx: EventContext = {}): Promise<Review> {
  return db.transaction(async (tx) => {
    const locked = await tx.query<{ moderation_status: string }>('SELECT moderation_status FROM reviews WHERE id = $1 FOR UPDATE', [reviewId]);
    if (!locked.rows[0] || locked.rows[0].moderation_status !== 'APPROVED') throw notFound(`Review ${reviewId}`);
    const prevRows = await tx.query<{ vote: number }>('SELECT vote FROM helpful_votes WHERE review_id = $1 AND visitor_id = $2', [reviewId, visitorId.toLowerCase()]);
    const prev = prevRows.rows[0] ? Number(prevRows.rows[0].vote) : 0;
    const next = VOTE_VALUE[choice];
    if (next === 0) {
      await tx.query('DELETE FROM helpful_votes WHERE review_id = $1 AND visitor_id = $2', [reviewId, visitorId.toLowerCase()]);
    } else {
      await tx.query(
        `INSERT INTO helpful_votes (review_id, visitor_id, vote, created_date) VALUES ($1, $2, $3, $4)
         ON CONFLICT (review_id, visitor_id) DO UPDATE SET vote = excluded.vote`,
        [reviewId, visitorId.toLowerCase(), next, new Date()],
      );
    }
    const dHelpful = (next === 1 ? 1 : 0) - (prev === 1 ? 1 : 0);
    const dUnhelpful = (next === -1 ? 1 : 0) - (prev === -1 ? 1 : 0);
    const { rows } = await tx.query<ReviewRow>(
      `UPDATE reviews SET found_helpful = found_helpful + $2, found_unhelpful = found_unhelpful + $3
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [reviewId, dHelpful, dUnhelpful],
    );
    const review = toReview(rows[0]!, mediaBase);
    // The counters changed (a repeated vote changes nothing and records nothing).
    if (dHelpful !== 0 || dUnhelpful !== 0) await recordEvents(tx, [reviewEvent('updated', review, review, ctx)]);
    return review;
  });
}

// ---------------------------------------------------------------------------
// Summaries (Ratings-API shaped, from APPROVED reviews)
// ---------------------------------------------------------------------------

export async function entitySummary(db: Queryable, group: string, entityId: string): Promise<EntitySummary> {
  const { rows } = await db.query<{ rating: number; n: number }>(
    `SELECT rating, count(*)::int AS n FROM reviews
     WHERE namespace = $1 AND entity_id = $2 AND moderation_status = 'APPROVED' GROUP BY rating`,
    [group, entityId],
  );
  return { group, entityId, attributeSummaries: [overallSummary(rows)] };
}

export async function groupSummary(db: Queryable, group: string): Promise<EntitySummary> {
  const { rows } = await db.query<{ rating: number; n: number }>(
    `SELECT rating, count(*)::int AS n FROM reviews
     WHERE namespace = $1 AND moderation_status = 'APPROVED' GROUP BY rating`,
    [group],
  );
  return { group, attributeSummaries: [overallSummary(rows)] };
}

function overallSummary(rows: readonly { rating: number; n: number }[]) {
  const counts = new Map(rows.map((r) => [Number(r.rating), Number(r.n)]));
  const valueBreakdown = [5, 4, 3, 2, 1].map((value) => ({ value, total: counts.get(value) ?? 0 }));
  const total = valueBreakdown.reduce((s, b) => s + b.total, 0);
  const sum = valueBreakdown.reduce((s, b) => s + b.value * b.total, 0);
  return { attributeName: 'overall', total, average: total ? round(sum / total) : 0, valueBreakdown };
}

export async function entityAverages(db: Queryable, group: string, entityIds: readonly string[]): Promise<EntityAverage[]> {
  const unique = [...new Set(entityIds)];
  const { rows } = await db.query<{ entity_id: string; n: number; avg: number }>(
    `SELECT entity_id, count(*)::int AS n, avg(rating)::float8 AS avg FROM reviews
     WHERE namespace = $1 AND entity_id = ANY($2::text[]) AND moderation_status = 'APPROVED'
     GROUP BY entity_id`,
    [group, unique],
  );
  const byId = new Map(rows.map((r) => [r.entity_id, r]));
  return unique.map((entityId) => {
    const r = byId.get(entityId);
    return { entityId, total: r ? Number(r.n) : 0, average: r ? round(Number(r.avg)) : 0 };
  });
}

const round = (n: number) => Math.round(n * 10000) / 10000;

export function assertAttribute(name: string | undefined | null): void {
  if (name && name !== 'overall') {
    throw new ApiError(400, `Attribute "${name}" has no ratings here; reviews summarise the "overall" attribute`, 'UNKNOWN_ATTRIBUTE');
  }
}

