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
const TEST_REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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
  let dbName: string | null = null;
  const baseEnv: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SECRET_KEY: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: `chorus-test-${suffix}`,
    ...env,
  };
  if (mode === 'scaled') {
    dbName = `chorus_test_${suffix}`;
    const admin = new pg.Client({ connectionString: TEST_PG });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(TEST_PG);
    url.pathname = `/${dbName}`;
    baseEnv.DATABASE_URL = url.toString();
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
      if (mode === 'scaled') {
        // BullMQ keeps its keys in Redis after the queues close: remove this run's prefix.
        const redis = new Redis(TEST_REDIS);
        const stream = redis.scanStream({ match: `${baseEnv.QUEUE_PREFIX}:*`, count: 500 });
        for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
      if (dbName) {
        const admin = new pg.Client({ connectionString: TEST_PG });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

export interface Session {
  cookie: string;
  workspaceId: string;
  userId: string;
  email: string;
}

/** Signs up a fresh owner with a workspace and returns the session cookie. */
export async function signupOwner(app: FastifyInstance, overrides: Partial<{ email: string; workspaceName: string; defaultCountry: string }> = {}): Promise<Session> {
  counter += 1;
  const email = overrides.email ?? `owner${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: {
      email,
      password: 'correct horse battery',
      name: `Owner ${counter}`,
      workspaceName: overrides.workspaceName ?? `Workspace ${counter}`,
      ...(overrides.defaultCountry ? { defaultCountry: overrides.defaultCountry } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  const body = res.json() as { user: { id: string }; workspace: { id: string } };
  return { cookie: raw.split(';')[0]!, workspaceId: body.workspace.id, userId: body.user.id, email };
}
