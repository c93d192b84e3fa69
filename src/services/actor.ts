import type { Role } from '../domain/roles.ts';

/** Who is acting, in which workspace: every service call that touches tenant data takes one. */
export interface Actor {
  workspaceId: string;
  role: Role;
  userId: string | null;
  apiKeyId: string | null;
}
