/**
 * `storefront-reviews/client`: the typed, zod-validated client for a Wix-compatible
 * reviews endpoint, without any element. Works in browsers and in Node (20+).
 *
 * ```ts
 * import { clientFor } from 'storefront-reviews/client';
 * const page = await clientFor('https://reviews.example.com').queryReviews({ namespace: 'stores', entityId: 'sku-1', sort: 'most-helpful' });
 * ```
 *
 * `clientFor(endpoint)` returns the client the page's elements share (one per endpoint);
 * `new ReviewsClient(endpoint)` one of its own.
 */
export { REVIEW_SORTS, ReviewsApiError, ReviewsClient, clientFor, toWixQuery } from './api/client.js';
export type { RequestOptions, ReviewSort, ReviewsPage, ReviewsQuery, Summary } from './api/client.js';
export {
  HELPFULNESS_VOTES,
  LIMITS,
  MODERATION_STATUSES,
  ReviewDraftSchema,
  ReviewSchema,
  toFieldViolations,
} from './api/schema.js';
export type {
  AttributeSummary,
  EntityAverage,
  EntitySummary,
  FieldViolation,
  HelpfulnessVote,
  Image,
  Media,
  MediaInput,
  ModerationStatus,
  Reply,
  Review,
  ReviewContent,
  ReviewDraft,
  Video,
} from './api/schema.js';
