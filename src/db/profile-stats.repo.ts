import { sql } from 'drizzle-orm';
import type { Tx } from './audit.repo.ts';

/** Counts of one profile in one minute (or summed over a window). */
export interface StatCounts {
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  received: number;
}

export const ZERO_COUNTS: StatCounts = { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, received: 0 };

export interface StatDelta extends StatCounts {
  workspaceId: string;
  profileId: string;
  /** Any instant in the minute; the row is the minute's. */
  at: number;
}

/**
 * Adds a batch of counts (already summed per profile and minute by the caller) in one statement.
 * Counts of a profile deleted meanwhile are dropped: they must not fail the batch they came with.
 * Rows are written in key order, so two writers touching the same rows lock them in the same order.
 */
export async function addStats(db: Tx, deltas: StatDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const json = JSON.stringify(
    deltas.map((d) => ({
      workspace_id: d.workspaceId,
      profile_id: d.profileId,
      minute: new Date(Math.floor(d.at / 60_000) * 60_000).toISOString(),
      sent: d.sent,
      delivered: d.delivered,
      read: d.read,
      replied: d.replied,
      failed: d.failed,
      received: d.received,
    })),
  );
  await db.execute(sql`
    INSERT INTO profile_stats AS s (workspace_id, profile_id, minute, sent, delivered, read, replied, failed, received)
    SELECT r.workspace_id, r.profile_id, r.minute, r.sent, r.delivered, r.read, r.replied, r.failed, r.received
    FROM jsonb_to_recordset(${json}::jsonb)
      AS r(workspace_id uuid, profile_id uuid, minute timestamptz, sent int, delivered int, read int, replied int, failed int, received int)
    JOIN profiles p ON p.id = r.profile_id
    ORDER BY r.profile_id, r.minute
    ON CONFLICT (profile_id, minute) DO UPDATE SET
      sent = s.sent + excluded.sent, delivered = s.delivered + excluded.delivered, read = s.read + excluded.read,
      replied = s.replied + excluded.replied, failed = s.failed + excluded.failed, received = s.received + excluded.received`);
}

export interface RollingStats {
  hour: StatCounts;
  threeHours: StatCounts;
  day: StatCounts;
}

/** Each profile's counts over the last 60, 180 and 1,440 minutes before `now` (this minute included). */
export async function rollingStats(db: Tx, workspaceId: string, profileIds: string[], now: number): Promise<Map<string, RollingStats>> {
  const out = new Map<string, RollingStats>();
  if (profileIds.length === 0) return out;
  const minute = Math.floor(now / 60_000) * 60_000;
  const since = (minutes: number) => new Date(minute - (minutes - 1) * 60_000).toISOString();
  const COLUMNS = ['sent', 'delivered', 'read', 'replied', 'failed', 'received'] as const;
  const window = (name: string, minutes: number) =>
    sql.join(
      COLUMNS.map((c) => sql`coalesce(sum(${sql.identifier(c)}) FILTER (WHERE minute >= ${since(minutes)}::timestamptz), 0)::int AS ${sql.identifier(`${name}_${c}`)}`),
      sql`, `,
    );
  const { rows } = await db.execute<Record<string, number | string>>(sql`
    SELECT profile_id, ${window('h1', 60)}, ${window('h3', 180)}, ${window('d1', 1440)}
    FROM profile_stats
    WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ANY(${sql.param(profileIds)}::uuid[]) AND minute >= ${since(1440)}::timestamptz
    GROUP BY profile_id`);
  const counts = (row: Record<string, number | string>, prefix: string): StatCounts => ({
    sent: Number(row[`${prefix}_sent`]),
    delivered: Number(row[`${prefix}_delivered`]),
    read: Number(row[`${prefix}_read`]),
    replied: Number(row[`${prefix}_replied`]),
    failed: Number(row[`${prefix}_failed`]),
    received: Number(row[`${prefix}_received`]),
  });
  for (const id of profileIds) out.set(id, { hour: { ...ZERO_COUNTS }, threeHours: { ...ZERO_COUNTS }, day: { ...ZERO_COUNTS } });
  for (const row of rows) out.set(String(row.profile_id), { hour: counts(row, 'h1'), threeHours: counts(row, 'h3'), day: counts(row, 'd1') });
  return out;
}

/** Drops minutes older than two days (the sweep). */
export async function pruneStats(db: Tx, now: number): Promise<void> {
  await db.execute(sql`DELETE FROM profile_stats WHERE minute < ${new Date(now - 2 * 86_400_000).toISOString()}::timestamptz`);
}
