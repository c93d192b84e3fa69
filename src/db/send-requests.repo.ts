import { sql } from 'drizzle-orm';
import type { Tx } from './audit.repo.ts';
import type { Orm } from './client.ts';
import type { MessageState } from '../domain/outbox.ts';
import type { Strategy } from '../domain/sender-settings.ts';
import type { OutboundContent } from '../transports/transport.ts';

/**
 * Open-chat requests sent through the API (send_requests) and what became of their messages in
 * the outbox. One statement per question, whatever the number of recipients; every statement is
 * scoped by workspace.
 */

/** What sending needs to know of a contact: who it is, whether it may receive marketing, and whom it talks to. */
export interface SendingContact {
  id: string;
  phone: string;
  name: string | null;
  fields: Record<string, string | number | boolean | null>;
  consent: boolean;
  optedOutAt: Date | null;
  optOutReason: string | null;
  stickyProfileId: string | null;
}

/** The workspace's contacts with one of these ids or phones (ids of other workspaces simply match nothing). */
export async function contactsForSending(db: Orm | Tx, workspaceId: string, q: { ids: string[]; phones: string[] }): Promise<SendingContact[]> {
  if (q.ids.length === 0 && q.phones.length === 0) return [];
  const { rows } = await db.execute<{
    id: string;
    phone: string;
    name: string | null;
    fields: SendingContact['fields'];
    consent: boolean;
    opted_out_at: Date | null;
    opt_out_reason: string | null;
    sticky_profile_id: string | null;
  }>(sql`
    SELECT id, phone, name, fields, consent, opted_out_at, opt_out_reason, sticky_profile_id FROM contacts
    WHERE workspace_id = ${workspaceId}::uuid
      AND (id = ANY(${sql.param(q.ids)}::uuid[]) OR phone = ANY(${sql.param(q.phones)}::text[]))`);
  return rows.map((r) => ({
    id: r.id,
    phone: r.phone,
    name: r.name,
    fields: r.fields,
    consent: r.consent,
    optedOutAt: r.opted_out_at === null ? null : new Date(r.opted_out_at),
    optOutReason: r.opt_out_reason,
    stickyProfileId: r.sticky_profile_id,
  }));
}

/** Of these phones, those that opted out by themselves (phone_opt_outs), with when and why. */
export async function optedOutPhones(db: Orm | Tx, workspaceId: string, phones: string[]): Promise<Map<string, { at: Date; reason: string }>> {
  if (phones.length === 0) return new Map();
  const { rows } = await db.execute<{ phone: string; opted_out_at: Date; reason: string }>(sql`
    SELECT phone, opted_out_at, reason FROM phone_opt_outs
    WHERE workspace_id = ${workspaceId}::uuid AND phone = ANY(${sql.param(phones)}::text[])`);
  return new Map(rows.map((r) => [r.phone, { at: new Date(r.opted_out_at), reason: r.reason }]));
}

/** The profile each of these phones last talked to (conversation_routes), by phone. */
export async function conversationProfiles(db: Orm | Tx, workspaceId: string, phones: string[]): Promise<Map<string, string>> {
  if (phones.length === 0) return new Map();
  const { rows } = await db.execute<{ phone: string; profile_id: string }>(sql`
    SELECT phone, profile_id FROM conversation_routes
    WHERE workspace_id = ${workspaceId}::uuid AND phone = ANY(${sql.param(phones)}::text[])`);
  return new Map(rows.map((r) => [r.phone, r.profile_id]));
}

export async function insertSendRequest(
  tx: Tx,
  workspaceId: string,
  r: { id: string; packageId: string; strategy: Strategy; total: number; estimatedCompletionAt: Date | null; createdBy: string | null },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO send_requests (id, workspace_id, package_id, strategy, total, estimated_completion_at, created_by)
    VALUES (${r.id}::uuid, ${workspaceId}::uuid, ${r.packageId}::uuid, ${r.strategy}, ${r.total},
            ${r.estimatedCompletionAt === null ? null : r.estimatedCompletionAt.toISOString()}::timestamptz, ${r.createdBy}::uuid)`);
}

export interface SendRequestRow {
  id: string;
  packageId: string;
  packageName: string;
  strategy: Strategy;
  total: number;
  estimatedCompletionAt: Date | null;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
}

export async function getSendRequest(db: Orm | Tx, workspaceId: string, id: string): Promise<SendRequestRow | null> {
  const { rows } = await db.execute<{
    id: string;
    package_id: string;
    package_name: string;
    strategy: Strategy;
    total: number;
    estimated_completion_at: Date | null;
    created_by: string | null;
    creator_name: string | null;
    created_at: Date;
  }>(sql`
    SELECT r.id, r.package_id, p.name AS package_name, r.strategy, r.total, r.estimated_completion_at, r.created_by, u.name AS creator_name, r.created_at
    FROM send_requests r
    JOIN packages p ON p.id = r.package_id
    LEFT JOIN users u ON u.id = r.created_by
    WHERE r.workspace_id = ${workspaceId}::uuid AND r.id = ${id}::uuid`);
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    packageId: r.package_id,
    packageName: r.package_name,
    strategy: r.strategy,
    total: r.total,
    estimatedCompletionAt: r.estimated_completion_at === null ? null : new Date(r.estimated_completion_at),
    createdBy: r.created_by && r.creator_name ? { id: r.created_by, name: r.creator_name } : null,
    createdAt: new Date(r.created_at),
  };
}

/** How many of a request's messages reached each step so far (a read message was also sent and delivered). */
export interface Progress {
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}

export interface RequestCounts {
  /** Per profile (null: a message whose profile was deleted), its messages by current status and its progress. */
  profiles: Array<{ profileId: string | null; name: string | null; byStatus: Partial<Record<MessageState, number>>; progress: Progress }>;
}

/** A request's messages counted by profile and status in one pass over the request's index. */
export async function requestCounts(db: Orm | Tx, workspaceId: string, requestId: string): Promise<RequestCounts> {
  const { rows } = await db.execute<{
    profile_id: string | null;
    name: string | null;
    status: MessageState;
    n: number;
    sent: number;
    delivered: number;
    read: number;
    replied: number;
    failed: number;
  }>(sql`
    SELECT m.profile_id, p.name, m.status, count(*)::int AS n,
           count(m.sent_at)::int AS sent, count(m.delivered_at)::int AS delivered, count(m.read_at)::int AS read,
           count(m.replied_at)::int AS replied, count(*) FILTER (WHERE m.status = 'failed')::int AS failed
    FROM campaign_messages m
    LEFT JOIN profiles p ON p.id = m.profile_id
    WHERE m.workspace_id = ${workspaceId}::uuid AND m.request_id = ${requestId}::uuid
    GROUP BY m.profile_id, p.name, m.status
    ORDER BY p.name NULLS LAST, m.profile_id, m.status`);
  const byProfile = new Map<string | null, RequestCounts['profiles'][number]>();
  for (const r of rows) {
    let entry = byProfile.get(r.profile_id);
    if (!entry) {
      entry = { profileId: r.profile_id, name: r.name, byStatus: {}, progress: { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 } };
      byProfile.set(r.profile_id, entry);
    }
    entry.byStatus[r.status] = r.n;
    for (const k of ['sent', 'delivered', 'read', 'replied', 'failed'] as const) entry.progress[k] += r[k];
  }
  return { profiles: [...byProfile.values()] };
}

export interface MessageRow {
  id: string;
  requestId: string | null;
  campaignId: string | null;
  packageId: string;
  profile: { id: string; name: string } | null;
  contactId: string | null;
  phone: string;
  content: OutboundContent;
  status: MessageState;
  reason: string | null;
  errorCode: string | null;
  attempts: number;
  notBefore: Date;
  queuedAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  repliedAt: Date | null;
  failedAt: Date | null;
  updatedAt: Date;
}

type RawMessage = {
  id: string;
  request_id: string | null;
  campaign_id: string | null;
  package_id: string;
  profile_id: string | null;
  profile_name: string | null;
  contact_id: string | null;
  phone: string;
  content: OutboundContent;
  status: MessageState;
  reason: string | null;
  error_code: string | null;
  attempts: number;
  not_before: Date;
  queued_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  replied_at: Date | null;
  failed_at: Date | null;
  updated_at: Date;
};

const date = (d: Date | null) => (d === null ? null : new Date(d));

function toMessage(r: RawMessage): MessageRow {
  return {
    id: r.id,
    requestId: r.request_id,
    campaignId: r.campaign_id,
    packageId: r.package_id,
    profile: r.profile_id && r.profile_name !== null ? { id: r.profile_id, name: r.profile_name } : null,
    contactId: r.contact_id,
    phone: r.phone,
    content: r.content,
    status: r.status,
    reason: r.reason,
    errorCode: r.error_code,
    attempts: r.attempts,
    notBefore: new Date(r.not_before),
    queuedAt: new Date(r.queued_at),
    sentAt: date(r.sent_at),
    deliveredAt: date(r.delivered_at),
    readAt: date(r.read_at),
    repliedAt: date(r.replied_at),
    failedAt: date(r.failed_at),
    updatedAt: new Date(r.updated_at),
  };
}

const MESSAGE_COLUMNS = sql`
  m.id, m.request_id, m.campaign_id, m.package_id, m.profile_id, p.name AS profile_name, m.contact_id, m.phone, m.content,
  m.status, m.reason, m.error_code, m.attempts, m.not_before, m.queued_at, m.sent_at, m.delivered_at, m.read_at,
  m.replied_at, m.failed_at, m.updated_at`;

/** A request's messages in the order they were queued, after the cursor; `limit + 1` rows so the caller knows whether another page exists. */
export async function listRequestMessages(
  db: Orm | Tx,
  workspaceId: string,
  requestId: string,
  q: { limit: number; after?: string | undefined; status?: MessageState | undefined; profileId?: string | undefined },
): Promise<MessageRow[]> {
  const { rows } = await db.execute<RawMessage>(sql`
    SELECT ${MESSAGE_COLUMNS}
    FROM campaign_messages m
    LEFT JOIN profiles p ON p.id = m.profile_id
    WHERE m.workspace_id = ${workspaceId}::uuid AND m.request_id = ${requestId}::uuid
      ${q.after ? sql`AND m.id > ${q.after}::uuid` : sql``}
      ${q.status ? sql`AND m.status = ${q.status}` : sql``}
      ${q.profileId ? sql`AND m.profile_id = ${q.profileId}::uuid` : sql``}
    ORDER BY m.id
    LIMIT ${q.limit + 1}`);
  return rows.map(toMessage);
}

export async function getMessage(db: Orm | Tx, workspaceId: string, id: string): Promise<MessageRow | null> {
  const { rows } = await db.execute<RawMessage>(sql`
    SELECT ${MESSAGE_COLUMNS}
    FROM campaign_messages m
    LEFT JOIN profiles p ON p.id = m.profile_id
    WHERE m.workspace_id = ${workspaceId}::uuid AND m.id = ${id}::uuid`);
  return rows[0] ? toMessage(rows[0]) : null;
}
