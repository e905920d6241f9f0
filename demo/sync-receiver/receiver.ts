/**
 * Runs the example sync receiver (sync.ts): mirrors reviews between two storefront-reviews
 * servers both ways, and alerts on new reviews rated below 3.
 *
 *   node --import tsx demo/sync-receiver/receiver.ts \
 *     --a-url http://127.0.0.1:8787 --a-key KEY_A \
 *     --b-url http://127.0.0.1:8788 --b-key KEY_B --subscribe
 *
 * With --subscribe it registers its webhooks on both stores (choosing the secrets) and
 * deletes them when stopped (Ctrl-C). Without it, pass the secrets of webhooks you
 * registered yourself with --a-secret / --b-secret (pointing at <receiver>/webhooks/a and /b).
 * Every option can also be given in the environment: SYNC_A_URL, SYNC_A_KEY, SYNC_A_SECRET,
 * SYNC_B_..., SYNC_APP_ID, SYNC_PORT, SYNC_PUBLIC_URL.
 * GET /alerts lists the alerts, GET /stats the counters.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { deleteWebhook, registerWebhook, startSyncReceiver, type StoreName } from './sync.js';

const HELP = `Usage: node --import tsx demo/sync-receiver/receiver.ts [options]

  --a-url URL         Store A's server (env SYNC_A_URL)
  --a-key KEY         Store A's owner API key (env SYNC_A_KEY)
  --a-secret SECRET   Store A's webhook secret (env SYNC_A_SECRET; not with --subscribe)
  --b-url, --b-key, --b-secret   The same for store B
  --subscribe         Register the webhooks on both stores now, delete them on exit
  --app-id ID         This app's id (env SYNC_APP_ID, default storefront-sync)
  --port N            Port to listen on (env SYNC_PORT, default 8790)
  --host H            Interface to bind (default 127.0.0.1)
  --public-url URL    The receiver's URL as the stores reach it (env SYNC_PUBLIC_URL;
                      default http://<host>:<port>)
  --alert-below N     Alert on new reviews rated below N (default 3)
`;

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      'a-url': { type: 'string' },
      'a-key': { type: 'string' },
      'a-secret': { type: 'string' },
      'b-url': { type: 'string' },
      'b-key': { type: 'string' },
      'b-secret': { type: 'string' },
      subscribe: { type: 'boolean' },
      'app-id': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      'alert-below': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (v.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const need = (value: string | undefined, name: string): string => {
    if (!value) {
      process.stderr.write(`Missing ${name}.\n\n${HELP}`);
      process.exit(2);
    }
    return value;
  };
  const subscribe = v.subscribe === true;
  const store = (n: StoreName) => ({
    url: need(v[`${n}-url`] ?? env[`SYNC_${n.toUpperCase()}_URL`], `--${n}-url`),
    apiKey: need(v[`${n}-key`] ?? env[`SYNC_${n.toUpperCase()}_KEY`], `--${n}-key`),
    secret: subscribe
      ? `whsec_${randomBytes(24).toString('base64url')}`
      : need(v[`${n}-secret`] ?? env[`SYNC_${n.toUpperCase()}_SECRET`], `--${n}-secret (or --subscribe)`),
  });
  const stores = { a: store('a'), b: store('b') };
  const port = Number(v.port ?? env.SYNC_PORT ?? 8790);
  const alertBelow = Number(v['alert-below'] ?? 3);
  if (!Number.isInteger(port) || port < 0 || port > 65535) need(undefined, 'a valid --port');
  if (!Number.isFinite(alertBelow)) need(undefined, 'a number for --alert-below');

  const receiver = await startSyncReceiver({
    appId: v['app-id'] ?? env.SYNC_APP_ID ?? 'storefront-sync',
    stores,
    port,
    host: v.host ?? '127.0.0.1',
    alertBelow,
  });
  const publicUrl = (v['public-url'] ?? env.SYNC_PUBLIC_URL ?? receiver.url).replace(/\/+$/, '');
  console.log(`Sync receiver listening on ${receiver.url} (alerts: ${receiver.url}/alerts, stats: ${receiver.url}/stats)`);

  const registered: { name: StoreName; id: string }[] = [];
  if (subscribe) {
    for (const name of ['a', 'b'] as const) {
      const id = await registerWebhook(stores[name], `${publicUrl}/webhooks/${name}`, stores[name].secret);
      registered.push({ name, id });
      console.log(`Subscribed to store ${name.toUpperCase()} (${stores[name].url}): webhook ${id}`);
    }
  }

  const stop = async () => {
    for (const { name, id } of registered) await deleteWebhook(stores[name], id).catch((err: Error) => console.error(err.message));
    await receiver.close();
    console.log(`Stopped. ${receiver.alerts.length} alert(s):`);
    for (const a of receiver.alerts) console.log(`  ${a.store.toUpperCase()} ${a.rating}★ ${a.entityId} by ${a.authorName ?? 'anonymous'} (${a.reviewId})`);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
