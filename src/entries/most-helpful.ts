/**
 * `storefront-reviews/most-helpful.js`: defines `<most-helpful>` (with the `<rating-stars>` and `<media-lightbox>` its reviews use) and nothing else.
 * Also brings the widgets' typed events (`HTMLElementEventMap`) into scope.
 */
export { MostHelpful } from '../elements/most-helpful/most-helpful.js';
export type * from '../shared/events.js';
