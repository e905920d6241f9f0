/**
 * Webhooks wire contract: the owner routes' request bodies, the subscription and delivery
 * log objects they return, and the event envelope (reference §4) every delivery carries.
 * Node and browser neutral (no `node:` imports), so a receiver can reuse the envelope
 * schema to validate what it is sent (see demo/sync-receiver).
 */
import {
  array,
  boolean,
  enum as zEnum,
  int,
  maxLength,
  minLength,
  object,
  optional,
  refine,
  regex,
  strictObject,
  string,
  type infer as Infer,
} from 'zod/mini';
import { LIMITS, isHttpUrl } from './schema.js';

// ---------------------------------------------------------------------------
// Event types
// ---------------------------------------------------------------------------

/** Entity names (`entityFqdn`) of the entities that have events. */
export const ENTITY_FQDNS = {
  review: 'wix.reviews.v1.review',
  reviewRequest: 'wix.reviews.v2.review_request',
  rating: 'wix.ratings.v1.rating',
} as const;

/**
 * Every event type a subscription can ask for (see `eventTypeOf`). A subscription may also
 * ask for `*` (all of them, and any added later).
 */
export const WEBHOOK_EVENT_TYPES = [
  'wix.reviews.v1.review_created',
  'wix.reviews.v1.review_updated',
  'wix.reviews.v1.review_deleted',
  'wix.reviews.v1.review_moderation_status_changed',
  'wix.reviews.v1.review_published',
  'wix.reviews.v2.review_request_created',
  'wix.reviews.v2.review_request_updated',
  'wix.reviews.v2.review_request_deleted',
  'wix.ratings.v1.rating_created',
  'wix.ratings.v1.rating_updated',
  'wix.ratings.v1.rating_deleted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The event type of an entity's event: `<entityFqdn>_<slug>` (`wix.reviews.v1.review` +
 * `created` = `wix.reviews.v1.review_created`), except that a slug already naming the
 * entity is not repeated (`review_published` = `wix.reviews.v1.review_published`).
 */
export function eventTypeOf(entityFqdn: string, slug: string): string {
  const dot = entityFqdn.lastIndexOf('.');
  const entity = entityFqdn.slice(dot + 1);
  return slug.startsWith(`${entity}_`) ? `${entityFqdn.slice(0, dot)}.${slug}` : `${entityFqdn}_${slug}`;
}

/** Headers of a delivery (lower-case, as Node's `req.headers` has them). */
export const WEBHOOK_HEADERS = {
  /** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the subscription's secret>`. */
  signature: 'x-storefront-signature',
  /** The event's id; the same on every delivery of the event (deduplicate on it). */
  eventId: 'x-storefront-event-id',
  /** This delivery's id (a redelivery has a new one). */
  deliveryId: 'x-storefront-delivery-id',
  /** The event type, so a receiver can route before parsing. */
  eventType: 'x-storefront-event-type',
  /** 1 for the first attempt of a delivery, then 2, 3, ... */
  attempt: 'x-storefront-delivery-attempt',
} as const;

// ---------------------------------------------------------------------------
// Owner routes: requests
// ---------------------------------------------------------------------------

export const WEBHOOK_LIMITS = {
  eventsMax: WEBHOOK_EVENT_TYPES.length + 1,
  secretMin: 16,
  secretMax: 200,
  logPageMax: 100,
  logPageDefault: 50,
} as const;

const webhookUrl = string().check(
  minLength(1),
  maxLength(LIMITS.urlMax),
  refine((s) => isHttpUrl(s), { message: 'must be an absolute http: or https: URL' }),
  refine((s) => !isHttpUrl(s) || !new URL(s).hash, { message: 'must not have a #fragment' }),
);

/** Register Webhook: `POST /reviews/v1/webhooks`. */
export const CreateWebhookRequestSchema = strictObject({
  webhook: strictObject({
    url: webhookUrl,
    events: array(zEnum([...WEBHOOK_EVENT_TYPES, '*'])).check(
      minLength(1),
      maxLength(WEBHOOK_LIMITS.eventsMax),
      refine((a) => new Set(a).size === a.length, { message: 'must not list an event type twice' }),
    ),
    /** Signing secret; generated (and returned once) when absent. */
    secret: optional(
      string().check(
        minLength(WEBHOOK_LIMITS.secretMin),
        maxLength(WEBHOOK_LIMITS.secretMax),
        refine((s) => /^[\x21-\x7e]+$/.test(s), { message: 'must be printable ASCII without spaces' }),
      ),
    ),
  }),
});
export type CreateWebhookRequest = Infer<typeof CreateWebhookRequestSchema>;

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Query string of the delivery log: `?limit=&cursor=&status=`. */
export const DeliveryLogQuerySchema = strictObject({
  limit: optional(
    string().check(
      refine((s) => /^\d{1,3}$/.test(s) && Number(s) >= 1 && Number(s) <= WEBHOOK_LIMITS.logPageMax, {
        message: `must be a whole number from 1 to ${WEBHOOK_LIMITS.logPageMax}`,
      }),
    ),
  ),
  cursor: optional(string().check(maxLength(200))),
  status: optional(zEnum(DELIVERY_STATUSES)),
});

// ---------------------------------------------------------------------------
// Owner routes: responses
// ---------------------------------------------------------------------------

export const WebhookSchema = object({
  id: string(),
  url: string(),
  events: array(string()),
  createdDate: string(),
  /** Only in the answer to Register Webhook: it is never shown again. */
  secret: optional(string()),
});
export type Webhook = Infer<typeof WebhookSchema>;

export const DeliveryAttemptSchema = object({
  attempt: int(),
  attemptedDate: string(),
  durationMs: int(),
  /** The receiver's HTTP status, when it answered. */
  httpStatus: optional(int()),
  /** Why the attempt failed (network error, timeout, non-2xx status). */
  error: optional(string()),
  /** The first bytes of the receiver's answer. */
  responseBody: optional(string()),
});
export type DeliveryAttempt = Infer<typeof DeliveryAttemptSchema>;

export const DeliverySchema = object({
  id: string(),
  webhookId: string(),
  eventId: string(),
  eventType: string(),
  entityFqdn: string(),
  entityId: string(),
  entityEventSequence: string(),
  status: zEnum(DELIVERY_STATUSES),
  createdDate: string(),
  attempts: array(DeliveryAttemptSchema),
  /** PENDING only: when the next attempt is due. */
  nextAttemptDate: optional(string()),
  /** PENDING only: the earlier delivery (same webhook and entity) this one waits for. */
  waitingFor: optional(string()),
  deliveredDate: optional(string()),
  failedDate: optional(string()),
  /** Set on a delivery made by Redeliver: the delivery it repeats. */
  redeliveryOf: optional(string()),
});
export type Delivery = Infer<typeof DeliverySchema>;

/** What one delivery pass did (`POST /reviews/v1/webhooks/deliver-now`). */
export const DeliveryPassSchema = object({
  attempted: int(),
  delivered: int(),
  retrying: int(),
  failed: int(),
});
export type DeliveryPass = Infer<typeof DeliveryPassSchema>;

// ---------------------------------------------------------------------------
// The event envelope (what a receiver is sent)
// ---------------------------------------------------------------------------

/**
 * One domain event in the Wix envelope. The entity (or action body) is a JSON string in
 * `createdEvent.entityAsJson`, `updatedEvent.currentEntityAsJson`,
 * `deletedEvent.deletedEntityAsJson` or `actionEvent.bodyAsJson`: exactly one is present.
 */
export const EventEnvelopeSchema = object({
  id: string().check(minLength(1)),
  entityFqdn: string().check(minLength(1)),
  slug: string().check(minLength(1)),
  entityId: string().check(minLength(1)),
  eventType: string().check(minLength(1)),
  eventTime: string(),
  triggeredByAnonymizeRequest: boolean(),
  /** The app whose write caused the event; absent for the owner's, visitors' and the server's own. */
  originatedFrom: optional(string()),
  /** Monotonic per entity (a decimal int64 as a string): compare as numbers, not text. */
  entityEventSequence: string().check(regex(/^\d{1,18}$/)),
  createdEvent: optional(object({ entityAsJson: string() })),
  updatedEvent: optional(object({ currentEntityAsJson: string() })),
  deletedEvent: optional(object({ deletedEntityAsJson: optional(string()) })),
  actionEvent: optional(object({ bodyAsJson: string() })),
}).check(
  refine(
    (e) => [e.createdEvent, e.updatedEvent, e.deletedEvent, e.actionEvent].filter(Boolean).length === 1,
    { message: 'must have exactly one of createdEvent, updatedEvent, deletedEvent, actionEvent' },
  ),
);
export type EventEnvelope = Infer<typeof EventEnvelopeSchema>;

/** The body of `wix.reviews.v1.review_moderation_status_changed` (actionEvent). */
export const ModerationStatusChangedSchema = object({
  review: object({ id: string() }),
  /** Absent when the event reports a new review's first status. */
  previousModerationStatus: optional(string()),
});

/**
 * The entity (created, updated, deleted) or action body (others) an envelope carries,
 * parsed from its `*AsJson` string; null for a deletedEvent without the entity.
 */
export function eventPayload(event: EventEnvelope): unknown {
  const json =
    event.createdEvent?.entityAsJson ??
    event.updatedEvent?.currentEntityAsJson ??
    event.deletedEvent?.deletedEntityAsJson ??
    event.actionEvent?.bodyAsJson;
  return json === undefined ? null : JSON.parse(json);
}
