/**
 * `storefront-reviews` command line:
 *   serve [--port 8787] [--host 127.0.0.1] [--db DIR|memory|postgres://...] [--api-key KEY]
 *         [--moderation off|auto|all] [--seed demo] [--cors ORIGINS] [--block-words W,...]
 *         [--public-url URL] [--demo]
 *   seed  [--db DIR|postgres://...]
 * Environment: PORT, HOST, DATABASE_URL, REVIEWS_API_KEY, REVIEWS_MODERATION, REVIEWS_CORS.
 */
import { parseArgs } from 'node:util';
import { openDb } from './db.js';
import { MODERATION_MODES, type ModerationMode } from './moderation.js';
import { startServer, type ServeOptions } from './serve.js';

const HELP = `Usage: storefront-reviews <command> [options]

Commands:
  serve     Run the reference Reviews API server
  seed      Load the demo data set into a database

Options for serve:
  --port N              Port to listen on (env PORT, default 8787)
  --host H              Interface to bind (env HOST, default 127.0.0.1)
  --db SPEC             Data directory, "memory", or a postgres:// URL
                        (env DATABASE_URL, default .data)
  --api-key KEY         Owner API key (env REVIEWS_API_KEY; generated and stored if unset)
  --moderation MODE     off | auto | all (env REVIEWS_MODERATION, default auto)
  --block-words LIST    Comma-separated words that send a review to moderation (auto mode)
  --seed demo           Seed the demo data set when the database is empty
  --cors ORIGINS        Comma-separated origins allowed to write, or * (env REVIEWS_CORS,
                        default *); reads are allowed from every origin
  --public-url URL      Public base URL used in media links (default: the request origin)
  --demo                Also serve the demo page at /
`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'api-key': { type: 'string' },
      moderation: { type: 'string' },
      'block-words': { type: 'string' },
      seed: { type: 'string' },
      cors: { type: 'string' },
      'public-url': { type: 'string' },
      demo: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const db = values.db ?? env.DATABASE_URL ?? '.data';

  if (command === 'seed') {
    const database = await openDb(db);
    try {
      const { seedDemo } = await import('./seed.js');
      const stats = await seedDemo(database);
      console.log(`Seeded ${stats.products} products, ${stats.reviews} reviews, ${stats.images} photos into ${redact(db)}`);
    } finally {
      await database.close();
    }
    return;
  }
  if (command !== 'serve') throw new UsageError(`Unknown command "${command}"`);

  const port = Number(values.port ?? env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port ?? env.PORT}"`);
  const moderation = (values.moderation ?? env.REVIEWS_MODERATION ?? 'auto') as ModerationMode;
  if (!MODERATION_MODES.includes(moderation)) throw new UsageError(`--moderation must be one of ${MODERATION_MODES.join(', ')}`);
  if (values.seed !== undefined && values.seed !== 'demo') throw new UsageError('--seed takes "demo"');
  const corsRaw = values.cors ?? env.REVIEWS_CORS ?? '*';
  const options: ServeOptions = {
    port,
    host: values.host ?? env.HOST ?? '127.0.0.1',
    db,
    apiKey: values['api-key'] ?? env.REVIEWS_API_KEY,
    moderation,
    blockWords: values['block-words']?.split(',').map((w) => w.trim()).filter(Boolean),
    corsOrigins: corsRaw.trim() === '*' ? '*' : corsRaw.split(',').map((o) => o.trim()).filter(Boolean),
    publicUrl: values['public-url'],
    seed: values.seed === 'demo' ? 'demo' : undefined,
  };
  let closeDemo: (() => Promise<void>) | undefined;
  if (values.demo) {
    const { demoMiddleware } = await import('./demo.js');
    const demo = await demoMiddleware();
    options.fallback = demo.handle;
    closeDemo = demo.close;
  }
  const server = await startServer(options);
  console.log(`storefront-reviews serving ${redact(db)} (${server.db.engine}), moderation ${moderation}`);
  if (server.apiKeyFile) console.log(`Owner API key (stored in ${server.apiKeyFile}): ${server.apiKey}`);
  else if (!options.apiKey) console.log(`Owner API key: ${server.apiKey}`);
  console.log(`Ready: ${server.url}${values.demo ? '/' : ''}`);

  const stop = async (signal: string) => {
    console.log(`\n${signal}: shutting down`);
    await closeDemo?.();
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

export class UsageError extends Error {}

function redact(spec: string): string {
  return spec.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
