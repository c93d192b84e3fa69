import { sql } from 'drizzle-orm';
import type { Tx } from './audit.repo.ts';

/**
 * What an inbound message changes, for a batch of them (product.md §7): the customer's sticky
 * profile (conversation_routes, contacts.sticky_profile_id), their last interaction, and the
 * message of ours they answered (`replied`). Opt-out replies mark the contact and skip what is
 * still queued for them.
 */

export interface InboundRow {
  workspaceId: string;
  profileId: string;
  /** E.164 of the customer. */
  phone: string;
  at: number;
}

export interface RepliedMessage {
  id: string;
  workspaceId: string;
  profileId: string | null;
  previous: string;
}

export async function recordInbound(db: Tx, rows: InboundRow[]): Promise<RepliedMessage[]> {
  if (rows.length === 0) return [];
  // The latest per customer wins within the batch.
  const latest = new Map<string, InboundRow>();
  for (const r of rows) {
    const key = `${r.workspaceId}:${r.phone}`;
    const cur = latest.get(key);
    if (!cur || cur.at <= r.at) latest.set(key, r);
  }
  const json = JSON.stringify(
    [...latest.values()].map((r) => ({ workspace_id: r.workspaceId, profile_id: r.profileId, phone: r.phone, at: new Date(r.at).toISOString() })),
  );
  const input = sql`jsonb_to_recordset(${json}::jsonb) AS r(workspace_id uuid, profile_id uuid, phone text, at timestamptz)`;
  await db.execute(sql`
    INSERT INTO conversation_routes (workspace_id, phone, profile_id, last_message_at)
    -- A profile deleted while its messages waited for this batch routes nobody.
    SELECT r.workspace_id, r.phone, r.profile_id, r.at FROM ${input} JOIN profiles p ON p.id = r.profile_id
    ON CONFLICT (workspace_id, phone) DO UPDATE SET profile_id = excluded.profile_id, last_message_at = greatest(conversation_routes.last_message_at, excluded.last_message_at)`);
  await db.execute(sql`
    UPDATE contacts c SET last_interaction_at = greatest(c.last_interaction_at, r.at), sticky_profile_id = r.profile_id, updated_at = now()
    FROM ${input}
    WHERE c.workspace_id = r.workspace_id AND c.phone = r.phone`);
  // The newest message the profile they wrote to sent them in the last 7 days.
  const { rows: replied } = await db.execute<{ id: string; workspace_id: string; profile_id: string | null; previous: string }>(sql`
    WITH answered AS (
      SELECT DISTINCT ON (m.workspace_id, m.phone) m.id, m.status AS previous, r.at
      FROM ${input}
      JOIN campaign_messages m ON m.workspace_id = r.workspace_id AND m.phone = r.phone AND m.profile_id = r.profile_id
      -- A minute of slack: our clock stamps a send when WhatsApp's answer reached us, which a fast
      -- reply's own timestamp can precede.
      WHERE m.sent_at IS NOT NULL AND m.sent_at >= r.at - interval '7 days' AND m.sent_at <= r.at + interval '1 minute'
      ORDER BY m.workspace_id, m.phone, m.id DESC
    )
    UPDATE campaign_messages m SET status = 'replied', replied_at = a.at,
      delivered_at = coalesce(m.delivered_at, a.at), read_at = coalesce(m.read_at, a.at), updated_at = now()
    FROM answered a
    WHERE m.id = a.id AND m.status IN ('sent', 'delivered', 'read', 'unknown')
    RETURNING m.id, m.workspace_id, m.profile_id, a.previous`);
  return replied.map((r) => ({ id: r.id, workspaceId: r.workspace_id, profileId: r.profile_id, previous: r.previous }));
}

/**
 * Opts out the workspace's contacts with these phones (those not opted out yet), records the phones
 * in `phone_opt_outs` (so the opt-out holds for a typed number, a contact created later, or a contact
 * deleted and imported again), and skips the messages still queued for these phones. Returns the
 * contacts opted out.
 */
export async function optOutPhones(db: Tx, workspaceId: string, phones: string[], reason: string, at: number): Promise<Array<{ id: string; phone: string }>> {
  if (phones.length === 0) return [];
  const when = new Date(at).toISOString();
  const { rows } = await db.execute<{ id: string; phone: string }>(sql`
    UPDATE contacts SET opted_out_at = ${when}::timestamptz, opt_out_reason = ${reason}, updated_at = now()
    WHERE workspace_id = ${workspaceId}::uuid AND phone = ANY(${sql.param(phones)}::text[]) AND opted_out_at IS NULL
    RETURNING id, phone`);
  await db.execute(sql`
    INSERT INTO phone_opt_outs (workspace_id, phone, reason, opted_out_at)
    SELECT ${workspaceId}::uuid, p, ${reason}, ${when}::timestamptz FROM unnest(${sql.param(phones)}::text[]) AS p
    ON CONFLICT (workspace_id, phone) DO NOTHING`);
  await db.execute(sql`
    UPDATE campaign_messages SET status = 'skipped', reason = ${`the recipient opted out: ${reason}`}, updated_at = now()
    WHERE workspace_id = ${workspaceId}::uuid AND phone = ANY(${sql.param(phones)}::text[]) AND status = 'queued'`);
  return rows;
}

/** Clears a phone's own opt-out (a person opted its contact back in). */
export async function forgetPhoneOptOut(db: Tx, workspaceId: string, phone: string): Promise<void> {
  await db.execute(sql`DELETE FROM phone_opt_outs WHERE workspace_id = ${workspaceId}::uuid AND phone = ${phone}`);
}

/**
 * Marks the workspace's contacts whose number opted out before they were contacts (an import
 * created them): one set-based statement over the workspace's opt-outs, run when an import ends.
 */
export async function applyPhoneOptOuts(db: Tx, workspaceId: string): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    WITH marked AS (
      UPDATE contacts c SET opted_out_at = o.opted_out_at, opt_out_reason = o.reason, updated_at = now()
      FROM phone_opt_outs o
      WHERE o.workspace_id = ${workspaceId}::uuid AND c.workspace_id = ${workspaceId}::uuid AND c.phone = o.phone AND c.opted_out_at IS NULL
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM marked`);
  return rows[0]!.n;
}
