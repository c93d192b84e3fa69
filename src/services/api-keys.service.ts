import type { Container } from '../container.ts';
import { insertAudit } from '../db/audit.repo.ts';
import * as repo from '../db/api-keys.repo.ts';
import { notFound } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import type { Actor } from './actor.ts';
import { hashToken, newToken } from './tokens.ts';

/** Characters of the key shown in lists to tell keys apart; too few to guess the rest. */
const PREFIX_LENGTH = 12;

export async function listApiKeys(c: Container, actor: Actor) {
  return { items: await repo.listApiKeys(c.db.orm, actor.workspaceId) };
}

/** The key is returned once, here; only its sha256 is stored. */
export async function createApiKey(c: Container, actor: Actor, input: { name: string; role: Role }) {
  const key = newToken('chk_');
  const row = await c.db.orm.transaction(async (tx) => {
    const row = await repo.insertApiKey(tx, actor.workspaceId, {
      name: input.name,
      role: input.role,
      prefix: key.slice(0, PREFIX_LENGTH),
      keyHash: hashToken(key),
      createdBy: actor.userId,
    });
    await insertAudit(tx, actor, {
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: row.id,
      changes: { name: row.name, role: row.role, prefix: row.prefix },
    });
    return row;
  });
  return { ...row, key };
}

/** Revoking a revoked key is a no-op; a key of another workspace is unknown here. */
export async function revokeApiKey(c: Container, actor: Actor, id: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const row = await repo.revokeApiKey(tx, actor.workspaceId, id);
    if (row) {
      await insertAudit(tx, actor, { action: 'api_key.revoke', entityType: 'api_key', entityId: id, changes: { name: row.name, role: row.role } });
    } else if (!(await repo.getApiKey(tx, actor.workspaceId, id))) {
      throw notFound('API_KEY_NOT_FOUND', 'No such API key in this workspace');
    }
  });
}
