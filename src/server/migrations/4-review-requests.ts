import type { Migration } from '../migrations.js';

export const migration: Migration = {
  id: 4,
  name: 'catalog, orders and review requests',
  sql: `
-- The store's catalog as review requests need it: a product id is a review's entity_id.
-- Amounts are numeric without a scale, so "12.50" comes back as "12.50" and "12.5" as "12.5".
CREATE TABLE products (
  id text PRIMARY KEY,
  name text NOT NULL,
  price_amount numeric NOT NULL CHECK (price_amount >= 0),
  price_currency text NOT NULL,
  image_url text,
  url text,
  created_date timestamptz(3) NOT NULL,
  updated_date timestamptz(3) NOT NULL
);

CREATE TABLE orders (
  id text PRIMARY KEY,
  number text NOT NULL,
  contact_id text NOT NULL REFERENCES contacts (id),
  created_date timestamptz(3) NOT NULL,
  updated_date timestamptz(3) NOT NULL
);
CREATE INDEX orders_contact ON orders (contact_id);
CREATE INDEX orders_created ON orders (created_date, id);

-- An item keeps the unit price paid, so deleting or repricing a product later does not
-- change which items of an old order count as "the most expensive".
CREATE TABLE order_items (
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position integer NOT NULL,
  catalog_item_id text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  price_amount numeric NOT NULL CHECK (price_amount >= 0),
  price_currency text NOT NULL,
  PRIMARY KEY (order_id, position)
);

-- Items are two parallel arrays: item_ids[i] and item_review_ids[i] (NULL until the
-- customer reviews item i). Plain arrays keep the row self-contained and let filters on
-- items.catalogItemId / items.reviewId use array operators.
CREATE TABLE review_requests (
  id text PRIMARY KEY,
  revision bigint NOT NULL DEFAULT 1,
  created_date timestamptz(3) NOT NULL,
  updated_date timestamptz(3) NOT NULL,
  send_date timestamptz(3) NOT NULL,
  namespace text NOT NULL,
  order_id text,
  order_number text,
  item_ids text[] NOT NULL,
  item_review_ids text[] NOT NULL,
  contact_id text NOT NULL,
  communication_channel text NOT NULL,
  status text NOT NULL,
  opened boolean NOT NULL DEFAULT false,
  failure_reason text,
  failure_message text,
  sent_date timestamptz(3),
  requested_by_type text NOT NULL,
  requested_by_user_id text,
  requested_by_app_id text,
  automation_activation_id text,
  CHECK (cardinality(item_ids) BETWEEN 1 AND 5 AND cardinality(item_review_ids) = cardinality(item_ids))
);
-- The scheduler's claim query: due SCHEDULED requests, oldest first.
CREATE INDEX review_requests_due ON review_requests (send_date, id) WHERE status = 'SCHEDULED';
CREATE INDEX review_requests_created ON review_requests (created_date, id);
CREATE INDEX review_requests_contact ON review_requests (contact_id);
CREATE INDEX review_requests_order ON review_requests (order_id);

-- Messages kept by the default (outbox) sender instead of being mailed.
CREATE TABLE mail_outbox (
  id text PRIMARY KEY,
  review_request_id text NOT NULL,
  to_address text NOT NULL,
  to_name text,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  review_url text NOT NULL,
  created_date timestamptz(3) NOT NULL
);
CREATE INDEX mail_outbox_created ON mail_outbox (created_date, id);
CREATE INDEX mail_outbox_request ON mail_outbox (review_request_id);
`,
};
