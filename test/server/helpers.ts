/**
 * Test harness for server tests: starts the real server over real HTTP on 127.0.0.1,
 * on in-memory PGlite, or on PostgreSQL when TEST_DATABASE_URL is set (each server gets
 * its own fresh schema, so test files never see each other's data).
 */
import { randomUUID } from 'node:crypto';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/serve.js';

export const OWNER_KEY = 'test-owner-key';

export interface TestServer extends RunningServer {
  /** fetch against the server; `owner: true` sends the owner key. */
  call(method: string, path: string, body?: unknown, init?: { owner?: boolean; key?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startTestServer(options: Partial<ServeOptions> = {}): Promise<TestServer> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  const schema = pgUrl ? `t_${randomUUID().replace(/-/g, '').slice(0, 16)}` : undefined;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    db: pgUrl ?? 'memory',
    dbSchema: schema,
    apiKey: OWNER_KEY,
    moderation: 'off',
    quiet: true,
    ...options,
  });
  const close = server.close.bind(server);
  return {
    ...server,
    async close() {
      await close();
      if (pgUrl && schema) {
        const pg = (await import('pg')).default;
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.owner) headers.Authorization = OWNER_KEY;
      if (init.key !== undefined) headers.Authorization = init.key;
      let payload: BodyInit | undefined;
      if (body instanceof FormData || typeof body === 'string' || body instanceof Uint8Array) {
        payload = body as BodyInit;
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        headers['Content-Type'] ??= 'application/json';
      }
      const res = await fetch(server.url + path, { method, headers, body: payload });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

/** A minimal valid Create Review body. */
export function reviewBody(overrides: { entityId?: string; contactId?: string; rating?: number; title?: string; body?: string; namespace?: string } = {}) {
  return {
    review: {
      namespace: overrides.namespace ?? 'stores',
      entityId: overrides.entityId ?? 'p1',
      author: { contactId: overrides.contactId ?? randomUUID(), authorName: 'Tester' },
      content: { rating: overrides.rating ?? 5, title: overrides.title ?? 'Title', body: overrides.body ?? 'Body text' },
    },
  };
}
