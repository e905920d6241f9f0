/**
 * Starts the reference server on Node: opens the database, resolves the owner's API key,
 * optionally seeds demo data, and serves the API (and the demo page) on one origin.
 */
import { getRequestListener } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp, type AppOptions } from './app.js';
import { openDb, type Db } from './db.js';
import type { ModerationMode } from './moderation.js';
import { DeliveryWorker, type DeliveryTuning } from './webhooks.js';
import { smtpSender, type Sender } from './mailer.js';
import { DEFAULT_STORE_NAME, startReviewRequestScheduler } from './review-requests.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** `memory`, a data directory, or a `postgres://` URL. */
  db?: string;
  /** PostgreSQL only: use (and create) this schema; isolates test runs. */
  dbSchema?: string;
  /** An already-open database (migrations run) to serve instead of opening `db`; closed with the server. */
  database?: Db;
  apiKey?: string;
  moderation?: ModerationMode;
  blockWords?: readonly string[];
  corsOrigins?: AppOptions['corsOrigins'];
  publicUrl?: string;
  /** Seed the demo data set when the database has no reviews yet. */
  seed?: 'demo';
  /**
   * Handles every request the API does not (the demo page and widget sources);
   * call `next()` to fall through to the API's 404.
   */
  fallback?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /** Log nothing but errors. */
  quiet?: boolean;
  /** The current time for the app and its background work; tests pass a fake clock. */
  clock?: () => Date;
  /** Webhook delivery tuning (retry schedule, timeout). */
  delivery?: DeliveryTuning;
  /** How often the webhook delivery worker runs (default 2000 ms; 0: only on `deliver-now`). */
  deliveryIntervalMs?: number;
  /** Send review request e-mail through this SMTP server (`smtp://user:pass@host:587`); default: the outbox. */
  smtp?: string;
  /** From header of review request e-mail sent by SMTP (default `<storeName> <no-reply@localhost>`). */
  mailFrom?: string;
  /** A sender of your own (overrides `smtp`); the caller closes it. */
  sender?: Sender;
  /** The review page linked from messages (default `<publicUrl or the server URL>/review-request.html`). */
  reviewPageUrl?: string;
  /** Lifetime of review request links, in days (default 30). */
  tokenTtlDays?: number;
  /** The store's name in review request messages (default "Storefront"). */
  storeName?: string;
  /** How often due review requests are sent (default 30000 ms; 0: only on `send-due`). */
  schedulerIntervalMs?: number;
}

export interface RunningServer {
  url: string;
  apiKey: string;
  /** Where the generated key was stored, if it was generated. */
  apiKeyFile?: string;
  db: Db;
  close(): Promise<void>;
}

const API_PATH = /^\/(reviews|ratings|healthz)(\/|$|\?)/;

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const spec = options.db ?? 'memory';
  const db = options.database ?? (await openDb(spec, { schema: options.dbSchema }));
  const { apiKey, file } = await resolveApiKey(db, spec, options.apiKey);
  if (options.seed === 'demo') {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reviews');
    if (Number(rows[0]!.n) === 0) {
      const { seedDemo } = await import('./seed.js');
      const stats = await seedDemo(db);
      if (!options.quiet) console.log(`Seeded demo data: ${stats.products} products, ${stats.reviews} reviews, ${stats.images} photos`);
    }
  }
  const deliveryWorker = new DeliveryWorker({ db, clock: options.clock, ...options.delivery });
  const ownSender = !options.sender && options.smtp
    ? await smtpSender({ url: options.smtp, from: options.mailFrom ?? `${options.storeName ?? DEFAULT_STORE_NAME} <no-reply@localhost>` })
    : undefined;
  let serverUrl = '';
  const sending = {
    db,
    clock: options.clock,
    sender: options.sender ?? ownSender,
    // The server URL is known once it listens; messages are only sent after that.
    reviewPageUrl: options.reviewPageUrl ?? (() => `${(options.publicUrl ?? serverUrl).replace(/\/+$/, '')}/review-request.html`),
    tokenTtlDays: options.tokenTtlDays,
    storeName: options.storeName,
  };
  const app = createApp({
    ...sending,
    db,
    clock: options.clock,
    deliveryWorker,
    apiKey,
    moderation: options.moderation,
    blockWords: options.blockWords,
    corsOrigins: options.corsOrigins,
    publicUrl: options.publicUrl,
  });
  const api = getRequestListener(app.fetch);
  const server = createServer((req, res) => {
    if (options.fallback && !API_PATH.test(req.url ?? '/')) {
      options.fallback(req, res, () => void api(req, res));
    } else {
      void api(req, res);
    }
  });
  // Slow clients must not hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  // Idle keep-alive connections stay open longer than clients keep them (Node's fetch
  // keeps one for the server's timeout less a second, browsers and proxies for about a
  // minute): with Node's default of 5 s, a client that reuses a connection just as the
  // server drops it gets ECONNRESET (seen in tests whose process was busy for 5 s).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${addr.port}`;
  deliveryWorker.start(options.deliveryIntervalMs ?? 2000);
  serverUrl = url;
  const scheduler = startReviewRequestScheduler({ ...sending, intervalMs: options.schedulerIntervalMs ?? 30_000 });
  let closed = false;
  return {
    url,
    apiKey,
    apiKeyFile: file,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await deliveryWorker.stop();
      await scheduler.stop();
      await ownSender?.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/**
 * The owner's key: given, or stored from an earlier run, or generated now and stored
 * (in the data directory, or in the database's settings table for PostgreSQL).
 */
async function resolveApiKey(db: Db, spec: string, given: string | undefined): Promise<{ apiKey: string; file?: string }> {
  if (given) return { apiKey: given };
  const fresh = () => `sk_${randomBytes(24).toString('base64url')}`;
  if (spec === 'memory' || spec === ':memory:') return { apiKey: fresh() };
  if (/^postgres(ql)?:\/\//.test(spec)) {
    await db.query(`INSERT INTO settings (key, value) VALUES ('api_key', $1) ON CONFLICT (key) DO NOTHING`, [fresh()]);
    const { rows } = await db.query<{ value: string }>(`SELECT value FROM settings WHERE key = 'api_key'`);
    return { apiKey: rows[0]!.value };
  }
  const file = join(spec, 'api-key');
  if (existsSync(file)) return { apiKey: (await readFile(file, 'utf8')).trim(), file };
  const apiKey = fresh();
  await writeFile(file, `${apiKey}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { apiKey, file };
}
