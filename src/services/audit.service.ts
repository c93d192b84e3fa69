import type { Container } from '../container.ts';
import { listAudit } from '../db/audit.repo.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import type { Actor } from './actor.ts';

export async function listAuditLog(
  c: Container,
  actor: Actor,
  q: { entityType?: string | undefined; entityId?: string | undefined; cursor?: string | undefined; limit: number },
) {
  const rows = await listAudit(c.db.orm, actor.workspaceId, {
    entityType: q.entityType,
    entityId: q.entityId,
    before: decodeCursor(q.cursor),
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit);
}
