import type { Permission, permissions as serverPermissions } from '../../../src/domain/roles.ts';
import type { Role } from '../api/types.ts';

/**
 * The role table of src/domain/roles.ts, for hiding actions a role cannot take. Typed as the
 * server's own table, so the compiler rejects any drift; the server still decides every request.
 */
const permissions: typeof serverPermissions = {
  'workspace:read': ['owner', 'supervisor', 'agent'],
  'workspace:manage': ['owner'],
  'members:read': ['owner', 'supervisor'],
  'members:manage': ['owner'],
  'api_keys:manage': ['owner'],
  'audit:read': ['owner'],
  'contacts:read': ['owner', 'supervisor'],
  'contacts:write': ['owner'],
  'contacts:consent': ['owner'],
  'lists:read': ['owner', 'supervisor'],
  'lists:write': ['owner'],
  'imports:read': ['owner', 'supervisor'],
  'imports:write': ['owner'],
  'campaigns:read': ['owner', 'supervisor'],
  'campaigns:write': ['owner'],
  'analytics:read': ['owner', 'supervisor'],
  'chats:answer': ['owner', 'supervisor', 'agent'],
};

export type { Permission };

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

export const roleWords: Record<Role, { label: string; description: string; color: string }> = {
  owner: { label: 'Owner', description: 'Everything: contacts, imports, campaigns, members, API keys and settings', color: 'teal' },
  supervisor: { label: 'Supervisor', description: 'Reads campaigns, analytics and contacts; answers chats', color: 'blue' },
  agent: { label: 'Agent', description: 'Answers chats only', color: 'gray' },
};
