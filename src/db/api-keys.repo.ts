import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { apiKeys } from './schema.ts';
import type { Role } from '../domain/roles.ts';

/** Never the hash: the key itself is shown once at creation and cannot be recovered. */
const keyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export async function listApiKeys(db: Orm | Tx, workspaceId: string) {
  return db.select(keyColumns).from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(desc(apiKeys.id));
}

export async function getApiKey(db: Orm | Tx, workspaceId: string, id: string) {
  const [row] = await db.select(keyColumns).from(apiKeys).where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id))).limit(1);
  return row ?? null;
}

export async function insertApiKey(
  tx: Tx,
  workspaceId: string,
  key: { name: string; role: Role; prefix: string; keyHash: string; createdBy: string | null },
) {
  const [row] = await tx.insert(apiKeys).values({ workspaceId, ...key }).returning(keyColumns);
  return row!;
}

/** Null when the workspace has no such key or it was revoked already. */
export async function revokeApiKey(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning(keyColumns);
  return row ?? null;
}
