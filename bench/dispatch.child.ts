import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Queue, Worker } from 'bullmq';
import { pino } from 'pino';
import { uuidv7 } from 'uuidv7';
import { ADMIN_URL, createBenchDatabase } from './common.ts';
import { loadConfig } from '../src/config.ts';
import { createContainer, type Container } from '../src/container.ts';
import { insertWorkspace } from '../src/db/auth.repo.ts';
import { enqueueMessages, type NewOutboxMessage } from '../src/db/outbox.repo.ts';
import { systemActor } from '../src/services/actor.ts';
import { kickDrain } from '../src/services/drains.ts';
import { createPackage, createProfile, setPackageProfiles } from '../src/services/senders.service.ts';
import { startDispatchWorker } from '../src/workers/dispatch.worker.ts';

/**
 * The unpaced mode of the dispatch benchmark, in its own process (its CPU is its own):
 * `tsx bench/dispatch.child.ts <messages> <profiles> <noop jobs>`. Measures raw BullMQ no-op job
 * throughput on Redis, then sends `messages` through the whole scaled path (a fresh PostgreSQL
 * database, BullMQ and the governor on Redis, the dispatch worker, simulator profiles that answer
 * at once) and sends its figures to the parent over IPC.
 */

export interface ChildResult {
  messages: number;
  profiles: number;
  noop: { jobs: number; concurrency: number; ms: number };
  /** From the kicks until every message is at least `sent` in PostgreSQL. */
  sentMs: number;
  /** From the kicks until every message is `read` (the last receipts written). */
  receiptsMs: number;
  /** From the kicks until WhatsApp (the simulator) accepted the last message: the sends' own pace, before their results are written. */
  lastAcceptedMs: number;
  statuses: Record<string, number>;
  stats: { sent: number; delivered: number; read: number; failed: number };
  attempts: { min: number; max: number };
  /** When 10 % and 90 % of the messages were at least `sent` (ms since the kicks): the steady rate lies between. */
  tenthMs: number;
  ninetiethMs: number;
  /**
   * CPU time spent while sending (kicks to all read): this process, the PostgreSQL backends of the
   * bench database, redis-server, and the whole machine (everything else running on it included).
   */
  cpuMs: { node: number; postgres: number | null; redis: number | null; machine: number };
  wallMs: number;
  /** Redis commands while sending (INFO commandstats, whole server), per command. */
  redisCalls: Record<string, number>;
  /** With `profile`: statements through the pool while sending, by their first words: count and wall ms. */
  sql: Record<string, { n: number; ms: number }> | null;
}

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Simulator settings for a network that answers at once and never refuses: what is measured is Chorus. */
const INSTANT_NETWORK = {
  recipients: { missingShare: 0 },
  latency: {
    accept: { medianMs: 0, spread: 0 },
    delivery: { medianMs: 0, spread: 0 },
    read: { medianMs: 0, spread: 0 },
    reply: { medianMs: 0, spread: 0 },
  },
  audience: { deliveryProbability: 1, readProbability: 1, replyProbability: 0 },
  errors: { transientProbability: 0, permanentProbability: 0, failedAfterAcceptProbability: 0 },
  rateLimit: { maxSends: 100_000, windowMs: 1000 },
  ban: { enabled: false },
};

/** Pacing off at the Cloud API's upgraded throughput; limits far above what one run sends. */
const UNPACED_SETTINGS = {
  pacing: { mode: 'off', ratePerSecond: 1000 },
  limits: { perHour: 100_000, per3Hours: 300_000, perDay: 2_400_000 },
  activeHours: { start: '00:00', end: '00:00' },
} as const;

async function dropKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Raw BullMQ: `jobs` no-op jobs added in bulk (not timed), then processed by one Worker at `concurrency`. */
async function noopThroughput(prefix: string, jobs: number, concurrency: number): Promise<number> {
  const connection = { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379), maxRetriesPerRequest: null };
  const queue = new Queue('noop', { connection, prefix });
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { removeOnComplete: true } })));
  }
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const started = performance.now();
  const worker = new Worker(
    'noop',
    async () => {
      if (++done === jobs) finish();
    },
    { connection, prefix, concurrency },
  );
  await finished;
  const ms = performance.now() - started;
  await worker.close();
  await queue.close();
  return ms;
}

/** utime + stime of a process from /proc, in ms (clock ticks of 10 ms). */
function procCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU ms used by the PostgreSQL backends serving `dbName`, read from /proc. Pools open and close
 * connections during a run, so call `sample()` often: a backend that exits takes with it what it
 * used since its last sample. `spent()` is null when no backend was visible (a server on another
 * machine).
 */
function postgresCpu(dbName: string) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const read = async (): Promise<Map<number, number>> => {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    const now = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        now.set(pid, procCpuMs(pid));
      } catch {
        // Exited since the query, or not on this machine.
      }
    }
    return now;
  };
  return {
    async start() {
      await admin.connect();
      for (const [pid, ms] of await read()) first.set(pid, ms);
    },
    async sample() {
      for (const [pid, ms] of await read()) {
        // A backend opened during the run used all its CPU during the run.
        if (!first.has(pid)) first.set(pid, 0);
        last.set(pid, ms);
      }
    },
    spent(): number | null {
      if (last.size === 0) return null;
      let ms = 0;
      for (const [pid, t] of last) ms += t - first.get(pid)!;
      return ms;
    },
    end: () => admin.end(),
  };
}

/** CPU ms the whole machine spent busy so far (all cores, from /proc/stat): what else ran shows as the rest. */
function machineBusyMs(): number {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const busy = ticks.slice(0, 8).reduce((a, t, i) => (i === 3 || i === 4 ? a : a + t), 0);
  return busy * 10;
}

async function redisCpuMs(): Promise<number | null> {
  const redis = new Redis(REDIS_URL);
  try {
    const info = await redis.info('cpu');
    const read = (name: string) => Number(new RegExp(`^used_cpu_${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
    const ms = (read('user') + read('sys')) * 1000;
    return Number.isFinite(ms) ? ms : null;
  } finally {
    redis.disconnect();
  }
}

async function redisCommandCalls(): Promise<Map<string, number>> {
  const redis = new Redis(REDIS_URL);
  try {
    const info = await redis.info('commandstats');
    return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  } finally {
    redis.disconnect();
  }
}

/** Counts and times every statement the pool runs, keyed by its first words (profiling only: it adds a closure per query). */
function traceStatements(pool: pg.Pool): Record<string, { n: number; ms: number }> {
  const out: Record<string, { n: number; ms: number }> = {};
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string }).text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const started = performance.now();
    try {
      return await query(...args);
    } finally {
      const t = (out[key] ??= { n: 0, ms: 0 });
      t.n++;
      t.ms += performance.now() - started;
    }
  };
  return out;
}

async function setUp(c: Container, messages: number, profiles: number): Promise<{ workspaceId: string; profileIds: string[] }> {
  const ws = await c.db.orm.transaction((tx) => insertWorkspace(tx, { name: 'Bench', defaultCountry: 'ID' }));
  const actor = systemActor(ws.id);
  const profileIds: string[] = [];
  for (let i = 0; i < profiles; i++) {
    const p = await createProfile(c, actor, {
      name: `Bench ${String(i + 1).padStart(2, '0')}`,
      phone: `+6281100${String(i).padStart(5, '0')}`,
      transport: 'simulator',
      transportConfig: { seed: `bench-${i}`, overrides: INSTANT_NETWORK },
      settings: UNPACED_SETTINGS,
    });
    profileIds.push(p.id);
  }
  const pkg = await createPackage(c, actor, { name: 'Bench', strategy: 'round_robin', maxConcurrentSends: profiles });
  await setPackageProfiles(c, actor, pkg.id, profileIds);
  // Round robin, as distribution would spread them: each profile gets every `profiles`-th recipient.
  const BATCH = 5000;
  for (let i = 0; i < messages; i += BATCH) {
    const rows: NewOutboxMessage[] = [];
    for (let j = i; j < Math.min(messages, i + BATCH); j++) {
      rows.push({
        id: uuidv7(),
        requestId: null,
        campaignId: null,
        packageId: pkg.id,
        profileId: profileIds[j % profiles]!,
        contactId: null,
        phone: `+62813${String(j).padStart(8, '0')}`,
        content: { type: 'text', text: `Hello ${j}, your order ships today.` },
      });
    }
    await enqueueMessages(c.db.orm, ws.id, rows);
  }
  await c.db.pool.query('ANALYZE campaign_messages');
  return { workspaceId: ws.id, profileIds };
}

async function main() {
  const [messages, profiles, noopJobs] = process.argv.slice(2, 5).map(Number) as [number, number, number];
  /** Where to write the CPU profile of the sending phase; also traces the statements. */
  const profileDir = process.argv[5] || null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-dispatch-'));
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const benchDb = await createBenchDatabase();
  let c: Container | null = null;
  try {
    const NOOP_CONCURRENCY = 50;
    const noopMs = await noopThroughput(`${prefix}-noop`, noopJobs, NOOP_CONCURRENCY);

    const config = loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SECRET_KEY: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: prefix,
      DATABASE_URL: benchDb.url,
      REDIS_URL,
    });
    c = await createContainer(config, { logger: pino({ level: 'silent' }) });
    const { workspaceId, profileIds } = await setUp(c, messages, profiles);

    // Its own connection, so its counts neither wait for the app's pool nor show in the trace.
    const watcher = new pg.Client({ connectionString: benchDb.url });
    await watcher.connect();
    const sql = profileDir ? traceStatements(c.db.pool) : null;
    const inspector = profileDir ? new Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    const callsBefore = await redisCommandCalls();
    const pgCpu = postgresCpu(benchDb.name);
    await pgCpu.start();
    const redisBefore = await redisCpuMs();
    const machineBefore = machineBusyMs();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const startedAt = Date.now();
    startDispatchWorker(c);
    for (const id of profileIds) await kickDrain(c, workspaceId, id);

    // Progress is read from the counters, not the outbox: a count over the outbox walks every
    // entry its partial indexes still hold for claimed rows, and would load the server it measures.
    // The ingest writes a batch's counters after its results and receipts, so `sent` reaching N
    // means every result is written (each message at least `sent`), `read` reaching N every receipt.
    const counted = async () =>
      (await watcher.query<{ sent: number; read: number }>('SELECT coalesce(sum(sent), 0)::int AS sent, coalesce(sum(read), 0)::int AS read FROM profile_stats')).rows[0]!;
    let sentMs = 0;
    let receiptsMs = 0;
    const crossed: Array<{ at: number }> = [];
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [{ sent, read }] = await Promise.all([counted(), pgCpu.sample()]);
      const at = performance.now() - started;
      if (crossed.length === 0 && sent >= 0.1 * messages) crossed.push({ at });
      if (crossed.length === 1 && sent >= 0.9 * messages) crossed.push({ at });
      if (sent >= messages && sentMs === 0) sentMs = at;
      if (read >= messages) {
        receiptsMs = at;
        break;
      }
      if (at > 20 * 60_000) throw new Error(`only ${sent} sent and ${read} read after 20 minutes`);
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const machineMs = machineBusyMs() - machineBefore;
    if (inspector) {
      const { profile } = await inspector.post('Profiler.stop');
      fs.mkdirSync(profileDir!, { recursive: true });
      fs.writeFileSync(path.join(profileDir!, 'dispatch.cpuprofile'), JSON.stringify(profile));
      inspector.disconnect();
    }
    await pgCpu.sample();
    await pgCpu.end();
    const pgMs = pgCpu.spent();
    const redisAfter = await redisCpuMs();
    const callsAfter = await redisCommandCalls();
    await watcher.end();

    const { rows: st } = await c.db.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM campaign_messages GROUP BY status');
    const { rows: sums } = await c.db.pool.query<ChildResult['stats']>(
      'SELECT sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(read)::int AS read, sum(failed)::int AS failed FROM profile_stats',
    );
    const { rows: att } = await c.db.pool.query<{ min: number; max: number; last: Date }>(
      'SELECT min(attempts)::int AS min, max(attempts)::int AS max, max(sent_at) AS last FROM campaign_messages',
    );
    const result: ChildResult = {
      messages,
      profiles,
      noop: { jobs: noopJobs, concurrency: NOOP_CONCURRENCY, ms: noopMs },
      sentMs,
      receiptsMs,
      tenthMs: crossed[0]!.at,
      ninetiethMs: crossed[1]!.at,
      wallMs,
      statuses: Object.fromEntries(st.map((r) => [r.status, r.n])),
      stats: sums[0]!,
      attempts: { min: att[0]!.min, max: att[0]!.max },
      lastAcceptedMs: att[0]!.last.getTime() - startedAt,
      cpuMs: {
        node: (cpu.user + cpu.system) / 1000,
        postgres: pgMs,
        redis: redisBefore === null || redisAfter === null ? null : redisAfter - redisBefore,
        machine: machineMs,
      },
      redisCalls: Object.fromEntries([...callsAfter].map(([k, n]) => [k, n - (callsBefore.get(k) ?? 0)]).filter(([, n]) => (n as number) > 0)),
      sql,
    };
    process.send?.(result);
  } finally {
    await c?.close();
    await dropKeys(prefix);
    await dropKeys(`${prefix}-noop`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await benchDb.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
