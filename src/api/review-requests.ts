/**
 * Wire contract of Review Requests (`/reviews/v2`, reference §8) and of the store catalog
 * and orders they are built from (our extension under `/reviews/v2/store`).
 *
 * Two audiences:
 * - The browser: the review page's widget parses only `ReviewRequestFormSchema` (the
 *   token-authorised form payload), kept lean on purpose (plain objects and strings, no
 *   enums or formats). Importing it adds about 100 bytes gzip to a bundle that already
 *   has schema.ts: everything else here is built through `serverOnly`, which bundlers
 *   drop when unused.
 * - The reference server: the ReviewRequest object and every request body, validated at
 *   the boundary (strict objects: unknown fields are refused with a 400 naming them).
 */
import {
  array,
  boolean,
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
  strictObject,
  string,
  union,
  unknown,
  type infer as Infer,
} from 'zod/mini';
import { CursorPagingSchema, FilterSchema, SortSchema } from './requests.js';
import { EmailSchema, EntityIdSchema, LIMITS, ReviewContentInputSchema, isHttpUrl } from './schema.js';

// ---------------------------------------------------------------------------
// Public form payload (browser): GET /reviews/v2/review-requests/{id}/form?token=T
// ---------------------------------------------------------------------------

/** A price as the catalog stores it: a decimal string and an ISO 4217 currency code. */
export const PriceSchema = object({ amount: string(), currency: string() });
export type Price = Infer<typeof PriceSchema>;

/**
 * What the review page shows a customer: who is asked, until when the link works, and
 * each product with the review already written for it (`reviewId`) or null. No e-mail
 * address or contact id. `product` is null when the product left the catalog.
 */
export const ReviewRequestFormSchema = object({
  reviewRequest: object({
    id: string(),
    status: string(),
    expiresDate: string(),
    recipient: object({ name: nullable(string()) }),
    items: array(
      object({
        catalogItemId: string(),
        reviewId: nullable(string()),
        product: nullable(object({ name: string(), imageUrl: nullable(string()), price: PriceSchema })),
      }),
    ),
  }),
});
export type ReviewRequestForm = Infer<typeof ReviewRequestFormSchema>['reviewRequest'];

// ---------------------------------------------------------------------------
// Enums and limits
// ---------------------------------------------------------------------------

export const REVIEW_REQUEST_STATUSES = ['UNKNOWN_REVIEW_REQUEST_STATUS', 'SCHEDULED', 'CANCELED', 'FAILED', 'SENT'] as const;
export type ReviewRequestStatus = (typeof REVIEW_REQUEST_STATUSES)[number];

export const COMMUNICATION_CHANNELS = ['UNKNOWN_COMMUNICATION_CHANNEL', 'EMAIL'] as const;
export type CommunicationChannel = (typeof COMMUNICATION_CHANNELS)[number];

export const FAILURE_REASONS = ['UNKNOWN_FAILURE_REASON', 'ACTIVATION_FAILED', 'BOUNCED', 'SUBSCRIPTION_INACTIVE'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const IDENTITY_TYPES = ['UNKNOWN', 'ANONYMOUS_VISITOR', 'MEMBER', 'WIX_USER', 'APP'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** A review request names at most this many items (Wix: `maxItems 5`). */
export const MAX_REQUEST_ITEMS = 5;

/**
 * Builds a server-only schema. Marked side-effect free, so a browser bundle that imports
 * only the form schema above drops every schema built through it (and what they import).
 */
/* @__NO_SIDE_EFFECTS__ */
function serverOnly<T>(build: () => T): T {
  return build();
}

// ---------------------------------------------------------------------------
// The ReviewRequest object (as the API returns it)
// ---------------------------------------------------------------------------

export const ReviewRequestSchema = serverOnly(() =>
  object({
    id: string(),
    revision: string(),
    createdDate: string(),
    updatedDate: string(),
    sendDate: string(),
    namespace: string(),
    order: optional(object({ id: string(), number: optional(nullable(string())) })),
    items: array(object({ catalogItemId: string(), reviewId: optional(nullable(string())) })),
    recipient: object({ contactId: string() }),
    communicationChannel: zEnum(COMMUNICATION_CHANNELS),
    status: zEnum(REVIEW_REQUEST_STATUSES),
    sentOptions: optional(object({ opened: boolean() })),
    failedOptions: optional(object({ reason: zEnum(FAILURE_REASONS), message: optional(string()) })),
    requestedBy: object({
      identityType: zEnum(IDENTITY_TYPES),
      wixUserId: optional(string()),
      appId: optional(string()),
    }),
    automationActivationId: optional(string()),
  }),
);
export type ReviewRequest = Infer<typeof ReviewRequestSchema>;

// ---------------------------------------------------------------------------
// Request bodies (server)
// ---------------------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const isoDate = serverOnly(() =>
  string().check(
    refine((s) => ISO_DATE.test(s) && isStorableDate(s), {
      message: 'must be an ISO-8601 date-time with a time zone (e.g. 2026-03-01T10:00:00Z), years 1 to 9999',
    }),
  ),
);
function isStorableDate(s: string): boolean {
  const d = new Date(s);
  return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999;
}

const id100 = serverOnly(() => string().check(minLength(1), maxLength(100)));
const revisionIn = serverOnly(() => union([string().check(maxLength(20)), int()]));

/**
 * Create Review Request. Read-only fields of the object (id, revision, dates, status, ...)
 * are accepted so an object read from the API can be sent back, and are ignored.
 */
export const CreateReviewRequestRequestSchema = serverOnly(() =>
  strictObject({
    reviewRequest: strictObject({
      namespace: optional(
        string().check(minLength(1), maxLength(100), refine((s) => s === 'stores', { message: 'must be "stores" (the only namespace review requests support)' })),
      ),
      order: optional(nullable(strictObject({ id: id100, number: optional(unknown()) }))),
      items: optional(
        nullable(
          array(strictObject({ catalogItemId: EntityIdSchema, reviewId: optional(unknown()) })).check(
            maxLength(MAX_REQUEST_ITEMS),
          ),
        ),
      ),
      recipient: strictObject({ contactId: id100 }),
      communicationChannel: zEnum(COMMUNICATION_CHANNELS),
      sendDate: optional(nullable(isoDate)),
      automationActivationId: optional(nullable(id100)),
      id: optional(unknown()),
      revision: optional(nullable(revisionIn)),
      createdDate: optional(unknown()),
      updatedDate: optional(unknown()),
      status: optional(unknown()),
      sentOptions: optional(unknown()),
      failedOptions: optional(unknown()),
      requestedBy: optional(unknown()),
      extendedFields: optional(unknown()),
    }),
  }),
);
export type CreateReviewRequestInput = Infer<typeof CreateReviewRequestRequestSchema>['reviewRequest'];

export const QueryReviewRequestsRequestSchema = serverOnly(() =>
  strictObject({
    query: optional(
      nullable(
        strictObject({
          filter: optional(nullable(FilterSchema)),
          sort: optional(nullable(array(SortSchema).check(maxLength(10)))),
          cursorPaging: optional(nullable(CursorPagingSchema)),
        }),
      ),
    ),
  }),
);

export const CountReviewRequestsRequestSchema = serverOnly(() => strictObject({ filter: optional(nullable(FilterSchema)) }));

export const BulkCancelReviewRequestsRequestSchema = serverOnly(() => strictObject({ filter: FilterSchema }));

/** Our extension: run one sending pass now (operators, tests). */
export const SendDueRequestSchema = serverOnly(() => strictObject({ limit: optional(int().check(gte(1), lte(500))) }));

/** The review page writes one review for one item of the request, authorised by the token. */
export const SubmitRequestReviewRequestSchema = serverOnly(() =>
  strictObject({
    token: string().check(minLength(1), maxLength(2048)),
    catalogItemId: EntityIdSchema,
    content: ReviewContentInputSchema,
  }),
);

// ---------------------------------------------------------------------------
// Catalog and orders (extension): what PUT /reviews/v2/store/{products,orders} take
// ---------------------------------------------------------------------------

const httpUrl = serverOnly(() =>
  string().check(
    maxLength(LIMITS.urlMax),
    refine((s) => isHttpUrl(s), { message: 'must be an absolute http: or https: URL' }),
  ),
);

/** `{amount: "12.50", currency: "EUR"}`: a non-negative decimal string and an ISO 4217 code. */
export const PriceInputSchema = serverOnly(() =>
  strictObject({
    amount: string().check(
      refine((s) => /^\d{1,15}(\.\d{1,6})?$/.test(s), { message: 'must be a non-negative decimal string such as "12.50"' }),
    ),
    currency: string().check(refine((s) => /^[A-Z]{3}$/.test(s), { message: 'must be a three-letter ISO 4217 code such as "EUR"' })),
  }),
);

/** One catalog product. Its id is the reviews' `entityId` (and review requests' `catalogItemId`). */
export const ProductInputSchema = serverOnly(() =>
  strictObject({
    id: EntityIdSchema,
    name: string().check(minLength(1), maxLength(200)),
    price: PriceInputSchema,
    imageUrl: optional(nullable(httpUrl)),
    url: optional(nullable(httpUrl)),
    createdDate: optional(unknown()),
    updatedDate: optional(unknown()),
  }),
);
export type ProductInput = Infer<typeof ProductInputSchema>;

/**
 * One order. The buyer is given by e-mail (the contact is found or created); each item
 * names a catalog product, a quantity (default 1) and the unit price paid (default: the
 * product's price when the order is stored).
 */
export const OrderInputSchema = serverOnly(() =>
  strictObject({
    id: id100,
    number: union([string().check(minLength(1), maxLength(50)), int().check(gte(0))]),
    contact: strictObject({
      email: EmailSchema,
      name: optional(nullable(string().check(maxLength(LIMITS.nameMax)))),
    }),
    items: array(
      strictObject({
        catalogItemId: EntityIdSchema,
        quantity: optional(int().check(gte(1), lte(100_000))),
        price: optional(nullable(PriceInputSchema)),
      }),
    ).check(maxLength(100)),
    createdDate: optional(nullable(isoDate)),
    contactId: optional(unknown()),
    updatedDate: optional(unknown()),
  }),
);
export type OrderInput = Infer<typeof OrderInputSchema>;

export const UpsertProductsRequestSchema = serverOnly(() =>
  strictObject({
    products: array(unknown()).check(minLength(1), maxLength(1000)),
  }),
);
export const UpsertOrdersRequestSchema = serverOnly(() =>
  strictObject({
    orders: array(unknown()).check(minLength(1), maxLength(1000)),
  }),
);
