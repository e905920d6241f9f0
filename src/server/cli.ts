/**
 * `storefront-reviews` command line:
 *   serve [--port 8787] [--host 127.0.0.1] [--db DIR|memory|postgres://...] [--api-key KEY]
 *         [--moderation off|auto|all] [--seed demo] [--cors ORIGINS] [--block-words W,...]
 *         [--public-url URL] [--demo] [--smtp URL] [--mail-from ADDR] [--review-page-url URL]
 *         [--store-name NAME]
 *   seed  [--db DIR|postgres://...]
 *   export [--db SPEC] [--format json|csv] [--out FILE] [--entity ID] [--since DATE] [--public-url URL]
 *   import [--db SPEC] --format json|csv|judgeme [--kind reviews|products|orders] [--update]
 *          [--entity-from id|handle] [--report FILE] [--public-url URL] FILE|-
 * Environment: PORT, HOST, DATABASE_URL, REVIEWS_API_KEY, REVIEWS_MODERATION, REVIEWS_CORS,
 * REVIEWS_SMTP_URL, REVIEWS_MAIL_FROM.
 */
import { parseArgs } from 'node:util';
import { openDb } from './db.js';
import { MODERATION_MODES, type ModerationMode } from './moderation.js';
import { startServer, type ServeOptions } from './serve.js';

const HELP = `Usage: storefront-reviews <command> [options]

Commands:
  serve     Run the reference Reviews API server
  seed      Load the demo data set into a database
  export    Write every review as NDJSON or CSV (stdout, or --out FILE)
  import    Read reviews (our NDJSON or CSV, a Judge.me export), products or orders

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
  --smtp URL            Send review request e-mail through this SMTP server, e.g.
                        smtp://user:pass@mail.example.com:587 (env REVIEWS_SMTP_URL;
                        default: keep messages in the outbox, GET /reviews/v2/outbox)
  --mail-from ADDR      From header for SMTP, e.g. "Shop <reviews@shop.example>"
                        (env REVIEWS_MAIL_FROM)
  --review-page-url URL Page that review request links open (default:
                        <public URL or server URL>/review-request.html)
  --store-name NAME     Store name used in review request messages (default Storefront)

Options for export (docs/import-export.md):
  --db SPEC             As for serve (stop a server using the same data directory first)
  --format F            json (NDJSON, default) | csv
  --out FILE            Write to FILE (complete or not at all) instead of stdout
  --entity ID           Only this entity's reviews
  --since DATE          Only reviews created at or after DATE (ISO 8601, e.g. 2024-05-01)
  --public-url URL      Base of uploaded media URLs (default http://127.0.0.1:8787)

Options for import FILE ("-" reads stdin):
  --db SPEC             As for serve
  --format F            json | csv | judgeme (required)
  --kind K              reviews | products | orders (default: from the JSON or the CSV header)
  --update              Replace existing reviews, products, orders (default: existing ones win)
  --entity-from F       judgeme: the entity id is the product "id" (default) or "handle"
  --report FILE         Also write the report as JSON
  --public-url URL      Base of uploaded media URLs in recorded events
  Exit status: 0 every row imported, 3 some rows rejected (listed on stderr), 1 error, 2 usage.
`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command === 'export' || command === 'import') {
    await transferCommand(command, rest);
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
      smtp: { type: 'string' },
      'mail-from': { type: 'string' },
      'review-page-url': { type: 'string' },
      'store-name': { type: 'string' },
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
  const smtp = values.smtp ?? env.REVIEWS_SMTP_URL;
  if (smtp !== undefined && !/^smtps?:\/\/[^/]/.test(smtp)) throw new UsageError('--smtp takes an smtp:// or smtps:// URL');
  const reviewPageUrl = values['review-page-url'];
  if (reviewPageUrl !== undefined && !/^https?:\/\/[^/]/.test(reviewPageUrl)) throw new UsageError('--review-page-url takes an absolute http(s) URL');
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
    smtp,
    mailFrom: values['mail-from'] ?? env.REVIEWS_MAIL_FROM,
    reviewPageUrl,
    storeName: values['store-name'],
  };
  let demo: import('./demo.js').DemoMiddleware | undefined;
  if (values.demo) {
    const { demoMiddleware } = await import('./demo.js');
    demo = await demoMiddleware();
    options.fallback = demo.handle;
  }
  const server = await startServer(options);
  if (demo) {
    try {
      await demo.attach({ url: server.url, apiKey: server.apiKey, host: options.host }, { log: (line) => console.log(`[sync example] ${line}`) });
      console.log('Demo: the outbox and the two-way sync example (store B and its webhook receiver) are on the demo\'s owner pages');
    } catch (err) {
      console.log(`Demo: owner pages off (${(err as Error).message})`);
    }
  }
  console.log(`storefront-reviews serving ${redact(db)} (${server.db.engine}), moderation ${moderation}`);
  console.log(`Review request e-mail: ${smtp ? `SMTP ${redact(smtp)}` : 'kept in the outbox (GET /reviews/v2/outbox)'}`);
  if (server.apiKeyFile) console.log(`Owner API key (stored in ${server.apiKeyFile}): ${server.apiKey}`);
  else if (!options.apiKey) console.log(`Owner API key: ${server.apiKey}`);
  console.log(`Ready: ${server.url}${values.demo ? '/' : ''}`);

  const stop = async (signal: string) => {
    console.log(`\n${signal}: shutting down`);
    await demo?.close();
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

/** Exit status of `import` when it finished but rejected some rows. */
export const EXIT_ROWS_REJECTED = 3;

/** `export` and `import` (src/server/transfer.ts). Errors in the file set exit status 1 with a one-line message. */
async function transferCommand(command: 'export' | 'import', args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      entity: { type: 'string' },
      since: { type: 'string' },
      update: { type: 'boolean' },
      kind: { type: 'string' },
      report: { type: 'string' },
      'entity-from': { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: command === 'import',
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const only = (names: readonly (keyof typeof values)[]) => {
    for (const n of names) if (values[n] !== undefined) throw new UsageError(`--${n} is an option of ${command === 'export' ? 'import' : 'export'}, not of ${command}`);
  };
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined && !/^https?:\/\/[^/]/.test(publicUrl)) throw new UsageError('--public-url must be an http(s) URL, e.g. https://shop.example');
  const transfer = await import('./transfer.js');
  const dbSpec = values.db ?? process.env.DATABASE_URL ?? '.data';

  if (command === 'export') {
    only(['update', 'kind', 'report', 'entity-from']);
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be json or csv');
    if (values.entity !== undefined && values.entity.trim() === '') throw new UsageError('--entity needs an entity id');
    const since = values.since === undefined ? undefined : transfer.parseDate(values.since);
    if (since === null) throw new UsageError(`--since must be an ISO 8601 date or date-time (e.g. 2024-05-01 or 2024-05-01T12:00:00Z), got "${values.since}"`);
    const db = await openDb(dbSpec);
    try {
      const { rows } = await writeOutput(values.out, (out) => transfer.exportReviews(db, out, { format, entityId: values.entity, since, publicUrl }));
      process.stderr.write(`Exported ${rows} review${rows === 1 ? '' : 's'} to ${values.out ?? 'stdout'}\n`);
    } catch (err) {
      const closed = (err as NodeJS.ErrnoException).code === 'EPIPE';
      if (!(err instanceof transfer.TransferError) && !closed) throw err;
      process.stderr.write(`storefront-reviews: ${closed ? 'the output was closed before the export finished' : (err as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      await db.close();
    }
    return;
  }

  only(['out', 'entity', 'since']);
  const format = values.format;
  if (format !== 'json' && format !== 'csv' && format !== 'judgeme') throw new UsageError('--format must be json, csv or judgeme');
  const kind = values.kind;
  if (kind !== undefined && kind !== 'reviews' && kind !== 'products' && kind !== 'orders') throw new UsageError('--kind must be reviews, products or orders');
  const entityFrom = values['entity-from'];
  if (entityFrom !== undefined && (entityFrom !== 'id' && entityFrom !== 'handle')) throw new UsageError('--entity-from must be id or handle');
  if (entityFrom !== undefined && format !== 'judgeme') throw new UsageError('--entity-from applies to --format judgeme only');
  if (positionals.length !== 1) throw new UsageError('import takes one FILE (or - for stdin)');
  const file = positionals[0]!;
  const { createReadStream } = await import('node:fs');
  const { access, writeFile } = await import('node:fs/promises');
  if (file !== '-') {
    try {
      await access(file);
    } catch {
      process.stderr.write(`storefront-reviews: cannot read ${file}\n`);
      process.exitCode = 1;
      return;
    }
  }
  const db = await openDb(dbSpec);
  try {
    const input = file === '-' ? process.stdin : createReadStream(file);
    const report = await transfer.importData(db, input, {
      format,
      kind,
      update: values.update === true,
      entityFrom,
      publicUrl,
      onReject: (r) => process.stderr.write(`line ${r.line}: ${r.reason}\n`),
    });
    const what = report.kind;
    process.stderr.write(
      `Import of ${what} from ${file === '-' ? 'stdin' : file}: ${report.imported} imported, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected\n`,
    );
    if (report.ignoredColumns.length) process.stderr.write(`Ignored columns: ${report.ignoredColumns.join(', ')}\n`);
    if (values.report) await writeFile(values.report, `${JSON.stringify({ file, ...report }, null, 2)}\n`);
    if (report.rejected > 0) process.exitCode = EXIT_ROWS_REJECTED;
  } catch (err) {
    if (!(err instanceof transfer.TransferError)) throw err;
    process.stderr.write(`storefront-reviews: ${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/**
 * Runs `write` against stdout, or against FILE: written under a temporary name and renamed
 * when complete, so a failed export never leaves a truncated file behind.
 */
async function writeOutput<T>(file: string | undefined, write: (out: import('node:stream').Writable) => Promise<T>): Promise<T> {
  if (file === undefined) {
    // A closed pipe (e.g. `| head`) surfaces as an error on the stream; stop cleanly on it.
    let failed: Error | undefined;
    const onError = (err: Error) => (failed = err);
    process.stdout.on('error', onError);
    try {
      const result = await write(process.stdout);
      if (failed) throw failed;
      return result;
    } finally {
      process.stdout.off('error', onError);
    }
  }
  const { createWriteStream } = await import('node:fs');
  const { rename, rm } = await import('node:fs/promises');
  const { finished } = await import('node:stream/promises');
  const temp = `${file}.partial-${process.pid}`;
  const out = createWriteStream(temp);
  try {
    const result = await write(out);
    out.end();
    await finished(out);
    await rename(temp, file);
    return result;
  } catch (err) {
    out.destroy();
    await rm(temp, { force: true });
    throw err;
  }
}
