/**
 * `storefront-reviews/rating-summary.js`: defines `<rating-summary>` (with the `<rating-stars>` it shows) and nothing else.
 * Also brings the widgets' typed events (`HTMLElementEventMap`) into scope.
 */
export { RatingSummary } from '../elements/rating-summary/rating-summary.js';
export type * from '../shared/events.js';
