import { z } from 'zod';
import { TEMPLATE_SPAN_KINDS, TEMPLATE_TYPES } from '../../domain/template.ts';
import { cursorQuery, idParam, page } from './common.ts';
import { fieldValue } from './contacts.ts';
import { mediaItem } from './media.ts';

/** A WhatsApp text message is at most 4,096 characters; a caption at most 1,024 (checked per type in the service). */
const body = z.string().max(4096, 'a message is at most 4,096 characters');
const name = z.string().trim().min(1, 'a name').max(120, 'at most 120 characters');
const fileName = z.string().trim().min(1).max(240).nullable();

export const templateType = z.enum(TEMPLATE_TYPES);

export const templateProblem = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  offset: z.number().int(),
  length: z.number().int(),
});

export const templateSpan = z.object({
  kind: z.enum(TEMPLATE_SPAN_KINDS),
  offset: z.number().int(),
  length: z.number().int(),
});

const author = z.object({ id: z.string(), name: z.string() }).nullable();

export const templateVersion = z.object({
  id: z.string().describe('The version id campaigns keep'),
  version: z.number().int(),
  type: templateType,
  body: z.string(),
  mediaId: z.string().nullable(),
  fileName: z.string().nullable(),
  variables: z.array(z.string()),
  author,
  createdAt: z.date(),
});
export type TemplateVersionDto = z.output<typeof templateVersion>;

export const template = z.object({
  id: z.string(),
  name: z.string(),
  /** The current version's content, flattened for lists and the editor. */
  version: z.number().int(),
  versionId: z.string(),
  type: templateType,
  body: z.string(),
  mediaId: z.string().nullable(),
  media: mediaItem.nullable(),
  fileName: z.string().nullable(),
  variables: z.array(z.string()),
  /** Unknown variables without a fallback and similar: saved, but shown to the author. */
  warnings: z.array(templateProblem),
  createdBy: author,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Template = z.output<typeof template>;

export const templatesPage = page(template);
export const templatesQuery = cursorQuery.extend({
  search: z.string().max(200).optional().describe('Part of the name'),
  type: templateType.optional(),
});

export const templateCreate = z.strictObject({
  name,
  type: templateType.default('text'),
  /** Audio and voice notes have no caption: they leave it out. */
  body: body.default(''),
  mediaId: z.string().uuid('a media id (UUID)').nullable().optional(),
  fileName: fileName.optional(),
});

/** Changing the content makes a new version; renaming does not. */
export const templatePatch = z.strictObject({
  name: name.optional(),
  type: templateType.optional(),
  body: body.optional(),
  mediaId: z.string().uuid('a media id (UUID)').nullable().optional(),
  fileName: fileName.optional(),
});

export const templateDuplicate = z.strictObject({ name: name.optional() }).nullish();

export const templateVersionsResponse = z.object({ items: z.array(templateVersion) });
export const templateVersionParams = idParam.extend({ version: z.coerce.number().int().min(1) });

export const templatePreviewBody = z.strictObject({
  body,
  type: templateType.default('text'),
  contactId: z.string().uuid('a contact id (UUID)').optional().describe('Left out: a sample contact built from the workspace fields'),
  seed: z.union([z.string().max(200), z.number().int()]).optional().describe('Same seed, same spintax choices'),
});
export type TemplatePreviewBody = z.input<typeof templatePreviewBody>;

export const templatePreview = z.object({
  /** null when the template has errors or the contact lacks a variable without fallback. */
  text: z.string().nullable(),
  missing: z.array(z.string()).describe('Variables the contact lacks (no fallback)'),
  errors: z.array(templateProblem),
  warnings: z.array(templateProblem),
  spans: z.array(templateSpan),
  variables: z.array(z.string()),
  contact: z.object({
    id: z.string().nullable().describe('null for the sample contact'),
    name: z.string().nullable(),
    phone: z.string(),
    values: z.record(z.string(), fieldValue),
  }),
  seed: z.union([z.string(), z.number()]),
});
export type TemplatePreview = z.output<typeof templatePreview>;
