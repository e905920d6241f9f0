/**
 * Webhooks: owner-managed subscriptions, the delivery worker that drains the events
 * outbox (events.ts) to them, and the owner routes under `/reviews/v1/webhooks`.
 *
 * Delivery is at-least-once: a delivery row exists for every (subscription, event) from
 * the moment the change commits, and it stays PENDING until the receiver answers 2xx or
 * retries run out. Retries back off exponentially with full jitter (10 s doubling, capped
 * at 1 h) for at least 24 h after the first attempt; then the delivery is FAILED (kept in
 * the log, redeliverable). Per subscription and entity, events go out in
 * entityEventSequence order: a delivery waits while an earlier one for the same entity is
 * PENDING. Workers claim deliveries with `FOR UPDATE SKIP LOCKED` and a lease, so several
 * servers on one PostgreSQL database do not send the same delivery twice.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { safeParse } from 'zod/mini';
import {
  CreateWebhookRequestSchema,
  DeliveryLogQuerySchema,
  WEBHOOK_LIMITS,
  type Delivery,
  type DeliveryPass,
  type DeliveryStatus,
  type Webhook,
} from '../api/webhooks.js';
import type { Db, Queryable } from './db.js';
import { ApiError, badRequest, invalid, notFound } from './errors.js';
import { jsonLimit, readJson, requireOwner, type Env } from './http.js';

// ---------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------

/** The `X-Storefront-Signature` value of a body: `sha256=<hex HMAC-SHA256(secret, body)>`. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A new signing secret (shown to the owner once, when the webhook is registered). */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

// ---------------------------------------------------------------------------
// Delivery worker
// ---------------------------------------------------------------------------

/** Delivery tuning (AppOptions.delivery, ServeOptions.delivery). */
export interface DeliveryTuning {
  /** Per attempt: connect, send and read the answer's status within this time. Default 10 s. */
  timeoutMs?: number;
  /** First retry delay bound; doubles each attempt. Default 10 s. */
  retryBaseMs?: number;
  /** Largest retry delay bound. Default 1 h. */
  retryCapMs?: number;
  /** Keep retrying until this long after the first attempt, then mark FAILED. Default 24 h. */
  retryForMs?: number;
  /** Deliveries claimed at a time. Default 50. */
  batchSize?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Finished deliveries (and their events) are deleted this long after they finish. Default 30 days. */
  retentionMs?: number;
}

export interface DeliveryWorkerOptions extends DeliveryTuning {
  db: Db;
  /** The current time (AppOptions.clock); every schedule follows it. */
  clock?: () => Date;
}

interface Claimed {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  attempt_count: number;
  first_attempt_date: Date | string;
  url: string;
  secret: string;
  body: string;
}

interface AttemptResult {
  ok: boolean;
  httpStatus?: number;
  error?: string;
  responseBody?: string;
  durationMs: number;
  /** Seconds the receiver asked us to wait (Retry-After on 429/503). */
  retryAfterMs?: number;
  /** The worker is stopping: the attempt does not count. */
  aborted?: boolean;
}

const USER_AGENT = 'storefront-reviews-webhooks/1 (+https://github.com/storefront-reviews)';
const RESPONSE_EXCERPT = 512;
/** Upper bound of attempts in one pass, so a pass always ends. */
const MAX_PER_PASS = 10_000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Sends due deliveries. `runPass()` delivers everything due now (also what becomes due
 * when an earlier event of the same entity is delivered during the pass); `start()` runs
 * passes on an interval. Passes of one worker never overlap.
 */
export class DeliveryWorker {
  private readonly _db: Db;
  private readonly _clock: () => Date;
  private readonly _t: Required<DeliveryTuning>;
  private _tail: Promise<unknown> = Promise.resolve();
  private _timer: ReturnType<typeof setInterval> | undefined;
  private readonly _abort = new AbortController();
  private _lastPrune = -Infinity;

  constructor(options: DeliveryWorkerOptions) {
    this._db = options.db;
    this._clock = options.clock ?? (() => new Date());
    this._t = {
      timeoutMs: options.timeoutMs ?? 10_000,
      retryBaseMs: options.retryBaseMs ?? 10_000,
      retryCapMs: options.retryCapMs ?? 60 * 60 * 1000,
      retryForMs: options.retryForMs ?? 24 * 60 * 60 * 1000,
      batchSize: options.batchSize ?? 50,
      concurrency: options.concurrency ?? 8,
      retentionMs: options.retentionMs ?? 30 * 24 * 60 * 60 * 1000,
    };
  }

  /** Runs passes every `intervalMs` (0 or less: never). The timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this._timer || this._abort.signal.aborted) return;
    this._timer = setInterval(() => {
      this.runPass().catch((err: unknown) => console.error('webhook delivery pass failed:', err));
    }, intervalMs);
    this._timer.unref();
  }

  /** Stops the timer, aborts requests in flight (they are not counted as attempts) and waits for the pass. */
  async stop(): Promise<void> {
    if (this._timer) clearInterval(this._timer);
    this._timer = undefined;
    this._abort.abort();
    await this._tail.catch(() => {});
  }

  /** Delivers everything due now; resolves with what was done. */
  runPass(): Promise<DeliveryPass> {
    const run = this._tail.then(() => this._pass());
    this._tail = run.catch(() => {});
    return run;
  }

  private async _pass(): Promise<DeliveryPass> {
    const stats: DeliveryPass = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
    if (this._abort.signal.aborted) return stats;
    const tried: string[] = [];
    while (!this._abort.signal.aborted && tried.length < MAX_PER_PASS) {
      const claimed = await this._claim(tried);
      if (claimed.length === 0) break;
      tried.push(...claimed.map((d) => d.id));
      await eachLimited(claimed, this._t.concurrency, (d) => this._deliver(d, stats));
    }
    await this._prune();
    return stats;
  }

  /**
   * Claims due deliveries: PENDING, due, not leased, not already tried in this pass, and
   * with no earlier PENDING delivery for the same subscription and entity. The lease
   * (attempt timeout plus a minute) keeps other workers off while the request runs; if
   * this process dies mid-request, the delivery is retried when the lease ends.
   */
  private async _claim(tried: readonly string[]): Promise<Claimed[]> {
    const now = this._clock();
    const leaseUntil = new Date(now.getTime() + this._t.timeoutMs + 60_000);
    const { rows } = await this._db.query<Claimed>(
      `WITH picked AS (
         SELECT c.id FROM webhook_deliveries c
         WHERE c.status = 'PENDING'
           AND (c.next_attempt_date IS NULL OR c.next_attempt_date <= $1)
           AND (c.lease_until IS NULL OR c.lease_until <= $1)
           AND c.id <> ALL ($3::text[])
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries e
             WHERE e.subscription_id = c.subscription_id AND e.entity_fqdn = c.entity_fqdn
               AND e.entity_id = c.entity_id AND e.status = 'PENDING' AND e.entity_seq < c.entity_seq)
         ORDER BY c.next_attempt_date NULLS FIRST, c.position
         LIMIT $4
         FOR UPDATE OF c SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_deliveries d
         SET lease_until = $2, attempt_count = d.attempt_count + 1, first_attempt_date = coalesce(d.first_attempt_date, $1)
         FROM picked WHERE d.id = picked.id
         RETURNING d.id, d.subscription_id, d.event_id, d.attempt_count, d.first_attempt_date
       )
       SELECT claimed.*, s.url, s.secret, ev.body, ev.event_type
       FROM claimed
       JOIN webhook_subscriptions s ON s.id = claimed.subscription_id
       JOIN domain_events ev ON ev.id = claimed.event_id`,
      [now, leaseUntil, tried, this._t.batchSize],
    );
    return rows;
  }

  private async _deliver(d: Claimed, stats: DeliveryPass): Promise<void> {
    const startedAt = this._clock();
    const attempt = Number(d.attempt_count);
    const result = await this._send(d, attempt);
    if (result.aborted) {
      // Shutting down: hand the delivery back untouched for the next worker.
      await this._db.query(
        `UPDATE webhook_deliveries SET lease_until = NULL, attempt_count = attempt_count - 1 WHERE id = $1 AND status = 'PENDING'`,
        [d.id],
      );
      return;
    }
    stats.attempted++;
    const now = this._clock();
    let status: DeliveryStatus;
    let next: Date | null = null;
    if (result.ok) {
      status = 'DELIVERED';
      stats.delivered++;
    } else if (now.getTime() - new Date(d.first_attempt_date).getTime() >= this._t.retryForMs) {
      status = 'FAILED';
      stats.failed++;
    } else {
      status = 'PENDING';
      stats.retrying++;
      next = new Date(now.getTime() + this.retryDelay(attempt, result.retryAfterMs));
    }
    await this._db.transaction(async (tx) => {
      // The webhook may have been deleted meanwhile (its deliveries with it): then record nothing.
      const { rowCount } = await tx.query(
        `UPDATE webhook_deliveries SET status = $2, next_attempt_date = $3, lease_until = NULL, done_date = $4
         WHERE id = $1`,
        [d.id, status, next, status === 'PENDING' ? null : now],
      );
      if (rowCount === 0) return;
      await tx.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_date, duration_ms, http_status, error, response_body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (delivery_id, attempt) DO NOTHING`,
        [d.id, attempt, startedAt, result.durationMs, result.httpStatus ?? null, result.error ?? null, result.responseBody ?? null],
      );
    });
  }

  /**
   * The wait before the next attempt after `attempt` failed: full jitter, uniformly
   * random in [1 s, min(cap, base * 2^(attempt-1))], at least what a Retry-After asked (up to the cap).
   */
  retryDelay(attempt: number, retryAfterMs?: number): number {
    const bound = Math.min(this._t.retryCapMs, this._t.retryBaseMs * 2 ** Math.min(attempt - 1, 40));
    const jittered = Math.max(Math.min(1000, bound), Math.floor(Math.random() * bound));
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, this._t.retryCapMs));
  }

  private async _send(d: Claimed, attempt: number): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timeout = AbortSignal.timeout(this._t.timeoutMs);
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.any([timeout, this._abort.signal]),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          'X-Storefront-Signature': signatureOf(d.secret, d.body),
          'X-Storefront-Event-Id': d.event_id,
          'X-Storefront-Delivery-Id': d.id,
          'X-Storefront-Event-Type': d.event_type,
          'X-Storefront-Delivery-Attempt': String(attempt),
        },
      });
      const responseBody = await readExcerpt(res);
      const ok = res.status >= 200 && res.status < 300;
      return {
        ok,
        httpStatus: res.status,
        durationMs: elapsed(),
        ...(responseBody ? { responseBody } : {}),
        ...(ok ? {} : { error: describeStatus(res) }),
        ...(res.status === 429 || res.status === 503 ? { retryAfterMs: retryAfter(res.headers.get('Retry-After')) } : {}),
      };
    } catch (err) {
      if (this._abort.signal.aborted && !timeout.aborted) return { ok: false, aborted: true, durationMs: elapsed() };
      return { ok: false, error: timeout.aborted ? `timed out after ${this._t.timeoutMs} ms` : describeError(err), durationMs: elapsed() };
    }
  }

  /** Deletes finished deliveries past retention, and events nothing refers to any more (hourly). */
  private async _prune(): Promise<void> {
    const now = this._clock().getTime();
    if (now - this._lastPrune < PRUNE_EVERY_MS) return;
    this._lastPrune = now;
    const before = new Date(now - this._t.retentionMs);
    await this._db.query(`DELETE FROM webhook_deliveries WHERE status <> 'PENDING' AND done_date < $1`, [before]);
    await this._db.query(
      `DELETE FROM domain_events ev WHERE ev.event_time < $1
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)`,
      [before],
    );
  }
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (i < items.length) await fn(items[i++]!);
  });
  await Promise.all(lanes);
}

/** Reads at most a few hundred bytes of the answer (for the log), then drops the rest. */
async function readExcerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).toString('utf8', 0, Math.min(size, RESPONSE_EXCERPT));
  // A NUL cannot be stored in a text column.
  return text.replace(/\u0000/g, '');
}

function describeStatus(res: Response): string {
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.get('Location');
    return `HTTP ${res.status}: redirects are not followed${to ? ` (to ${to.slice(0, 200)})` : ''}; register the final URL`;
  }
  return `HTTP ${res.status}`;
}

function describeError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`.slice(0, 500);
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d{1,7}$/.test(header.trim())) return Number(header.trim()) * 1000;
  return undefined;
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

export interface WebhooksRoutesOptions {
  db: Db;
  /** The worker `deliver-now` runs a pass of. */
  worker: DeliveryWorker;
  clock?: () => Date;
}

interface SubscriptionRow {
  id: string;
  url: string;
  events: string[];
  secret: string;
  created_date: Date | string;
}

interface DeliveryRow {
  id: string;
  position: string | number;
  subscription_id: string;
  event_id: string;
  event_type: string;
  entity_fqdn: string;
  entity_id: string;
  entity_seq: string | number;
  status: DeliveryStatus;
  next_attempt_date: Date | string | null;
  lease_until: Date | string | null;
  done_date: Date | string | null;
  created_date: Date | string;
  redelivery_of: string | null;
  waiting_for: string | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

const DELIVERY_COLUMNS = `d.id, d.position, d.subscription_id, d.event_id, ev.event_type, d.entity_fqdn, d.entity_id,
  d.entity_seq, d.status, d.next_attempt_date, d.lease_until, d.done_date, d.created_date, d.redelivery_of,
  CASE WHEN d.status = 'PENDING' THEN (
    SELECT e.id FROM webhook_deliveries e
    WHERE e.subscription_id = d.subscription_id AND e.entity_fqdn = d.entity_fqdn AND e.entity_id = d.entity_id
      AND e.status = 'PENDING' AND e.entity_seq < d.entity_seq
    ORDER BY e.entity_seq LIMIT 1) END AS waiting_for`;

/** The owner routes, to mount at `/reviews/v1/webhooks`. */
export function webhooksRoutes(opts: WebhooksRoutesOptions): Hono<Env> {
  const { db, worker } = opts;
  const clock = opts.clock ?? (() => new Date());
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    requireOwner(c);
    await next();
  });

  app.post('/', jsonLimit, async (c) => {
    const { webhook: input } = await readJson(c, CreateWebhookRequestSchema);
    const secret = input.secret ?? newSecret();
    const { rows } = await db.query<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions (id, url, events, secret, created_date) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, url, events, secret, created_date`,
      [randomUUID(), input.url, input.events, secret, clock()],
    );
    return c.json({ webhook: { ...toWebhook(rows[0]!), secret } });
  });

  app.get('/', async (c) => {
    const { rows } = await db.query<SubscriptionRow>(
      'SELECT id, url, events, secret, created_date FROM webhook_subscriptions ORDER BY created_date, id',
    );
    return c.json({ webhooks: rows.map(toWebhook) });
  });

  // Before `/:id`, which would otherwise take these paths.
  app.post('/deliver-now', async (c) => c.json(await worker.runPass()));

  app.get('/deliveries/:deliveryId', async (c) => {
    const row = await loadDelivery(db, c.req.param('deliveryId'));
    const [delivery] = await withAttempts(db, [row]);
    const { rows } = await db.query<{ body: string }>('SELECT body FROM domain_events WHERE id = $1', [row.event_id]);
    return c.json({ delivery, event: JSON.parse(rows[0]!.body) as unknown });
  });

  app.post('/deliveries/:deliveryId/redeliver', async (c) => {
    const id = c.req.param('deliveryId');
    const now = clock();
    const newId = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ status: DeliveryStatus; lease_until: Date | string | null }>(
        'SELECT status, lease_until FROM webhook_deliveries WHERE id = $1 FOR UPDATE',
        [id],
      );
      const cur = rows[0];
      if (!cur) throw notFound(`Delivery ${id}`);
      if (cur.status === 'PENDING') {
        if (cur.lease_until && new Date(cur.lease_until) > now) {
          throw new ApiError(409, 'This delivery is being sent right now; look at the log again in a few seconds', 'DELIVERY_IN_PROGRESS');
        }
        // Still retrying: make it due now instead of adding a second delivery of the event.
        await tx.query('UPDATE webhook_deliveries SET next_attempt_date = NULL WHERE id = $1', [id]);
        return id;
      }
      const fresh = randomUUID();
      await tx.query(
        `INSERT INTO webhook_deliveries (id, subscription_id, event_id, entity_fqdn, entity_id, entity_seq, created_date, redelivery_of)
         SELECT $2, subscription_id, event_id, entity_fqdn, entity_id, entity_seq, $3, id FROM webhook_deliveries WHERE id = $1`,
        [id, fresh, now],
      );
      return fresh;
    });
    const [delivery] = await withAttempts(db, [await loadDelivery(db, newId)]);
    return c.json({ delivery });
  });

  app.get('/:id', async (c) => c.json({ webhook: toWebhook(await loadSubscription(db, c.req.param('id'))) }));

  app.delete('/:id', async (c) => {
    const { rowCount } = await db.query('DELETE FROM webhook_subscriptions WHERE id = $1', [c.req.param('id')]);
    if (rowCount === 0) throw notFound(`Webhook ${c.req.param('id')}`);
    return c.json({});
  });

  app.get('/:id/deliveries', async (c) => {
    const parsed = safeParse(DeliveryLogQuerySchema, c.req.query(), { reportInput: true });
    if (!parsed.success) throw invalid(parsed.error.issues);
    const q = parsed.data;
    const sub = await loadSubscription(db, c.req.param('id'));
    const limit = q.limit === undefined ? WEBHOOK_LIMITS.logPageDefault : Number(q.limit);
    const params: unknown[] = [sub.id];
    const where = ['d.subscription_id = $1'];
    if (q.status) {
      params.push(q.status);
      where.push(`d.status = $${params.length}`);
    }
    if (q.cursor !== undefined) {
      params.push(decodeLogCursor(q.cursor));
      where.push(`d.position < $${params.length}`);
    }
    const { rows } = await db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN domain_events ev ON ev.id = d.event_id
       WHERE ${where.join(' AND ')} ORDER BY d.position DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const more = rows.length > limit;
    return c.json({
      deliveries: await withAttempts(db, page),
      metadata: { count: page.length, cursors: more ? { next: encodeLogCursor(page.at(-1)!.position) } : {}, hasNext: more },
    });
  });

  return app;
}

function toWebhook(row: SubscriptionRow): Webhook {
  return { id: row.id, url: row.url, events: row.events, createdDate: iso(row.created_date) };
}

async function loadSubscription(db: Queryable, id: string): Promise<SubscriptionRow> {
  const { rows } = await db.query<SubscriptionRow>('SELECT id, url, events, secret, created_date FROM webhook_subscriptions WHERE id = $1', [id]);
  if (!rows[0]) throw notFound(`Webhook ${id}`);
  return rows[0];
}

async function loadDelivery(db: Queryable, id: string): Promise<DeliveryRow> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN domain_events ev ON ev.id = d.event_id WHERE d.id = $1`,
    [id],
  );
  if (!rows[0]) throw notFound(`Delivery ${id}`);
  return rows[0];
}

/** Delivery log entries, each with its attempts (oldest first). */
async function withAttempts(db: Queryable, rows: readonly DeliveryRow[]): Promise<Delivery[]> {
  if (rows.length === 0) return [];
  const { rows: attempts } = await db.query<{
    delivery_id: string;
    attempt: number;
    attempted_date: Date | string;
    duration_ms: number;
    http_status: number | null;
    error: string | null;
    response_body: string | null;
  }>(
    `SELECT delivery_id, attempt, attempted_date, duration_ms, http_status, error, response_body
     FROM webhook_attempts WHERE delivery_id = ANY($1::text[]) ORDER BY attempt`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => {
    const delivery: Delivery = {
      id: r.id,
      webhookId: r.subscription_id,
      eventId: r.event_id,
      eventType: r.event_type,
      entityFqdn: r.entity_fqdn,
      entityId: r.entity_id,
      entityEventSequence: String(r.entity_seq),
      status: r.status,
      createdDate: iso(r.created_date),
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          attempt: Number(a.attempt),
          attemptedDate: iso(a.attempted_date),
          durationMs: Number(a.duration_ms),
          ...(a.http_status === null ? {} : { httpStatus: Number(a.http_status) }),
          ...(a.error === null ? {} : { error: a.error }),
          ...(a.response_body === null ? {} : { responseBody: a.response_body }),
        })),
    };
    if (r.status === 'PENDING') {
      // Due "now" (never tried, or made due by redeliver) reads as its creation time.
      delivery.nextAttemptDate = iso(r.next_attempt_date ?? r.created_date);
      if (r.waiting_for) delivery.waitingFor = r.waiting_for;
    }
    if (r.status === 'DELIVERED' && r.done_date) delivery.deliveredDate = iso(r.done_date);
    if (r.status === 'FAILED' && r.done_date) delivery.failedDate = iso(r.done_date);
    if (r.redelivery_of) delivery.redeliveryOf = r.redelivery_of;
    return delivery;
  });
}

function encodeLogCursor(position: string | number): string {
  return Buffer.from(JSON.stringify({ p: String(position) })).toString('base64url');
}

function decodeLogCursor(cursor: string): string {
  try {
    const p = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown }).p;
    if (typeof p === 'string' && /^\d{1,18}$/.test(p)) return p;
  } catch {
    /* fall through */
  }
  throw badRequest('cursor is not a cursor this log returned', 'INVALID_CURSOR');
}
