import { sql } from 'drizzle-orm';
import type { Tx } from './audit.repo.ts';
import type { OutboundContent } from '../transports/transport.ts';
import { RECEIPT_ORDER, type MessageState } from '../domain/outbox.ts';

/**
 * The outbox's hot paths (architecture.md, Dispatch), written as set-based statements: one
 * statement per batch of messages, never one per message (performance-notes.md: one commit per
 * message caps everything at a few thousand a second). Every statement is scoped by workspace.
 */

export interface NewOutboxMessage {
  id: string;
  requestId: string | null;
  campaignId: string | null;
  packageId: string;
  profileId: string | null;
  contactId: string | null;
  phone: string;
  content: OutboundContent;
  /** Not claimed before this instant (ms); default now. */
  notBefore?: number;
}

/** Inserts a batch of queued messages in one statement. */
export async function enqueueMessages(db: Tx, workspaceId: string, rows: NewOutboxMessage[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      request_id: r.requestId,
      campaign_id: r.campaignId,
      package_id: r.packageId,
      profile_id: r.profileId,
      contact_id: r.contactId,
      phone: r.phone,
      content: r.content,
      not_before: new Date(r.notBefore ?? Date.now()).toISOString(),
    })),
  );
  await db.execute(sql`
    INSERT INTO campaign_messages (id, workspace_id, request_id, campaign_id, package_id, profile_id, contact_id, phone, content, not_before)
    SELECT r.id, ${workspaceId}::uuid, r.request_id, r.campaign_id, r.package_id, r.profile_id, r.contact_id, r.phone, r.content, r.not_before
    FROM jsonb_to_recordset(${json}::jsonb)
      AS r(id uuid, request_id uuid, campaign_id uuid, package_id uuid, profile_id uuid, contact_id uuid, phone text, content jsonb, not_before timestamptz)`);
}

/** A message held under a lease for sending. */
export interface ClaimedMessage {
  id: string;
  workspaceId: string;
  packageId: string;
  profileId: string;
  contactId: string | null;
  phone: string;
  content: OutboundContent;
  attempts: number;
}

type ClaimedRow = {
  id: string;
  workspace_id: string;
  package_id: string;
  profile_id: string;
  contact_id: string | null;
  phone: string;
  content: OutboundContent;
  attempts: number;
  not_before: Date;
};

const claimedOf = (r: ClaimedRow): ClaimedMessage => ({
  id: r.id,
  workspaceId: r.workspace_id,
  packageId: r.package_id,
  profileId: r.profile_id,
  contactId: r.contact_id,
  phone: r.phone,
  content: r.content,
  attempts: r.attempts,
});

/** A profile's due queued messages, oldest first, locked for the claim (SKIP LOCKED: a row another claim holds is passed over). */
const dueRows = (workspaceId: string, profileId: string, now: string, limit: number, packageId?: string) => sql`
  SELECT id FROM campaign_messages
  WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ${profileId}::uuid AND status = 'queued' AND not_before <= ${now}::timestamptz
    ${packageId ? sql`AND package_id = ${packageId}::uuid` : sql``}
  ORDER BY not_before, id
  LIMIT ${limit}
  FOR UPDATE SKIP LOCKED`;

/** Holds the rows of `due` under a lease (`sending`, owner, expiry): one attempt each. */
const leaseRows = (owner: string, now: string, leaseMs: number) => sql`
  UPDATE campaign_messages m
  SET status = 'sending', lease_owner = ${owner}, lease_until = ${now}::timestamptz + ${leaseMs} * interval '1 millisecond',
      attempts = m.attempts + 1, updated_at = now()
  FROM due WHERE m.id = due.id
  RETURNING m.id, m.workspace_id, m.package_id, m.profile_id, m.contact_id, m.phone, m.content, m.attempts, m.not_before`;

/**
 * Takes up to `limit` of a profile's due queued messages, oldest first, and holds them under a
 * lease. SKIP LOCKED: two drains of one profile (which the queue's one-job-per-profile rule
 * prevents anyway) could never take the same row.
 */
export async function claimMessages(
  db: Tx,
  workspaceId: string,
  profileId: string,
  opts: { limit: number; owner: string; leaseMs: number; now: number; packageId?: string },
): Promise<ClaimedMessage[]> {
  const now = new Date(opts.now).toISOString();
  const { rows } = await db.execute<ClaimedRow>(sql`
    WITH due AS (${dueRows(workspaceId, profileId, now, opts.limit, opts.packageId)})
    ${leaseRows(opts.owner, now, opts.leaseMs)}`);
  return rows.sort((a, b) => +new Date(a.not_before) - +new Date(b.not_before) || (a.id < b.id ? -1 : 1)).map(claimedOf);
}

/**
 * A paced drain's one statement per send: claims the profile's next due message (if any), and
 * says how many were queued before the claim — counted only up to `countUpTo`: the drain needs to
 * know whether more than the rush threshold wait, and counting a queue of thousands after every
 * send would cost more than the send. When nothing was due, also when the earliest queued one is.
 */
export async function claimNext(
  db: Tx,
  workspaceId: string,
  profileId: string,
  opts: { owner: string; leaseMs: number; now: number; countUpTo: number },
): Promise<{ message: ClaimedMessage | null; queued: number; earliestAt: number | null }> {
  const now = new Date(opts.now).toISOString();
  const queued = sql`FROM campaign_messages WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ${profileId}::uuid AND status = 'queued'`;
  // The count reads the rows as they were before the claim (one snapshot for the whole statement).
  // `id = (…)` rather than a joined CTE: the cheapest form of a one-row claim.
  const { rows } = await db.execute<Partial<ClaimedRow> & { queued: number }>(sql`
    WITH claimed AS (
      UPDATE campaign_messages m
      SET status = 'sending', lease_owner = ${opts.owner}, lease_until = ${now}::timestamptz + ${opts.leaseMs} * interval '1 millisecond',
          attempts = m.attempts + 1, updated_at = now()
      WHERE m.id = (${dueRows(workspaceId, profileId, now, 1)})
      RETURNING m.id, m.workspace_id, m.package_id, m.profile_id, m.contact_id, m.phone, m.content, m.attempts, m.not_before
    )
    SELECT claimed.*, (SELECT count(*)::int FROM (SELECT 1 ${queued} LIMIT ${opts.countUpTo}) AS w) AS queued
    FROM (SELECT 1) AS one LEFT JOIN claimed ON true`);
  const r = rows[0]!;
  if (r.id) return { message: claimedOf(r as ClaimedRow), queued: r.queued, earliestAt: null };
  if (r.queued === 0) return { message: null, queued: 0, earliestAt: null };
  const { rows: earliest } = await db.execute<{ at: Date | null }>(sql`SELECT min(not_before) AS at ${queued}`);
  const at = earliest[0]?.at ?? null;
  return { message: null, queued: r.queued, earliestAt: at === null ? null : new Date(at).getTime() };
}

/**
 * A message `m` going back to the queue whose number opted out meanwhile (a "STOP" that came while
 * it was claimed: the opt-out skipped only what was queued then) is skipped instead.
 */
const optedOut = sql`EXISTS (SELECT 1 FROM phone_opt_outs o WHERE o.workspace_id = m.workspace_id AND o.phone = m.phone)`;
const OPTED_OUT_REASON = 'the recipient opted out while the message waited';

/**
 * Gives claimed messages that were never tried back to the queue as they were (their claim does
 * not count as an attempt; due time and reason unchanged): the governor refused, or the profile
 * cannot send them after all.
 */
export async function releaseClaims(db: Tx, owner: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    UPDATE campaign_messages m SET
      status = CASE WHEN ${optedOut} THEN 'skipped' ELSE 'queued' END,
      reason = CASE WHEN ${optedOut} THEN ${OPTED_OUT_REASON} ELSE m.reason END,
      lease_owner = NULL, lease_until = NULL, attempts = greatest(m.attempts - 1, 0), updated_at = now()
    WHERE m.id = ANY(${sql.param(ids)}::uuid[]) AND m.lease_owner = ${owner} AND m.status = 'sending'`);
}

/** What became of a claimed message. */
export type SendResult =
  | { id: string; outcome: 'sent'; providerMessageId: string; at: number }
  /**
   * Back to the queue: a retryable failure, or (`uncount`) a message that was never tried — a
   * governor refusal, the number's own trouble — whose claim does not count as an attempt.
   */
  | { id: string; outcome: 'requeue'; notBefore: number; reason: string | null; code: string | null; uncount?: boolean }
  | { id: string; outcome: 'failed'; reason: string; code: string | null; at: number };

/**
 * Records a batch of results, only for rows this owner still holds: a drain whose lease the sweep
 * already gave up can still record that a message was sent (the truth wins over `unknown`), but
 * never re-queue or fail a row someone else holds now.
 */
export async function recordResults(db: Tx, owner: string, results: SendResult[]): Promise<number> {
  if (results.length === 0) return 0;
  const json = JSON.stringify(
    results.map((r) => ({
      id: r.id,
      outcome: r.outcome,
      provider_message_id: r.outcome === 'sent' ? r.providerMessageId : null,
      at: r.outcome === 'requeue' ? null : new Date(r.at).toISOString(),
      not_before: r.outcome === 'requeue' ? new Date(r.notBefore).toISOString() : null,
      reason: r.outcome === 'sent' ? null : r.reason,
      code: r.outcome === 'sent' ? null : r.code,
      uncount: r.outcome === 'requeue' && r.uncount === true,
    })),
  );
  const { rows } = await db.execute<{ n: number }>(sql`
    WITH done AS (
      UPDATE campaign_messages m SET
        status = CASE r.outcome
                   WHEN 'sent' THEN CASE WHEN m.status IN ('sending', 'unknown') THEN 'sent' ELSE m.status END
                   WHEN 'requeue' THEN CASE WHEN ${optedOut} THEN 'skipped' ELSE 'queued' END
                   ELSE 'failed' END,
        provider_message_id = coalesce(r.provider_message_id, m.provider_message_id),
        sent_at = CASE WHEN r.outcome = 'sent' THEN coalesce(m.sent_at, r.at) ELSE m.sent_at END,
        failed_at = CASE WHEN r.outcome = 'failed' THEN r.at ELSE m.failed_at END,
        not_before = coalesce(r.not_before, m.not_before),
        attempts = CASE WHEN r.uncount THEN greatest(m.attempts - 1, 0) ELSE m.attempts END,
        reason = CASE WHEN r.outcome = 'sent' THEN NULL WHEN r.outcome = 'requeue' AND ${optedOut} THEN ${OPTED_OUT_REASON} ELSE r.reason END,
        error_code = CASE WHEN r.outcome = 'sent' THEN NULL ELSE r.code END,
        lease_owner = NULL, lease_until = NULL, updated_at = now()
      FROM jsonb_to_recordset(${json}::jsonb)
        AS r(id uuid, outcome text, provider_message_id text, at timestamptz, not_before timestamptz, reason text, code text, uncount boolean)
      WHERE m.id = r.id AND m.lease_owner = ${owner}
        AND (r.outcome = 'sent' OR m.status = 'sending')
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM done`);
  return rows[0]!.n;
}

/** A receipt from a transport, already reduced to the furthest status per message. */
export interface Receipt {
  /** The profile whose transport reported it: a receipt moves only that profile's messages. */
  workspaceId: string;
  profileId: string;
  /** Our id when the transport echoes it, else null (then the provider id finds the row). */
  messageId: string | null;
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'replied' | 'failed';
  at: number;
  reason?: string | null;
  code?: string | null;
}

export interface AppliedReceipt {
  id: string;
  workspaceId: string;
  profileId: string | null;
  status: MessageState;
  /** The status before, so counters count each step once. */
  previous: MessageState;
}

/**
 * Applies receipts in one statement. Statuses only move forward (src/domain/outbox.ts):
 * receipts arrive out of order and twice. `failed` applies only to a message not yet delivered.
 */
export async function applyReceipts(db: Tx, receipts: Receipt[]): Promise<AppliedReceipt[]> {
  if (receipts.length === 0) return [];
  const json = JSON.stringify(
    receipts.map((r) => ({
      workspace_id: r.workspaceId,
      profile_id: r.profileId,
      message_id: r.messageId,
      provider_message_id: r.providerMessageId,
      status: r.status,
      at: new Date(r.at).toISOString(),
      reason: r.reason ?? null,
      code: r.code ?? null,
    })),
  );
  // Two joins, not one with OR: each uses its index. The forward-only test is on the updated row
  // itself, so a concurrent batch that moved it first is seen (PostgreSQL re-checks it after the
  // row lock); `o` reads the row as it was, to tell the counters which steps are new.
  const { rows } = await db.execute<{ id: string; workspace_id: string; profile_id: string | null; status: MessageState; previous: MessageState }>(sql`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb)
        AS r(workspace_id uuid, profile_id uuid, message_id uuid, provider_message_id text, status text, at timestamptz, reason text, code text)
    ), t AS (
      SELECT m.id, r.status, r.at, r.reason, r.code FROM r JOIN campaign_messages m ON m.id = r.message_id
      WHERE m.workspace_id = r.workspace_id AND m.profile_id = r.profile_id
      UNION ALL
      SELECT m.id, r.status, r.at, r.reason, r.code FROM r JOIN campaign_messages m ON m.provider_message_id = r.provider_message_id
      WHERE r.message_id IS NULL AND m.workspace_id = r.workspace_id AND m.profile_id = r.profile_id
    )
    UPDATE campaign_messages m SET
      status = t.status,
      sent_at = CASE WHEN t.status <> 'failed' THEN coalesce(m.sent_at, t.at) ELSE m.sent_at END,
      delivered_at = CASE WHEN t.status IN ('delivered', 'read', 'replied') THEN coalesce(m.delivered_at, t.at) ELSE m.delivered_at END,
      read_at = CASE WHEN t.status IN ('read', 'replied') THEN coalesce(m.read_at, t.at) ELSE m.read_at END,
      replied_at = CASE WHEN t.status = 'replied' THEN coalesce(m.replied_at, t.at) ELSE m.replied_at END,
      failed_at = CASE WHEN t.status = 'failed' THEN t.at ELSE m.failed_at END,
      reason = CASE WHEN t.status = 'failed' THEN t.reason ELSE m.reason END,
      error_code = CASE WHEN t.status = 'failed' THEN t.code ELSE m.error_code END,
      updated_at = now()
    FROM t JOIN campaign_messages o ON o.id = t.id
    WHERE m.id = t.id
      AND CASE WHEN t.status = 'failed' THEN m.status IN ('sending', 'sent', 'unknown')
               ELSE array_position(${sql.param([...RECEIPT_ORDER])}::text[], t.status) > coalesce(array_position(${sql.param([...RECEIPT_ORDER])}::text[], m.status), 99) END
    RETURNING m.id, m.workspace_id, m.profile_id, m.status, o.status AS previous`);
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, profileId: r.profile_id, status: r.status, previous: r.previous }));
}

export const UNKNOWN_REASON =
  'the worker sending it stopped before WhatsApp answered: it may or may not have left, so it is not sent again automatically (no duplicates)';

/**
 * Messages whose lease expired while `sending` (their worker died): marked `unknown`, never
 * re-sent automatically. Returns them so the caller can tell the dashboards.
 */
export async function expireLeases(db: Tx, now: number): Promise<Array<{ id: string; workspaceId: string; profileId: string | null }>> {
  const { rows } = await db.execute<{ id: string; workspace_id: string; profile_id: string | null }>(sql`
    UPDATE campaign_messages SET status = 'unknown', reason = ${UNKNOWN_REASON}, error_code = 'lease_expired', updated_at = now()
    WHERE status = 'sending' AND lease_until < ${new Date(now).toISOString()}::timestamptz
    RETURNING id, workspace_id, profile_id`);
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, profileId: r.profile_id }));
}

/**
 * Moves a profile's queued messages to other profiles (failover), due at once on their new
 * profile (a wait the old number's trouble imposed does not follow them). One statement per batch.
 */
export async function reassignQueued(db: Tx, workspaceId: string, moves: Array<{ id: string; profileId: string }>): Promise<number> {
  if (moves.length === 0) return 0;
  const { rows } = await db.execute<{ n: number }>(sql`
    WITH moved AS (
      UPDATE campaign_messages m SET profile_id = r.profile_id, not_before = least(m.not_before, now()), updated_at = now()
      FROM jsonb_to_recordset(${JSON.stringify(moves.map((m) => ({ id: m.id, profile_id: m.profileId })))}::jsonb) AS r(id uuid, profile_id uuid)
      WHERE m.id = r.id AND m.workspace_id = ${workspaceId}::uuid AND m.status = 'queued'
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM moved`);
  return rows[0]!.n;
}

/** A profile's queued messages of one package (id and phone), for failover: at most `limit`, after id `after`. */
export async function queuedOf(
  db: Tx,
  workspaceId: string,
  profileId: string,
  packageId: string,
  opts: { limit: number; after?: string },
): Promise<Array<{ id: string; phone: string }>> {
  const { rows } = await db.execute<{ id: string; phone: string }>(sql`
    SELECT id, phone FROM campaign_messages
    WHERE workspace_id = ${workspaceId}::uuid AND profile_id = ${profileId}::uuid AND package_id = ${packageId}::uuid AND status = 'queued'
      ${opts.after ? sql`AND id > ${opts.after}::uuid` : sql``}
    ORDER BY id LIMIT ${opts.limit}`);
  return rows;
}

/** Sends of the last 24 h per profile and package: what the reconciler gives back to the governor on start. */
export async function recentSends(db: Tx, since: number): Promise<Array<{ profileId: string; packageId: string; at: number }>> {
  const { rows } = await db.execute<{ profile_id: string; package_id: string; sent_at: Date }>(sql`
    SELECT profile_id, package_id, sent_at FROM campaign_messages
    WHERE sent_at >= ${new Date(since).toISOString()}::timestamptz AND profile_id IS NOT NULL`);
  return rows.map((r) => ({ profileId: r.profile_id, packageId: r.package_id, at: new Date(r.sent_at).getTime() }));
}

/** Profiles with queued messages due by `until` (all workspaces: the sweep kicks their drains). */
export async function profilesWithDueWork(db: Tx, until: number): Promise<Array<{ workspaceId: string; profileId: string }>> {
  const { rows } = await db.execute<{ workspace_id: string; profile_id: string }>(sql`
    SELECT DISTINCT workspace_id, profile_id FROM campaign_messages
    WHERE status = 'queued' AND profile_id IS NOT NULL AND not_before <= ${new Date(until).toISOString()}::timestamptz`);
  return rows.map((r) => ({ workspaceId: r.workspace_id, profileId: r.profile_id }));
}

/** What the profile's drain decided last, for the live usage view: when it sends next and why it waits. */
export async function setProfileWait(db: Tx, workspaceId: string, profileId: string, nextSendAt: number | null, reason: string): Promise<void> {
  await db.execute(sql`
    UPDATE profiles SET next_send_at = ${nextSendAt === null ? null : new Date(nextSendAt).toISOString()}::timestamptz, wait_reason = ${reason}
    WHERE workspace_id = ${workspaceId}::uuid AND id = ${profileId}::uuid`);
}

/** Profiles that may not send open chat (paused, banned, or risky by health) yet still hold queued messages: the sweep fails them over. */
export async function stoppedProfilesWithQueue(db: Tx): Promise<Array<{ workspaceId: string; profileId: string }>> {
  const { rows } = await db.execute<{ workspace_id: string; id: string }>(sql`
    SELECT p.workspace_id, p.id FROM profiles p
    WHERE (p.status IN ('paused', 'banned') OR p.health_state IN ('risky', 'paused', 'banned'))
      AND EXISTS (SELECT 1 FROM campaign_messages m WHERE m.profile_id = p.id AND m.status = 'queued')`);
  return rows.map((r) => ({ workspaceId: r.workspace_id, profileId: r.id }));
}
