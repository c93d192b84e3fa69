import { z } from 'zod';
import { roleSchema } from './common.ts';
import { workspaceResponse } from './workspace.ts';
import { permissions, type Permission } from '../../domain/roles.ts';

export const meResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  apiKeyId: z.string().nullable(),
  role: roleSchema,
  permissions: z.array(z.enum(Object.keys(permissions) as [Permission, ...Permission[]])),
  limits: z.object({ importMaxBytes: z.number().describe('Largest contact file an import accepts, in bytes') }),
  workspace: workspaceResponse,
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: roleSchema })),
});
export type MeResponse = z.output<typeof meResponse>;
