import type { Migration } from '../migrations.js';

/**
 * The Ratings API's table (reference §7): one row per owner per attribute of an entity.
 * `overall` is never stored: it is computed from approved reviews.
 */
export const migration: Migration = {
  id: 3,
  name: 'ratings',
  sql: `
CREATE TABLE ratings (
  id text PRIMARY KEY,
  namespace text NOT NULL,
  rating_group text NOT NULL,
  entity_id text NOT NULL,
  attribute_name text NOT NULL
    CHECK (attribute_name ~ '^[a-z][a-z0-9_-]{0,49}$' AND attribute_name <> 'overall'),
  value smallint NOT NULL CHECK (value BETWEEN 0 AND 100),
  contact_id text,
  anonymous_visitor_id text,
  member_id text,
  related_entity_ids text[] NOT NULL DEFAULT '{}' CHECK (cardinality(related_entity_ids) <= 20),
  revision bigint NOT NULL DEFAULT 1,
  created_date timestamptz(3) NOT NULL,
  updated_date timestamptz(3) NOT NULL,
  CONSTRAINT ratings_one_owner CHECK (num_nonnulls(contact_id, anonymous_visitor_id, member_id) = 1)
);

-- One rating per owner per attribute of an entity. The owner is one of three columns
-- (the other two are NULL), so the key compares them with NULL as ''. Its prefix also
-- serves the entity summaries (namespace, group, entity, attribute).
CREATE UNIQUE INDEX ratings_one_per_owner ON ratings (namespace, rating_group, entity_id, attribute_name,
  coalesce(contact_id, ''), coalesce(anonymous_visitor_id, ''), coalesce(member_id, ''));
-- Group summaries: every rating of an attribute across a group.
CREATE INDEX ratings_group_attribute ON ratings (namespace, rating_group, attribute_name, value);
-- relatedEntityIds $hasSome / $hasAll, and finding the ratings of a deleted review.
CREATE INDEX ratings_related ON ratings USING gin (related_entity_ids);
-- Query Ratings' default order, and owner look-ups (the query compiler filters on these expressions).
CREATE INDEX ratings_created ON ratings (created_date, id);
CREATE INDEX ratings_contact ON ratings ((coalesce(contact_id, '')));
CREATE INDEX ratings_visitor ON ratings ((coalesce(anonymous_visitor_id, '')));
CREATE INDEX ratings_member ON ratings ((coalesce(member_id, '')));
`,
};
