import type { Container } from '../container.ts';
import { insertAudit } from '../db/audit.repo.ts';
import * as repo from '../db/auth.repo.ts';
import type { Actor } from './actor.ts';

export async function getWorkspace(c: Container, actor: Actor) {
  return (await repo.getWorkspace(c.db.orm, actor.workspaceId))!;
}

export async function updateWorkspace(
  c: Container,
  actor: Actor,
  input: { name?: string | undefined; defaultCountry?: string | undefined },
) {
  return c.db.orm.transaction(async (tx) => {
    const cur = (await repo.getWorkspace(tx, actor.workspaceId))!;
    const set: { name?: string; defaultCountry?: string } = {};
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (input.name !== undefined && input.name !== cur.name) {
      set.name = input.name;
      changes.name = { before: cur.name, after: input.name };
    }
    if (input.defaultCountry !== undefined && input.defaultCountry !== cur.defaultCountry) {
      set.defaultCountry = input.defaultCountry;
      changes.defaultCountry = { before: cur.defaultCountry, after: input.defaultCountry };
    }
    if (Object.keys(changes).length === 0) return cur;
    const row = (await repo.updateWorkspace(tx, actor.workspaceId, set))!;
    await insertAudit(tx, actor, { action: 'workspace.update', entityType: 'workspace', entityId: actor.workspaceId, changes });
    return row;
  });
}
