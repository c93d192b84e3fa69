import { and, desc, eq, lt } from 'drizzle-orm';
import type { Orm } from './client.ts';
import { auditLog } from './schema.ts';
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

export async function listAudit(orm: Orm, workspaceId: string, opts: { limit: number; before?: string; entityType?: string }) {
  const conds = [eq(auditLog.workspaceId, workspaceId)];
  if (opts.before) conds.push(lt(auditLog.id, opts.before));
  if (opts.entityType) conds.push(eq(auditLog.entityType, opts.entityType));
  return orm
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}
