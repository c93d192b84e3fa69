import type { Container } from '../container.ts';
import { insertAudit, type Tx } from '../db/audit.repo.ts';
import { findUserByEmail } from '../db/auth.repo.ts';
import * as repo from '../db/members.repo.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import type { Actor } from './actor.ts';
import { hashPassword } from './auth.service.ts';

export interface MemberInput {
  email: string;
  name?: string | undefined;
  role: Role;
  password?: string | undefined;
}

const memberNotFound = () => notFound('MEMBER_NOT_FOUND', 'No such member in this workspace');

export async function listMembers(c: Container, actor: Actor) {
  return { items: await repo.listWorkspaceMembers(c.db.orm, actor.workspaceId) };
}

/**
 * Adds a person by email. A new email gets an account with the given name and initial password
 * (there is no email delivery: the owner hands the password over); an existing account keeps its
 * own name and password.
 */
export async function addMember(c: Container, actor: Actor, input: MemberInput) {
  const known = await findUserByEmail(c.db.orm, input.email);
  let passwordHash = '';
  if (!known) {
    if (!input.name || !input.password) {
      throw invalid('NEW_USER_NEEDS_NAME_AND_PASSWORD', `${input.email} has no account yet: give a name and an initial password (at least 8 characters)`);
    }
    passwordHash = await hashPassword(input.password);
  }
  const userId = await c.db.orm.transaction(async (tx) => {
    const user = known
      ? { id: known.id, created: false }
      : await repo.ensureUser(tx, { email: input.email, name: input.name!, passwordHash });
    if (!(await repo.addMembership(tx, actor.workspaceId, user.id, input.role))) {
      throw conflict('ALREADY_MEMBER', `${input.email} is already a member of this workspace`);
    }
    await insertAudit(tx, actor, {
      action: 'member.add',
      entityType: 'member',
      entityId: user.id,
      changes: { email: input.email, role: input.role, newAccount: user.created },
    });
    return user.id;
  });
  return (await repo.getMember(c.db.orm, actor.workspaceId, userId))!;
}

/** Locks the workspace's memberships and returns the target's current role. */
async function lockTarget(tx: Tx, workspaceId: string, userId: string) {
  const all = await repo.lockMemberships(tx, workspaceId);
  const target = all.find((m) => m.userId === userId);
  if (!target) throw memberNotFound();
  const owners = all.filter((m) => m.role === 'owner').length;
  return { role: target.role as Role, lastOwner: target.role === 'owner' && owners === 1 };
}

export async function updateMember(c: Container, actor: Actor, userId: string, role: Role) {
  await c.db.orm.transaction(async (tx) => {
    const target = await lockTarget(tx, actor.workspaceId, userId);
    if (target.role === role) return;
    if (target.lastOwner) throw conflict('LAST_OWNER', 'This is the only owner: make someone else an owner first');
    await repo.setMemberRole(tx, actor.workspaceId, userId, role);
    await insertAudit(tx, actor, { action: 'member.update', entityType: 'member', entityId: userId, changes: { role: { before: target.role, after: role } } });
  });
  return (await repo.getMember(c.db.orm, actor.workspaceId, userId))!;
}

/** The user loses access at once: their sessions in this workspace end with the membership. */
export async function removeMember(c: Container, actor: Actor, userId: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const target = await lockTarget(tx, actor.workspaceId, userId);
    const member = await repo.getMember(tx, actor.workspaceId, userId);
    if (target.lastOwner) throw conflict('LAST_OWNER', 'This is the only owner: make someone else an owner before removing them');
    await repo.removeMembership(tx, actor.workspaceId, userId);
    await insertAudit(tx, actor, { action: 'member.remove', entityType: 'member', entityId: userId, changes: { email: member?.email, role: target.role } });
  });
}
