/**
 * The Ratings API (`/ratings/v1/ratings`, reference §7): attribute ratings (`quality`,
 * `value`, `fit`, ...; values 0-100) of an entity, one per owner per attribute, with
 * revisions, WQL queries and summaries. The `overall` attribute is never stored: it is
 * computed from approved reviews (reviews.ts), so the star widgets keep their numbers.
 *
 * Moderation reaches ratings through `relatedEntityIds`: a rating linked to a review that
 * is not APPROVED does not count in summaries or averages, and visitors do not see it.
 * Only the owner's API key sees who gave a rating (`owner`).
 */
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { custom, safeParse, type core, type infer as Infer } from 'zod/mini';
import {
  ATTRIBUTE_NAME,
  CreateRatingFlatRequestSchema,
  CreateRatingRequestSchema,
  OVERALL,
  QueryRatingsRequestSchema,
  RATING_LIMITS,
  RatingAveragesRequestSchema,
  UpdateRatingFlatRequestSchema,
  UpdateRatingRequestSchema,
  type Rating,
  type RatingInput,
  type RatingOwnerInput,
  type RatingPatch,
} from '../api/ratings.js';
import type { AttributeSummary, EntityAverage } from '../api/schema.js';
import type { Db, Queryable } from './db.js';
import { conflict, fieldError, forbidden, invalid, notFound } from './errors.js';
import { recordEvent, recordEvents, type EventContext } from './events.js';
import { appIdOf, jsonLimit, readJson, requireOwner, type Env } from './http.js';
import {
  ARRAY_OPS,
  EQ_OPS,
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
import * as reviews from './reviews.js';

/** The namespace of ratings given with reviews (reference §7); the default everywhere. */
export const REVIEWS_NAMESPACE = 'reviews';

const ENTITY_FQDN = 'wix.ratings.v1.rating';

// Owner columns hold NULL for the two kinds a rating's owner is not; the filters compare
// them as '' so `$ne` and `$not` also match ratings of the other kinds.
export const RATING_SPEC: ResourceSpec = {
  idColumn: 'id',
  fields: {
    id: { column: 'id', type: 'text', ops: EQ_OPS, sortable: true },
    namespace: { column: 'namespace', type: 'text', ops: EQ_OPS },
    group: { column: 'rating_group', type: 'text', ops: EQ_OPS },
    entityId: { column: 'entity_id', type: 'text', ops: EQ_OPS },
    attributeName: { column: 'attribute_name', type: 'text', ops: EQ_OPS },
    value: { column: 'value', type: 'int', ops: RANGE, sortable: true },
    'owner.contactId': { column: `coalesce(contact_id, '')`, type: 'text', ops: EQ_OPS },
    'owner.anonymousVisitorId': { column: `coalesce(anonymous_visitor_id, '')`, type: 'text', ops: EQ_OPS },
    'owner.memberId': { column: `coalesce(member_id, '')`, type: 'text', ops: EQ_OPS },
    relatedEntityIds: { column: 'related_entity_ids', type: 'textArray', ops: ARRAY_OPS },
    createdDate: { column: 'created_date', type: 'date', ops: RANGE, sortable: true },
    updatedDate: { column: 'updated_date', type: 'date', ops: RANGE, sortable: true },
  },
  aliases: { attributeId: 'attributeName', _id: 'id', _createdDate: 'createdDate', _updatedDate: 'updatedDate' },
  defaultSort: [{ field: 'createdDate', desc: false }],
};

/** Fields only the owner's API key may filter on (visitors never see them). */
const PRIVATE_FIELDS = new Set(['owner.contactId', 'owner.memberId']);

/** Who is calling: the owner (API key) or a visitor. */
export interface RatingsCaller {
  owner: boolean;
}

interface RatingRow {
  id: string;
  namespace: string;
  rating_group: string;
  entity_id: string;
  attribute_name: string;
  value: number;
  contact_id: string | null;
  anonymous_visitor_id: string | null;
  member_id: string | null;
  related_entity_ids: string[];
  revision: number | string;
  created_date: Date | string;
  updated_date: Date | string;
}

const COLUMNS = `id, namespace, rating_group, entity_id, attribute_name, value, contact_id,
  anonymous_visitor_id, member_id, related_entity_ids, revision, created_date, updated_date`;

/**
 * True for a rating that counts and that visitors may see: linked to no review that is
 * pending or rejected. Ids in relatedEntityIds that are not reviews (orders, ...) don't matter.
 */
const PUBLISHED = `(cardinality(r.related_entity_ids) = 0 OR NOT EXISTS (
  SELECT 1 FROM reviews rv WHERE rv.id = ANY(r.related_entity_ids) AND rv.moderation_status <> 'APPROVED'))`;

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** A rating as `caller` may see it: without `owner` unless the caller has the owner's API key. */
export function forCaller(rating: Rating, caller: RatingsCaller): Rating {
  if (caller.owner) return rating;
  const { owner: _owner, ...rest } = rating;
  return rest;
}

/** Serialises a row as the Wix Rating object; `owner` only for the owner's API key. */
export function toRating(row: RatingRow, showOwner: boolean): Rating {
  const rating: Rating = {
    id: row.id,
    revision: String(row.revision),
    namespace: row.namespace,
    group: row.rating_group,
    entityId: row.entity_id,
    attributeName: row.attribute_name,
    value: Number(row.value),
    ...(showOwner ? { owner: ownerOf(row) } : {}),
    relatedEntityIds: [...row.related_entity_ids],
    createdDate: iso(row.created_date),
    updatedDate: iso(row.updated_date),
  };
  return rating;
}

function ownerOf(row: RatingRow): Rating['owner'] & object {
  if (row.contact_id !== null) return { contactId: row.contact_id };
  if (row.member_id !== null) return { memberId: row.member_id };
  return { anonymousVisitorId: row.anonymous_visitor_id };
}

// ---------------------------------------------------------------------------
// Create, get, update, delete
// ---------------------------------------------------------------------------

/** A rating to create, after the request's rules were applied (see `newRatingFrom`). */
export interface NewRating {
  namespace: string;
  group: string;
  entityId: string;
  attributeName: string;
  value: number;
  owner: { contactId: string } | { anonymousVisitorId: string } | { memberId: string };
  relatedEntityIds: string[];
}

/** Options of the write functions: the time of the change and the app it is made for (events). */
export interface WriteOptions {
  now: Date;
  appId?: string | null;
}

/**
 * Create Rating. One rating per (namespace, group, entity, attribute, owner): a second
 * one is a 409 `RATING_ALREADY_EXISTS` whose `data.ratingId` names the existing rating.
 */
export async function createRating(db: Db, input: NewRating, opts: WriteOptions): Promise<Rating> {
  return db.transaction(async (tx) => {
    const owner = ownerColumns(input.owner);
    const { rows } = await tx.query<RatingRow>(
      `INSERT INTO ratings (id, namespace, rating_group, entity_id, attribute_name, value, contact_id,
          anonymous_visitor_id, member_id, related_entity_ids, created_date, updated_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $11)
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      [randomUUID(), input.namespace, input.group, input.entityId, input.attributeName, input.value, ...owner, input.relatedEntityIds, opts.now],
    );
    const row = rows[0];
    if (!row) {
      const existing = await tx.query<{ id: string }>(
        `SELECT id FROM ratings WHERE namespace = $1 AND rating_group = $2 AND entity_id = $3 AND attribute_name = $4
           AND coalesce(contact_id, '') = coalesce($5, '') AND coalesce(anonymous_visitor_id, '') = coalesce($6, '')
           AND coalesce(member_id, '') = coalesce($7, '')`,
        [input.namespace, input.group, input.entityId, input.attributeName, ...owner],
      );
      const ratingId = existing.rows[0]?.id ?? null;
      throw conflict(
        `This owner has already rated "${input.attributeName}" of this entity (one rating per owner per attribute)${ratingId ? `: update rating ${ratingId} instead` : ''}`,
        'RATING_ALREADY_EXISTS',
        { ratingId },
      );
    }
    const rating = toRating(row, true);
    await recordEvent(tx, { entityFqdn: ENTITY_FQDN, slug: 'created', entityId: row.id, payload: rating, appId: opts.appId ?? null, eventTime: opts.now });
    return rating;
  });
}

function ownerColumns(owner: NewRating['owner']): [string | null, string | null, string | null] {
  return [
    'contactId' in owner ? owner.contactId : null,
    'anonymousVisitorId' in owner ? owner.anonymousVisitorId.toLowerCase() : null,
    'memberId' in owner ? owner.memberId : null,
  ];
}

/** Get Rating: a 404 for an unknown id, and for visitors also for a rating of an unpublished review. */
export async function getRating(db: Queryable, id: string, caller: RatingsCaller): Promise<Rating> {
  const { rows } = await db.query<RatingRow>(
    `SELECT ${COLUMNS} FROM ratings r WHERE id = $1${caller.owner ? '' : ` AND ${PUBLISHED}`}`,
    [id],
  );
  if (!rows[0]) throw notFound(`Rating ${id}`);
  return toRating(rows[0], caller.owner);
}

/** What Update Rating changes; `undefined` leaves a field as it is. */
export interface RatingChange {
  revision: string | number;
  value?: number;
  relatedEntityIds?: string[];
  /** Fields sent back as read: each must equal the stored value. */
  unchanged: { field: string; value: unknown }[];
}

/**
 * Update Rating (owner): only `value` and `relatedEntityIds` change. The revision must be
 * the current one (409 `REVISION_MISMATCH` otherwise); each update adds 1 to it.
 */
export async function updateRating(db: Db, id: string, change: RatingChange, opts: WriteOptions): Promise<Rating> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<RatingRow>(`SELECT ${COLUMNS} FROM ratings WHERE id = $1 FOR UPDATE`, [id]);
    const cur = rows[0];
    if (!cur) throw notFound(`Rating ${id}`);
    checkRevision(cur, change.revision);
    for (const { field, value } of change.unchanged) checkUnchanged(cur, field, value);
    const { rows: out } = await tx.query<RatingRow>(
      `UPDATE ratings SET value = $2, related_entity_ids = $3::text[], updated_date = $4, revision = revision + 1
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, change.value ?? cur.value, change.relatedEntityIds ?? cur.related_entity_ids, opts.now],
    );
    const rating = toRating(out[0]!, true);
    await recordEvent(tx, { entityFqdn: ENTITY_FQDN, slug: 'updated', entityId: id, payload: rating, appId: opts.appId ?? null, eventTime: opts.now });
    return rating;
  });
}

function checkRevision(cur: RatingRow, revision: string | number): void {
  if (String(cur.revision) !== String(BigInt(revision))) {
    throw conflict(
      `Revision ${revision} is stale: the rating is at revision ${cur.revision}. Get it again and retry.`,
      'REVISION_MISMATCH',
      { currentRevision: String(cur.revision) },
    );
  }
}

function checkUnchanged(cur: RatingRow, field: string, sent: unknown): void {
  const stored: Record<string, unknown> = {
    'rating.namespace': cur.namespace,
    'rating.group': cur.rating_group,
    'rating.entityId': cur.entity_id,
    'rating.attributeName': cur.attribute_name,
    'rating.attributeId': cur.attribute_name,
  };
  if (field === 'rating.owner') {
    // As read from the API: the one owner field (null ones ignored; visitor ids in any case).
    const given = typeof sent === 'object' && sent !== null && !Array.isArray(sent)
      ? Object.fromEntries(
          Object.entries(sent)
            .filter(([, v]) => v !== null && v !== undefined)
            .map(([k, v]) => [k, k === 'anonymousVisitorId' && typeof v === 'string' ? v.toLowerCase() : v]),
        )
      : sent;
    const owner = ownerOf(cur);
    const same = typeof given === 'object' && given !== null && JSON.stringify(given) === JSON.stringify(owner);
    if (!same) throw fieldError(field, 'cannot be changed: only value and relatedEntityIds can be updated');
    return;
  }
  if (sent !== stored[field]) throw fieldError(field, 'cannot be changed: only value and relatedEntityIds can be updated');
}

/** Delete Rating (owner): the revision must be the current one. */
export async function deleteRating(db: Db, id: string, revision: string, opts: WriteOptions): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<RatingRow>(`SELECT ${COLUMNS} FROM ratings WHERE id = $1 FOR UPDATE`, [id]);
    const cur = rows[0];
    if (!cur) throw notFound(`Rating ${id}`);
    checkRevision(cur, revision);
    await tx.query('DELETE FROM ratings WHERE id = $1', [id]);
    await recordEvent(tx, { entityFqdn: ENTITY_FQDN, slug: 'deleted', entityId: id, payload: toRating(cur, true), appId: opts.appId ?? null, eventTime: opts.now });
  });
}

/**
 * Deletes the ratings whose relatedEntityIds contain `reviewId` (call it in the
 * transaction that deletes the review), recording a `deleted` event for each (with the
 * rating as it was). Returns how many were deleted.
 */
export async function deleteRatingsRelatedTo(tx: Queryable, reviewId: string, ctx: EventContext = {}): Promise<number> {
  const { rows } = await tx.query<RatingRow>(
    `DELETE FROM ratings WHERE related_entity_ids @> ARRAY[$1::text] RETURNING ${COLUMNS}`,
    [reviewId],
  );
  const eventTime = ctx.clock?.();
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  await recordEvents(
    tx,
    rows.map((row) => ({ entityFqdn: ENTITY_FQDN, slug: 'deleted', entityId: row.id, payload: toRating(row, true), appId: ctx.appId ?? null, eventTime })),
  );
  return rows.length;
}

/** A rating with a known id and dates, for the demo seed and imports (no events). */
export interface ImportedRating extends NewRating {
  id: string;
  createdDate: Date;
}

/** Inserts ratings as given (seed and import); the caller runs it in its transaction. */
export async function importRatings(tx: Queryable, ratings: readonly ImportedRating[]): Promise<void> {
  for (let i = 0; i < ratings.length; i += 500) {
    const chunk = ratings.slice(i, i + 500).map((r) => {
      const [contactId, visitorId, memberId] = ownerColumns(r.owner);
      return {
        id: r.id, namespace: r.namespace, rating_group: r.group, entity_id: r.entityId, attribute_name: r.attributeName,
        value: r.value, contact_id: contactId, anonymous_visitor_id: visitorId, member_id: memberId,
        related_entity_ids: r.relatedEntityIds, created_date: r.createdDate.toISOString(),
      };
    });
    await tx.query(
      `INSERT INTO ratings (id, namespace, rating_group, entity_id, attribute_name, value, contact_id,
          anonymous_visitor_id, member_id, related_entity_ids, created_date, updated_date)
       SELECT id, namespace, rating_group, entity_id, attribute_name, value, contact_id,
          anonymous_visitor_id, member_id, related_entity_ids, created_date, created_date
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, namespace text, rating_group text, entity_id text,
          attribute_name text, value smallint, contact_id text, anonymous_visitor_id text, member_id text,
          related_entity_ids text[], created_date timestamptz)`,
      [JSON.stringify(chunk)],
    );
  }
}

// ---------------------------------------------------------------------------
// Query
// ---------------------------------------------------------------------------

export interface RatingsQueryInput {
  filter?: unknown;
  sort?: readonly { fieldName: string; order?: 'ASC' | 'DESC' }[] | null;
  limit?: number | null;
  cursor?: string | null;
}

export interface RatingsQueryResult {
  ratings: Rating[];
  metadata: { count: number; cursors: { next?: string; prev?: string }; hasNext: boolean };
}

/**
 * Query Ratings: WQL filter and sort over RATING_SPEC, keyset cursors in both directions.
 * Visitors see neither owners nor ratings of unpublished reviews, and may not filter on
 * `owner.contactId` / `owner.memberId`.
 */
export async function queryRatings(db: Queryable, input: RatingsQueryInput, caller: RatingsCaller): Promise<RatingsQueryResult> {
  let state: CursorState;
  if (input.cursor) {
    state = decodeCursor(input.cursor, RATING_SPEC);
    if (input.limit) state.limit = input.limit;
  } else {
    state = {
      filter: input.filter ?? null,
      sort: compileSort(input.sort, RATING_SPEC),
      search: null,
      limit: input.limit ?? RATING_LIMITS.pageDefault,
      private: false,
      after: [],
      dir: 'next',
    };
  }
  if (!caller.owner) {
    const field = privateFieldIn(state.filter);
    if (field) throw forbidden(`Filtering on ${field} needs the owner API key (visitors do not see who gave a rating)`);
  }
  const params = new Params();
  const conditions = [compileFilter(state.filter, RATING_SPEC, params, 'query.filter')];
  if (!caller.owner) conditions.push(PUBLISHED);
  const reverse = state.dir === 'prev';
  if (state.after.length) conditions.push(keysetCondition(state.sort, state.after, RATING_SPEC, params, reverse));
  const where = conditions.filter((p) => p !== 'TRUE').join(' AND ') || 'TRUE';
  const { rows } = await db.query<RatingRow>(
    `SELECT ${COLUMNS} FROM ratings r WHERE ${where} ORDER BY ${orderBy(state.sort, RATING_SPEC, reverse)} LIMIT ${state.limit + 1}`,
    params.values,
  );
  const more = rows.length > state.limit;
  const page = rows.slice(0, state.limit);
  if (reverse) page.reverse();
  const keyOf = (r: RatingRow) => [...state.sort.map((k) => sortValue(r, k.field)), r.id];
  const base = { filter: state.filter, sort: state.sort, search: null, limit: state.limit, private: false };
  const cursors: { next?: string; prev?: string } = {};
  const first = page[0];
  const last = page.at(-1);
  const hasNext = reverse ? true : more;
  const hasPrev = reverse ? more : state.after.length > 0;
  if (hasNext && last) cursors.next = encodeCursor({ ...base, after: keyOf(last), dir: 'next' });
  // Paging back past the first row leaves an empty page: "next" resumes where we were.
  if (hasNext && !last && reverse && state.after.length) cursors.next = encodeCursor({ ...base, after: state.after, dir: 'next' });
  if (hasPrev && first) cursors.prev = encodeCursor({ ...base, after: keyOf(first), dir: 'prev' });
  return { ratings: page.map((r) => toRating(r, caller.owner)), metadata: { count: page.length, cursors, hasNext } };
}

function sortValue(row: RatingRow, field: string): unknown {
  switch (field) {
    case 'id':
      return row.id;
    case 'value':
      return Number(row.value);
    case 'createdDate':
      return iso(row.created_date);
    case 'updatedDate':
      return iso(row.updated_date);
    default:
      throw new Error(`no sort value for ${field}`);
  }
}

/**
 * The first owner-only field a filter names (at any depth, by name or alias), if any.
 * Gives up only below any depth the query compiler accepts (8 levels of $and/$or/$not).
 */
function privateFieldIn(node: unknown, depth = 0): string | undefined {
  if (depth > 40 || typeof node !== 'object' || node === null) return undefined;
  for (const [key, value] of Object.entries(node)) {
    const name = RATING_SPEC.aliases?.[key] ?? key;
    if (PRIVATE_FIELDS.has(name)) return name;
    const nested = privateFieldIn(value, depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Summaries and averages
// ---------------------------------------------------------------------------

export interface SummaryScope {
  namespace: string;
  group: string;
  /** Omit for the whole group. */
  entityId?: string;
  /** In the order to answer; `overall` comes from approved reviews. */
  attributeNames: readonly string[];
}

/**
 * Attribute summaries of an entity or a group, in the order asked. `overall` is the
 * reviews' star summary (namespace `reviews` only: other namespaces have no reviews);
 * other attributes count every rating not linked to an unpublished review.
 */
export async function summaries(db: Queryable, scope: SummaryScope): Promise<AttributeSummary[]> {
  const stored = scope.attributeNames.filter((n) => n !== OVERALL);
  const counts = new Map<string, Map<number, number>>();
  if (stored.length) {
    const params = [scope.namespace, scope.group, stored, ...(scope.entityId === undefined ? [] : [scope.entityId])];
    const { rows } = await db.query<{ attribute_name: string; value: number; n: number }>(
      `SELECT attribute_name, value, count(*)::int AS n FROM ratings r
       WHERE namespace = $1 AND rating_group = $2 AND attribute_name = ANY($3::text[])
         ${scope.entityId === undefined ? '' : 'AND entity_id = $4'} AND ${PUBLISHED}
       GROUP BY attribute_name, value`,
      params,
    );
    for (const r of rows) {
      const byValue = counts.get(r.attribute_name) ?? new Map<number, number>();
      byValue.set(Number(r.value), Number(r.n));
      counts.set(r.attribute_name, byValue);
    }
  }
  let overall: AttributeSummary | undefined;
  if (scope.attributeNames.includes(OVERALL)) {
    if (scope.namespace !== REVIEWS_NAMESPACE) overall = emptyOverall();
    else {
      const s = scope.entityId === undefined
        ? await reviews.groupSummary(db, scope.group)
        : await reviews.entitySummary(db, scope.group, scope.entityId);
      overall = s.attributeSummaries[0]!;
    }
  }
  return scope.attributeNames.map((name) => (name === OVERALL ? overall! : attributeSummary(name, counts.get(name) ?? new Map())));
}

/** A stored attribute's summary: the values present, highest first. */
function attributeSummary(attributeName: string, byValue: ReadonlyMap<number, number>): AttributeSummary {
  const valueBreakdown = [...byValue].sort((a, b) => b[0] - a[0]).map(([value, total]) => ({ value, total }));
  const total = valueBreakdown.reduce((s, b) => s + b.total, 0);
  const sum = valueBreakdown.reduce((s, b) => s + b.value * b.total, 0);
  return { attributeName, total, average: total ? round(sum / total) : 0, valueBreakdown };
}

/** The overall summary (every star value 5..1) of a namespace without reviews. */
function emptyOverall(): AttributeSummary {
  return { attributeName: OVERALL, total: 0, average: 0, valueBreakdown: [5, 4, 3, 2, 1].map((value) => ({ value, total: 0 })) };
}

/** List Attribute Averages By Entity: total and average per entity id, in request order (duplicates once). */
export async function attributeAverages(
  db: Queryable,
  scope: { namespace: string; group: string; attributeName: string; entityIds: readonly string[] },
): Promise<EntityAverage[]> {
  const unique = [...new Set(scope.entityIds)];
  if (scope.attributeName === OVERALL) {
    if (scope.namespace === REVIEWS_NAMESPACE) return reviews.entityAverages(db, scope.group, unique);
    return unique.map((entityId) => ({ entityId, total: 0, average: 0 }));
  }
  const { rows } = await db.query<{ entity_id: string; n: number; s: number | string }>(
    `SELECT entity_id, count(*)::int AS n, sum(value)::int8 AS s FROM ratings r
     WHERE namespace = $1 AND rating_group = $2 AND attribute_name = $3 AND entity_id = ANY($4::text[]) AND ${PUBLISHED}
     GROUP BY entity_id`,
    [scope.namespace, scope.group, scope.attributeName, unique],
  );
  const byId = new Map(rows.map((r) => [r.entity_id, r]));
  return unique.map((entityId) => {
    const r = byId.get(entityId);
    const n = r ? Number(r.n) : 0;
    return { entityId, total: n, average: n ? round(Number(r!.s) / n) : 0 };
  });
}

const round = (n: number) => Math.round(n * 10000) / 10000;

// ---------------------------------------------------------------------------
// Request rules
// ---------------------------------------------------------------------------

const BodySchema = custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'must be an object',
});

function parse<S extends core.$ZodType>(schema: S, data: unknown): core.output<S> {
  const parsed = safeParse(schema, data, { reportInput: true });
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}

/** `attributeName`, or its 2022 alias `attributeId`; both may be sent if they agree. */
function attributeOf(name: string | undefined, alias: string | undefined, prefix: string, required = true): string | undefined {
  if (name !== undefined && alias !== undefined && name !== alias) {
    throw fieldError(`${prefix}attributeId`, `("${alias}") differs from attributeName ("${name}"); send one of them`);
  }
  const attribute = name ?? alias;
  if (attribute === undefined && required) throw fieldError(`${prefix}attributeName`, 'is required', 'REQUIRED_FIELD');
  return attribute;
}

/**
 * Applies Create Rating's rules to a parsed body (2023 `{rating}` or the flat 2022 body):
 * `overall` cannot be stored; the owner sets any one owner kind; a visitor must rate as
 * `anonymousVisitorId` and may not name a contact or member (403).
 */
export function newRatingFrom(body: unknown, caller: RatingsCaller): NewRating {
  const nested = typeof body === 'object' && body !== null && 'rating' in body;
  const prefix = nested ? 'rating.' : '';
  let input: Omit<RatingInput, 'owner'>;
  let ownerIn: RatingOwnerInput | undefined;
  if (nested) {
    input = parse(CreateRatingRequestSchema, body).rating;
    ownerIn = (input as RatingInput).owner;
  } else {
    const flat = parse(CreateRatingFlatRequestSchema, body);
    input = flat;
    ownerIn = flat.ratingOwner;
  }
  const ownerField = nested ? 'rating.owner' : 'ratingOwner';
  const attributeName = attributeOf(input.attributeName, input.attributeId, prefix)!;
  if (attributeName === OVERALL) {
    throw fieldError(
      `${prefix}attributeName`,
      'cannot be "overall": the overall rating is computed from approved reviews (rate with Create Review instead)',
    );
  }
  let owner: NewRating['owner'];
  if (!caller.owner) {
    if (ownerIn?.contactId != null || ownerIn?.memberId != null) {
      throw forbidden(`Only the owner (API key) may set ${ownerField}.contactId or ${ownerField}.memberId; visitors rate as ${ownerField}.anonymousVisitorId`);
    }
    if (ownerIn?.anonymousVisitorId == null) {
      throw fieldError(`${ownerField}.anonymousVisitorId`, 'is required: visitors rate with their visitor id', 'REQUIRED_FIELD');
    }
    owner = { anonymousVisitorId: ownerIn.anonymousVisitorId };
  } else {
    const kinds = (['contactId', 'anonymousVisitorId', 'memberId'] as const).filter((k) => ownerIn?.[k] != null);
    if (kinds.length !== 1) {
      throw fieldError(ownerField, `needs exactly one of contactId, anonymousVisitorId or memberId${kinds.length ? ` (got ${kinds.join(' and ')})` : ''}`, kinds.length ? 'INVALID_ARGUMENT' : 'REQUIRED_FIELD');
    }
    const kind = kinds[0]!;
    owner = { [kind]: ownerIn![kind]! } as NewRating['owner'];
  }
  return {
    namespace: input.namespace ?? REVIEWS_NAMESPACE,
    group: input.group,
    entityId: input.entityId,
    attributeName,
    value: input.value,
    owner,
    relatedEntityIds: [...new Set(input.relatedEntityIds ?? [])],
  };
}

const UPDATABLE = ['value', 'relatedEntityIds'] as const;

/**
 * Applies Update Rating's rules to a parsed body (2023 `{rating, fieldMask}` or the flat
 * 2022 `{revision, value, relatedEntityIds, fields}`). With a field mask only the named
 * fields change (a named `relatedEntityIds` that is absent is cleared); without one, the
 * fields sent change.
 */
export function ratingChangeFrom(body: unknown, pathId: string): RatingChange {
  const nested = typeof body === 'object' && body !== null && 'rating' in body;
  const prefix = nested ? 'rating.' : '';
  let patch: RatingPatch | Infer<typeof UpdateRatingFlatRequestSchema>;
  let mask: Set<string> | undefined;
  const unchanged: RatingChange['unchanged'] = [];
  if (nested) {
    const req = parse(UpdateRatingRequestSchema, body);
    patch = req.rating;
    mask = maskOf(req.fieldMask, req.fields);
    for (const f of ['namespace', 'group', 'entityId', 'attributeName', 'attributeId', 'owner'] as const) {
      if (req.rating[f] !== undefined) unchanged.push({ field: `rating.${f}`, value: req.rating[f] });
    }
  } else {
    const flat = parse(UpdateRatingFlatRequestSchema, body);
    patch = flat;
    mask = maskOf(flat.fieldMask, flat.fields);
  }
  if (patch.id !== undefined && patch.id !== pathId) throw fieldError(`${prefix}id`, 'does not match the id in the path');
  const change: RatingChange = { revision: patch.revision, unchanged };
  if (mask) {
    if (mask.has('value')) {
      if (patch.value === undefined) throw fieldError(`${prefix}value`, 'is required: the field mask names it', 'REQUIRED_FIELD');
      change.value = patch.value;
    }
    if (mask.has('relatedEntityIds')) change.relatedEntityIds = [...new Set(patch.relatedEntityIds ?? [])];
  } else {
    if (patch.value !== undefined) change.value = patch.value;
    if (patch.relatedEntityIds !== undefined) change.relatedEntityIds = [...new Set(patch.relatedEntityIds ?? [])];
  }
  return change;
}

function maskOf(fieldMask: string | { paths: string[] } | null | undefined, fields: string[] | null | undefined): Set<string> | undefined {
  const [name, paths] = fields != null
    ? ['fields', fields]
    : ['fieldMask', typeof fieldMask === 'string' ? fieldMask.split(',') : (fieldMask?.paths ?? [])];
  const names = paths.map((p) => p.trim().replace(/^rating\./, '')).filter(Boolean);
  if (names.length === 0) return undefined;
  for (const n of names) {
    if (!(UPDATABLE as readonly string[]).includes(n)) {
      throw fieldError(name, `names "${n}", which cannot be updated: only ${UPDATABLE.join(' and ')} can`);
    }
  }
  return new Set(names);
}

/** `attributeNames`, `attributeNames[]` (repeated, or comma lists), deduplicated in order; `overall` when none. */
export function attributeNamesOf(c: Context): string[] {
  const q = c.req.queries();
  const raw = [...(q['attributeNames'] ?? []), ...(q['attributeNames[]'] ?? [])].flatMap((v) => v.split(','));
  const names = [...new Set(raw.map((n) => n.trim()).filter(Boolean))];
  if (names.length > RATING_LIMITS.attributeNamesMax) {
    throw fieldError('attributeNames', `must have at most ${RATING_LIMITS.attributeNamesMax} names`, 'OUT_OF_RANGE');
  }
  for (const n of names) {
    if (!ATTRIBUTE_NAME.test(n)) {
      throw fieldError('attributeNames', `has "${n.slice(0, 60)}", which is not an attribute name: names start with a lowercase letter and use only a-z, 0-9, "_" or "-" (at most 50 characters)`);
    }
  }
  return names.length ? names : [OVERALL];
}

function namespaceOf(c: Context): string {
  const ns = c.req.query('namespace');
  if (ns === undefined || ns === '') return REVIEWS_NAMESPACE;
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(ns)) throw fieldError('namespace', 'has an invalid format (1-100 letters, digits, ".", "_" or "-")');
  return ns;
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

export interface RatingsRoutesOptions {
  db: Db;
  /** The current time; tests pass a fake clock. */
  clock?: () => Date;
}

/** The Ratings API routes, with their full paths: mount with `app.route('/', ratingsRoutes(...))`. */
export function ratingsRoutes(opts: RatingsRoutesOptions): Hono<Env> {
  const { db } = opts;
  const now = () => (opts.clock ? opts.clock() : new Date());
  const caller = (c: Context<Env>): RatingsCaller => ({ owner: c.get('owner') });
  const app = new Hono<Env>();
  const base = '/ratings/v1/ratings';

  app.post(base, jsonLimit, async (c) => {
    const body = await readJson(c, BodySchema);
    const input = newRatingFrom(body, caller(c));
    const rating = await createRating(db, input, { now: now(), appId: appIdOf(c) });
    return c.json({ rating: forCaller(rating, caller(c)) });
  });

  app.post(`${base}/query`, jsonLimit, async (c) => {
    const body = await readJson(c, QueryRatingsRequestSchema, true);
    const q = body.query ?? {};
    return c.json(await queryRatings(db, { filter: q.filter, sort: q.sort, limit: q.cursorPaging?.limit, cursor: q.cursorPaging?.cursor }, caller(c)));
  });

  app.get(`${base}/groups/:group/entities/:entityId/summary`, async (c) => {
    const group = c.req.param('group');
    const entityId = c.req.param('entityId');
    const attributeSummaries = await summaries(db, { namespace: namespaceOf(c), group, entityId, attributeNames: attributeNamesOf(c) });
    return c.json({ group, entityId, attributeSummaries });
  });

  app.get(`${base}/groups/:group/summary`, async (c) => {
    const group = c.req.param('group');
    const attributeSummaries = await summaries(db, { namespace: namespaceOf(c), group, attributeNames: attributeNamesOf(c) });
    return c.json({ group, attributeSummaries });
  });

  app.post(`${base}/groups/:group/attributes/average`, jsonLimit, async (c) => {
    const body = await readJson(c, RatingAveragesRequestSchema);
    const group = c.req.param('group');
    const attributeName = attributeOf(body.attributeName, body.attributeId, '', false) ?? OVERALL;
    const entityAverages = await attributeAverages(db, { namespace: body.namespace ?? REVIEWS_NAMESPACE, group, attributeName, entityIds: body.entityIds });
    return c.json({ group, entityAverages });
  });

  app.get(`${base}/:id`, async (c) => c.json({ rating: await getRating(db, c.req.param('id'), caller(c)) }));

  app.patch(`${base}/:id`, jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, BodySchema);
    const change = ratingChangeFrom(body, c.req.param('id'));
    return c.json({ rating: await updateRating(db, c.req.param('id'), change, { now: now(), appId: appIdOf(c) }) });
  });

  app.delete(`${base}/:id`, async (c) => {
    requireOwner(c);
    const revision = c.req.query('revision');
    if (revision === undefined || revision === '') {
      throw fieldError('revision', 'is required: send the revision you read (?revision=N)', 'REQUIRED_FIELD');
    }
    if (!/^\d{1,18}$/.test(revision)) throw fieldError('revision', 'must be a non-negative integer');
    await deleteRating(db, c.req.param('id'), revision, { now: now(), appId: appIdOf(c) });
    return c.json({});
  });

  return app;
}
