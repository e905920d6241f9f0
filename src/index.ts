/**
 * storefront-reviews: defines every element. Import this once (or a single element's
 * module) and use the tags anywhere on the page.
 */
export { RatingStars } from './elements/rating-stars/rating-stars.js';
export { RatingSummary } from './elements/rating-summary/rating-summary.js';
export { ReviewList } from './elements/review-list/review-list.js';
export { MostHelpful } from './elements/most-helpful/most-helpful.js';
export { MediaGallery } from './elements/media-gallery/media-gallery.js';
export { MediaLightbox } from './elements/media-gallery/media-lightbox.js';
export { ReviewForm } from './elements/review-form/review-form.js';
export { ReviewsClient, ReviewsApiError, clientFor } from './api/client.js';
export type { ReviewsQuery, ReviewsPage, ReviewSort, Summary } from './api/client.js';
export type { Review, ReviewDraft } from './api/schema.js';
export type * from './shared/events.js';
