import { z } from 'zod';
import { cursorQuery, page } from './common.ts';

export const contactList = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  memberCount: z.number().int(),
  createdAt: z.date(),
});
export type ContactList = z.output<typeof contactList>;

export const listsPage = page(contactList);
export const listsQuery = cursorQuery;

const description = z
  .string()
  .trim()
  .max(500)
  .nullable()
  .transform((d) => d || null);

export const listCreate = z.strictObject({
  name: z.string().trim().min(1, 'a name').max(120),
  description: description.optional(),
});

export const listPatch = z.strictObject({
  name: z.string().trim().min(1, 'a name').max(120).optional(),
  description: description.optional(),
});

export const listMembersBody = z.strictObject({
  contactIds: z
    .array(z.string().uuid('contact ids are UUIDs'))
    .min(1, 'at least one contact id')
    .max(1000, 'at most 1,000 contact ids per request'),
});

export const listMembersAdded = z.object({ added: z.number().int().describe('Contacts newly in the list (already there or unknown: not counted)') });
export const listMembersRemoved = z.object({ removed: z.number().int() });
