import { Queue, Worker, withBackend, createPostgresBackend, type Job, type ConnectionOptions } from 'bullmq';
import type pg from 'pg';
import { Redis } from 'ioredis';
import { jobIds, jobOptions, jobQueue, QUEUE_NAMES, type JobName, type JobPayloads, type QueueName } from './queues.ts';

export type Processor = (job: Job, token?: string, signal?: AbortSignal) => Promise<unknown>;

/** What services and workers need from the queues, whichever backend carries them. */
export interface QueueSystem {
  readonly backend: 'redis' | 'postgres';
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts?: { delayMs?: number }): Promise<void>;
  startWorker(queue: QueueName, processor: Processor, concurrency: number, opts?: { lockDuration?: number; stalledInterval?: number }): Worker;
  /** Jobs waiting, active and delayed per queue: for /metrics and the operators' view. */
  counts(): Promise<Record<QueueName, Record<string, number>>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const defaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

interface Classes {
  Queue: new (name: string, opts: { connection: never; prefix: string; defaultJobOptions: object }) => Queue;
  Worker: new (name: string, processor: Processor, opts: object) => Worker;
}

function build(
  backend: 'redis' | 'postgres',
  classes: Classes,
  connection: unknown,
  prefix: string,
  workerExtras: object,
  ping: () => Promise<void>,
): QueueSystem {
  const queues = new Map<QueueName, Queue>();
  const workers = new Set<Worker>();
  const queue = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new classes.Queue(name, { connection: connection as never, prefix, defaultJobOptions });
      queues.set(name, q);
    }
    return q;
  };
  return {
    backend,
    async enqueue(name, payload, opts) {
      await queue(jobQueue[name]).add(name, payload, {
        ...jobOptions[name],
        jobId: (jobIds[name] as (p: typeof payload) => string)(payload),
        ...(opts?.delayMs ? { delay: opts.delayMs } : {}),
      });
    },
    startWorker(name, processor, concurrency, opts) {
      const worker = new classes.Worker(name, processor, {
        connection,
        prefix,
        concurrency,
        ...workerExtras,
        ...opts,
      });
      worker.on('error', () => undefined);
      workers.add(worker);
      return worker;
    },
    async counts() {
      const out = {} as Record<QueueName, Record<string, number>>;
      for (const name of QUEUE_NAMES) out[name] = await queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed');
      return out;
    },
    ping,
    async close() {
      // Workers first: they stop taking jobs; long jobs get the abort signal and hand themselves
      // back at their next safe point, short ones simply finish.
      for (const w of workers) w.cancelAllJobs('shutdown');
      await Promise.all([...workers].map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

export function redisQueueSystem(redisUrl: string, prefix: string): QueueSystem {
  const url = new URL(redisUrl);
  const connection: ConnectionOptions = {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
  const pinger = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false });
  pinger.on('error', () => undefined);
  const system = build('redis', { Queue, Worker } as unknown as Classes, connection, prefix, {}, async () => {
    if (pinger.status === 'wait' || pinger.status === 'end') await pinger.connect();
    await pinger.ping();
  });
  const close = system.close;
  return { ...system, close: async () => { await close(); pinger.disconnect(); } };
}

/** How often an embedded worker looks for work, in seconds (its pickup delay). */
const POLL_SECONDS = 0.2;

/**
 * LISTEN/NOTIFY does not reach workers through the embedded PGlite server, so a worker must never
 * wait on it: not when idle (`drainDelay`), and not until the next delayed job is due — which the
 * backend would otherwise allow for up to an hour, so a drain delayed by an hour-long pacing gap
 * would hide every job added meanwhile.
 */
const pollingPostgresBackend: typeof createPostgresBackend = (name, opts, factoryOpts) => {
  const backend = createPostgresBackend(name, opts, factoryOpts);
  Object.defineProperty(backend, 'maximumBlockTimeout', { get: () => POLL_SECONDS });
  return backend;
};

export function postgresQueueSystem(connection: pg.PoolConfig, prefix: string, ping: () => Promise<void>): QueueSystem {
  const classes = withBackend(pollingPostgresBackend) as unknown as Classes;
  return build('postgres', classes, { ...connection, max: 4, schema: 'bullmq', migrate: true }, prefix, { drainDelay: POLL_SECONDS }, ping);
}
