import argon2 from 'argon2';
import { z } from 'zod';
import type { Container } from '../container.ts';
import * as repo from '../db/auth.repo.ts';
import { conflict, unauthenticated, forbidden } from '../domain/errors.ts';
import { can, permissions, type Permission, type Role } from '../domain/roles.ts';
import { isValidCountry } from '../domain/phone.ts';
import type { Actor } from './actor.ts';
import { hashToken, newToken } from './tokens.ts';

export const signupInput = z.object({
  email: z.string().trim().toLowerCase().email('a valid email address'),
  password: z.string().min(8, 'at least 8 characters').max(200),
  name: z.string().trim().min(1).max(120),
  workspaceName: z.string().trim().min(1).max(120),
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidCountry, 'an ISO 3166 alpha-2 country code such as ID or US')
    .optional(),
});
export type SignupInput = z.infer<typeof signupInput>;

export const loginInput = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});

export interface SessionResult {
  token: string;
  expiresAt: Date;
  userId: string;
  workspaceId: string;
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

async function openSession(c: Container, userId: string, workspaceId: string): Promise<SessionResult> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + c.config.SESSION_TTL_HOURS * 3600_000);
  await repo.insertSession(c.db.orm, { tokenHash: hashToken(token), userId, workspaceId, expiresAt });
  return { token, expiresAt, userId, workspaceId };
}

export async function signup(c: Container, input: SignupInput): Promise<SessionResult> {
  if (await repo.findUserByEmail(c.db.orm, input.email)) {
    throw conflict('EMAIL_TAKEN', 'An account with this email already exists: log in instead');
  }
  const passwordHash = await hashPassword(input.password);
  const { user, workspace } = await c.db.orm.transaction(async (tx) => {
    const user = await repo.insertUser(tx, { email: input.email, name: input.name, passwordHash });
    const workspace = await repo.insertWorkspace(tx, {
      name: input.workspaceName,
      defaultCountry: input.defaultCountry ?? c.config.DEFAULT_COUNTRY,
    });
    await repo.insertMembership(tx, { workspaceId: workspace.id, userId: user.id, role: 'owner' });
    return { user, workspace };
  }).catch((err: unknown) => {
    if ((err as { code?: string }).code === '23505' || (err as { cause?: { code?: string } }).cause?.code === '23505') {
      throw conflict('EMAIL_TAKEN', 'An account with this email already exists: log in instead');
    }
    throw err;
  });
  return openSession(c, user.id, workspace.id);
}

// A fixed hash to verify against when the email is unknown, so both paths take the same time.
let decoyHash: Promise<string> | null = null;

export async function login(c: Container, input: z.infer<typeof loginInput>): Promise<SessionResult> {
  const user = await repo.findUserByEmail(c.db.orm, input.email);
  decoyHash ??= hashPassword('decoy password that never matches');
  const ok = await argon2.verify(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !ok) throw unauthenticated('INVALID_CREDENTIALS', 'Wrong email or password');
  const [first] = await repo.userWorkspaces(c.db.orm, user.id);
  if (!first) throw forbidden('NO_WORKSPACE', 'This account is not a member of any workspace any more');
  return openSession(c, user.id, first.id);
}

export async function logout(c: Container, token: string): Promise<void> {
  await repo.deleteSession(c.db.orm, hashToken(token));
}

/** Resolves a session cookie or an API key into the actor it stands for, or null. */
export async function authenticate(
  c: Container,
  creds: { sessionToken?: string | undefined; apiKey?: string | undefined },
): Promise<Actor | null> {
  const now = new Date();
  if (creds.apiKey) {
    const key = await repo.findActiveApiKey(c.db.orm, hashToken(creds.apiKey));
    if (!key) return null;
    await repo.touchApiKey(c.db.orm, key.id, now);
    return { workspaceId: key.workspaceId, role: key.role as Role, userId: null, apiKeyId: key.id };
  }
  if (creds.sessionToken) {
    const s = await repo.findSession(c.db.orm, hashToken(creds.sessionToken), now);
    if (!s) return null;
    return { workspaceId: s.workspaceId, role: s.role as Role, userId: s.userId, apiKeyId: null };
  }
  return null;
}

export async function me(c: Container, actor: Actor) {
  const workspace = await repo.getWorkspace(c.db.orm, actor.workspaceId);
  const user = actor.userId ? await repo.getUser(c.db.orm, actor.userId) : null;
  const workspaces = actor.userId ? await repo.userWorkspaces(c.db.orm, actor.userId) : [];
  return {
    user: user ? { id: user.id, email: user.email, name: user.name } : null,
    apiKeyId: actor.apiKeyId,
    role: actor.role,
    /** What this role may do, so clients hide what it can't (the server still checks every request). */
    permissions: (Object.keys(permissions) as Permission[]).filter((p) => can(actor.role, p)),
    limits: { importMaxBytes: c.config.IMPORT_MAX_BYTES },
    workspace: workspace!,
    workspaces,
  };
}

export async function switchWorkspace(c: Container, sessionToken: string, userId: string, workspaceId: string) {
  const all = await repo.userWorkspaces(c.db.orm, userId);
  if (!all.some((w) => w.id === workspaceId)) {
    throw forbidden('NOT_A_MEMBER', 'You are not a member of that workspace');
  }
  await repo.switchSessionWorkspace(c.db.orm, hashToken(sessionToken), workspaceId);
}
