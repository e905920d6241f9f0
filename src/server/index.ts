/**
 * `storefront-reviews/server` (Node 20+ only): the reference Reviews API to embed in
 * your own Node program, or to run with `npx storefront-reviews serve`.
 *
 * ```ts
 * import { startServer } from 'storefront-reviews/server';
 * const server = await startServer({ port: 8787, db: '.data', seed: 'demo' });
 * console.log(server.url, server.apiKey);
 * ```
 *
 * `createApp` gives the bare Hono app (web-standard `fetch`) to mount in another server;
 * `openDb` opens the database it needs (a data directory or `memory` on embedded
 * PostgreSQL, or a `postgres://` URL) and runs the migrations.
 *
 * Needs the optional peer dependencies `hono`, `@hono/node-server` and the others listed
 * in the package's `peerDependencies`, plus `@electric-sql/pglite` (embedded) or `pg`
 * (PostgreSQL server); see the README.
 */
export { startServer, type RunningServer, type ServeOptions } from './serve.js';
export { JSON_BODY_LIMIT, createApp, type AppOptions } from './app.js';
export { openDb, type Db, type DbOptions, type Queryable } from './db.js';
export { MODERATION_MODES, type ModerationMode } from './moderation.js';
