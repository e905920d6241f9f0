/**
 * `storefront-reviews/review-form.js`: defines `<review-form>` (with its `<rating-stars>` input) and nothing else.
 * Also brings the widgets' typed events (`HTMLElementEventMap`) into scope.
 */
export { ReviewForm } from '../elements/review-form/review-form.js';
export type * from '../shared/events.js';
