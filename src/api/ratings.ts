/**
 * The wire contract of the Ratings API (`/ratings/v1/ratings`, reference §7): the Rating
 * object as the API returns it, and every request body the reference server validates.
 *
 * Response schemas are lean (they check shapes, the server enforces rules), because the
 * browser widget will import them; request schemas follow the 2023 shape (`{rating}`)
 * and also accept the 2022 draft's spellings (`attributeId`, flat bodies, `fields`).
 * Written with `zod/mini` and named imports, like schema.ts, for the bundle budget.
 */
import {
  array,
  boolean,
  custom,
  enum as zEnum,
  gte,
  int,
  lte,
  maxLength,
  minLength,
  nullable,
  object,
  optional,
  refine,
  regex,
  strictObject,
  string,
  union,
  unknown,
  type infer as Infer,
} from 'zod/mini';
import { EntityIdSchema, NamespaceSchema } from './schema.js';

export const RATING_LIMITS = {
  valueMin: 0,
  valueMax: 100,
  relatedEntityIdsMax: 20,
  relatedEntityIdMax: 100,
  ownerIdMax: 100,
  /** Attribute names one summary request may ask for. */
  attributeNamesMax: 20,
  pageDefault: 50,
  pageMax: 100,
  averagesMaxIds: 100,
} as const;

/** The attribute computed from approved reviews; never stored as a rating. */
export const OVERALL = 'overall';

/** Attribute names: a lowercase letter, then up to 49 of a-z, 0-9, `_` and `-`. */
export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_-]{0,49}$/;
const ATTRIBUTE_NAME_RULE = 'must start with a lowercase letter and use only a-z, 0-9, "_" or "-" (at most 50 characters)';

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/** Who gave a rating; exactly one field is set. Only the owner's API key sees it. */
export const RatingOwnerSchema = object({
  contactId: optional(nullable(string())),
  anonymousVisitorId: optional(nullable(string())),
  memberId: optional(nullable(string())),
});
export type RatingOwner = Infer<typeof RatingOwnerSchema>;

export const RatingSchema = object({
  id: string(),
  revision: string(),
  namespace: string(),
  group: string(),
  entityId: string(),
  attributeName: string(),
  value: int(),
  owner: optional(RatingOwnerSchema),
  relatedEntityIds: optional(array(string())),
  createdDate: string(),
  updatedDate: optional(string()),
});
export type Rating = Infer<typeof RatingSchema>;

export const RatingEnvelopeSchema = object({ rating: RatingSchema });

/** Envelope of Query Ratings; items are checked one by one, like reviews. */
export const QueryRatingsEnvelopeSchema = object({
  ratings: array(unknown()),
  metadata: optional(
    object({
      count: optional(int()),
      cursors: optional(object({ next: optional(nullable(string())), prev: optional(nullable(string())) })),
      hasNext: optional(boolean()),
    }),
  ),
});

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/** An attribute name as a client sends it (`overall` passes here; the server refuses it where it cannot be stored). */
export const AttributeNameSchema = string().check(
  refine((s) => ATTRIBUTE_NAME.test(s), { message: ATTRIBUTE_NAME_RULE }),
);

const valueIn = int().check(gte(RATING_LIMITS.valueMin), lte(RATING_LIMITS.valueMax));

/** Revision is an int64 serialized as a string; clients may send a number. */
const revisionIn = union([string().check(regex(/^\d{1,18}$/)), int().check(gte(0))]);

const ownerId = string().check(minLength(1), maxLength(RATING_LIMITS.ownerIdMax));
/** The widget's visitor id (src/shared/visitor.ts): a UUID. */
const visitorId = string().check(
  refine((s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s), { message: 'must be a UUID (the visitor id)' }),
);

export const RatingOwnerInputSchema = strictObject({
  contactId: optional(nullable(ownerId)),
  anonymousVisitorId: optional(nullable(visitorId)),
  memberId: optional(nullable(ownerId)),
});
export type RatingOwnerInput = Infer<typeof RatingOwnerInputSchema>;

export const RelatedEntityIdsSchema = array(
  string().check(minLength(1), maxLength(RATING_LIMITS.relatedEntityIdMax)),
).check(maxLength(RATING_LIMITS.relatedEntityIdsMax));

/**
 * Read-only fields of a rating: accepted so a rating read from the API can be sent back,
 * and ignored on create.
 */
const readOnly = {
  id: optional(string()),
  revision: optional(nullable(revisionIn)),
  createdDate: optional(string()),
  updatedDate: optional(string()),
};

/** The rating of Create Rating. `attributeId` is the 2022 draft's name for `attributeName`. */
export const RatingInputSchema = strictObject({
  ...readOnly,
  namespace: optional(NamespaceSchema),
  group: NamespaceSchema,
  entityId: EntityIdSchema,
  attributeName: optional(AttributeNameSchema),
  attributeId: optional(AttributeNameSchema),
  value: valueIn,
  owner: optional(RatingOwnerInputSchema),
  relatedEntityIds: optional(nullable(RelatedEntityIdsSchema)),
});
export type RatingInput = Infer<typeof RatingInputSchema>;

export const CreateRatingRequestSchema = strictObject({ rating: RatingInputSchema });

/** Create Rating as the 2022 draft wrote it: the fields at the top, the owner as `ratingOwner`. */
export const CreateRatingFlatRequestSchema = strictObject({
  namespace: optional(NamespaceSchema),
  group: NamespaceSchema,
  entityId: EntityIdSchema,
  attributeName: optional(AttributeNameSchema),
  attributeId: optional(AttributeNameSchema),
  value: valueIn,
  ratingOwner: optional(RatingOwnerInputSchema),
  relatedEntityIds: optional(nullable(RelatedEntityIdsSchema)),
});

/** Field masks: Wix's `{paths: [...]}`, a comma-separated string, or the 2022 `fields` list. */
const fieldMaskIn = union([
  string().check(maxLength(500)),
  strictObject({ paths: array(string().check(maxLength(100))).check(maxLength(20)) }),
]);

/**
 * The rating of Update Rating: `revision` is required; only `value` and
 * `relatedEntityIds` change. The other fields may be sent back unchanged.
 */
export const RatingPatchSchema = strictObject({
  ...readOnly,
  revision: revisionIn,
  namespace: optional(string()),
  group: optional(string()),
  entityId: optional(string()),
  attributeName: optional(string()),
  attributeId: optional(string()),
  owner: optional(unknown()),
  value: optional(valueIn),
  relatedEntityIds: optional(nullable(RelatedEntityIdsSchema)),
});
export type RatingPatch = Infer<typeof RatingPatchSchema>;

export const UpdateRatingRequestSchema = strictObject({
  rating: RatingPatchSchema,
  fieldMask: optional(nullable(fieldMaskIn)),
  fields: optional(nullable(array(string().check(maxLength(100))).check(maxLength(20)))),
});
export type UpdateRatingRequest = Infer<typeof UpdateRatingRequestSchema>;

/** Update Rating as the 2022 draft wrote it: `{revision, value, relatedEntityIds, fields}`. */
export const UpdateRatingFlatRequestSchema = strictObject({
  id: optional(string()),
  revision: revisionIn,
  value: optional(valueIn),
  relatedEntityIds: optional(nullable(RelatedEntityIdsSchema)),
  fields: optional(nullable(array(string().check(maxLength(100))).check(maxLength(20)))),
  fieldMask: optional(nullable(fieldMaskIn)),
});

/** Filters are checked field by field by the query compiler; passed on as sent. */
const filterIn = custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'must be an object',
});

export const QueryRatingsRequestSchema = strictObject({
  query: optional(
    nullable(
      strictObject({
        filter: optional(nullable(filterIn)),
        sort: optional(
          nullable(
            array(strictObject({ fieldName: string().check(minLength(1), maxLength(100)), order: optional(zEnum(['ASC', 'DESC'])) })).check(
              maxLength(10),
            ),
          ),
        ),
        cursorPaging: optional(
          nullable(
            strictObject({
              limit: optional(nullable(int().check(gte(1), lte(RATING_LIMITS.pageMax)))),
              cursor: optional(nullable(string().check(maxLength(8192)))),
            }),
          ),
        ),
      }),
    ),
  ),
});
export type QueryRatingsRequest = Infer<typeof QueryRatingsRequestSchema>;

/** List Attribute Averages By Entity; `attributeName` defaults to `overall`. */
export const RatingAveragesRequestSchema = strictObject({
  entityIds: array(EntityIdSchema).check(minLength(1), maxLength(RATING_LIMITS.averagesMaxIds)),
  attributeName: optional(AttributeNameSchema),
  attributeId: optional(AttributeNameSchema),
  namespace: optional(NamespaceSchema),
});
export type RatingAveragesRequest = Infer<typeof RatingAveragesRequestSchema>;
