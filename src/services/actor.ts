import type { Role } from '../domain/roles.ts';

/** Who is acting, in which workspace: every service call that touches tenant data takes one. */
export interface Actor {
  workspaceId: string;
  role: Role;
  userId: string | null;
  apiKeyId: string | null;
}

/** Chorus itself, for what it does on its own (an import finishing, a profile paused as risky): audited without a person. */
export const systemActor = (workspaceId: string): Actor => ({ workspaceId, role: 'owner', userId: null, apiKeyId: null });
