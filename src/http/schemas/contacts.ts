import { z } from 'zod';
import { FIELD_TYPES } from '../../domain/fields.ts';
import { RESERVED_KEYS, VARIABLE_KEY } from '../../domain/fields.ts';
import { cursorQuery, page } from './common.ts';

const fieldValueInput = z.union([z.string().max(2000, 'field values are at most 2,000 characters'), z.number(), z.boolean(), z.null()], {
  error: 'a field value is text, a number, true/false or null',
});
/** Imports may store longer texts than the API accepts, so what is shown has no length limit. */
export const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type FieldValue = z.output<typeof fieldValue>;

const KEY_RULE = 'lower-case letters, digits and underscores, starting with a letter, at most 64 characters';

/** Custom fields: keys become template variables `{{key}}`, so they must look like one. */
const fieldsInput = z.record(z.string(), fieldValueInput).superRefine((fields, ctx) => {
  const keys = Object.keys(fields);
  if (keys.length > 200) ctx.addIssue({ code: 'custom', message: 'at most 200 custom fields per request' });
  for (const key of keys) {
    if (!VARIABLE_KEY.test(key)) ctx.addIssue({ code: 'custom', message: `field key ${JSON.stringify(key.slice(0, 80))} is not valid: use ${KEY_RULE}` });
    else if (RESERVED_KEYS.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is a contact attribute, not a custom field` });
  }
});

const labelsInput = z
  .array(z.string().trim().min(1, 'labels cannot be empty').max(50, 'labels are at most 50 characters'))
  .max(50, 'at most 50 labels')
  .transform((labels) => [...new Set(labels)]);

const phoneInput = z
  .union([z.string().max(64), z.number()])
  .describe('Any common notation; stored as E.164 using the workspace country for numbers without a country code');
const nameInput = z
  .string()
  .trim()
  .max(200)
  .nullable()
  .transform((n) => n || null);
const workflowStatusInput = z
  .string()
  .trim()
  .max(50)
  .nullable()
  .transform((s) => s || null);
const consentSourceInput = z.string().trim().min(1).max(100).describe("Where the consent was given; 'manual' when left out");

export const contactCreate = z.strictObject({
  phone: phoneInput,
  name: nameInput.optional(),
  fields: fieldsInput.optional(),
  labels: labelsInput.optional(),
  consent: z.boolean().optional(),
  consentSource: consentSourceInput.optional(),
  workflowStatus: workflowStatusInput.optional(),
});

export const contactPatch = z.strictObject({
  phone: phoneInput.optional(),
  name: nameInput.optional(),
  fields: fieldsInput.optional().describe('Merged into the existing fields; null removes a field'),
  labels: labelsInput.optional().describe('Replaces the labels'),
  consent: z.boolean().optional(),
  consentSource: consentSourceInput.optional(),
  workflowStatus: workflowStatusInput.optional(),
});

export const optOutBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).nullish();

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const contactsQuery = cursorQuery
  .extend({
    search: z.string().max(200).optional().describe('Part of the name, or digits of the phone'),
    label: z.string().trim().min(1).max(50).optional(),
    listId: z.string().uuid('a list id (UUID)').optional(),
    field: z.string().regex(VARIABLE_KEY, `a custom field key: ${KEY_RULE}`).optional().describe('Custom field key; with `value`: equals, alone: has the field'),
    value: z.string().max(2000).optional(),
    consent: boolQuery.optional(),
    optedOut: boolQuery.optional(),
  })
  .refine((q) => q.value === undefined || q.field !== undefined, { message: '`value` needs `field`', path: ['value'] });

export const contact = z.object({
  id: z.string(),
  phone: z.string(),
  name: z.string().nullable(),
  fields: z.record(z.string(), fieldValue),
  labels: z.array(z.string()),
  workflowStatus: z.string().nullable(),
  consent: z.boolean(),
  consentAt: z.date().nullable(),
  consentSource: z.string().nullable(),
  optedOutAt: z.date().nullable(),
  optOutReason: z.string().nullable(),
  lastInteractionAt: z.date().nullable(),
  conversationCount: z.number().int(),
  rating: z.number().int().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Contact = z.output<typeof contact>;

export const contactDetail = contact.extend({
  lists: z.array(z.object({ id: z.string(), name: z.string() })).describe('The lists the contact is in'),
});
export type ContactDetail = z.output<typeof contactDetail>;

export const contactsPage = page(contact);

export const contactField = z.object({ key: z.string(), label: z.string(), type: z.enum(FIELD_TYPES) });
export type ContactField = z.output<typeof contactField>;
export const contactFieldsResponse = z.object({ items: z.array(contactField) });
