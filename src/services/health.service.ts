import type { Container } from '../container.ts';
import { insertAudit } from '../db/audit.repo.ts';
import { getWorkspace } from '../db/auth.repo.ts';
import { addSignals, applyOutcomes, insertAlert, recentSignals, setHealth, setStatusAutomatically } from '../db/health.repo.ts';
import { queuedOf, reassignQueued } from '../db/outbox.repo.ts';
import { rollingStats } from '../db/profile-stats.repo.ts';
import { packagesOfProfile } from '../db/senders.repo.ts';
import { distribute, type PlanTier } from '../domain/distribution.ts';
import { assessHealth, type HealthAssessment } from '../domain/health.ts';
import type { HealthState } from '../domain/sender-settings.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import { workspaceChannel } from '../realtime/pubsub.ts';
import { systemActor } from './actor.ts';
import { blockedReason, distributionCandidates } from './dispatch.service.ts';
import { kickDrain } from './drains.ts';
import type { FlushReport } from './event-ingest.ts';
import { loadPackageForSending } from './senders.service.ts';

/**
 * Health (product.md §4, "Health and block prevention"): after each batch of results and receipts,
 * every profile it touched is assessed again (src/domain/health.ts) from its rolling counts, its
 * failure streak and its transport's signals. Every change of state is audited and pushed to the
 * dashboards with its sentence. A profile that turns risky, trips the failure breaker or is banned
 * stops sending open chat at once: it is paused (or marked banned), an alert is raised, and its
 * queued messages fail over to the healthy profiles of its packages.
 */

const STOPPING: readonly HealthState[] = ['risky', 'paused', 'banned'];

/**
 * The flush's profiles are read and written together (a statement per step, not per profile): the
 * ingest waits for this before its next flush.
 */
export async function assessAfterFlush(c: Container, report: FlushReport, now: number): Promise<void> {
  const flushes = [...report.profiles.values()];
  if (flushes.length === 0) return;
  const [streaks] = await Promise.all([applyOutcomes(c.db.orm, flushes), addSignals(c.db.orm, flushes)]);
  const byWorkspace = new Map<string, string[]>();
  for (const { workspaceId, profileId } of flushes) {
    const ids = byWorkspace.get(workspaceId);
    if (ids) ids.push(profileId);
    else byWorkspace.set(workspaceId, [profileId]);
  }
  const inputs = await Promise.all(
    [...byWorkspace].map(async ([workspaceId, ids]) => {
      const [stats, signals] = await Promise.all([rollingStats(c.db.orm, workspaceId, ids, now), recentSignals(c.db.orm, workspaceId, ids, now)]);
      return { stats, signals };
    }),
  );
  const stats = new Map(inputs.flatMap((i) => [...i.stats]));
  const signals = new Map(inputs.flatMap((i) => [...i.signals]));
  const assessed = flushes.map(({ workspaceId, profileId }) => ({
    workspaceId,
    profileId,
    ...assessHealth({ now, counts: stats.get(profileId)!, streak: streaks.get(profileId)!, events: signals.get(profileId)! }),
  }));
  const previous = await setHealth(
    c.db.orm,
    assessed.map((a) => ({ workspaceId: a.workspaceId, profileId: a.profileId, state: a.state, score: a.score, sentence: a.sentence, at: now })),
  );
  for (const a of assessed) {
    const before = previous.get(a.profileId);
    if (before !== undefined && before !== a.state) await announceChange(c, a.workspaceId, a.profileId, before, a, now);
  }
}

async function announceChange(c: Container, workspaceId: string, profileId: string, previous: HealthState, health: HealthAssessment, now: number): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    await insertAudit(tx, systemActor(workspaceId), {
      action: 'profile.health',
      entityType: 'profile',
      entityId: profileId,
      changes: { healthState: { before: previous, after: health.state }, reason: health.sentence, score: health.score },
    });
  });
  await c.pubsub.publish(workspaceChannel(workspaceId), { type: 'profile.health', profileId, state: health.state, score: health.score, sentence: health.sentence });
  // A ban stops the profile even when it was already paused (a person could otherwise resume it).
  const banned = health.state === 'banned';
  if (banned || !STOPPING.includes(previous)) {
    if (STOPPING.includes(health.state)) await stopProfile(c, workspaceId, profileId, health.state, health.sentence, now);
  }
}

/** Takes a profile out of open chat: paused (or banned), alerted, audited, its queue failed over. */
async function stopProfile(c: Container, workspaceId: string, profileId: string, state: HealthState, sentence: string, now: number): Promise<void> {
  const status = state === 'banned' ? 'banned' : 'paused';
  const reason = state === 'banned' ? sentence : `paused automatically — ${sentence}`;
  const stopped = await c.db.orm.transaction(async (tx) => {
    if (!(await setStatusAutomatically(tx, workspaceId, profileId, status, reason, now))) return false;
    await insertAlert(tx, workspaceId, profileId, status === 'banned' ? 'profile.banned' : 'profile.paused', reason);
    await insertAudit(tx, systemActor(workspaceId), { action: `profile.${status === 'banned' ? 'ban' : 'pause'}`, entityType: 'profile', entityId: profileId, changes: { status, reason } });
    return true;
  });
  if (!stopped) return;
  await c.pubsub.publish(workspaceChannel(workspaceId), { type: 'alert', kind: `profile.${status}`, profileId, message: reason });
  await failOver(c, workspaceId, profileId, now);
}

const FAILOVER_BATCH = 1000;

/**
 * Moves a profile's queued messages, package by package, to the members of that package that can
 * send, by the package's strategy. Messages of a package with no such member stay where they are
 * (their profile's wait reason says why) until a person resumes a profile.
 */
export async function failOver(c: Container, workspaceId: string, profileId: string, now: number): Promise<{ moved: number }> {
  const ws = await getWorkspace(c.db.orm, workspaceId);
  const tier = (ws?.plan ?? 'starter') as PlanTier;
  let moved = 0;
  const kicked = new Set<string>();
  for (const p of await packagesOfProfile(c.db.orm, workspaceId, profileId)) {
    const pkg = await loadPackageForSending(c.db.orm, c.secretKey, workspaceId, p.id);
    if (!pkg) continue;
    const others = { ...pkg, profiles: pkg.profiles.filter((m) => m.id !== profileId && blockedReason(m) === null) };
    if (others.profiles.length === 0) continue;
    let candidates = await distributionCandidates(c.governor, others, now);
    const random = seededRandom(`failover:${profileId}:${now}`);
    let after: string | undefined;
    for (;;) {
      const batch = await queuedOf(c.db.orm, workspaceId, profileId, pkg.id, after ? { limit: FAILOVER_BATCH, after } : { limit: FAILOVER_BATCH });
      if (batch.length === 0) break;
      after = batch.at(-1)!.id;
      const plan = distribute({ candidates, recipients: batch.map((m) => ({ key: m.id })), strategy: pkg.rules.strategy, tier, random });
      const moves = plan.assignments.flatMap((a) => (a.profileId ? [{ id: a.key, profileId: a.profileId }] : []));
      moved += await reassignQueued(c.db.orm, workspaceId, moves);
      // What this batch gave each profile is no longer spare for the next batch.
      const given = new Map<string, number>();
      for (const m of moves) {
        kicked.add(m.profileId);
        given.set(m.profileId, (given.get(m.profileId) ?? 0) + 1);
      }
      candidates = candidates.map((k) => ({ ...k, remainingToday: Math.max(0, k.remainingToday - (given.get(k.profileId) ?? 0)) }));
    }
  }
  if (moved > 0) {
    await c.db.orm.transaction(async (tx) => {
      await insertAlert(tx, workspaceId, profileId, 'profile.failover', `${moved} queued message${moved === 1 ? '' : 's'} moved to other profiles of the package`);
      await insertAudit(tx, systemActor(workspaceId), { action: 'profile.failover', entityType: 'profile', entityId: profileId, changes: { moved, to: [...kicked] } });
    });
    for (const id of kicked) await kickDrain(c, workspaceId, id);
  }
  return { moved };
}
