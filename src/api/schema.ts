/**
 * The wire contract as the browser needs it: zod schemas and types of the responses of
 * the Wix-compatible Reviews, Ratings and review-extension APIs, and of the review draft
 * a visitor writes (validated by review-form, and by the server as part of its request
 * schemas in requests.ts). Shared by the browser client and the reference server.
 *
 * Only what the browser uses belongs here: zod schemas are built when the module loads,
 * so bundlers cannot drop unused ones. Server-only request schemas live in requests.ts.
 * Response schemas check shapes, not business rules (the server enforces those).
 *
 * Written with `zod/mini` and named imports on purpose: the browser bundle for all
 * elements has a 25 KB gzip budget and full `zod` alone is ~27 KB gzip.
 */
import {
  array,
  boolean,
  custom,
  gte,
  int,
  lte,
  maxLength,
  minLength,
  nullable,
  number,
  object,
  optional,
  refine,
  regex,
  strictObject,
  string,
  unknown,
  type infer as Infer,
  type core,
} from 'zod/mini';

// ---------------------------------------------------------------------------
// Enums and limits
// ---------------------------------------------------------------------------

export const MODERATION_STATUSES = [
  'UNKNOWN',
  'APPROVED',
  'IN_MODERATION',
  'REJECTED',
  'SUBMITTED',
] as const;
export type ModerationStatus = (typeof MODERATION_STATUSES)[number];

export const ORIGIN_TYPES = ['UNKNOWN', 'ORGANIC', 'APP'] as const;
export type OriginType = (typeof ORIGIN_TYPES)[number];

/**
 * One of `values`, checked by a custom check: zod's `enum()` would add ~0.35 KB gzip to
 * the browser bundle for the two response fields below.
 */
function oneOf<T extends string>(values: readonly T[]) {
  return custom<T>((v) => (values as readonly unknown[]).includes(v));
}

export const LIMITS = {
  titleMax: 200,
  bodyMax: 3000,
  mediaMax: 10,
  entityIdMax: 36,
  namespaceMax: 100,
  nameMax: 100,
  emailMax: 254,
  replyMax: 3000,
  pageMax: 100,
  pageDefault: 100,
  averagesMaxIds: 100,
  urlMax: 2048,
} as const;

// ---------------------------------------------------------------------------
// Review (as returned by the API)
// ---------------------------------------------------------------------------

export const ImageSchema = object({
  id: optional(string()),
  url: optional(string()),
  height: optional(number()),
  width: optional(number()),
  altText: optional(nullable(string())),
  filename: optional(nullable(string())),
});
export type Image = Infer<typeof ImageSchema>;

export const VideoResolutionSchema = object({
  url: string(),
  height: optional(number()),
  width: optional(number()),
  poster: optional(ImageSchema),
  format: optional(string()),
});

export const VideoSchema = object({
  id: optional(string()),
  url: optional(string()),
  resolutions: optional(array(VideoResolutionSchema)),
});
export type Video = Infer<typeof VideoSchema>;

export const MediaSchema = object({
  image: optional(ImageSchema),
  video: optional(VideoSchema),
});
export type Media = Infer<typeof MediaSchema>;

export const ReviewContentSchema = object({
  title: optional(nullable(string())),
  body: optional(nullable(string())),
  media: optional(array(MediaSchema)),
  rating: int().check(gte(1), lte(5)),
});
export type ReviewContent = Infer<typeof ReviewContentSchema>;

export const AuthorSchema = object({
  contactId: optional(nullable(string())),
  authorName: optional(nullable(string())),
});

export const ReplySchema = object({
  message: string(),
  createdDate: optional(string()),
  updatedDate: optional(string()),
});
export type Reply = Infer<typeof ReplySchema>;

export const ModerationSchema = object({
  moderationStatus: oneOf(MODERATION_STATUSES),
  manuallyChanged: optional(boolean()),
});

export const OriginSchema = object({
  type: oneOf(ORIGIN_TYPES),
  appId: optional(nullable(string())),
});

export const ReviewSchema = object({
  id: string(),
  namespace: string(),
  entityId: string(),
  content: ReviewContentSchema,
  createdDate: string(),
  updatedDate: optional(string()),
  reviewDate: optional(string()),
  author: optional(AuthorSchema),
  reply: optional(nullable(ReplySchema)),
  foundHelpful: optional(int()),
  foundUnhelpful: optional(int()),
  helpfulness: optional(int()),
  moderation: optional(ModerationSchema),
  revision: optional(string()),
  verified: optional(boolean()),
  origin: optional(OriginSchema),
  relevanceScore: optional(number()),
  publishCount: optional(int()),
});
export type Review = Infer<typeof ReviewSchema>;

// ---------------------------------------------------------------------------
// The visitor's draft (validated by review-form before sending, and by the server's
// Create Review And Contact schema in requests.ts, which is built from these parts)
// ---------------------------------------------------------------------------

const httpUrl = string().check(
  maxLength(LIMITS.urlMax),
  refine((s) => isHttpUrl(s), { message: 'must be an absolute http: or https: URL' }),
);

/** An image given by our media id, or by an absolute http(s) URL. Read-only fields are ignored. */
export const ImageInputSchema = strictObject({
  id: optional(string().check(minLength(1), maxLength(200))),
  url: optional(httpUrl),
  height: optional(number()),
  width: optional(number()),
  altText: optional(nullable(string().check(maxLength(500)))),
  filename: optional(nullable(string().check(maxLength(255)))),
});

export const VideoInputSchema = strictObject({
  id: optional(string().check(minLength(1), maxLength(200))),
  url: optional(httpUrl),
  resolutions: optional(array(unknown())),
});

export const MediaInputSchema = strictObject({
  image: optional(ImageInputSchema),
  video: optional(VideoInputSchema),
}).check(
  refine((m) => (m.image ? 1 : 0) + (m.video ? 1 : 0) === 1, {
    message: 'each media item needs exactly one of image or video',
  }),
  refine((m) => Boolean((m.image ?? m.video)?.id || (m.image ?? m.video)?.url), {
    message: 'a media item needs an id (from the media upload) or an http(s) url',
  }),
);
export type MediaInput = Infer<typeof MediaInputSchema>;

export const ReviewContentInputSchema = strictObject({
  title: optional(nullable(string().check(maxLength(LIMITS.titleMax)))),
  body: optional(nullable(string().check(maxLength(LIMITS.bodyMax)))),
  media: optional(array(MediaInputSchema).check(maxLength(LIMITS.mediaMax))),
  rating: int().check(gte(1), lte(5)),
});

export const NamespaceSchema = string().check(
  minLength(1),
  maxLength(LIMITS.namespaceMax),
  regex(/^[A-Za-z0-9_.-]+$/),
);
export const EntityIdSchema = string().check(minLength(1), maxLength(LIMITS.entityIdMax));

export const EmailSchema = string().check(
  maxLength(LIMITS.emailMax),
  regex(/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/),
);

/** The draft a visitor fills in; stricter than the API (name and e-mail required). */
export const ReviewDraftSchema = strictObject({
  namespace: NamespaceSchema,
  entityId: EntityIdSchema,
  name: string().check(minLength(1), maxLength(LIMITS.nameMax)),
  email: EmailSchema,
  content: ReviewContentInputSchema,
});
export type ReviewDraft = Infer<typeof ReviewDraftSchema>;

export const HELPFULNESS_VOTES = ['HELPFUL', 'UNHELPFUL', 'NONE'] as const;
export type HelpfulnessVote = (typeof HELPFULNESS_VOTES)[number];

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

export const PagingMetadataSchema = object({
  count: optional(int()),
  cursors: optional(
    object({ next: optional(nullable(string())), prev: optional(nullable(string())) }),
  ),
  hasNext: optional(boolean()),
});
export type PagingMetadata = Infer<typeof PagingMetadataSchema>;

/** Envelope of Query Reviews; items are validated one by one so a bad one can be skipped. */
export const QueryReviewsEnvelopeSchema = object({
  reviews: array(unknown()),
  metadata: optional(PagingMetadataSchema),
});

export const ReviewEnvelopeSchema = object({ review: ReviewSchema });

export const ValueBreakdownSchema = object({ value: int(), total: int() });
export const AttributeSummarySchema = object({
  attributeName: string(),
  total: int(),
  average: number(),
  valueBreakdown: array(ValueBreakdownSchema),
});
export type AttributeSummary = Infer<typeof AttributeSummarySchema>;

export const EntitySummarySchema = object({
  group: string(),
  entityId: optional(string()),
  attributeSummaries: array(AttributeSummarySchema),
});
export type EntitySummary = Infer<typeof EntitySummarySchema>;

export const EntityAverageSchema = object({ entityId: string(), total: int(), average: number() });
export type EntityAverage = Infer<typeof EntityAverageSchema>;
export const AveragesResponseSchema = object({
  group: string(),
  entityAverages: array(EntityAverageSchema),
});

export const UploadedImageSchema = object({
  image: object({
    id: string(),
    url: string(),
    width: int(),
    height: int(),
    filename: optional(nullable(string())),
  }),
});

export const FieldViolationSchema = object({
  field: string(),
  description: string(),
  violatedRule: optional(string()),
  ruleName: optional(string()),
  data: optional(unknown()),
});
export type FieldViolation = Infer<typeof FieldViolationSchema>;

/** The Wix error envelope. */
export const ErrorEnvelopeSchema = object({
  message: string(),
  details: optional(
    object({
      applicationError: optional(
        object({ code: string(), description: optional(string()), data: optional(unknown()) }),
      ),
      validationError: optional(object({ fieldViolations: array(FieldViolationSchema) })),
    }),
  ),
});
export type ErrorEnvelope = Infer<typeof ErrorEnvelopeSchema>;

// ---------------------------------------------------------------------------
// Helpers shared by both sides
// ---------------------------------------------------------------------------

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Turns zod issues into Wix field violations with plain-English descriptions
 * (`zod/mini` ships no message locale, so we write our own).
 */
export function toFieldViolations(
  issues: readonly core.$ZodIssue[],
  prefix = '',
): FieldViolation[] {
  // A value of the wrong type gets one violation, not also those of checks run on it.
  const wrongType = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('\u0001')));
  const relevant = issues.filter((i) => i.code === 'invalid_type' || !wrongType.has(i.path.join('\u0001')));
  return relevant.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)';
    return { field, description: describeIssue(issue), ruleName: ruleName(issue) };
  });
}

/**
 * A field that was not sent. Zod reports the input only when parsed with
 * `{reportInput: true}` (the server does); without it an invalid_type counts as missing.
 */
function isMissing(issue: core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return issue.input === undefined;
  return (issue.code === 'invalid_union' || issue.code === 'invalid_value' || issue.code === 'custom') && 'input' in issue && issue.input === undefined;
}

function ruleName(issue: core.$ZodIssue): string {
  if (isMissing(issue)) return 'REQUIRED_FIELD';
  if (issue.code === 'too_big' || issue.code === 'too_small') return 'OUT_OF_RANGE';
  return 'INVALID_ARGUMENT';
}

export function describeIssue(issue: core.$ZodIssue): string {
  if (isMissing(issue)) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${article(issue.expected)} (got ${typeName(issue.input)})`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : issue.origin === 'array'
          ? `must have at most ${issue.maximum} items`
          : `must be at most ${issue.maximum}`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) === 1
          ? 'must not be empty'
          : `must be at least ${issue.minimum} characters`
        : issue.origin === 'array'
          ? `must have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`
          : `must be at least ${issue.minimum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has an invalid format' : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return 'has an invalid value';
    case 'custom':
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'is invalid';
    default:
      return issue.message || 'is invalid';
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
