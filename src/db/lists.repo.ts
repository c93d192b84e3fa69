import { and, eq } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { lists } from './schema.ts';

export async function getList(orm: Orm | Tx, workspaceId: string, listId: string) {
  const [row] = await orm.select().from(lists).where(and(eq(lists.workspaceId, workspaceId), eq(lists.id, listId))).limit(1);
  return row ?? null;
}

export async function insertList(tx: Tx, list: { workspaceId: string; name: string; description?: string | null }) {
  const [row] = await tx.insert(lists).values(list).returning();
  return row!;
}
