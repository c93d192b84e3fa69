import type { Permission } from '../../../src/domain/roles.ts';
import type { Me, Role } from '../api/types.ts';

export type { Permission };

/** Hides actions the signed-in role cannot take; the server still decides every request. */
export function can(me: Pick<Me, 'permissions'>, permission: Permission): boolean {
  return me.permissions.includes(permission);
}

export const roleWords: Record<Role, { label: string; description: string; color: string }> = {
  owner: { label: 'Owner', description: 'Everything: contacts, imports, campaigns, members, API keys and settings', color: 'teal' },
  supervisor: { label: 'Supervisor', description: 'Reads campaigns, analytics and contacts; answers chats', color: 'blue' },
  agent: { label: 'Agent', description: 'Answers chats only', color: 'gray' },
};
