/**
 * `storefront-reviews/review-list.js`: defines `<review-list>` (with the `<rating-stars>` and `<media-lightbox>` its reviews use) and nothing else.
 * Also brings the widgets' typed events (`HTMLElementEventMap`) into scope.
 */
export { ReviewList } from '../elements/review-list/review-list.js';
export type * from '../shared/events.js';
