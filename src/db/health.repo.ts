import { sql } from 'drizzle-orm';
import type { Tx } from './audit.repo.ts';
import type { HealthEvent } from '../domain/health.ts';
import type { HealthState, ProfileStatus } from '../domain/sender-settings.ts';
import { alerts, profileSignals } from './schema.ts';

/** A profile's health inputs kept in PostgreSQL: its failure streak, its transport's signals, its assessed state. */

/**
 * Applies a flush's send outcomes (oldest first) to the profile's failure streak: a send that
 * left ends the streak, a failure extends it. Returns the streak after them.
 */
export async function applyOutcomes(
  db: Tx,
  workspaceId: string,
  profileId: string,
  outcomes: Array<{ ok: boolean; at: number }>,
): Promise<{ count: number; firstAt: number | null; lastAt: number | null }> {
  const lastOk = outcomes.findLastIndex((o) => o.ok);
  const failuresAfter = outcomes.slice(lastOk + 1);
  const reset = lastOk >= 0;
  const first = failuresAfter[0]?.at ?? null;
  const last = failuresAfter.at(-1)?.at ?? null;
  const { rows } = await db.execute<{ failure_streak: number; failure_streak_since: Date | null }>(sql`
    UPDATE profiles SET
      failure_streak = CASE WHEN ${reset} THEN 0 ELSE failure_streak END + ${failuresAfter.length}::int,
      failure_streak_since = CASE
        WHEN ${failuresAfter.length}::int = 0 THEN CASE WHEN ${reset} THEN NULL ELSE failure_streak_since END
        WHEN ${reset} OR failure_streak = 0 THEN ${first === null ? null : new Date(first).toISOString()}::timestamptz
        ELSE failure_streak_since END
    WHERE workspace_id = ${workspaceId}::uuid AND id = ${profileId}::uuid
    RETURNING failure_streak, failure_streak_since`);
  const r = rows[0];
  return { count: r?.failure_streak ?? 0, firstAt: r?.failure_streak_since ? new Date(r.failure_streak_since).getTime() : null, lastAt: last };
}

export async function addSignals(db: Tx, workspaceId: string, profileId: string, events: HealthEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.insert(profileSignals).values(events.map((e) => ({ workspaceId, profileId, event: e, at: new Date(e.at) })));
}

/** The profile's signals of the last 24 h, plus its latest connection event whatever its age (health.ts asks for both). */
export async function recentSignals(db: Tx, workspaceId: string, profileId: string, now: number): Promise<HealthEvent[]> {
  const { rows } = await db.execute<{ event: HealthEvent }>(sql`
    (SELECT event FROM profile_signals
     WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ${profileId}::uuid AND at >= ${new Date(now - 86_400_000).toISOString()}::timestamptz)
    UNION ALL
    (SELECT event FROM profile_signals
     WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ${profileId}::uuid AND event->>'type' = 'connection'
       AND at < ${new Date(now - 86_400_000).toISOString()}::timestamptz
     ORDER BY at DESC LIMIT 1)`);
  return rows.map((r) => r.event);
}

export async function setHealth(
  db: Tx,
  workspaceId: string,
  profileId: string,
  h: { state: HealthState; score: number; sentence: string; at: number },
): Promise<{ previous: HealthState } | null> {
  const { rows } = await db.execute<{ previous: HealthState }>(sql`
    UPDATE profiles p SET health_state = ${h.state}, health_score = ${h.score}, health_reason = ${h.sentence},
      health_checked_at = ${new Date(h.at).toISOString()}::timestamptz
    FROM (SELECT health_state FROM profiles WHERE workspace_id = ${workspaceId}::uuid AND id = ${profileId}::uuid FOR UPDATE) o
    WHERE p.workspace_id = ${workspaceId}::uuid AND p.id = ${profileId}::uuid
    RETURNING o.health_state AS previous`);
  return rows[0] ?? null;
}

/**
 * An automatic status change: paused as risky (only from a status that can still send: a person's
 * pause stands), or banned (from anything but banned).
 */
export async function setStatusAutomatically(db: Tx, workspaceId: string, profileId: string, status: 'paused' | 'banned', reason: string, at: number): Promise<boolean> {
  const from: ProfileStatus[] = status === 'banned' ? ['connected', 'limited', 'disconnected', 'linking', 'paused'] : ['connected', 'limited', 'disconnected'];
  const { rows } = await db.execute<{ id: string }>(sql`
    UPDATE profiles SET status = ${status}, status_reason = ${reason}, status_changed_at = ${new Date(at).toISOString()}::timestamptz, updated_at = now()
    WHERE workspace_id = ${workspaceId}::uuid AND id = ${profileId}::uuid AND status = ANY(${sql.param(from)}::text[])
    RETURNING id`);
  return rows.length > 0;
}

export async function insertAlert(db: Tx, workspaceId: string, profileId: string | null, kind: string, message: string): Promise<string> {
  const [row] = await db.insert(alerts).values({ workspaceId, profileId, kind, message }).returning({ id: alerts.id });
  return row!.id;
}

export async function pruneSignals(db: Tx, now: number): Promise<void> {
  await db.execute(sql`DELETE FROM profile_signals WHERE at < ${new Date(now - 7 * 86_400_000).toISOString()}::timestamptz AND event->>'type' <> 'connection'`);
}
