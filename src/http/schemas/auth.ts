import { z } from 'zod';
import { roleSchema } from './common.ts';

export const meResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  apiKeyId: z.string().nullable(),
  role: roleSchema,
  workspace: z.object({
    id: z.string(),
    name: z.string(),
    plan: z.enum(['starter', 'pro', 'enterprise']),
    defaultCountry: z.string(),
    createdAt: z.date(),
  }),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: roleSchema })),
});
export type MeResponse = z.output<typeof meResponse>;
