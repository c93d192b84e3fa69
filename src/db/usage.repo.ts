import { sql } from 'drizzle-orm';
import type { Tx } from './audit.repo.ts';

/** What the live usage view reads besides the settings, the governor and the statistics: one statement each, for any number of profiles. */

export interface ProfileWait {
  /** What its drain decided last: when it sends next (null: nothing to send) and why it waits. */
  nextSendAt: number | null;
  waitReason: string | null;
  /** Its next queued message, whose id seeds the gap pacing would draw after it. */
  nextMessageId: string | null;
}

export async function profileWaits(db: Tx, workspaceId: string, profileIds: string[]): Promise<Map<string, ProfileWait>> {
  if (profileIds.length === 0) return new Map();
  const { rows } = await db.execute<{ id: string; next_send_at: Date | string | null; wait_reason: string | null; head_id: string | null }>(sql`
    SELECT p.id, p.next_send_at, p.wait_reason, head.id AS head_id
    FROM profiles p
    LEFT JOIN LATERAL (
      SELECT m.id FROM campaign_messages m
      WHERE m.profile_id = p.id AND m.workspace_id = p.workspace_id AND m.status = 'queued'
      ORDER BY m.not_before, m.id LIMIT 1
    ) head ON true
    WHERE p.workspace_id = ${workspaceId}::uuid AND p.id = ANY(${sql.param(profileIds)}::uuid[])`);
  return new Map(
    rows.map((r) => [
      r.id,
      { nextSendAt: r.next_send_at === null ? null : new Date(r.next_send_at).getTime(), waitReason: r.wait_reason, nextMessageId: r.head_id },
    ]),
  );
}

/**
 * Queued open-chat messages per profile and package: a profile's total is pacing's queue depth,
 * a package's share is what waits in it. Read from the claim index (queued rows by profile).
 */
export async function queuedByProfileAndPackage(
  db: Tx,
  workspaceId: string,
  profileIds: string[],
): Promise<Array<{ profileId: string; packageId: string; queued: number }>> {
  if (profileIds.length === 0) return [];
  const { rows } = await db.execute<{ profile_id: string; package_id: string; n: number }>(sql`
    SELECT profile_id, package_id, count(*)::int AS n FROM campaign_messages
    WHERE status = 'queued' AND profile_id = ANY(${sql.param(profileIds)}::uuid[]) AND workspace_id = ${workspaceId}::uuid
    GROUP BY profile_id, package_id`);
  return rows.map((r) => ({ profileId: r.profile_id, packageId: r.package_id, queued: r.n }));
}
