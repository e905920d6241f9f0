/**
 * `storefront-reviews/media-gallery.js`: defines `<media-gallery>` (with its `<media-lightbox>`) and nothing else.
 * Also brings the widgets' typed events (`HTMLElementEventMap`) into scope.
 */
export { MediaGallery } from '../elements/media-gallery/media-gallery.js';
export type * from '../shared/events.js';
