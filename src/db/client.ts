import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.ts';

export type Orm = NodePgDatabase<typeof schema>;

/**
 * One database handle for both modes. The embedded PGlite is served on loopback and reached
 * through node-postgres like a server, so every query, transaction and driver quirk is the same
 * in both modes and BullMQ can share it.
 */
export interface Database {
  kind: 'pglite' | 'postgres';
  orm: Orm;
  pool: pg.Pool;
  /** Connection settings for other pg clients (BullMQ's PostgreSQL backend). */
  connection: pg.PoolConfig;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// node-postgres returns int8 as strings by default; our counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory, or `memory://` for tests. */
  pgliteDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const connection: pg.PoolConfig = { connectionString: opts.databaseUrl };
    const pool = new pg.Pool({ ...connection, max: opts.poolSize ?? 10 });
    pool.on('error', () => undefined);
    return {
      kind: 'postgres',
      orm: drizzle(pool, { schema }),
      pool,
      connection,
      close: () => pool.end(),
    };
  }
  // Loaded only in embedded mode: PGlite's WebAssembly adds ≈ 40 MB to every process that imports it.
  const [{ PGlite }, { PgliteServer }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-server.ts')]);
  const dir = opts.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(dir, { recursive: true });
  const lite = await PGlite.create(dir);
  // One PGlite session is shared by every connection: BullMQ's unqualified names need its schema
  // on the path, and our tables stay reachable through `public`.
  await lite.exec('SET search_path TO bullmq, public');
  const server = new PgliteServer(lite);
  const port = await server.start('127.0.0.1', 0);
  const connection: pg.PoolConfig = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
  const pool = new pg.Pool({ ...connection, max: opts.poolSize ?? 8 });
  pool.on('error', () => undefined);
  return {
    kind: 'pglite',
    orm: drizzle(pool, { schema }),
    pool,
    connection,
    async close() {
      await pool.end();
      await server.stop();
      await lite.close();
    },
  };
}

/** Applies pending migrations under an advisory lock, so several processes may start at once. */
export async function migrateDatabase(db: Database): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727001)');
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock(727001)');
    }
  } finally {
    client.release();
  }
}

export async function pingDatabase(db: Database): Promise<void> {
  await db.pool.query('SELECT 1');
}
