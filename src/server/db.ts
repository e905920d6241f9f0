/**
 * One SQL interface over two engines: PGlite (embedded PostgreSQL, in-process; a data
 * directory or in memory) and node-postgres (a real PostgreSQL server). Every query in
 * the server is plain PostgreSQL and runs unchanged on both.
 */
import { migrate } from './migrations.js';

export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: T[]; rowCount: number }>;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** PostgreSQL only: schema to create and use (isolates test runs on one server). */
  schema?: string;
  /** PostgreSQL only: pool size. */
  poolSize?: number;
}

/**
 * Opens a database from a spec: `memory`, a directory path, or a `postgres://` URL.
 * Runs migrations before returning.
 */
export async function openDb(spec: string, options: DbOptions = {}): Promise<Db> {
  const db = /^postgres(ql)?:\/\//.test(spec)
    ? await openPostgres(spec, options)
    : await openPglite(spec === 'memory' || spec === ':memory:' ? undefined : spec);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir) {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dataDir, { recursive: true });
  }
  const pg = await PGlite.create(dataDir ?? 'memory://');
  const wrap = (q: {
    query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[]; affectedRows?: number }>;
  }): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await q.query(sql, params as unknown[]);
      return { rows: res.rows as T[], rowCount: res.affectedRows ?? res.rows.length };
    },
  });
  return {
    engine: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}

async function openPostgres(url: string, options: DbOptions): Promise<Db> {
  const pgModule = await import('pg');
  const pg = pgModule.default ?? pgModule;
  // Counts and sums come back as int8/numeric; the server casts where it needs numbers.
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err: Error) => console.error('postgres pool error:', err.message));
  return {
    engine: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await pool.query(sql, params as unknown[]);
      return { rows: res.rows as T[], rowCount: res.rowCount ?? 0 };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query<T>(sql: string, params: readonly unknown[] = []) {
            const res = await client.query(sql, params as unknown[]);
            return { rows: res.rows as T[], rowCount: res.rowCount ?? 0 };
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
