#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx storefront-reviews` works from
// a checkout with no build step.
import { register } from 'tsx/esm/api';

register();
const { main, UsageError } = await import('../src/server/cli.ts');
try {
  await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || err?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    console.error(`storefront-reviews: ${err.message}\nRun "storefront-reviews --help" for usage.`);
    process.exit(2);
  }
  console.error(`storefront-reviews: ${err?.stack ?? err}`);
  process.exit(1);
}
