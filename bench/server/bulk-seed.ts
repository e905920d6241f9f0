/**
 * Bulk seeding for the server benchmark: set-based SQL (`INSERT ... SELECT ... FROM
 * generate_series`) in chunks, straight into an open database (migrations already run).
 * Much faster than the HTTP API, and identical SQL on PGlite and PostgreSQL.
 *
 * The data set aims to look like a real store:
 *  - entity popularity is skewed: ~0.5% "hot" entities (thousands of reviews each), ~5%
 *    "warm" (hundreds), the rest "typical" (tens to ~150); reviews of one entity are
 *    spread over the whole table (rows are inserted in time order, as they would arrive);
 *  - ratings are J-shaped (mostly 5s, some 1s) with a per-entity quality bias;
 *  - ~85% APPROVED, ~8% IN_MODERATION, ~7% REJECTED;
 *  - ~10% of entities (in every tier) never got a helpfulness vote: all their reviews tie
 *    at helpfulness 0 (the worst case for the "most helpful" sort);
 *  - bodies of 0 to ~8 sentences, titles, author names, ~10% of approved reviews have a
 *    reply, ~30% verified, helpful/unhelpful counts with a long tail;
 *  - created dates spread over the last two years.
 */
import type { Db } from '../../src/server/db.js';
import { mulberry32 } from '../../src/server/seed.js';

export interface SeedPlan {
  reviews: number;
  entities: number;
  /** Rows per INSERT statement. */
  chunk: number;
  seed: number;
}

export type Tier = 'hot' | 'warm' | 'typical';

export interface EntityPlan {
  id: string;
  tier: Tier;
  /** Expected number of reviews (the actual count is drawn at random around it). */
  expected: number;
  /**
   * False for the ~10% of entities whose reviews never got a helpfulness vote (a store
   * that does not show the button): every review ties at helpfulness 0.
   */
  votes: boolean;
}

export interface SeedStats {
  reviews: number;
  entities: number;
  approvedShare: number;
  /** Reviews per entity: largest, 99th percentile, median, smallest. */
  perEntity: { max: number; p99: number; p50: number; min: number };
  /** Seconds. */
  insertSeconds: number;
  indexSeconds: number;
  /** VACUUM ANALYZE and CHECKPOINT. */
  vacuumSeconds: number;
  totalSeconds: number;
  /** `reviews` table with its indexes, bytes. */
  tableBytes: number;
}

/** Small deterministic PRNG (mulberry32), shared with the demo seed. */
export const prng = mulberry32;

export function entityId(index: number, entities: number): string {
  return `prod-${String(index).padStart(Math.max(5, String(entities).length), '0')}`;
}

/** Which entities are hot, warm or typical, and how many reviews each is expected to get. */
export function planEntities(plan: SeedPlan): EntityPlan[] {
  const rand = prng(plan.seed);
  const n = plan.entities;
  const hot = Math.max(1, Math.round(n * 0.005));
  const warm = Math.max(1, Math.round(n * 0.05));
  // A random choice of which indexes are hot and warm (Fisher-Yates on 1..n).
  const order = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const tierOf = new Map<number, Tier>();
  order.forEach((idx, i) => tierOf.set(idx, i < hot ? 'hot' : i < hot + warm ? 'warm' : 'typical'));
  const mult: Record<Tier, number> = { hot: 30, warm: 3, typical: 0.75 };
  const weights = Array.from({ length: n }, (_, i) => {
    // Log-normal spread (sigma 0.5) around the tier's level.
    const gauss = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return mult[tierOf.get(i + 1)!] * Math.exp(0.5 * gauss);
  });
  const total = weights.reduce((s, w) => s + w, 0);
  // Every 10th entity of each tier (so at least one hot entity) has no votes.
  const seen: Record<Tier, number> = { hot: 0, warm: 0, typical: 0 };
  return weights.map((w, i) => {
    const tier = tierOf.get(i + 1)!;
    return { id: entityId(i + 1, n), tier, expected: (plan.reviews * w) / total, votes: seen[tier]++ % 10 !== 0 };
  });
}

const ADJ = ['great', 'solid', 'cheap', 'sturdy', 'flimsy', 'beautiful', 'comfortable', 'noisy', 'reliable', 'disappointing', 'excellent', 'decent', 'overpriced', 'lightweight', 'durable', 'soft', 'bright', 'compact', 'clunky', 'perfect'];
const NOUN = ['quality', 'packaging', 'fit', 'battery', 'finish', 'colour', 'stitching', 'material', 'size', 'delivery', 'instructions', 'handle', 'zipper', 'screen', 'sound', 'smell', 'price', 'design', 'lid', 'strap'];
const VERB = ['arrived', 'works', 'broke', 'looks', 'feels', 'held up', 'fits', 'performs', 'lasted', 'charges'];
const TAIL = ['after two weeks', 'out of the box', 'for the price', 'compared to my old one', 'as described', 'better than expected', 'every single day', 'in the rain', 'on a long trip', 'with the kids around'];
const FIRST = ['Alex', 'Sam', 'Maria', 'Jon', 'Priya', 'Chen', 'Fatima', 'Lukas', 'Emma', 'Noah', 'Olivia', 'Mateo', 'Yuki', 'Amara', 'Ivan', 'Sofia', 'Liam', 'Zoe', 'Omar', 'Hana'];
const LAST = ['S.', 'K.', 'M.', 'B.', 'T.', 'R.', 'L.', 'W.', 'D.', 'P.'];

/** Text pools (sentences, titles, names, replies) the SQL picks from at random. */
export function textPools(seed: number) {
  const rand = prng(seed ^ 0x5eed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const sentences = Array.from({ length: 400 }, () =>
    rand() < 0.5
      ? `${cap(pick(ADJ))} ${pick(NOUN)}, it ${pick(VERB)} ${pick(TAIL)}.`
      : `The ${pick(NOUN)} ${pick(VERB)} ${pick(TAIL)} and the ${pick(NOUN)} is ${pick(ADJ)}; I would say it is ${pick(ADJ)} overall.`,
  );
  const titles = Array.from({ length: 150 }, () => `${cap(pick(ADJ))} ${pick(NOUN)}${rand() < 0.3 ? '!' : ''}`);
  const names = FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`));
  const replies = Array.from({ length: 40 }, () => `Thanks for the review! We are glad the ${pick(NOUN)} ${pick(VERB)} ${pick(TAIL)}.`);
  return { sentences, titles, names, replies };
}

/**
 * One chunk of reviews: rows `$1..$2` of `$3`. The entity of each row is drawn from the
 * popularity distribution with `width_bucket` over cumulative shares (`$4`).
 */
const INSERT_CHUNK = `
INSERT INTO reviews (id, namespace, entity_id, contact_id, author_name, title, body, rating,
  created_date, updated_date, review_date, reply_message, reply_created_date, reply_updated_date,
  found_helpful, found_unhelpful, moderation_status, verified, publish_count)
SELECT
  md5('bench-review-' || i)::uuid::text,
  'stores',
  'prod-' || lpad(e::text, $10::int, '0'),
  'contact-' || i,
  ($7::text[])[1 + floor(random() * cardinality($7::text[]))::int],
  CASE WHEN r_title < 0.9 THEN ($6::text[])[1 + floor(random() * cardinality($6::text[]))::int] END,
  CASE WHEN n_sent = 0 THEN NULL ELSE array_to_string((ARRAY[
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int],
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int],
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int],
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int],
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int],
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int],
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int],
    ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int]
  ])[1:n_sent], ' ') END,
  CASE WHEN u < 0.35 + 0.35 * q THEN 5 WHEN u < 0.55 + 0.35 * q THEN 4 WHEN u < 0.65 + 0.35 * q THEN 3
       WHEN u < 0.72 + 0.35 * q THEN 2 ELSE 1 END,
  ts, ts, ts,
  CASE WHEN r_status < 0.85 AND r_reply < 0.1 THEN ($8::text[])[1 + floor(random() * cardinality($8::text[]))::int] END,
  CASE WHEN r_status < 0.85 AND r_reply < 0.1 THEN ts + interval '2 days' END,
  CASE WHEN r_status < 0.85 AND r_reply < 0.1 THEN ts + interval '2 days' END,
  CASE WHEN r_helpful < 0.55 OR NOT ($11::boolean[])[e] THEN 0 ELSE floor(exp(random() * 5.5))::int END,
  CASE WHEN r_unhelpful < 0.8 OR NOT ($11::boolean[])[e] THEN 0 ELSE floor(exp(random() * 3))::int END,
  CASE WHEN r_status < 0.85 THEN 'APPROVED' WHEN r_status < 0.93 THEN 'IN_MODERATION' ELSE 'REJECTED' END,
  r_verified < 0.3,
  CASE WHEN r_status < 0.85 THEN 1 ELSE 0 END
FROM (
  SELECT i, e,
    -- Per-entity quality in [0, 1): shifts the rating distribution.
    ((e::bigint * 2654435761) % 1000) / 1000.0 AS q,
    $9::timestamptz + make_interval(secs => ((i - 1) + random()) / $3::float8 * 730 * 86400) AS ts,
    u, r_title, r_status, r_reply, r_helpful, r_unhelpful, r_verified,
    -- 0..8 sentences, skewed short: 3% empty, most 1-4.
    CASE WHEN r_len < 0.03 THEN 0 ELSE 1 + floor(power(random(), 1.6) * 8)::int END AS n_sent
  FROM (
    SELECT i, width_bucket(random(), $4::float8[]) AS e, random() AS u, random() AS r_title,
      random() AS r_status, random() AS r_reply, random() AS r_helpful, random() AS r_unhelpful,
      random() AS r_verified, random() AS r_len
    FROM generate_series($1::int, $2::int) AS i
  ) draws
) x`;

/** Empties `reviews` and fills it per `plan`; returns what was loaded and how long it took. */
export async function bulkSeed(db: Db, plan: SeedPlan, entities: readonly EntityPlan[], log: (msg: string) => void): Promise<SeedStats> {
  const t0 = performance.now();
  await db.query('TRUNCATE reviews, helpful_votes');
  // Cumulative shares: entity k owns [thr[k-1], thr[k]) of [0, 1).
  const total = entities.reduce((s, e) => s + e.expected, 0);
  const thresholds: number[] = [];
  let acc = 0;
  for (const e of entities) {
    thresholds.push(acc / total);
    acc += e.expected;
  }
  const pools = textPools(plan.seed);
  const start = new Date(Date.now() - 730 * 86400_000 - 86400_000);
  const pad = Math.max(5, String(plan.entities).length);
  const votes = entities.map((e) => e.votes);

  // Secondary indexes are dropped for the load and built afterwards (as for any bulk load);
  // the primary key and the one-review-per-author constraint stay in place.
  const { rows: indexes } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = 'reviews'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
     ORDER BY i.indexname`,
  );
  for (const ix of indexes) await db.query(`DROP INDEX ${quoteIdent(ix.indexname)}`);

  const chunks = Math.ceil(plan.reviews / plan.chunk);
  for (let c = 0; c < chunks; c++) {
    const lo = c * plan.chunk + 1;
    const hi = Math.min(plan.reviews, (c + 1) * plan.chunk);
    await db.transaction(async (tx) => {
      if (db.engine === 'postgres') await tx.query('SET LOCAL synchronous_commit = off');
      // Deterministic data per chunk (same seed, same rows) on either engine.
      await tx.query('SELECT setseed($1)', [(((plan.seed * 7919 + c) % 2000) - 1000) / 1000]);
      await tx.query(INSERT_CHUNK, [lo, hi, plan.reviews, thresholds, pools.sentences, pools.titles, pools.names, pools.replies, start.toISOString(), pad, votes]);
    });
    const done = hi;
    if (c === chunks - 1 || (c + 1) % Math.max(1, Math.round(chunks / 10)) === 0) {
      log(`  inserted ${done.toLocaleString('en-US')} / ${plan.reviews.toLocaleString('en-US')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  }
  const t1 = performance.now();
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL maintenance_work_mem = '${db.engine === 'postgres' ? '512MB' : '256MB'}'`);
    for (const ix of indexes) await tx.query(ix.indexdef);
  });
  const t2 = performance.now();
  log(`  built ${indexes.length} secondary indexes (${((t2 - t1) / 1000).toFixed(1)} s)`);
  // Sets hint bits and the visibility map (index-only scans) and gathers statistics, as
  // autovacuum would soon after a load on a live server. PGlite has no autovacuum.
  await db.query('VACUUM (ANALYZE) reviews');
  // Flush the load now, so a background checkpoint of ~2 GB does not run during the measurements.
  await db.query('CHECKPOINT');
  const t3 = performance.now();
  log(`  VACUUM ANALYZE, CHECKPOINT (${((t3 - t2) / 1000).toFixed(1)} s)`);

  const { rows: counts } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reviews GROUP BY entity_id ORDER BY 1`,
  );
  const per = counts.map((r) => Number(r.n));
  const q = (p: number) => per[Math.min(per.length - 1, Math.floor(p * per.length))] ?? 0;
  const { rows: agg } = await db.query<{ n: number; approved: number; bytes: string }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE moderation_status = 'APPROVED')::int AS approved,
            pg_total_relation_size('reviews')::text AS bytes FROM reviews`,
  );
  const a = agg[0]!;
  return {
    reviews: Number(a.n),
    entities: per.length,
    approvedShare: Number(a.approved) / Number(a.n),
    perEntity: { max: per.at(-1) ?? 0, p99: q(0.99), p50: q(0.5), min: per[0] ?? 0 },
    insertSeconds: (t1 - t0) / 1000,
    indexSeconds: (t2 - t1) / 1000,
    vacuumSeconds: (t3 - t2) / 1000,
    totalSeconds: (t3 - t0) / 1000,
    tableBytes: Number(a.bytes),
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
