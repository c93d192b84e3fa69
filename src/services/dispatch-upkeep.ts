import { DAY_MS } from '../domain/clock.ts';
import type { Container } from '../container.ts';
import { expireLeases, profilesWithDueWork, recentSends, setProfileWait, stoppedProfilesWithQueue } from '../db/outbox.repo.ts';
import { kickDrain } from './drains.ts';
import { failOver } from './health.service.ts';
import { pruneStats } from '../db/profile-stats.repo.ts';
import { pruneSignals } from '../db/health.repo.ts';
import { workspaceChannel } from '../realtime/pubsub.ts';

/**
 * What keeps dispatch whole around the drains (architecture.md, Dispatch step 4): on start the
 * reconciler gives the governor back the sends PostgreSQL knows of when its state was lost; every
 * few seconds the sweep settles messages whose worker died mid-send (as `unknown`, never re-sent)
 * and kicks the drain of every profile with due work — so a kick lost while a drain was finishing
 * costs at most one sweep interval; and it fails over the queue of any profile that may not send.
 */

export async function reconcile(c: Container, now: number): Promise<{ restored: number }> {
  const { restored } = await sweep(c, now);
  return { restored };
}

/**
 * Gives the governor back the last day's sends when its state was lost — at start, and at every
 * sweep, since Redis may restart empty while the workers run on.
 */
async function restoreIfLost(c: Container, now: number): Promise<number> {
  if (!(await c.governor.claimRestore())) return 0;
  const sends = await recentSends(c.db.orm, now - DAY_MS);
  await c.governor.restore(sends, now);
  return sends.length;
}

export async function sweep(c: Container, now: number): Promise<{ restored: number; expired: number; kicked: number }> {
  const restored = await restoreIfLost(c, now);
  const expired = await expireLeases(c.db.orm, now);
  const byWorkspace = new Map<string, string[]>();
  for (const e of expired) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e.id]);
  for (const [workspaceId, ids] of byWorkspace) {
    await c.pubsub.publish(workspaceChannel(workspaceId), { type: 'messages.unknown', messageIds: ids });
  }
  // A profile stopped by a person or by health may still hold messages (a race with its last
  // batch, or a manual pause): they move to the package's healthy profiles.
  for (const p of await stoppedProfilesWithQueue(c.db.orm)) await failOver(c, p.workspaceId, p.profileId, now);
  const due = await profilesWithDueWork(c.db.orm, now);
  for (const p of due) await kickDrain(c, p.workspaceId, p.profileId);
  return { restored, expired: expired.length, kicked: due.length };
}

export async function prune(c: Container, now: number): Promise<void> {
  await pruneStats(c.db.orm, now);
  await pruneSignals(c.db.orm, now);
}

/** Records and tells the dashboards when a profile sends next and why it waits (null: nothing to send). */
export async function announceWait(c: Container, workspaceId: string, profileId: string, nextSendAt: number | null, why: string): Promise<void> {
  await setProfileWait(c.db.orm, workspaceId, profileId, nextSendAt, why);
  await c.pubsub.publish(workspaceChannel(workspaceId), { type: 'profile.wait', profileId, nextSendAt, why });
}
