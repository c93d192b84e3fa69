import { z } from 'zod';
import { roleSchema } from './common.ts';

export const member = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.date(),
});
export type Member = z.output<typeof member>;

export const membersResponse = z.object({ items: z.array(member) });

export const memberAdd = z.strictObject({
  email: z.string().trim().toLowerCase().email('a valid email address'),
  name: z.string().trim().min(1).max(120).optional().describe('Needed when the email has no account yet'),
  role: roleSchema,
  password: z
    .string()
    .min(8, 'at least 8 characters')
    .max(200)
    .optional()
    .describe('Initial password for a new account (hand it over yourself); ignored when the email has an account'),
});

export const memberPatch = z.strictObject({ role: roleSchema });

export const userIdParam = z.object({ userId: z.string().uuid('a user id (UUID)') });
