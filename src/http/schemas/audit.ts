import { z } from 'zod';
import { cursorQuery, page } from './common.ts';

export const auditEntry = z.object({
  id: z.string(),
  action: z.string().describe('e.g. contact.update, member.remove, api_key.revoke'),
  entityType: z.string(),
  entityId: z.string().nullable(),
  changes: z.record(z.string(), z.unknown()),
  actorUserId: z.string().nullable(),
  actorApiKeyId: z.string().nullable(),
  actorName: z.string().nullable().describe('The user\'s name, or "API key <name>"'),
  createdAt: z.date(),
});
export type AuditEntry = z.output<typeof auditEntry>;

export const auditQuery = cursorQuery.extend({
  entityType: z.string().trim().min(1).max(50).optional().describe('contact, list, member, api_key, workspace, import'),
  entityId: z.string().trim().min(1).max(100).optional().describe('The history of one entity'),
});

export const auditPage = page(auditEntry);
