'use client';
/**
 * storefront-reviews/react: React components for every element, made with `@lit/react`.
 *
 * Each component sets the element's properties (`entityId`, `value`, `editable`, ...)
 * rather than attributes, so numbers and booleans keep their types, and maps the
 * element's events to typed `on*` props:
 *
 * ```tsx
 * import { RatingStars, ReviewForm } from 'storefront-reviews/react';
 *
 * <RatingStars editable value={rating} onChange={(e) => setRating(e.currentTarget.value)} />
 * <ReviewForm endpoint={api} entityId={id} onReviewSubmitted={(e) => toast(e.detail.review)} />
 * ```
 *
 * Importing this module defines the custom elements (it imports them). React (18 or 19)
 * is an optional peer dependency of the package: only this entry point needs it. The
 * components render on the client (`'use client'` for React Server Components).
 */
import { createComponent, type EventName, type ReactWebComponent } from '@lit/react';
import * as React from 'react';
import { MediaGallery as MediaGalleryElement } from '../elements/media-gallery/media-gallery.js';
import { MediaLightbox as MediaLightboxElement } from '../elements/media-gallery/media-lightbox.js';
import { MostHelpful as MostHelpfulElement } from '../elements/most-helpful/most-helpful.js';
import { RatingStars as RatingStarsElement } from '../elements/rating-stars/rating-stars.js';
import { RatingSummary as RatingSummaryElement } from '../elements/rating-summary/rating-summary.js';
import { ReviewForm as ReviewFormElement } from '../elements/review-form/review-form.js';
import { ReviewList as ReviewListElement } from '../elements/review-list/review-list.js';
import type { ReviewFilterDetail, ReviewSubmitDetail, ReviewSubmittedDetail, ReviewVoteDetail } from '../shared/events.js';

export type { ReviewFilterDetail, ReviewSubmitDetail, ReviewSubmittedDetail, ReviewVoteDetail } from '../shared/events.js';

/** An event whose `currentTarget` is the element the handler was given to. */
export type EventOn<E extends Event, T extends HTMLElement> = E & { currentTarget: T };

/** A `CustomEvent` fired by (or bubbling to) element `T`. */
export type CustomEventOn<D, T extends HTMLElement> = EventOn<CustomEvent<D>, T>;

const ratingStarsEvents = {
  /** The visitor changed the value (editable only); read `e.currentTarget.value`. */
  onInput: 'input' as EventName<EventOn<Event, RatingStarsElement>>,
  /** The visitor committed a value (editable only); read `e.currentTarget.value`. */
  onChange: 'change' as EventName<EventOn<Event, RatingStarsElement>>,
};

const ratingSummaryEvents = {
  /** A bar or "Clear filter" was pressed; cancel it to keep the filter unchanged. */
  onReviewFilter: 'review-filter' as EventName<CustomEventOn<ReviewFilterDetail, RatingSummaryElement>>,
};

const reviewListEvents = {
  /** The visitor changed the star filter; cancel it to keep the current filter. */
  onReviewFilter: 'review-filter' as EventName<CustomEventOn<ReviewFilterDetail, ReviewListElement>>,
  /** The visitor changed the sort, the photo or verified filter, or the search. */
  onChange: 'change' as EventName<EventOn<Event, ReviewListElement>>,
  /** A helpfulness vote was recorded. */
  onReviewVote: 'review-vote' as EventName<CustomEventOn<ReviewVoteDetail, ReviewListElement>>,
};

const mostHelpfulEvents = {
  /** A helpfulness vote was recorded. */
  onReviewVote: 'review-vote' as EventName<CustomEventOn<ReviewVoteDetail, MostHelpfulElement>>,
};

const reviewFormEvents = {
  /** A valid draft is about to be sent; `preventDefault()` to send it yourself. */
  onReviewSubmit: 'review-submit' as EventName<CustomEventOn<ReviewSubmitDetail, ReviewFormElement>>,
  /** The server accepted the review (`e.detail.review`, `e.detail.published`). */
  onReviewSubmitted: 'review-submitted' as EventName<CustomEventOn<ReviewSubmittedDetail, ReviewFormElement>>,
};

/** `<rating-stars>`: a star display, or with `editable` a form-associated rating input. */
export const RatingStars: ReactWebComponent<RatingStarsElement, typeof ratingStarsEvents> = createComponent({
  react: React,
  tagName: 'rating-stars',
  elementClass: RatingStarsElement,
  events: ratingStarsEvents,
  displayName: 'RatingStars',
});

/** `<rating-summary>`: average, count and a clickable 1-5 star distribution. */
export const RatingSummary: ReactWebComponent<RatingSummaryElement, typeof ratingSummaryEvents> = createComponent({
  react: React,
  tagName: 'rating-summary',
  elementClass: RatingSummaryElement,
  events: ratingSummaryEvents,
  displayName: 'RatingSummary',
});

/** `<review-list>`: sorted, filtered, paged list of a product's reviews. */
export const ReviewList: ReactWebComponent<ReviewListElement, typeof reviewListEvents> = createComponent({
  react: React,
  tagName: 'review-list',
  elementClass: ReviewListElement,
  events: reviewListEvents,
  displayName: 'ReviewList',
});

/** `<most-helpful>`: the reviews visitors found most helpful. */
export const MostHelpful: ReactWebComponent<MostHelpfulElement, typeof mostHelpfulEvents> = createComponent({
  react: React,
  tagName: 'most-helpful',
  elementClass: MostHelpfulElement,
  events: mostHelpfulEvents,
  displayName: 'MostHelpful',
});

/** `<media-gallery>`: the photos and videos of a product's reviews, with a lightbox. */
export const MediaGallery: ReactWebComponent<MediaGalleryElement> = createComponent({
  react: React,
  tagName: 'media-gallery',
  elementClass: MediaGalleryElement,
  displayName: 'MediaGallery',
});

/** `<media-lightbox>`: the modal viewer; open it through a ref (`ref.current.open(...)`). */
export const MediaLightbox: ReactWebComponent<MediaLightboxElement> = createComponent({
  react: React,
  tagName: 'media-lightbox',
  elementClass: MediaLightboxElement,
  displayName: 'MediaLightbox',
});

/** `<review-form>`: the write-a-review form; submits to the endpoint itself. */
export const ReviewForm: ReactWebComponent<ReviewFormElement, typeof reviewFormEvents> = createComponent({
  react: React,
  tagName: 'review-form',
  elementClass: ReviewFormElement,
  events: reviewFormEvents,
  displayName: 'ReviewForm',
});
