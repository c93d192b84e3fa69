import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
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
  /** Run once the migrations are applied (an in-memory PGlite keeps a copy of itself then: see `memoryTemplate`). */
  migrated?: () => Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// node-postgres returns int8 as strings by default; our counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory, or `memory://` for tests. */
  pgliteDir?: string;
  /** Where an in-memory PGlite finds and leaves its migrated copy (default: the OS temp folder). */
  templateDir?: string;
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
  const inMemory = dir.startsWith('memory://');
  if (!inMemory) fs.mkdirSync(dir, { recursive: true });
  const template = inMemory ? memoryTemplate(opts.templateDir) : null;
  const copy = template?.read() ?? null;
  // A copy an older PGlite wrote may not load: then it starts empty and the copy is replaced.
  const fromCopy = copy ? await PGlite.create(dir, { loadDataDir: copy }).catch(() => null) : null;
  const lite = fromCopy ?? (await PGlite.create(dir));
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
    ...(template && !fromCopy
      ? {
          async migrated() {
            await lite.exec('CHECKPOINT');
            await template.write(await lite.dumpDataDir('none'));
          },
        }
      : {}),
  };
}

/**
 * PGlite's initdb takes 2–3 s per in-memory instance; loading a copy of one takes ≈ 0.4 s. Tests
 * and `chorus simulate` open many, so the first in-memory database migrated on this machine leaves
 * a copy of itself in the temp folder, named after the migrations and PGlite's version, and the
 * next ones start from it. Written to a temporary name and renamed: readers never see half a copy.
 */
export function memoryTemplate(dir = os.tmpdir()): { file: string; read(): Blob | null; write(dump: Blob | File): Promise<void> } {
  const hash = createHash('sha256');
  const pkg = path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json');
  hash.update(fs.existsSync(pkg) ? (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version : 'unknown');
  for (const f of fs.readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort()) hash.update(f).update(fs.readFileSync(path.join(migrationsFolder, f)));
  const file = path.join(dir, `chorus-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  return {
    file,
    read: () => (fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : null),
    async write(dump) {
      const tmp = `${file}.${process.pid}.${Date.now()}`;
      try {
        fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
        fs.renameSync(tmp, file);
        // Copies for other migrations (≈ 40 MB each) go once nothing has used them for a day.
        for (const other of fs.readdirSync(dir)) {
          const stale = path.join(dir, other);
          if (!/^chorus-pglite-[0-9a-f]{16}\.tar$/.test(other) || stale === file) continue;
          const { atimeMs, mtimeMs } = fs.statSync(stale);
          if (Date.now() - Math.max(atimeMs, mtimeMs) > 86_400_000) fs.rmSync(stale, { force: true });
        }
      } catch {
        // Only a copy to start faster next time (a full disk, a read-only temp folder): nothing is lost.
        fs.rmSync(tmp, { force: true });
      }
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
  await db.migrated?.();
}

export async function pingDatabase(db: Database): Promise<void> {
  await db.pool.query('SELECT 1');
}
