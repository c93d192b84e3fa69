import { and, asc, eq } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { findUserByEmail } from './auth.repo.ts';
import { memberships, sessions, users } from './schema.ts';
import type { Role } from '../domain/roles.ts';

const memberColumns = {
  userId: memberships.userId,
  email: users.email,
  name: users.name,
  role: memberships.role,
  createdAt: memberships.createdAt,
};

export async function listWorkspaceMembers(db: Orm | Tx, workspaceId: string) {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.createdAt), asc(memberships.userId));
}

export async function getMember(db: Orm | Tx, workspaceId: string, userId: string) {
  const [row] = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .limit(1);
  return row ?? null;
}

/**
 * Every membership of the workspace, locked until the transaction ends: two owners demoting each
 * other at the same moment must not leave the workspace without an owner.
 */
export async function lockMemberships(tx: Tx, workspaceId: string) {
  return tx
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.workspaceId, workspaceId))
    .for('update');
}

/** The user with this email, created with the given name and password hash if there is none yet. */
export async function ensureUser(tx: Tx, user: { email: string; name: string; passwordHash: string }) {
  const [created] = await tx.insert(users).values(user).onConflictDoNothing({ target: users.email }).returning({ id: users.id });
  if (created) return { id: created.id, created: true };
  const existing = await findUserByEmail(tx, user.email);
  return { id: existing!.id, created: false };
}

/** False when the user is already a member of the workspace. */
export async function addMembership(tx: Tx, workspaceId: string, userId: string, role: Role): Promise<boolean> {
  const rows = await tx.insert(memberships).values({ workspaceId, userId, role }).onConflictDoNothing().returning({ userId: memberships.userId });
  return rows.length > 0;
}

export async function setMemberRole(tx: Tx, workspaceId: string, userId: string, role: Role): Promise<void> {
  await tx.update(memberships).set({ role }).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

/** Removes the membership and ends the user's sessions in this workspace (their other workspaces keep theirs). */
export async function removeMembership(tx: Tx, workspaceId: string, userId: string): Promise<void> {
  await tx.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  await tx.delete(sessions).where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.userId, userId)));
}
