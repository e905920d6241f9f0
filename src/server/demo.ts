/**
 * Serves the demo (demo/) through Vite in middleware mode, so the widgets' TypeScript
 * sources load in the browser without a build step. Uses the repository's vite.config.ts,
 * which `npm run build:demo` builds the static copy with. Development only: Vite is a
 * devDependency.
 *
 * Once the API server runs, `attach()` adds what the demo's owner pages show:
 * - `GET /__demo/outbox`: the review request e-mails in the outbox (the owner route
 *   `GET /reviews/v2/outbox`, read here with the owner key, which the page never sees);
 * - `POST /__demo/review-requests`: places a demo order and sends its review request now
 *   (the owner's catalog and Review Requests routes), so the flow can be tried again;
 * - `GET /__demo/sync`: the webhook example at work. A second, empty store ("store B",
 *   in memory) and the example sync receiver (demo/sync-receiver/sync.ts) are started and
 *   subscribed to both stores, so a review written on the demo's store A is mirrored to B
 *   through signed webhooks, and one rated below 3 raises an alert. The route answers
 *   store B's URL and the receiver's counters and alerts.
 * Only a server listening on loopback gets these (`attach` refuses others: the outbox holds
 * customers' e-mail addresses and review links), and they answer only requests whose Host
 * names this machine (403 otherwise, against DNS rebinding): they are for a person trying
 * the demo on their own machine.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DEMO_PRODUCTS } from './demo-products.js';

/** Products the demo's extra orders are made of. */
const DEMO_ITEMS = DEMO_PRODUCTS.map((p) => p.id);

/** What the sync page reads from `GET /__demo/sync`. */
export interface DemoSyncState {
  /** Store B's API (reads are open to every origin). */
  storeB: string;
  /** The example receiver's URL. */
  receiver: string;
  stats: Readonly<Record<string, number>>;
  alerts: readonly unknown[];
}

/** What `attach` uses of demo/sync-receiver/sync.ts. */
interface SyncModule {
  startSyncReceiver(options: {
    appId: string;
    stores: Record<'a' | 'b', { url: string; apiKey: string; secret: string }>;
    port?: number;
    host?: string;
    log?: (line: string) => void;
  }): Promise<{ url: string; hookUrl(name: 'a' | 'b'): string; stats: Readonly<Record<string, number>>; alerts: readonly unknown[]; close(): Promise<void> }>;
  registerWebhook(store: { url: string; apiKey: string }, hookUrl: string, secret: string): Promise<string>;
  deleteWebhook(store: { url: string; apiKey: string }, id: string): Promise<void>;
}

export interface DemoMiddleware {
  /** The request handler (calls `next()` for anything it does not serve). */
  handle: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /**
   * Starts the demo's owner pages for the running API server `store` (store A):
   * the outbox route, store B and the sync receiver. `host` is the interface the server
   * listens on (default: the URL's host); anything but loopback is refused. `log` gets the
   * receiver's lines (default: none).
   */
  attach: (store: { url: string; apiKey: string; host?: string }, options?: { log?: (line: string) => void }) => Promise<void>;
  /** Stops Vite, and store B and the receiver when attached. */
  close: () => Promise<void>;
}

export async function demoMiddleware(): Promise<DemoMiddleware> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error('--demo needs the dev dependencies (vite): run "npm install" in the storefront-reviews checkout');
  }
  const server = await vite.createServer({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    // No hot reload: no WebSocket server (which would claim a port of its own) and no
    // client script in the page trying to reach one. Reload the page to see changes.
    server: { middlewareMode: true, hmr: false, ws: false },
    plugins: [
      {
        name: 'storefront-reviews:no-hmr-client',
        transformIndexHtml: {
          order: 'post',
          handler: (html) => html.replace(/<script type="module" src="[^"]*\/@vite\/client"><\/script>\s*/, ''),
        },
      },
    ],
  });

  let owner: Owner | undefined;
  let sync: (() => DemoSyncState) | undefined;
  const stops: (() => Promise<void>)[] = [];

  const asOwner = <T>(method: string, path: string, body?: unknown) => ownerCall<T>(owner!, method, path, body);
  let orders = 0;

  const routes: Record<string, () => Promise<unknown>> = {
    '/__demo/outbox': async () => (owner ? asOwner('GET', '/reviews/v2/outbox?limit=50') : undefined),
    '/__demo/sync': async () => sync?.(),
    // A new order of three demo products, and its review request sent now, through the
    // same owner routes a shop would use: the outbox gets a fresh message to try.
    'POST /__demo/review-requests': async () => {
      if (!owner) return undefined;
      const n = ++orders;
      const stamp = Date.now().toString(36);
      const pick = [0, 1, 2].map((i) => DEMO_ITEMS[(n * 3 + i) % DEMO_ITEMS.length]!);
      const { results } = await asOwner<{ results: { item?: { id: string; contactId: string } }[] }>('PUT', '/reviews/v2/store/orders', {
        orders: [
          {
            id: `demo-order-${stamp}-${n}`,
            number: 5000 + n,
            contact: { email: `demo.customer+${stamp}${n}@example.com`, name: 'Alex Demo' },
            items: pick.map((catalogItemId) => ({ catalogItemId })),
          },
        ],
      });
      const order = results[0]?.item;
      if (!order) throw new Error('the demo order was refused');
      const { reviewRequest } = await asOwner<{ reviewRequest: { id: string } }>('POST', '/reviews/v2/review-requests', {
        reviewRequest: { order: { id: order.id }, recipient: { contactId: order.contactId }, communicationChannel: 'EMAIL' },
      });
      await asOwner('POST', '/reviews/v2/review-requests/send-due', {});
      return asOwner<{ messages: unknown[] }>('GET', `/reviews/v2/outbox?reviewRequestId=${encodeURIComponent(reviewRequest.id)}`);
    },
  };

  return {
    handle(req, res, next) {
      const path = new URL(req.url ?? '/', 'http://demo').pathname;
      // POSTs must be JSON: another site's page cannot send that without a CORS preflight,
      // which this server does not grant, so it cannot place orders here.
      const json = /^application\/json\b/.test(req.headers['content-type'] ?? '');
      const route = req.method === 'GET' ? routes[path] : req.method === 'POST' && json ? routes[`POST ${path}`] : undefined;
      if (!route) {
        server.middlewares(req, res, next);
        return;
      }
      // A page on another site whose name it points at 127.0.0.1 (DNS rebinding) is
      // same-origin to the browser, but its requests still name that site in Host.
      if (!LOOPBACK_HOST.test(hostOf(req.headers.host))) {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'The demo\'s owner pages answer only requests addressed to this machine (localhost, 127.0.0.1 or [::1]).' }));
        return;
      }
      route().then(
        (body) => {
          const found = body !== undefined;
          res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
          res.end(JSON.stringify(found ? body : { message: 'Not available: the demo server was started without its owner pages.' }));
        },
        (err: Error) => {
          res.writeHead(502, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ message: err.message }));
        },
      );
    },

    async attach(store, options = {}) {
      // The interface the server listens on, not its URL (which says localhost for 0.0.0.0).
      const host = store.host ?? new URL(store.url).hostname;
      if (!LOOPBACK_HOST.test(host)) {
        throw new Error(`the demo's owner pages are for a server on this machine only (127.0.0.1), not one listening on ${host}`);
      }
      const a = { url: store.url, apiKey: store.apiKey };
      const { startServer } = await import('./serve.js');
      // The example receiver lives with the demo, outside the package (and outside src/,
      // which the declarations are built from): loaded by URL, typed here.
      const { startSyncReceiver, registerWebhook, deleteWebhook } = (await import(
        new URL('../../demo/sync-receiver/sync.js', import.meta.url).href
      )) as SyncModule;
      const b = await startServer({ port: 0, host: '127.0.0.1', db: 'memory', apiKey: `sk_${randomBytes(24).toString('base64url')}`, moderation: 'off', quiet: true, deliveryIntervalMs: 1000 });
      stops.push(() => b.close());
      const secret = () => `whsec_${randomBytes(24).toString('base64url')}`;
      const stores = { a: { ...a, secret: secret() }, b: { url: b.url, apiKey: b.apiKey, secret: secret() } };
      const receiver = await startSyncReceiver({ appId: 'storefront-demo-sync', stores, port: 0, host: '127.0.0.1', log: options.log ?? (() => {}) });
      stops.push(() => receiver.close());
      await removeStaleDemoWebhooks(a, deleteWebhook);
      for (const name of ['a', 'b'] as const) {
        const id = await registerWebhook(stores[name], `${receiver.hookUrl(name)}?${DEMO_MARK}`, stores[name].secret);
        // Store A outlives the demo (its data directory): leave no webhook behind there.
        if (name === 'a') stops.unshift(() => deleteWebhook(stores.a, id).catch(() => {}));
      }
      // The routes answer only once everything is up (a failed attach leaves them 404).
      owner = a;
      sync = () => ({ storeB: b.url, receiver: receiver.url, stats: { ...receiver.stats }, alerts: [...receiver.alerts] });
    },

    async close() {
      for (const stop of stops.splice(0)) await stop();
      owner = undefined;
      sync = undefined;
      await server.close();
    },
  };
}

/** A name or address of this machine: `localhost`, 127.x.x.x or ::1 (bracketed or not). */
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/i;

/** The host of a Host header, without its port ("[::1]:8787" → "[::1]"); '' when absent. */
function hostOf(header: string | undefined): string {
  return (header ?? '').trim().replace(/:\d+$/, '');
}

/**
 * Marks the demo's own subscriptions (the receiver reads only the path), so that one left
 * on store A by a demo that did not shut down cleanly (killed) can be told from the
 * owner's and removed at the next start.
 */
const DEMO_MARK = 'from=storefront-reviews-demo';

async function removeStaleDemoWebhooks(store: Owner, remove: SyncModule['deleteWebhook']): Promise<void> {
  const { webhooks = [] } = await ownerCall<{ webhooks?: { id: string; url: string }[] }>(store, 'GET', '/reviews/v1/webhooks');
  const stale = webhooks.filter((w) => /^http:\/\/127\.0\.0\.1:\d+\/webhooks\/a\?/.test(w.url) && w.url.endsWith(`?${DEMO_MARK}`));
  for (const w of stale) await remove(store, w.id);
}

interface Owner {
  url: string;
  apiKey: string;
}

/** A call to a store as its owner; throws with the server's message on an HTTP error. */
async function ownerCall<T>(store: Owner, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${store.url}${path}`, {
    method,
    headers: { Authorization: store.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${json.message ?? ''}`.trim());
  return json;
}
