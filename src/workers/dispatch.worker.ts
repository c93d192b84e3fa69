import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Container } from '../container.ts';
import { HOUR_MS } from '../domain/clock.ts';
import type { JobPayloads } from '../queue/queues.ts';
import { systemClock } from '../system-clock.ts';
import { EventIngest } from '../services/event-ingest.ts';
import { TransportHub } from '../services/transport-hub.ts';
import { drainProfile, type DispatchEnv } from '../services/dispatch.service.ts';
import { announceWait, prune, reconcile, sweep } from '../services/dispatch-upkeep.ts';
import { assessAfterFlush } from '../services/health.service.ts';
import { publishActivity } from '../services/usage.service.ts';

const SWEEP_MS = 5_000;
const PRUNE_MS = HOUR_MS;

/**
 * `profile.drain`: one drain step per job; the job then moves itself back to delayed until the
 * instant the drain named (the pacing gap, a limit's next slot, active hours), so the queue holds
 * one job per profile that has work. The sweep and reconciler run beside it in every worker.
 */
export function startDispatchWorker(c: Container): Worker {
  const clock = systemClock;
  const ingest = new EventIngest(c.db, clock, {
    intervalMs: 20,
    maxBatch: 1000,
    onError: (err) => c.log.error({ err }, 'dispatch: results and receipts could not be written'),
  });
  const transports = new TransportHub(c.transportFactory, (ref, event) => ingest.event(ref, event));
  ingest.onFlush((report) => assessAfterFlush(c, report, clock.now()));
  ingest.onFlush((report) => publishActivity(c, report));
  const env: DispatchEnv = {
    db: c.db,
    secretKey: c.secretKey,
    governor: c.governor,
    ingest,
    transports,
    clock,
    owner: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    leaseMs: c.config.DISPATCH_LEASE_SECONDS * 1000,
    // Well inside the lease, so a slow answer is recorded before the sweep may settle the message.
    sendTimeoutMs: Math.min(30_000, (c.config.DISPATCH_LEASE_SECONDS * 1000) / 2),
    contextTtlMs: 5_000,
  };

  const worker = c.queues.startWorker(
    'dispatch',
    async (job: Job, token?: string) => {
      const { workspaceId, profileId } = job.data as JobPayloads['profile.drain'];
      const outcome = await drainProfile(env, workspaceId, profileId);
      const nextAt = outcome.next === 'at' ? outcome.at : null;
      await announceWait(c, workspaceId, profileId, outcome.next === 'at' ? (outcome.showAt ?? outcome.at) : null, outcome.why);
      if (nextAt !== null) {
        await job.moveToDelayed(Math.max(nextAt, Date.now()), token);
        throw new DelayedError();
      }
    },
    // Drains wait on WhatsApp and the database, not the CPU: many profiles at once per process.
    Math.max(16, c.config.WORKER_CONCURRENCY * 8),
    // BullMQ renews the lock while a step runs (a step waits at most for one batch's send timeout);
    // a dead worker's drain is handed on within seconds.
    { lockDuration: 15_000, stalledInterval: 5_000 },
  );

  let running = true;
  const safely = (what: string, f: () => Promise<unknown>) => () => {
    if (running) f().catch((err: unknown) => c.log.error({ err }, `dispatch ${what} failed`));
  };
  void safely('reconcile', () => reconcile(c, clock.now()))();
  const sweeping = setInterval(safely('sweep', () => sweep(c, clock.now())), SWEEP_MS);
  const pruning = setInterval(safely('prune', () => prune(c, clock.now())), PRUNE_MS);
  c.onClose(async () => {
    running = false;
    clearInterval(sweeping);
    clearInterval(pruning);
    await ingest.close();
    await transports.closeAll();
  });
  return worker;
}
