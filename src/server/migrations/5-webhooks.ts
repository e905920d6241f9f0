import type { Migration } from '../migrations.js';

export const migration: Migration = {
  id: 5,
  name: 'domain events outbox and webhooks',
  sql: `
CREATE TABLE webhook_subscriptions (
  id text PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL,
  secret text NOT NULL,
  created_date timestamptz(3) NOT NULL
);

-- The last entityEventSequence handed out per entity. Taking the next one updates this row,
-- and its row lock is held until commit: two transactions changing one entity get their
-- numbers in commit order, so a later number is never visible before an earlier one.
CREATE TABLE entity_event_sequences (
  entity_fqdn text NOT NULL,
  entity_id text NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (entity_fqdn, entity_id)
);

-- The outbox: one row per event, written in the transaction of the change. body is the
-- envelope exactly as sent (and signed), so every delivery of an event has the same bytes.
CREATE TABLE domain_events (
  id text PRIMARY KEY,
  entity_fqdn text NOT NULL,
  entity_id text NOT NULL,
  entity_seq bigint NOT NULL,
  event_type text NOT NULL,
  event_time timestamptz(3) NOT NULL,
  originated_from text,
  body text NOT NULL
);

-- One row per (subscription, event), created with the event. next_attempt_date NULL means
-- due now; lease_until marks a delivery a worker is sending, so no other worker takes it.
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  position bigint GENERATED ALWAYS AS IDENTITY,
  subscription_id text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id text NOT NULL REFERENCES domain_events (id) ON DELETE CASCADE,
  entity_fqdn text NOT NULL,
  entity_id text NOT NULL,
  entity_seq bigint NOT NULL,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempt_count integer NOT NULL DEFAULT 0,
  next_attempt_date timestamptz(3),
  lease_until timestamptz(3),
  first_attempt_date timestamptz(3),
  done_date timestamptz(3),
  created_date timestamptz(3) NOT NULL,
  redelivery_of text
);

-- The worker's queue: due pending deliveries, oldest first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_date NULLS FIRST, position) WHERE status = 'PENDING';
-- Per-entity order: "is an earlier event for this subscription and entity still pending?"
CREATE INDEX webhook_deliveries_entity ON webhook_deliveries (subscription_id, entity_fqdn, entity_id, entity_seq) WHERE status = 'PENDING';
-- The delivery log, newest first.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, position);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
-- Retention: finished deliveries by age.
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (done_date) WHERE status <> 'PENDING';

CREATE TABLE webhook_attempts (
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  attempted_date timestamptz(3) NOT NULL,
  duration_ms integer NOT NULL,
  http_status integer,
  error text,
  response_body text,
  PRIMARY KEY (delivery_id, attempt)
);
`,
};
