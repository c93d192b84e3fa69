/**
 * Who may do what (product.md §1). Every API route names one permission; this table is the only
 * place that decides which roles hold it.
 */
export const roles = ['owner', 'supervisor', 'agent'] as const;
export type Role = (typeof roles)[number];

export const permissions = {
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
  'templates:read': ['owner', 'supervisor'],
  'templates:write': ['owner'],
  // Every member may see and use the media library: agents send pictures and documents in chats.
  'media:read': ['owner', 'supervisor', 'agent'],
  'media:write': ['owner'],
  'segments:read': ['owner', 'supervisor'],
  'segments:write': ['owner'],
  'senders:read': ['owner', 'supervisor'],
  'senders:write': ['owner'],
  // Open-chat sends through the API (POST /packages/{id}/messages/open) and their tracking.
  'messages:send': ['owner'],
  'messages:read': ['owner', 'supervisor'],
  'campaigns:read': ['owner', 'supervisor'],
  'campaigns:write': ['owner'],
  'analytics:read': ['owner', 'supervisor'],
  'chats:answer': ['owner', 'supervisor', 'agent'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** Plain words for the dashboard's members page. */
export const roleDescriptions: Record<Role, string> = {
  owner: 'Everything: contacts, imports, campaigns, senders, members, API keys and billing',
  supervisor: 'Reads campaigns, analytics and contacts; answers chats',
  agent: 'Answers chats only',
};
