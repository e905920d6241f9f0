/**
 * Schema migrations, applied in order at start. Each runs once, in a transaction, and is
 * recorded in `schema_migrations`. Never edit a shipped migration: add a new one.
 */
import type { Db } from './db.js';
import { migration as ratings } from './migrations/3-ratings.js';
import { migration as reviewRequests } from './migrations/4-review-requests.js';
import { migration as webhooks } from './migrations/5-webhooks.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Wilson score lower bound (95%) of the helpful share: ranks 40/50 above 1/1. */
const wilson = `CASE WHEN found_helpful + found_unhelpful = 0 THEN 0 ELSE
  ((found_helpful::float8 / (found_helpful + found_unhelpful)) + 1.9208 / (found_helpful + found_unhelpful)
   - 1.96 * sqrt(((found_helpful::float8 * found_unhelpful) / (found_helpful + found_unhelpful)) / (found_helpful + found_unhelpful) / (found_helpful + found_unhelpful)
                 + 0.9604 / ((found_helpful + found_unhelpful)::float8 * (found_helpful + found_unhelpful))))
  / (1 + 3.8416 / (found_helpful + found_unhelpful)) END`;

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'reviews',
    sql: `
CREATE TABLE contacts (
  id text PRIMARY KEY,
  email text UNIQUE,
  name text,
  created_date timestamptz(3) NOT NULL
);

CREATE TABLE reviews (
  id text PRIMARY KEY,
  namespace text NOT NULL,
  entity_id text NOT NULL,
  contact_id text NOT NULL,
  author_name text,
  title text,
  body text,
  media jsonb NOT NULL DEFAULT '[]',
  has_media boolean GENERATED ALWAYS AS (jsonb_array_length(media) > 0) STORED,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  created_date timestamptz(3) NOT NULL,
  updated_date timestamptz(3) NOT NULL,
  review_date timestamptz(3) NOT NULL,
  reply_message text,
  reply_created_date timestamptz(3),
  reply_updated_date timestamptz(3),
  found_helpful integer NOT NULL DEFAULT 0 CHECK (found_helpful >= 0),
  found_unhelpful integer NOT NULL DEFAULT 0 CHECK (found_unhelpful >= 0),
  helpfulness integer GENERATED ALWAYS AS (found_helpful - found_unhelpful) STORED,
  moderation_status text NOT NULL,
  manually_changed boolean NOT NULL DEFAULT false,
  revision bigint NOT NULL DEFAULT 1,
  verified boolean NOT NULL DEFAULT false,
  origin_type text NOT NULL DEFAULT 'ORGANIC',
  origin_app_id text,
  relevance_score float8 GENERATED ALWAYS AS (
    round((0.6 * (${wilson})
     + 0.2 * least(coalesce(length(body), 0), 600)::float8 / 600
     + CASE WHEN jsonb_array_length(media) > 0 THEN 0.1 ELSE 0 END
     + CASE WHEN verified THEN 0.1 ELSE 0 END)::numeric, 6)::float8
  ) STORED,
  publish_count integer NOT NULL DEFAULT 0,
  search_doc tsvector GENERATED ALWAYS AS (
    to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))
  ) STORED,
  CONSTRAINT reviews_one_per_author UNIQUE (namespace, entity_id, contact_id)
);

-- Entity pages: visible reviews of one product in each sort, keyset-paged.
CREATE INDEX reviews_entity_created ON reviews (namespace, entity_id, moderation_status, created_date, id);
CREATE INDEX reviews_entity_helpful ON reviews (namespace, entity_id, moderation_status, helpfulness, created_date, id);
CREATE INDEX reviews_entity_rating ON reviews (namespace, entity_id, moderation_status, rating, created_date, id);
-- Store-wide lists (most helpful across the namespace, moderation queue).
CREATE INDEX reviews_ns_helpful ON reviews (namespace, moderation_status, helpfulness, created_date, id);
CREATE INDEX reviews_ns_created ON reviews (namespace, moderation_status, created_date, id);
CREATE INDEX reviews_contact ON reviews (contact_id);
CREATE INDEX reviews_search ON reviews USING gin (search_doc);

CREATE TABLE helpful_votes (
  review_id text NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  visitor_id text NOT NULL,
  vote smallint NOT NULL CHECK (vote IN (-1, 1)),
  created_date timestamptz(3) NOT NULL,
  PRIMARY KEY (review_id, visitor_id)
);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE media (
  id text PRIMARY KEY,
  content_type text NOT NULL,
  bytes bytea NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  filename text,
  created_date timestamptz(3) NOT NULL
);
`,
  },
  {
    id: 2,
    name: 'entity helpfulness sort index',
    sql: `
-- A single-key sort orders by (key, id): the id breaks ties, in the key's direction. The
-- migration 1 index puts created_date between helpfulness and the id, so it serves the
-- widget's "most helpful, then newest" exactly, but for helpfulness alone PostgreSQL reads
-- and sorts every review tied with the first one: on a popular product nobody voted on,
-- all of them (2,734 rows, 4-19 ms, for a page of 10 in bench/server); with this index,
-- 11 rows (0.1 ms). No (..., rating, id) twin: the planner would prefer it for summaries,
-- which it makes slower (random id order defeats heap locality).
CREATE INDEX reviews_entity_helpful_id ON reviews (namespace, entity_id, moderation_status, helpfulness, id);
`,
  },
  ratings,
  reviewRequests,
  webhooks,
];

export async function migrate(db: Db): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id integer PRIMARY KEY, name text NOT NULL, applied_date timestamptz NOT NULL DEFAULT now())`);
  // Several servers may start at once on one PostgreSQL database: serialise migrations.
  await db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(727274)');
    const { rows } = await tx.query<{ id: number }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((r) => Number(r.id)));
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
    }
  });
}

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
