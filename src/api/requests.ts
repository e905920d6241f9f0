/**
 * Request schemas of the Reviews API: what the reference server validates. Node only
 * (src/server imports this; the elements never do), kept apart from schema.ts because
 * zod schemas are built when their module loads: anything in schema.ts is paid for by
 * every browser bundle, whether it is used or not.
 *
 * Where the browser validates too (the review draft), these schemas are built from the
 * very same schema objects in schema.ts, so both sides agree.
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
  optional,
  refine,
  regex,
  strictObject,
  string,
  union,
  unknown,
  type infer as Infer,
} from 'zod/mini';
import {
  EmailSchema,
  EntityIdSchema,
  HELPFULNESS_VOTES,
  LIMITS,
  NamespaceSchema,
  ORIGIN_TYPES,
  ReviewContentInputSchema,
} from './schema.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const isoDate = string().check(
  regex(ISO_DATE),
  // The shape alone lets through month 13 or year 0, which no database can store.
  refine((s) => !ISO_DATE.test(s) || isStorableDate(s), { message: 'is not a valid date (years 1 to 9999)' }),
);
function isStorableDate(s: string): boolean {
  const d = new Date(s);
  return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999;
}
/** Revision is an int64 serialized as a string; clients may send a number. */
const revisionIn = union([
  string().check(regex(/^\d{1,18}$/)),
  int().check(gte(0)),
]);

// ---------------------------------------------------------------------------
// Reviews
// ---------------------------------------------------------------------------

/** Partial content for Update Review: only the given fields change. */
export const ReviewContentPatchSchema = strictObject({
  ...ReviewContentInputSchema.shape,
  rating: optional(ReviewContentInputSchema.shape.rating),
});

const contactId = string().check(minLength(1), maxLength(100));
const authorName = nullable(string().check(maxLength(LIMITS.nameMax)));

const originIn = strictObject({
  type: zEnum(ORIGIN_TYPES),
  appId: optional(nullable(string().check(maxLength(100)))),
});

/**
 * The review object as a client may send it. Read-only fields (id, dates, counters,
 * moderation, ...) are accepted so a review read from the API can be sent back, and are
 * ignored; unknown fields are refused.
 */
const reviewInputShape = {
  id: optional(string()),
  namespace: optional(NamespaceSchema),
  entityId: optional(EntityIdSchema),
  content: optional(ReviewContentInputSchema),
  author: optional(
    strictObject({ contactId: optional(nullable(contactId)), authorName: optional(authorName) }),
  ),
  reviewDate: optional(isoDate),
  verified: optional(boolean()),
  origin: optional(originIn),
  revision: optional(nullable(revisionIn)),
  createdDate: optional(string()),
  updatedDate: optional(string()),
  reply: optional(unknown()),
  foundHelpful: optional(unknown()),
  foundUnhelpful: optional(unknown()),
  helpfulness: optional(unknown()),
  moderation: optional(unknown()),
  relevanceScore: optional(unknown()),
  publishCount: optional(unknown()),
};

export const CreateReviewInputSchema = strictObject({
  ...reviewInputShape,
  namespace: NamespaceSchema,
  entityId: EntityIdSchema,
  content: ReviewContentInputSchema,
  author: strictObject({ contactId, authorName: optional(authorName) }),
});
export type CreateReviewInput = Infer<typeof CreateReviewInputSchema>;

export const CreateReviewRequestSchema = strictObject({ review: CreateReviewInputSchema });

export const UpdateReviewRequestSchema = strictObject({
  review: strictObject({
    ...reviewInputShape,
    content: optional(ReviewContentPatchSchema),
    revision: revisionIn,
  }),
  fieldMask: optional(unknown()),
});
export type UpdateReviewRequest = Infer<typeof UpdateReviewRequestSchema>;

/** Create Review And Contact: what the review form sends (its draft: ReviewDraftSchema). */
export const CreateReviewAndContactRequestSchema = strictObject({
  namespace: NamespaceSchema,
  entityId: EntityIdSchema,
  name: optional(string().check(maxLength(LIMITS.nameMax))),
  email: optional(EmailSchema),
  content: ReviewContentInputSchema,
});
export type CreateReviewAndContactRequest = Infer<typeof CreateReviewAndContactRequestSchema>;

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

export const SORT_FIELDS = [
  'content.rating',
  'helpfulness',
  'createdDate',
  'relevanceScore',
  'verified',
  'origin.type',
] as const;

export const SortSchema = strictObject({
  fieldName: string().check(minLength(1), maxLength(100)),
  order: optional(zEnum(['ASC', 'DESC'])),
});
export type Sort = Infer<typeof SortSchema>;

export const CursorPagingSchema = strictObject({
  limit: optional(nullable(int().check(gte(1), lte(LIMITS.pageMax)))),
  cursor: optional(nullable(string().check(maxLength(8192)))),
});

/** WQL search extension: a plain string or Wix's `{expression}` form. */
export const SearchSchema = union([
  string().check(maxLength(200)),
  strictObject({
    expression: string().check(maxLength(200)),
    mode: optional(zEnum(['OR', 'AND'])),
    fields: optional(array(string())),
    fuzzy: optional(boolean()),
  }),
]);

/**
 * Filter objects are checked field by field by the server's query compiler. Passed on
 * as sent (a record schema would copy it and silently drop a `__proto__` key).
 */
export const FilterSchema = custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'must be an object' },
);
export type Filter = Record<string, unknown>;

export const QuerySchema = strictObject({
  filter: optional(nullable(FilterSchema)),
  sort: optional(nullable(array(SortSchema).check(maxLength(10)))),
  cursorPaging: optional(nullable(CursorPagingSchema)),
  search: optional(nullable(SearchSchema)),
});
export type Query = Infer<typeof QuerySchema>;

export const QueryReviewsRequestSchema = strictObject({
  query: optional(nullable(QuerySchema)),
  returnPrivateReviews: optional(boolean()),
});
export type QueryReviewsRequest = Infer<typeof QueryReviewsRequestSchema>;

export const CountReviewsRequestSchema = strictObject({
  filter: optional(nullable(FilterSchema)),
  search: optional(nullable(SearchSchema)),
  includePrivateReviews: optional(boolean()),
});

// ---------------------------------------------------------------------------
// Owner actions, votes, ratings
// ---------------------------------------------------------------------------

export const BulkCreateReviewsRequestSchema = strictObject({
  reviews: array(unknown()).check(minLength(1), maxLength(1000)),
  returnEntity: optional(boolean()),
});

export const BulkDeleteReviewsRequestSchema = strictObject({ filter: FilterSchema });

export const MODERATE_STATUSES = ['APPROVED', 'REJECTED'] as const;
export const BulkModerateRequestSchema = strictObject({
  filter: FilterSchema,
  status: zEnum(['UNKNOWN', 'UNKNOWN_MODERATION_STATUS', ...MODERATE_STATUSES]),
});

export const ModerateRequestSchema = strictObject({
  reviewId: optional(string()),
  status: zEnum(['UNKNOWN', 'UNKNOWN_MODERATION_STATUS', ...MODERATE_STATUSES]),
});

export const SetReplyRequestSchema = strictObject({
  reviewId: optional(string()),
  message: string().check(minLength(1), maxLength(LIMITS.replyMax)),
});

export const HelpfulnessVoteRequestSchema = strictObject({
  vote: zEnum(HELPFULNESS_VOTES),
  visitorId: string().check(
    regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
  ),
});

export const AveragesRequestSchema = strictObject({
  entityIds: array(EntityIdSchema).check(minLength(1), maxLength(LIMITS.averagesMaxIds)),
  attributeName: optional(string()),
  namespace: optional(string()),
});
