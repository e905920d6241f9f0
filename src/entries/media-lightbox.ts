/**
 * `storefront-reviews/media-lightbox.js`: defines `<media-lightbox>` (with the `<rating-stars>` it shows) and nothing else.
 * Also brings the widgets' typed events (`HTMLElementEventMap`) into scope.
 */
export { MediaLightbox } from '../elements/media-gallery/media-lightbox.js';
export type * from '../shared/events.js';
