/**
 * `storefront-reviews/rating-stars.js`: defines `<rating-stars>` and nothing else.
 * Also brings the widgets' typed events (`HTMLElementEventMap`) into scope.
 */
export { RatingStars } from '../elements/rating-stars/rating-stars.js';
export type * from '../shared/events.js';
