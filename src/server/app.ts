/**
 * The reference Reviews API as a Hono app (web-standard Request/Response): the Wix
 * Reviews v1 routes under `/reviews/v1` and `/reviews/api/v1`, the Ratings API under
 * `/ratings/v1` (ratings.ts), and our documented extensions (helpfulness votes,
 * media upload, text search).
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  BulkCreateReviewsRequestSchema,
  BulkDeleteReviewsRequestSchema,
  BulkModerateRequestSchema,
  CountReviewsRequestSchema,
  CreateReviewAndContactRequestSchema,
  CreateReviewInputSchema,
  CreateReviewRequestSchema,
  HelpfulnessVoteRequestSchema,
  ModerateRequestSchema,
  QueryReviewsRequestSchema,
  SetReplyRequestSchema,
  UpdateReviewRequestSchema,
} from '../api/requests.js';
import type { Db } from './db.js';
import { ApiError, badRequest, fieldError, forbidden, invalid, notFound, unauthorized } from './errors.js';
import { JSON_BODY_LIMIT, appIdOf, jsonLimit, readJson, requireOwner, type Env } from './http.js';
import { MAX_MEDIA_BYTES, loadImage, storeImage } from './media.js';
import { DEFAULT_BLOCK_WORDS, type ModerationMode } from './moderation.js';
import { ratingsRoutes } from './ratings.js';
import { catalogRoutes } from './catalog.js';
import type { Sender } from './mailer.js';
import { reviewRequestsRoutes } from './review-requests.js';
import * as reviews from './reviews.js';
import type { EventContext } from './events.js';
import { DeliveryWorker, webhooksRoutes, type DeliveryTuning } from './webhooks.js';

export interface AppOptions {
  db: Db;
  /** The owner's API key (sent as `Authorization: <key>`). */
  apiKey: string;
  moderation?: ModerationMode;
  blockWords?: readonly string[];
  /** Origins allowed to write (reads are open to every origin); `*` for any. */
  corsOrigins?: readonly string[] | '*';
  /** Public base URL for media links; defaults to the request's origin. */
  publicUrl?: string;
  /** The current time; tests pass a fake clock. Defaults to the real one. */
  clock?: () => Date;
  /** Webhook delivery: retry schedule, timeouts (see webhooks.ts). */
  delivery?: DeliveryTuning;
  /** The webhook delivery worker (serve.ts passes the one it runs); one is made from `delivery` if absent. */
  deliveryWorker?: DeliveryWorker;
  /** Sends review request messages; defaults to the outbox sender (mailer.ts). */
  sender?: Sender;
  /** The review page review request links point to (default `<publicUrl>/review-request.html`). */
  reviewPageUrl?: string | (() => string);
  /** Lifetime of review request links, in days (default 30). */
  tokenTtlDays?: number;
  /** The store's name, used in review request messages. */
  storeName?: string;
}

export { JSON_BODY_LIMIT } from './http.js';

export function createApp(options: AppOptions): Hono<Env> {
  const { db } = options;
  const config: reviews.ReviewsConfig = {
    moderation: options.moderation ?? 'auto',
    blockWords: options.blockWords ?? DEFAULT_BLOCK_WORDS,
  };
  const writeOrigins = options.corsOrigins ?? '*';
  const keyBytes = Buffer.from(options.apiKey);

  const app = new Hono<Env>();

  app.onError((err, c) => {
    // A 413 is sent before the rest of the body is read: say the connection closes, or the
    // client may lose the answer when the server drops the unread upload.
    if ((err instanceof ApiError || err instanceof HTTPException) && err.status === 413) c.header('Connection', 'close');
    if (err instanceof ApiError) return c.json(err.toJSON(), err.status);
    if (err instanceof HTTPException) {
      const e = new ApiError(err.status as 413, err.status === 413 ? `The request body is too large (the limit is ${JSON_BODY_LIMIT} bytes for JSON, ${MAX_MEDIA_BYTES} bytes for media)` : err.message, err.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST');
      return c.json(e.toJSON(), e.status);
    }
    console.error('unexpected error', c.req.method, c.req.path, err);
    return c.json({ message: 'Internal error', details: { applicationError: { code: 'INTERNAL', description: 'Internal error' } } }, 500);
  });
  app.notFound((c) => c.json(new ApiError(404, `No route for ${c.req.method} ${c.req.path}`, 'NOT_FOUND').toJSON(), 404));

  app.use(
    '*',
    cors({
      origin: (origin, c) => {
        if (writeOrigins === '*') return '*';
        const method = c.req.method === 'OPTIONS' ? (c.req.header('Access-Control-Request-Method') ?? 'GET') : c.req.method;
        if (isRead(method, c.req.path)) return '*';
        return writeOrigins.includes(origin) ? origin : null;
      },
      allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization', 'wix-site-id', 'X-Storefront-App-Id'],
      maxAge: 600,
    }),
  );

  // CORS headers only stop a browser from reading the answer: a cross-site form post or
  // multipart upload needs no preflight and would still write. Refuse such writes
  // (the server's own origin, e.g. the demo page, may always write).
  const ownOrigin = (c: Context) => [new URL(c.req.url).origin, ...(options.publicUrl ? [new URL(options.publicUrl).origin] : [])];
  app.use('*', async (c, next) => {
    const origin = c.req.header('Origin');
    if (
      writeOrigins !== '*' && origin !== undefined && c.req.method !== 'OPTIONS' && !isRead(c.req.method, c.req.path) &&
      !writeOrigins.includes(origin) && !ownOrigin(c).includes(origin)
    ) {
      throw forbidden(`Writes from the origin ${origin} are not allowed on this server (see --cors)`);
    }
    await next();
  });

  // A NUL (%00) in the path or query would reach the database, whose text cannot hold it.
  app.use('*', async (c, next) => {
    if (/%00/.test(c.req.url)) throw badRequest('The URL contains a NUL character (%00)');
    await next();
  });

  // Who is calling: the owner (right key), a visitor (no key), or nobody (wrong key).
  app.use('*', async (c, next) => {
    const header = c.req.header('Authorization');
    if (header === undefined || header === '') {
      c.set('owner', false);
    } else {
      const given = Buffer.from(header.replace(/^Bearer\s+/i, '').trim());
      if (given.length !== keyBytes.length || !timingSafeEqual(given, keyBytes)) {
        throw unauthorized('The API key in the Authorization header is not valid');
      }
      c.set('owner', true);
    }
    // An owner request may say which app it acts for (a sync app): its writes are marked
    // with that app id in the events they cause, so the app can skip its own changes.
    const appId = c.req.header('X-Storefront-App-Id')?.trim() || null;
    if (appId !== null && !c.get('owner')) throw unauthorized('X-Storefront-App-Id needs the owner API key');
    if (appId !== null && !/^[\w.:-]{1,100}$/.test(appId)) throw badRequest('X-Storefront-App-Id must be 1-100 letters, digits, ".", ":", "_" or "-"');
    c.set('appId', appId);
    await next();
  });

  app.get('/healthz', (c) => c.json({ status: 'ok', engine: db.engine }));

  const mediaBase = (c: Context) => options.publicUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;
  /** Who a write's events are attributed to (X-Storefront-App-Id), and the clock that stamps them. */
  const events = (c: Context<Env>): EventContext => ({ appId: appIdOf(c), clock: options.clock });

  const api = new Hono<Env>();

  // ----- Reviews -------------------------------------------------------------
  api.post('/reviews', jsonLimit, async (c) => {
    if (!c.get('owner')) {
      throw forbidden('Create Review takes an author.contactId, which only the owner may set; visitors use POST /reviews/v1/reviews/contact');
    }
    const body = await readJson(c, CreateReviewRequestSchema);
    return c.json({ review: await reviews.createReview(db, body.review, { caller: { owner: true }, config, mediaBase: mediaBase(c), ...events(c) }) });
  });

  api.post('/reviews/contact', jsonLimit, async (c) => {
    const body = await readJson(c, CreateReviewAndContactRequestSchema);
    const owner = c.get('owner');
    if (!owner) {
      const missing = [
        ...(body.name?.trim() ? [] : [{ field: 'name', description: 'is required', ruleName: 'REQUIRED_FIELD' }]),
        ...(body.email ? [] : [{ field: 'email', description: 'is required', ruleName: 'REQUIRED_FIELD' }]),
      ];
      if (missing.length) throw new ApiError(400, `${missing.map((m) => m.field).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required`, 'INVALID_ARGUMENT', missing);
    }
    // One transaction: a review refused here (duplicate, unknown media) leaves no new contact behind.
    const review = await db.transaction(async (tx) => {
      const contactId = await reviews.contactForEmail(tx, body.email, body.name);
      return reviews.createReview(
        tx,
        { namespace: body.namespace, entityId: body.entityId, content: body.content, author: { contactId, authorName: body.name ?? null } },
        { caller: { owner }, config, mediaBase: mediaBase(c), ...events(c) },
      );
    });
    return c.json({ review });
  });

  api.post('/reviews/query', jsonLimit, async (c) => {
    const body = await readJson(c, QueryReviewsRequestSchema, true);
    const includePrivate = body.returnPrivateReviews === true || c.req.query('returnPrivateReviews') === 'true';
    if (includePrivate && !c.get('owner')) throw forbidden('returnPrivateReviews needs the owner API key');
    const q = body.query ?? {};
    const result = await reviews.queryReviews(
      db,
      {
        filter: q.filter,
        sort: q.sort,
        limit: q.cursorPaging?.limit,
        cursor: q.cursorPaging?.cursor,
        search: q.search,
        includePrivate,
      },
      { owner: c.get('owner') },
      mediaBase(c),
    );
    return c.json(result);
  });

  api.post('/reviews/count', jsonLimit, async (c) => {
    const body = await readJson(c, CountReviewsRequestSchema, true);
    if (body.includePrivateReviews && !c.get('owner')) throw forbidden('includePrivateReviews needs the owner API key');
    return c.json({ count: await reviews.countReviews(db, body.filter, body.search, body.includePrivateReviews === true) });
  });

  api.get('/reviews/:id', async (c) => {
    const includePrivate = c.req.query('returnPrivateReviews') === 'true';
    if (includePrivate && !c.get('owner')) throw forbidden('returnPrivateReviews needs the owner API key');
    return c.json({ review: await reviews.getReview(db, c.req.param('id'), includePrivate, mediaBase(c)) });
  });

  api.patch('/reviews/:id', jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, UpdateReviewRequestSchema);
    return c.json({ review: await reviews.updateReview(db, c.req.param('id'), body, mediaBase(c), events(c)) });
  });

  api.delete('/reviews/:id', async (c) => {
    requireOwner(c);
    return c.json({ review: await reviews.deleteReview(db, c.req.param('id'), mediaBase(c), events(c)) });
  });

  api.patch('/reviews/:id/reply', jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, SetReplyRequestSchema);
    checkBodyId(body.reviewId, c.req.param('id'));
    return c.json({ review: await reviews.setReply(db, c.req.param('id'), body.message, mediaBase(c), events(c)) });
  });

  api.delete('/reviews/:id/reply', async (c) => {
    requireOwner(c);
    return c.json({ review: await reviews.setReply(db, c.req.param('id'), null, mediaBase(c), events(c)) });
  });

  api.patch('/reviews/:id/moderate', jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, ModerateRequestSchema);
    checkBodyId(body.reviewId, c.req.param('id'));
    return c.json({ review: await reviews.setModeration(db, c.req.param('id'), knownStatus(body.status), mediaBase(c), events(c)) });
  });

  api.post('/reviews/:id/helpfulness', jsonLimit, async (c) => {
    const body = await readJson(c, HelpfulnessVoteRequestSchema);
    return c.json({ review: await reviews.vote(db, c.req.param('id'), body.visitorId, body.vote, mediaBase(c), events(c)) });
  });

  api.post('/bulk/reviews/create', bodyLimit({ maxSize: 16 * JSON_BODY_LIMIT, onError: () => { throw new HTTPException(413); } }), async (c) => {
    requireOwner(c);
    const body = await readJson(c, BulkCreateReviewsRequestSchema);
    const results = [];
    let ok = 0;
    for (const [i, raw] of body.reviews.entries()) {
      try {
        const parsed = CreateReviewInputSchema.safeParse(raw, { reportInput: true });
        if (!parsed.success) throw invalid(parsed.error.issues, `reviews[${i}]`);
        const review = await reviews.createReview(db, parsed.data, { caller: { owner: true }, config, mediaBase: mediaBase(c), ...events(c) });
        ok++;
        results.push({ itemMetadata: { id: review.id, originalIndex: i, success: true }, ...(body.returnEntity ? { review } : {}) });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        results.push({ itemMetadata: { originalIndex: i, success: false, error: { code: err.code, description: err.message, ...(err.violations ? { data: { fieldViolations: err.violations } } : {}) } } });
      }
    }
    return c.json({ results, bulkActionMetadata: { totalSuccesses: ok, totalFailures: results.length - ok, undetailedFailures: 0 } });
  });

  api.post('/bulk/reviews/delete', jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, BulkDeleteReviewsRequestSchema);
    requireNonEmpty(body.filter);
    const affected = await reviews.bulkDelete(db, body.filter, mediaBase(c), events(c));
    return c.json({ jobId: randomUUID(), affected });
  });

  api.post('/bulk/reviews/moderate', jsonLimit, async (c) => {
    requireOwner(c);
    const body = await readJson(c, BulkModerateRequestSchema);
    requireNonEmpty(body.filter);
    const affected = await reviews.bulkModerate(db, body.filter, knownStatus(body.status), mediaBase(c), events(c));
    return c.json({ jobId: randomUUID(), affected });
  });

  // ----- Media (extension) -----------------------------------------------------
  api.post('/media', bodyLimit({ maxSize: MAX_MEDIA_BYTES + 64 * 1024, onError: () => { throw new ApiError(413, `The upload is too large: images may be at most ${MAX_MEDIA_BYTES} bytes (5 MB)`, 'FILE_TOO_LARGE'); } }), async (c) => {
    if (!(c.req.header('Content-Type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
      throw new ApiError(415, 'Upload the image as multipart/form-data with a field named "file"', 'UNSUPPORTED_MEDIA_TYPE');
    }
    let form: Record<string, string | File | (string | File)[]>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw badRequest('The multipart body could not be parsed');
    }
    const file = form.file;
    if (!(file instanceof File)) throw fieldError('file', 'is required: send the image in a multipart field named "file"', 'REQUIRED_FIELD');
    const stored = await storeImage(db, new Uint8Array(await file.arrayBuffer()), file.name || null);
    const url = `${mediaBase(c)}/reviews/v1/media/${encodeURIComponent(stored.id)}`;
    return c.json({ image: { id: stored.id, url, width: stored.width, height: stored.height, filename: stored.filename } }, 201);
  });

  api.get('/media/:id', async (c) => {
    const img = await loadImage(db, c.req.param('id'));
    if (!img) throw notFound(`Media ${c.req.param('id')}`);
    return c.body(img.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': img.contentType,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
  });

  app.route('/reviews/v1', api);
  app.route('/reviews/api/v1', api);

  // ----- Feature modules (each a Hono app of its own; mount new ones here) -------
  // ROUTE-MOUNTS
  app.route('/', ratingsRoutes({ db, clock: options.clock }));
  app.route('/', catalogRoutes({ db, clock: options.clock }));
  app.route('/', reviewRequestsRoutes({
    db,
    config,
    clock: options.clock,
    sender: options.sender,
    reviewPageUrl: options.reviewPageUrl ?? (options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}/review-request.html` : undefined),
    tokenTtlDays: options.tokenTtlDays,
    storeName: options.storeName,
    publicUrl: options.publicUrl,
  }));
  const deliveryWorker = options.deliveryWorker ?? new DeliveryWorker({ db, clock: options.clock, ...options.delivery });
  app.route('/reviews/v1/webhooks', webhooksRoutes({ db, worker: deliveryWorker, clock: options.clock }));

  return app;
}

/** Reads which requests are reads, for CORS: every GET plus the POST queries. */
function isRead(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return method === 'POST' && /\/(reviews\/(query|count)|ratings\/query|attributes\/average)$/.test(path);
}

function knownStatus(status: string): 'APPROVED' | 'REJECTED' {
  if (status === 'APPROVED' || status === 'REJECTED') return status;
  throw fieldError('status', 'must be APPROVED or REJECTED');
}

function checkBodyId(bodyId: string | undefined, pathId: string): void {
  if (bodyId !== undefined && bodyId !== pathId) throw fieldError('reviewId', 'does not match the id in the path');
}

function requireNonEmpty(filter: Record<string, unknown>): void {
  if (Object.keys(filter).length === 0) {
    throw fieldError('filter', 'must not be empty: name what to act on (e.g. {"namespace": "stores"} for everything)');
  }
}

