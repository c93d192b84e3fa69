import type { Container } from '../container.ts';
import { insertAudit } from '../db/audit.repo.ts';
import * as repo from '../db/lists.repo.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { Actor } from './actor.ts';

const listNotFound = () => notFound('LIST_NOT_FOUND', 'No such list in this workspace');
const nameTaken = (name: string) => conflict('LIST_EXISTS', `A list named "${name}" already exists`, { name });

export async function listLists(c: Container, actor: Actor, q: { cursor?: string | undefined; limit: number }) {
  const rows = await repo.listLists(c.db.orm, actor.workspaceId, { before: decodeCursor(q.cursor), limit: q.limit });
  return toPage(rows, q.limit);
}

export async function getList(c: Container, actor: Actor, id: string) {
  const row = await repo.getListSummary(c.db.orm, actor.workspaceId, id);
  if (!row) throw listNotFound();
  return row;
}

export async function createList(c: Container, actor: Actor, input: { name: string; description?: string | null | undefined }) {
  const list = await c.db.orm.transaction(async (tx) => {
    const row = await repo.createList(tx, actor.workspaceId, { name: input.name, description: input.description ?? null });
    if (row === 'name_taken') throw nameTaken(input.name);
    await insertAudit(tx, actor, {
      action: 'list.create',
      entityType: 'list',
      entityId: row.id,
      changes: { name: row.name, description: row.description },
    });
    return row;
  });
  return { ...list, memberCount: 0 };
}

export async function updateList(
  c: Container,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; description?: string | null | undefined },
) {
  await c.db.orm.transaction(async (tx) => {
    const cur = await repo.getList(tx, actor.workspaceId, id);
    if (!cur) throw listNotFound();
    const set: { name?: string; description?: string | null } = {};
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (input.name !== undefined && input.name !== cur.name) {
      set.name = input.name;
      changes.name = { before: cur.name, after: input.name };
    }
    if (input.description !== undefined && input.description !== cur.description) {
      set.description = input.description;
      changes.description = { before: cur.description, after: input.description };
    }
    if (Object.keys(changes).length === 0) return;
    const row = await repo.updateList(tx, actor.workspaceId, id, set);
    if (row === 'name_taken') throw nameTaken(set.name!);
    if (!row) throw listNotFound();
    await insertAudit(tx, actor, { action: 'list.update', entityType: 'list', entityId: id, changes });
  });
  return getList(c, actor, id);
}

/** The contacts stay; only their membership in this list goes. */
export async function deleteList(c: Container, actor: Actor, id: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const row = await repo.deleteList(tx, actor.workspaceId, id);
    if (!row) throw listNotFound();
    await insertAudit(tx, actor, { action: 'list.delete', entityType: 'list', entityId: id, changes: { name: row.name } });
  });
}

/** Ids of other workspaces or unknown ids are not added and not counted. */
export async function addMembers(c: Container, actor: Actor, id: string, contactIds: string[]) {
  return c.db.orm.transaction(async (tx) => {
    if (!(await repo.getList(tx, actor.workspaceId, id))) throw listNotFound();
    const added = await repo.addListMembers(tx, actor.workspaceId, id, [...new Set(contactIds)]);
    if (added.length > 0) {
      await insertAudit(tx, actor, { action: 'list.add_members', entityType: 'list', entityId: id, changes: { added: added.length, contactIds: added } });
    }
    return { added: added.length };
  });
}

export async function removeMembers(c: Container, actor: Actor, id: string, contactIds: string[]) {
  return c.db.orm.transaction(async (tx) => {
    if (!(await repo.getList(tx, actor.workspaceId, id))) throw listNotFound();
    const removed = await repo.removeListMembers(tx, actor.workspaceId, id, [...new Set(contactIds)]);
    if (removed.length > 0) {
      await insertAudit(tx, actor, {
        action: 'list.remove_members',
        entityType: 'list',
        entityId: id,
        changes: { removed: removed.length, contactIds: removed },
      });
    }
    return { removed: removed.length };
  });
}
