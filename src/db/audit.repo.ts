import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Orm } from './client.ts';
import { apiKeys, auditLog, users } from './schema.ts';
import type { Actor } from '../services/actor.ts';

export type Tx = Pick<Orm, 'insert' | 'select' | 'update' | 'delete' | 'execute'>;

export async function insertAudit(
  tx: Tx,
  actor: Actor,
  entry: { action: string; entityType: string; entityId?: string | null; changes?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditLog).values({
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    changes: entry.changes ?? {},
  });
}

/** Newest first, with a readable actor: the user's name, or "API key <name>" for integrations. */
export async function listAudit(
  orm: Orm | Tx,
  workspaceId: string,
  opts: { limit: number; before?: string | undefined; entityType?: string | undefined; entityId?: string | undefined },
) {
  const conds = [eq(auditLog.workspaceId, workspaceId)];
  if (opts.before) conds.push(lt(auditLog.id, opts.before));
  if (opts.entityType) conds.push(eq(auditLog.entityType, opts.entityType));
  if (opts.entityId) conds.push(eq(auditLog.entityId, opts.entityId));
  return orm
    .select({
      id: auditLog.id,
      workspaceId: auditLog.workspaceId,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      changes: auditLog.changes,
      actorUserId: auditLog.actorUserId,
      actorApiKeyId: auditLog.actorApiKeyId,
      actorName: sql<string | null>`coalesce(${users.name}, 'API key ' || ${apiKeys.name})`,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(apiKeys, and(eq(apiKeys.id, auditLog.actorApiKeyId), eq(apiKeys.workspaceId, auditLog.workspaceId)))
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}
