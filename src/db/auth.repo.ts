import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { apiKeys, memberships, sessions, users, workspaces } from './schema.ts';
import type { Role } from '../domain/roles.ts';

export async function findUserByEmail(orm: Orm | Tx, email: string) {
  const [row] = await orm.select().from(users).where(eq(users.email, email)).limit(1);
  return row ?? null;
}

export async function getUser(orm: Orm, userId: string) {
  const [row] = await orm.select().from(users).where(eq(users.id, userId)).limit(1);
  return row ?? null;
}

export async function insertUser(tx: Tx, user: { email: string; name: string; passwordHash: string }) {
  const [row] = await tx.insert(users).values(user).returning();
  return row!;
}

export async function insertWorkspace(tx: Tx, ws: { name: string; defaultCountry: string }) {
  const [row] = await tx.insert(workspaces).values(ws).returning();
  return row!;
}

export async function insertMembership(tx: Tx, m: { workspaceId: string; userId: string; role: Role }) {
  await tx.insert(memberships).values(m);
}

export async function getWorkspace(orm: Orm | Tx, workspaceId: string) {
  const [row] = await orm.select().from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  return row ?? null;
}

export async function updateWorkspace(tx: Tx, workspaceId: string, patch: { name?: string; defaultCountry?: string }) {
  const [row] = await tx.update(workspaces).set(patch).where(eq(workspaces.id, workspaceId)).returning();
  return row ?? null;
}

export async function userWorkspaces(orm: Orm, userId: string) {
  return orm
    .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt);
}

export async function insertSession(orm: Orm, s: { tokenHash: string; userId: string; workspaceId: string; expiresAt: Date }) {
  await orm.insert(sessions).values(s);
}

export async function deleteSession(orm: Orm, tokenHash: string) {
  await orm.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** The session with the role its user holds in the session's workspace now (not at login). */
export async function findSession(orm: Orm, tokenHash: string, now: Date) {
  const [row] = await orm
    .select({
      userId: sessions.userId,
      workspaceId: sessions.workspaceId,
      role: memberships.role,
    })
    .from(sessions)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, sessions.workspaceId)),
    )
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  return row ?? null;
}

export async function switchSessionWorkspace(orm: Orm, tokenHash: string, workspaceId: string) {
  await orm.update(sessions).set({ workspaceId }).where(eq(sessions.tokenHash, tokenHash));
}

export async function findActiveApiKey(orm: Orm, keyHash: string) {
  const [row] = await orm
    .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, role: apiKeys.role })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ?? null;
}

export async function touchApiKey(orm: Orm, id: string, now: Date) {
  await orm
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, id), sql`(${apiKeys.lastUsedAt} IS NULL OR ${apiKeys.lastUsedAt} < ${now.toISOString()}::timestamptz - interval '1 minute')`));
}
