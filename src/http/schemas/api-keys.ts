import { z } from 'zod';
import { roleSchema } from './common.ts';

export const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string().describe('First characters of the key, to tell keys apart'),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiKey = z.output<typeof apiKey>;

export const apiKeysResponse = z.object({ items: z.array(apiKey) });

export const apiKeyCreate = z.strictObject({
  name: z.string().trim().min(1, 'a name').max(100),
  role: roleSchema.describe('What the key may do, as for a member with this role'),
});

export const apiKeyCreated = apiKey.extend({
  key: z.string().describe('The key itself: shown only now, send it as `Authorization: Bearer <key>`'),
});
export type ApiKeyCreated = z.output<typeof apiKeyCreated>;
