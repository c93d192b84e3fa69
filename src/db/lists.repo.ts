import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { contacts, listMembers, lists } from './schema.ts';

export async function getList(orm: Orm | Tx, workspaceId: string, listId: string) {
  const [row] = await orm.select().from(lists).where(and(eq(lists.workspaceId, workspaceId), eq(lists.id, listId))).limit(1);
  return row ?? null;
}

async function insertList(tx: Tx, list: { workspaceId: string; name: string; description?: string | null }) {
  const [row] = await tx.insert(lists).values(list).returning();
  return row!;
}

const memberCount = sql<number>`(SELECT count(*) FROM ${listMembers} WHERE ${listMembers.listId} = ${lists.id})`.mapWith(Number);

const summaryColumns = {
  id: lists.id,
  name: lists.name,
  description: lists.description,
  memberCount,
  createdAt: lists.createdAt,
};

/** Newest first; `limit + 1` rows so the caller knows whether another page exists. */
export async function listLists(db: Orm | Tx, workspaceId: string, opts: { limit: number; before?: string | undefined }) {
  const conds = [eq(lists.workspaceId, workspaceId)];
  if (opts.before) conds.push(lt(lists.id, opts.before));
  return db
    .select(summaryColumns)
    .from(lists)
    .where(and(...conds))
    .orderBy(desc(lists.id))
    .limit(opts.limit + 1);
}

export async function getListSummary(db: Orm | Tx, workspaceId: string, listId: string) {
  const [row] = await db
    .select(summaryColumns)
    .from(lists)
    .where(and(eq(lists.workspaceId, workspaceId), eq(lists.id, listId)))
    .limit(1);
  return row ?? null;
}

/** `'name_taken'` when the workspace has another list with this name. */
export async function createList(tx: Tx, workspaceId: string, list: { name: string; description: string | null }) {
  try {
    return await insertList(tx, { workspaceId, ...list });
  } catch (err) {
    if (isUniqueViolation(err, 'lists_workspace_name_key')) return 'name_taken' as const;
    throw err;
  }
}

export async function updateList(tx: Tx, workspaceId: string, listId: string, set: { name?: string; description?: string | null }) {
  try {
    const [row] = await tx
      .update(lists)
      .set(set)
      .where(and(eq(lists.workspaceId, workspaceId), eq(lists.id, listId)))
      .returning();
    return row ?? null;
  } catch (err) {
    if (isUniqueViolation(err, 'lists_workspace_name_key')) return 'name_taken' as const;
    throw err;
  }
}

/** Deletes the list and its memberships (cascade); the contacts stay. */
export async function deleteList(tx: Tx, workspaceId: string, listId: string) {
  const [row] = await tx
    .delete(lists)
    .where(and(eq(lists.workspaceId, workspaceId), eq(lists.id, listId)))
    .returning();
  return row ?? null;
}

/**
 * Adds the contacts in one statement. Only contacts of the list's own workspace qualify: ids of
 * another workspace (or unknown ids) select nothing, so no cross-tenant row can ever be written.
 * Returns the ids actually added (not those already in the list).
 */
export async function addListMembers(tx: Tx, workspaceId: string, listId: string, contactIds: string[]): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const rows = await tx
    .insert(listMembers)
    .select(
      tx
        .select({
          workspaceId: contacts.workspaceId,
          listId: sql<string>`${listId}::uuid`.as('list_id'),
          contactId: contacts.id,
          addedAt: sql<Date>`now()`.as('added_at'),
        })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, contactIds))),
    )
    .onConflictDoNothing()
    .returning({ contactId: listMembers.contactId });
  return rows.map((r) => r.contactId);
}

export async function removeListMembers(tx: Tx, workspaceId: string, listId: string, contactIds: string[]): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const rows = await tx
    .delete(listMembers)
    .where(and(eq(listMembers.workspaceId, workspaceId), eq(listMembers.listId, listId), inArray(listMembers.contactId, contactIds)))
    .returning({ contactId: listMembers.contactId });
  return rows.map((r) => r.contactId);
}

/** The lists a contact is in, by name. */
export async function listsOfContact(db: Orm | Tx, workspaceId: string, contactId: string) {
  return db
    .select({ id: lists.id, name: lists.name })
    .from(listMembers)
    .innerJoin(lists, eq(lists.id, listMembers.listId))
    .where(and(eq(listMembers.workspaceId, workspaceId), eq(listMembers.contactId, contactId)))
    .orderBy(lists.name);
}

/** The ids among `ids` that are lists of this workspace (another workspace's list is as unknown as a made-up id). */
export async function knownListIds(db: Orm | Tx, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.workspaceId, workspaceId), inArray(lists.id, ids)));
  return new Set(rows.map((r) => r.id));
}
