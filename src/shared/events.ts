/**
 * Every custom event the widgets fire, typed for `addEventListener`.
 */
import type { HelpfulnessVote, Review, ReviewDraft } from '../api/schema.js';

/** `review-filter`: the visitor picked (or cleared) star values to filter by. */
export interface ReviewFilterDetail {
  /** Star values to show; empty means no filter. */
  ratings: number[];
}

/** `review-vote`: the visitor voted on a review's helpfulness. */
export interface ReviewVoteDetail {
  reviewId: string;
  vote: HelpfulnessVote;
}

/** `review-submit` (cancelable): a valid draft is about to be sent. */
export interface ReviewSubmitDetail {
  draft: ReviewDraft;
}

/** `review-submitted`: the server accepted the review. */
export interface ReviewSubmittedDetail {
  review: Review;
  /** False when the review waits for moderation. */
  published: boolean;
}

declare global {
  interface HTMLElementEventMap {
    'review-filter': CustomEvent<ReviewFilterDetail>;
    'review-vote': CustomEvent<ReviewVoteDetail>;
    'review-submit': CustomEvent<ReviewSubmitDetail>;
    'review-submitted': CustomEvent<ReviewSubmittedDetail>;
  }
}
