/**
 * An example webhook receiver: keeps the reviews of two storefront-reviews servers
 * (store A and store B) in step, both ways, and raises an alert for every new review
 * rated below 3 stars. Run it with receiver.ts; the test starts it with `startSyncReceiver`.
 *
 * What it shows (docs/webhooks.md explains each):
 * - verifying `X-Storefront-Signature` (HMAC-SHA256 of the raw body) before trusting a byte;
 * - validating the envelope with the schema the server ships (src/api/webhooks.ts);
 * - at-least-once delivery: duplicates are dropped by event id, stale events by
 *   `entityEventSequence`, and every write is idempotent (compare, then write);
 * - loop prevention: every write carries `X-Storefront-App-Id: <appId>` (and reviews it
 *   creates carry `origin: {type: APP, appId}`), so the events they cause come back with
 *   `originatedFrom: <appId>`, and the receiver skips them;
 * - answering 2xx only after the work is done, so a failure is retried by the sender.
 *
 * Reviews are matched across stores by (namespace, entityId, author.contactId): a store
 * keeps one review per author per item, so no id mapping has to be stored. Only published
 * (APPROVED) reviews are copied: a review waiting for moderation in one store is copied
 * when it is approved; a review rejected in one store is rejected in the other.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { array, safeParse } from 'zod/mini';
import { ReviewSchema, type Media, type Review } from '../../src/api/schema.js';
import { ENTITY_FQDNS, EventEnvelopeSchema, WEBHOOK_HEADERS, eventPayload, type EventEnvelope } from '../../src/api/webhooks.js';

export type StoreName = 'a' | 'b';

export interface StoreConfig {
  /** Base URL of the storefront-reviews server, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The store owner's API key (the receiver writes as the owner, acting for its app). */
  apiKey: string;
  /** The secret of the webhook that store sends to this receiver. */
  secret: string;
}

export interface SyncReceiverOptions {
  /** This app's id: sent as `X-Storefront-App-Id` on every write, and skipped in `originatedFrom`. */
  appId: string;
  stores: Record<StoreName, StoreConfig>;
  port?: number;
  host?: string;
  /** Reviews rated below this raise an alert. Default 3. */
  alertBelow?: number;
  /** Where log lines go. Default: stdout. */
  log?: (line: string) => void;
}

export interface Alert {
  store: StoreName;
  reviewId: string;
  namespace: string;
  entityId: string;
  rating: number;
  authorName: string | null;
  title: string | null;
  eventTime: string;
}

export interface SyncStats {
  /** Signed, valid events received. */
  received: number;
  /** Events with an id already handled (at-least-once delivery repeats). */
  duplicates: number;
  /** Events older than one already handled for the entity. */
  stale: number;
  /** Events caused by this app's own writes (`originatedFrom` = appId). */
  skippedOwn: number;
  /** Writes made to the other store. */
  writes: number;
  /** Events that changed nothing (the other store already matched). */
  unchanged: number;
  /** Requests refused: bad signature or malformed body. */
  refused: number;
  /** Events whose handling failed (answered 500, so the sender retries). */
  failed: number;
}

export interface SyncReceiver {
  /** Base URL of the receiver. */
  url: string;
  /** The URL to register as store `name`'s webhook. */
  hookUrl(name: StoreName): string;
  alerts: readonly Alert[];
  stats: Readonly<SyncStats>;
  close(): Promise<void>;
}

/** Events the receiver needs; the moderation events are implied by `updated`. */
export const SYNC_EVENTS = ['wix.reviews.v1.review_created', 'wix.reviews.v1.review_updated', 'wix.reviews.v1.review_deleted'];

const MAX_BODY = 1024 * 1024;
const SEEN_MAX = 10_000;

export async function startSyncReceiver(options: SyncReceiverOptions): Promise<SyncReceiver> {
  const log = options.log ?? ((line: string) => console.log(`${new Date().toISOString()} ${line}`));
  const alertBelow = options.alertBelow ?? 3;
  const alerts: Alert[] = [];
  const stats: SyncStats = { received: 0, duplicates: 0, stale: 0, skippedOwn: 0, writes: 0, unchanged: 0, refused: 0, failed: 0 };
  const clients = { a: storeClient(options.stores.a, options.appId), b: storeClient(options.stores.b, options.appId) };
  const seen = new Set<string>();
  const lastSeq = new Map<string, bigint>();
  const locks = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier task with the same key (one review pair at a time). */
  function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    locks.set(key, tail);
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key);
    });
    return run;
  }

  async function handle(from: StoreName, event: EventEnvelope): Promise<string> {
    if (seen.has(event.id)) {
      stats.duplicates++;
      return 'duplicate';
    }
    const seqKey = `${from}:${event.entityFqdn}:${event.entityId}`;
    const seq = BigInt(event.entityEventSequence);
    if ((lastSeq.get(seqKey) ?? -1n) >= seq) {
      stats.stale++;
      return 'stale';
    }
    let outcome: string;
    if (event.originatedFrom === options.appId) {
      stats.skippedOwn++;
      outcome = 'own change, skipped';
    } else if (event.entityFqdn !== ENTITY_FQDNS.review) {
      outcome = 'not a review, ignored';
    } else {
      const review = safeParse(ReviewSchema, eventPayload(event));
      if (!review.success) throw new Error(`event ${event.id} does not carry a review`);
      const r = review.data;
      const to: StoreName = from === 'a' ? 'b' : 'a';
      if (event.slug === 'created' && r.content.rating < alertBelow) raiseAlert(from, r, event);
      outcome = await serialized(`${r.namespace}\u0000${r.entityId}\u0000${r.author?.contactId ?? ''}`, () =>
        event.slug === 'deleted' ? removeTwin(clients[to], r) : upsertTwin(clients[to], r),
      );
      if (outcome === 'unchanged' || outcome.startsWith('not ')) stats.unchanged++;
      else stats.writes++;
      outcome = `${outcome} in ${to.toUpperCase()}`;
    }
    seen.add(event.id);
    if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value!);
    lastSeq.set(seqKey, seq);
    return outcome;
  }

  function raiseAlert(store: StoreName, r: Review, event: EventEnvelope): void {
    if (alerts.some((a) => a.store === store && a.reviewId === r.id)) return;
    const alert: Alert = {
      store,
      reviewId: r.id,
      namespace: r.namespace,
      entityId: r.entityId,
      rating: r.content.rating,
      authorName: r.author?.authorName ?? null,
      title: r.content.title ?? null,
      eventTime: event.eventTime,
    };
    alerts.push(alert);
    log(`ALERT store ${store.toUpperCase()}: ${alert.rating}-star review of ${alert.entityId} by ${alert.authorName ?? 'anonymous'}${alert.title ? `: "${alert.title}"` : ''} (review ${alert.reviewId})`);
  }

  const server: Server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      stats.failed++;
      log(`error: ${(err as Error).message}`);
      send(res, 500, { error: 'the event could not be handled; it will be retried' });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (req.method === 'GET' && path === '/alerts') return send(res, 200, { alerts });
    if (req.method === 'GET' && path === '/stats') return send(res, 200, stats);
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, { status: 'ok' });
    const hook = /^\/webhooks\/(a|b)$/.exec(path);
    if (req.method !== 'POST' || !hook) return send(res, 404, { error: 'not found' });
    const from = hook[1] as StoreName;

    const raw = await readBody(req);
    if (raw === null) {
      stats.refused++;
      return send(res, 413, { error: 'body too large' });
    }
    // 1. The signature, over the exact bytes received, before parsing anything.
    if (!verifySignature(options.stores[from].secret, raw, req.headers[WEBHOOK_HEADERS.signature])) {
      stats.refused++;
      log(`refused a request to /webhooks/${from}: bad signature`);
      return send(res, 401, { error: 'bad signature' });
    }
    // 2. The envelope's shape.
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      json = undefined;
    }
    const parsed = safeParse(EventEnvelopeSchema, json);
    if (!parsed.success) {
      stats.refused++;
      return send(res, 400, { error: 'not an event envelope' });
    }
    stats.received++;
    const event = parsed.data;
    const outcome = await handle(from, event);
    log(`${from.toUpperCase()} ${event.eventType} ${event.entityId} #${event.entityEventSequence}${event.originatedFrom ? ` (from ${event.originatedFrom})` : ''}: ${outcome}`);
    send(res, 200, { ok: true, outcome });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  return {
    url,
    hookUrl: (name) => `${url}/webhooks/${name}`,
    alerts,
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------
// Signature
// ---------------------------------------------------------------------------

/** Checks `X-Storefront-Signature: sha256=<hex>` against HMAC-SHA256(secret, raw body), in constant time. */
export function verifySignature(secret: string, raw: Buffer, header: string | string[] | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(typeof header === 'string' ? header : '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------------------
// Mirroring
// ---------------------------------------------------------------------------

interface StoreClient {
  /** The app this client writes for. */
  appId: string;
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

/** A store's API, as its owner acting for this app (every write is marked with the app id). */
function storeClient(store: StoreConfig, appId: string): StoreClient {
  const base = store.url.replace(/\/+$/, '');
  return {
    appId,
    async call(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: store.apiKey,
          'X-Storefront-App-Id': appId,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(8000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${base}${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
      return text ? (JSON.parse(text) as unknown) : {};
    },
  };
}

const ReviewListSchema = array(ReviewSchema);

/** The other store's copy of a review: same namespace, item and author. */
async function findTwin(store: StoreClient, r: Review): Promise<Review | null> {
  if (!r.author?.contactId) return null;
  const res = (await store.call('POST', '/reviews/v1/reviews/query', {
    query: { filter: { namespace: r.namespace, entityId: r.entityId, 'author.contactId': r.author.contactId }, cursorPaging: { limit: 1 } },
    returnPrivateReviews: true,
  })) as { reviews?: unknown };
  const list = safeParse(ReviewListSchema, res.reviews);
  if (!list.success) throw new Error('the store answered the query with something that is not a list of reviews');
  return list.data[0] ?? null;
}

type MediaInput = { image: { url: string; altText?: string; width?: number; height?: number } } | { video: { url: string } };

function mediaInput(media: readonly Media[] | undefined): MediaInput[] {
  return (media ?? []).flatMap((m): MediaInput[] => {
    if (m.image?.url) {
      const { url, altText, width, height } = m.image;
      return [{ image: { url, ...(altText ? { altText } : {}), ...(width && height ? { width, height } : {}) } }];
    }
    if (m.video?.url) return [{ video: { url: m.video.url } }];
    return [];
  });
}

const mediaUrls = (media: readonly Media[] | undefined) => (media ?? []).map((m) => m.image?.url ?? m.video?.url ?? '').join('\n');

/** Creates or updates the twin of `src` so it matches; returns what was done. */
async function upsertTwin(store: StoreClient, src: Review): Promise<string> {
  const status = src.moderation?.moderationStatus;
  const twin = await findTwin(store, src);
  if (!twin) {
    if (status !== 'APPROVED') return 'not published, not copied';
    const created = (await store.call('POST', '/reviews/v1/reviews', {
      review: {
        namespace: src.namespace,
        entityId: src.entityId,
        author: { contactId: src.author!.contactId, authorName: src.author?.authorName ?? null },
        content: { title: src.content.title ?? null, body: src.content.body ?? null, rating: src.content.rating, media: mediaInput(src.content.media) },
        ...(src.reviewDate ? { reviewDate: src.reviewDate } : {}),
        verified: src.verified ?? false,
        // The review is this app's: its events (and only its creation's) say so.
        origin: { type: 'APP', appId: store.appId },
      },
    })) as { review: Review };
    if (src.reply?.message) await store.call('PATCH', `/reviews/v1/reviews/${created.review.id}/reply`, { message: src.reply.message });
    return 'created';
  }

  const done: string[] = [];
  const contentDiffers =
    (twin.content.title ?? null) !== (src.content.title ?? null) ||
    (twin.content.body ?? null) !== (src.content.body ?? null) ||
    twin.content.rating !== src.content.rating ||
    mediaUrls(twin.content.media) !== mediaUrls(src.content.media) ||
    (twin.author?.authorName ?? null) !== (src.author?.authorName ?? null) ||
    (twin.verified ?? false) !== (src.verified ?? false) ||
    (src.reviewDate !== undefined && twin.reviewDate !== src.reviewDate);
  if (contentDiffers) {
    await store.call('PATCH', `/reviews/v1/reviews/${twin.id}`, {
      review: {
        revision: twin.revision,
        content: { title: src.content.title ?? null, body: src.content.body ?? null, rating: src.content.rating, media: mediaInput(src.content.media) },
        author: { authorName: src.author?.authorName ?? null },
        verified: src.verified ?? false,
        ...(src.reviewDate ? { reviewDate: src.reviewDate } : {}),
      },
    });
    done.push('updated');
  }
  const reply = src.reply?.message ?? null;
  if ((twin.reply?.message ?? null) !== reply) {
    if (reply === null) await store.call('DELETE', `/reviews/v1/reviews/${twin.id}/reply`);
    else await store.call('PATCH', `/reviews/v1/reviews/${twin.id}/reply`, { message: reply });
    done.push('reply copied');
  }
  if ((status === 'APPROVED' || status === 'REJECTED') && twin.moderation?.moderationStatus !== status) {
    await store.call('PATCH', `/reviews/v1/reviews/${twin.id}/moderate`, { status });
    done.push(status === 'APPROVED' ? 'approved' : 'rejected');
  }
  return done.length ? done.join(', ') : 'unchanged';
}

async function removeTwin(store: StoreClient, src: Review): Promise<string> {
  const twin = await findTwin(store, src);
  if (!twin) return 'not there, nothing to delete';
  await store.call('DELETE', `/reviews/v1/reviews/${twin.id}`);
  return 'deleted';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** The raw body (signatures are over bytes), or null past the size limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------
// Subscribing
// ---------------------------------------------------------------------------

/**
 * Registers a webhook for the events the receiver needs on one store; returns its id
 * (to delete it later). The secret is chosen by the caller, so the receiver knows it first.
 */
export async function registerWebhook(store: Pick<StoreConfig, 'url' | 'apiKey'>, hookUrl: string, secret: string): Promise<string> {
  const res = await fetch(`${store.url.replace(/\/+$/, '')}/reviews/v1/webhooks`, {
    method: 'POST',
    headers: { Authorization: store.apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ webhook: { url: hookUrl, events: SYNC_EVENTS, secret } }),
  });
  const body = (await res.json()) as { webhook?: { id: string }; message?: string };
  if (!res.ok || !body.webhook) throw new Error(`registering the webhook on ${store.url} failed: HTTP ${res.status} ${body.message ?? ''}`);
  return body.webhook.id;
}

/** Deletes a webhook registered with `registerWebhook`. */
export async function deleteWebhook(store: Pick<StoreConfig, 'url' | 'apiKey'>, id: string): Promise<void> {
  const res = await fetch(`${store.url.replace(/\/+$/, '')}/reviews/v1/webhooks/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: { Authorization: store.apiKey },
  });
  if (!res.ok && res.status !== 404) throw new Error(`deleting webhook ${id} on ${store.url} failed: HTTP ${res.status}`);
}
