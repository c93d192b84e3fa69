import { randomBytes } from 'node:crypto';
import { insertWorkspace } from '../../db/auth.repo.ts';
import { migrateDatabase, openDatabase, type Database } from '../../db/client.ts';
import { enqueueMessages } from '../../db/outbox.repo.ts';
import * as senders from '../../db/senders.repo.ts';
import { DAY_MS, VirtualClock } from '../../domain/clock.ts';
import { distribute, type Distribution } from '../../domain/distribution.ts';
import { seededRandom } from '../../domain/seeded-random.ts';
import { MemoryGovernor } from '../../governor/memory.governor.ts';
import type { SimulatorProfileState } from '../../transports/simulator/simulator.transport.ts';
import type { TransportErrorKind } from '../../transports/transport.ts';
import { SimulatorNetwork } from '../../transports/simulator/network.ts';
import { distributionCandidates, drainProfile, type DispatchEnv } from '../dispatch.service.ts';
import { EventIngest } from '../event-ingest.ts';
import { loadPackageForSending, sealTransportConfig, type PackageForSending } from '../senders.service.ts';
import { TransportHub } from '../transport-hub.ts';
import { runUntil } from './event-loop.ts';
import { Ledger } from './ledger.ts';
import type { Scenario } from './scenario.ts';
import type { World } from './world.ts';

/**
 * Chorus's side of a simulation, through the code that runs in production: the package and its
 * profiles are rows of an in-memory PGlite, the recipients are spread by `distribute` and queued in
 * the outbox, and each profile is drained by `drainProfile` — the in-memory governor, pacing, the
 * batched ingest — with simulator transports of one shared network, all on one virtual clock. The
 * event loop stands in for BullMQ's delayed jobs.
 */

/** The ingest's own timer runs on real time; the run flushes it itself at fixed points instead (see `settle`). */
const NEVER_MS = 2_147_483_647;
const ENQUEUE_BATCH = 2000;
const FLUSH_EVERY_MS = 3_600_000;
/** Refusals whose result puts the message back in the queue (dispatch.service.ts, failureResult). */
const REQUEUED = new Set<TransportErrorKind>(['rate_limited', 'transient', 'profile']);

export interface ChorusSetup {
  db: Database;
  secretKey: Buffer;
  workspaceId: string;
  pkg: PackageForSending;
}

/** An in-memory database holding the scenario's workspace, package and connected simulator profiles. */
export async function createSimulationDatabase(s: Scenario, w: World): Promise<ChorusSetup> {
  const db = await openDatabase({ pgliteDir: 'memory://' });
  try {
    await migrateDatabase(db);
    // Only this process reads the sealed configurations, so a throwaway key will do.
    const secretKey = randomBytes(32);
    const workspaceId = await db.orm.transaction(async (tx) => {
      const ws = await insertWorkspace(tx, { name: 'Simulation', defaultCountry: 'ID' });
      await senders.setSenderDefaults(tx, ws.id, s.workspace.settings);
      // createPackage takes no id but inserts what it is given: a seeded id keeps pacing's package stream the same every run.
      const pkg: senders.PackageWrite & { name: string; id: string } = { id: w.packageId, name: 'Simulation', ...s.package };
      await senders.createPackage(tx, ws.id, pkg);
      for (const p of s.profiles) {
        const id = w.profileIds[p.index]!;
        await senders.createProfile(tx, ws.id, {
          id,
          name: p.name,
          phone: w.profilePhones[p.index]!,
          transport: 'simulator',
          sealedConfig: sealTransportConfig(secretKey, id, { overrides: p.simulator }),
          status: 'connected',
          statusReason: 'simulated number',
          statusChangedAt: new Date(s.start),
          settings: p.settings,
          weight: p.weight,
          warmupStartedAt: p.warmup ? new Date(s.start) : null,
        });
      }
      await senders.replaceMembers(tx, ws.id, w.packageId, w.profileIds);
      return ws.id;
    });
    const pkg = await loadPackageForSending(db.orm, secretKey, workspaceId, w.packageId);
    if (!pkg) throw new Error('the simulation package was not found after creating it');
    return { db, secretKey, workspaceId, pkg };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Who sends to whom: the package's strategy over its profiles as they are at the start (the distribution both runs use). */
export async function planDistribution(s: Scenario, w: World, setup: ChorusSetup, governor: MemoryGovernor): Promise<Distribution> {
  return distribute({
    candidates: await distributionCandidates(governor, setup.pkg, s.start),
    recipients: w.recipients.map((r) => ({ key: r.phone })),
    strategy: s.package.strategy,
    // Every profile of the pool takes part (starter and pro would send from one).
    tier: 'enterprise',
    random: seededRandom(`${s.seed}:distribution`),
  });
}

export interface RunOutcome {
  ledger: Ledger;
  /** The simulator's view of each profile at the end (absent for one that never sent). */
  final: Map<string, SimulatorProfileState>;
  /** What each profile's last drain said. */
  lastWait: Map<string, string>;
}

export async function runChorus(s: Scenario, w: World, setup: ChorusSetup, governor: MemoryGovernor, plan: Distribution): Promise<RunOutcome> {
  const { db, workspaceId } = setup;
  const index = new Map(w.recipients.map((r, i) => [r.phone, i]));
  const rows = plan.assignments.flatMap((a) => {
    const i = index.get(a.key)!;
    return a.profileId === null
      ? []
      : [{ id: w.messageIds[i]!, requestId: null, campaignId: null, packageId: w.packageId, profileId: a.profileId, contactId: null, phone: a.key, content: { type: 'text' as const, text: w.recipients[i]!.text }, notBefore: s.start }];
  });
  for (let i = 0; i < rows.length; i += ENQUEUE_BATCH) await enqueueMessages(db.orm, workspaceId, rows.slice(i, i + ENQUEUE_BATCH));

  const clock = new VirtualClock(s.start);
  const network = new SimulatorNetwork({ seed: s.seed, clock, config: s.network });
  const ledger = new Ledger(clock);
  const ingest = new EventIngest(db, clock, { intervalMs: NEVER_MS, maxBatch: Number.MAX_SAFE_INTEGER });
  const transports = new TransportHub(
    (spec) => ledger.recording(spec.profileId, network.transport(spec.profileId, (spec.config as { overrides?: object }).overrides)),
    (ref, event) => {
      ledger.event(ref.profileId, event);
      ingest.event(ref, event);
    },
  );
  const env: DispatchEnv = {
    db,
    secretKey: setup.secretKey,
    governor,
    ingest,
    transports,
    clock,
    owner: 'chorus-simulate',
    leaseMs: 120_000,
    sendTimeoutMs: 30_000,
    // Nothing changes a profile's settings during a run: loading them once saves a few queries per profile every few seconds.
    contextTtlMs: (s.days + 1) * DAY_MS,
  };

  const lastWait = new Map<string, string>();
  let flushedAt = s.start;
  /** Per profile, how many of its refusals had happened at the last flush. */
  const refusalsWritten = new Map<string, number>();
  const mustFlushBefore = (profileId: string) => {
    const { refusals } = ledger.log(profileId);
    return refusals.slice(refusalsWritten.get(profileId) ?? 0).some((r) => REQUEUED.has(r.kind));
  };
  try {
    await runUntil(clock, s.start + s.days * DAY_MS, {
      ids: w.profileIds,
      async step(profileId) {
        const outcome = await drainProfile(env, workspaceId, profileId);
        lastWait.set(profileId, outcome.why);
        return outcome.next === 'at' ? outcome.at : null;
      },
      // Flushed at fixed points of the virtual clock, not on the ingest's real-time timer, so every
      // run is the same. The drains read only which messages are queued, and a result changes that
      // only when it puts a message back in the queue (a refused send to retry): such a result is
      // written before its profile drains again, as production's ingest would have written it within
      // milliseconds. Everything else — sends, receipts, replies, opt-outs — is written hourly, which
      // costs a fraction of a batch per message (statements, not rows, are what PGlite spends on).
      async settle(profileId) {
        if (profileId !== null && clock.now() - flushedAt < FLUSH_EVERY_MS && !mustFlushBefore(profileId)) return;
        flushedAt = clock.now();
        for (const [id, log] of ledger.profiles) refusalsWritten.set(id, log.refusals.length);
        await ingest.flush();
      },
    });
    const final = new Map(network.inspect().map((p) => [p.profileId, p]));
    return { ledger, final, lastWait };
  } finally {
    await ingest.close();
    await transports.closeAll();
  }
}
