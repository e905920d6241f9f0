#!/usr/bin/env node
// The `storefront-reviews` command (serve, seed). In a checkout it runs the TypeScript
// sources through tsx, so `npm start` needs no build step. Installed from npm it runs the
// compiled server (dist/esm/server), whose packages are optional peer dependencies: it
// checks them first and names the ones to install instead of failing on an import.
import { existsSync, readFileSync } from 'node:fs';

const sources = new URL('../src/server/cli.ts', import.meta.url);
const checkout = existsSync(sources);

/** Needed only by some features: said next to the install command. */
const BY_FEATURE = {
  '@electric-sql/pglite': 'is the embedded database (--db DIR or memory); with --db postgres://... the server needs pg instead',
  pg: 'connects to a PostgreSQL server (--db postgres://...)',
  nodemailer: 'sends e-mail (SMTP)',
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const serverPeers = Object.keys(pkg.peerDependencies ?? {}).filter((name) => name !== 'react');

function installed(name) {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

function usesPostgres(argv) {
  const i = argv.findIndex((a) => a === '--db' || a.startsWith('--db='));
  const spec = i < 0 ? process.env.DATABASE_URL : argv[i].startsWith('--db=') ? argv[i].slice(5) : argv[i + 1];
  return /^postgres(ql)?:\/\//.test(spec ?? '');
}

/** Prints which optional peer dependencies to install, and exits. */
function missingPackages(names) {
  const specs = names.map((n) => `${n}@"${pkg.peerDependencies[n]}"`).join(' ');
  const notes = names.filter((n) => BY_FEATURE[n]).map((n) => `\n${n} ${BY_FEATURE[n]}.`);
  console.error(
    `storefront-reviews: the server needs ${names.length === 1 ? 'a package that is' : 'packages that are'} not installed: ${names.join(', ')}.\n` +
      `They are optional peer dependencies of storefront-reviews (the widgets do not need them). Install them with:\n\n` +
      `  npm install ${specs}\n${notes.join('')}`,
  );
  process.exit(1);
}

const argv = process.argv.slice(2);
let cli;
if (checkout) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(sources.href);
} else {
  if (argv.includes('--demo')) {
    console.error('storefront-reviews: --demo serves the demo page from a storefront-reviews checkout (npm start there); the npm package has the API server only.');
    process.exit(2);
  }
  const postgres = usesPostgres(argv);
  const optional = new Set(['nodemailer', postgres ? '@electric-sql/pglite' : 'pg']);
  const missing = serverPeers.filter((name) => !optional.has(name) && !installed(name));
  if (missing.length) missingPackages(missing);
  cli = await import('../dist/esm/server/cli.js');
}

const { main, UsageError } = cli;
try {
  await main(argv);
} catch (err) {
  if (err instanceof UsageError || err?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    console.error(`storefront-reviews: ${err.message}\nRun "storefront-reviews --help" for usage.`);
    process.exit(2);
  }
  // A feature's package (pg, nodemailer, ...) is loaded when it is first used.
  const missing = err?.code === 'ERR_MODULE_NOT_FOUND' && serverPeers.find((n) => String(err.message).includes(`'${n}'`));
  if (missing && !checkout) missingPackages([missing]);
  console.error(`storefront-reviews: ${err?.stack ?? err}`);
  process.exit(1);
}
