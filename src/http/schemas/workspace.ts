import { z } from 'zod';
import { isValidCountry } from '../../domain/phone.ts';

export const workspaceResponse = z.object({
  id: z.string(),
  name: z.string(),
  plan: z.enum(['starter', 'pro', 'enterprise']),
  defaultCountry: z.string(),
  createdAt: z.date(),
});
export type Workspace = z.output<typeof workspaceResponse>;

export const workspacePatch = z.strictObject({
  name: z.string().trim().min(1, 'a name').max(120).optional(),
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidCountry, 'an ISO 3166 alpha-2 country code such as ID or US')
    .optional()
    .describe('Country used to read phone numbers written without a country code'),
});
