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
  /**
   * The attribute ratings given (review-form `attributes`), stored through the Ratings API
   * once the review exists; value 0-100 (stars x 20). A page that cancels the event stores them itself.
   */
  ratings: { attributeName: string; value: number }[];
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
