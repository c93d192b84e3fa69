import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { buildApp } from '../../src/http/app.ts';
import { startWorkers } from '../../src/workers/index.ts';

export type Mode = 'embedded' | 'scaled';
export const modes: Mode[] = ['embedded', 'scaled'];

const TEST_PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh, empty database on the test PostgreSQL server: its URL, and how to drop it. */
export async function createTestDatabase(prefix = 'chorus_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const dbName = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: TEST_PG });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${dbName}`);
  const url = new URL(TEST_PG);
  url.pathname = `/${dbName}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`) };
}

/** Removes every Redis key under a queue prefix (BullMQ keeps its keys after the queues close). */
export async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS);
  try {
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export interface Harness {
  mode: Mode;
  c: Container;
  app: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A whole Chorus (container, HTTP app, workers) for one test file:
 * embedded = in-memory PGlite + BullMQ on it; scaled = a fresh database on the PostgreSQL server
 * + BullMQ on Redis under a unique prefix. Nothing is shared between files.
 */
export async function startHarness(mode: Mode, env: Record<string, string> = {}, opts: { workers?: boolean } = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-test-'));
  const suffix = randomBytes(5).toString('hex');
  let db: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  const baseEnv: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SECRET_KEY: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: `chorus-test-${suffix}`,
    ...env,
  };
  if (mode === 'scaled') {
    db = await createTestDatabase();
    baseEnv.DATABASE_URL = db.url;
    baseEnv.REDIS_URL = TEST_REDIS;
  }
  const config: Config = loadConfig(baseEnv);
  const c = await createContainer(config, { pgliteDir: 'memory://', logger: pino({ level: 'silent' }) });
  const app = await buildApp(c);
  await app.ready();
  if (opts.workers !== false) startWorkers(c);
  return {
    mode,
    c,
    app,
    dataDir,
    async close() {
      await app.close();
      await c.close();
      // BullMQ keeps its keys in Redis after the queues close: remove this run's prefix.
      if (mode === 'scaled') await dropQueueKeys(baseEnv.QUEUE_PREFIX!);
      if (db) await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Tables that rowCount may count; a fixed list, so no free text reaches the SQL. */
export type WorkspaceTable = 'contacts' | 'imports' | 'list_members' | 'media' | 'segment_members';

/** How many rows of `table` belong to the workspace. */
export async function rowCount(h: Harness, table: WorkspaceTable, workspaceId: string): Promise<number> {
  const res = await h.c.db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId]);
  return res.rows[0].n as number;
}
