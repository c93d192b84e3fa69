import { sql } from 'drizzle-orm';
import { DAY_MS } from '../domain/clock.ts';
import type { Tx } from './audit.repo.ts';
import type { FailureStreak, HealthEvent } from '../domain/health.ts';
import type { HealthState, ProfileStatus } from '../domain/sender-settings.ts';
import { alerts, profileSignals } from './schema.ts';

/** A profile's health inputs kept in PostgreSQL: its failure streak, its transport's signals, its assessed state. */

/** One profile's part of a flush: its workspace, its send outcomes (oldest first) and its transport's signals. */
interface ProfileFlush {
  workspaceId: string;
  profileId: string;
  outcomes: Array<{ ok: boolean; at: number }>;
  signals: HealthEvent[];
}

/**
 * Applies a flush's send outcomes to each profile's failure streak (a send that left ends the
 * streak, a failure extends it) and returns every listed profile's streak after them, in one
 * statement. Profiles without outcomes are only read. Rows are locked in id order, so two
 * flushes touching the same profiles cannot deadlock.
 */
export async function applyOutcomes(db: Tx, flushes: ProfileFlush[]): Promise<Map<string, FailureStreak>> {
  const out = new Map<string, FailureStreak>();
  if (flushes.length === 0) return out;
  const lastAt = new Map<string, number | null>();
  const json = JSON.stringify(
    flushes.map((f) => {
      const lastOk = f.outcomes.findLastIndex((o) => o.ok);
      const failuresAfter = f.outcomes.slice(lastOk + 1);
      lastAt.set(f.profileId, failuresAfter.at(-1)?.at ?? null);
      const first = failuresAfter[0]?.at;
      return {
        workspace_id: f.workspaceId,
        profile_id: f.profileId,
        touched: f.outcomes.length > 0,
        reset: lastOk >= 0,
        failures: failuresAfter.length,
        first_at: first === undefined ? null : new Date(first).toISOString(),
      };
    }),
  );
  const { rows } = await db.execute<{ id: string; failure_streak: number; failure_streak_since: Date | string | null }>(sql`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb)
        AS r(workspace_id uuid, profile_id uuid, touched boolean, reset boolean, failures int, first_at timestamptz)
    ), locked AS (
      SELECT p.id FROM profiles p JOIN r ON p.workspace_id = r.workspace_id AND p.id = r.profile_id
      WHERE r.touched ORDER BY p.id FOR UPDATE OF p
    ), changed AS (
      UPDATE profiles p SET
        failure_streak = CASE WHEN r.reset THEN 0 ELSE p.failure_streak END + r.failures,
        failure_streak_since = CASE
          WHEN r.failures = 0 THEN CASE WHEN r.reset THEN NULL ELSE p.failure_streak_since END
          WHEN r.reset OR p.failure_streak = 0 THEN r.first_at
          ELSE p.failure_streak_since END
      FROM r JOIN locked ON locked.id = r.profile_id
      WHERE p.id = locked.id
      RETURNING p.id, p.failure_streak, p.failure_streak_since
    )
    SELECT id, failure_streak, failure_streak_since FROM changed
    UNION ALL
    SELECT p.id, p.failure_streak, p.failure_streak_since
    FROM profiles p JOIN r ON p.workspace_id = r.workspace_id AND p.id = r.profile_id
    WHERE NOT r.touched`);
  for (const f of flushes) out.set(f.profileId, { count: 0, firstAt: null, lastAt: lastAt.get(f.profileId)! });
  for (const r of rows) {
    out.set(r.id, { count: r.failure_streak, firstAt: r.failure_streak_since ? new Date(r.failure_streak_since).getTime() : null, lastAt: lastAt.get(r.id)! });
  }
  return out;
}

export async function addSignals(db: Tx, flushes: ProfileFlush[]): Promise<void> {
  const values = flushes.flatMap((f) => f.signals.map((e) => ({ workspaceId: f.workspaceId, profileId: f.profileId, event: e, at: new Date(e.at) })));
  if (values.length === 0) return;
  await db.insert(profileSignals).values(values);
}

/** Each profile's signals of the last 24 h, plus its latest connection event whatever its age (health.ts asks for both). */
export async function recentSignals(db: Tx, workspaceId: string, profileIds: string[], now: number): Promise<Map<string, HealthEvent[]>> {
  const out = new Map<string, HealthEvent[]>(profileIds.map((id) => [id, []]));
  if (profileIds.length === 0) return out;
  const since = new Date(now - DAY_MS).toISOString();
  const { rows } = await db.execute<{ profile_id: string; event: HealthEvent }>(sql`
    SELECT profile_id, event FROM profile_signals
    WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ANY(${sql.param(profileIds)}::uuid[]) AND at >= ${since}::timestamptz
    UNION ALL
    SELECT ids.id, last.event FROM unnest(${sql.param(profileIds)}::uuid[]) AS ids(id)
    CROSS JOIN LATERAL (
      SELECT event FROM profile_signals
      WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ids.id AND event->>'type' = 'connection' AND at < ${since}::timestamptz
      ORDER BY at DESC LIMIT 1) last`);
  for (const r of rows) out.get(r.profile_id)?.push(r.event);
  return out;
}

/**
 * Records each profile's assessed health in one statement and returns, per profile, its state
 * before. Rows are locked in id order (see applyOutcomes).
 */
export async function setHealth(
  db: Tx,
  assessed: Array<{ workspaceId: string; profileId: string; state: HealthState; score: number; sentence: string; at: number }>,
): Promise<Map<string, HealthState>> {
  if (assessed.length === 0) return new Map();
  const json = JSON.stringify(
    assessed.map((h) => ({ workspace_id: h.workspaceId, profile_id: h.profileId, state: h.state, score: h.score, sentence: h.sentence, at: new Date(h.at).toISOString() })),
  );
  const { rows } = await db.execute<{ id: string; previous: HealthState }>(sql`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb)
        AS r(workspace_id uuid, profile_id uuid, state text, score int, sentence text, at timestamptz)
    ), o AS (
      SELECT p.id, p.health_state FROM profiles p JOIN r ON p.workspace_id = r.workspace_id AND p.id = r.profile_id
      ORDER BY p.id FOR UPDATE OF p
    )
    UPDATE profiles p SET health_state = r.state, health_score = r.score, health_reason = r.sentence, health_checked_at = r.at
    FROM r JOIN o ON o.id = r.profile_id
    WHERE p.id = o.id
    RETURNING p.id, o.health_state AS previous`);
  return new Map(rows.map((r) => [r.id, r.previous]));
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
  await db.execute(sql`DELETE FROM profile_signals WHERE at < ${new Date(now - 7 * DAY_MS).toISOString()}::timestamptz AND event->>'type' <> 'connection'`);
}
