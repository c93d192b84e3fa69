import { z } from 'zod';
import { COLUMN_ROLES } from '../../domain/import-detect.ts';
import { FIELD_TYPES } from '../../domain/fields.ts';

/** Import shapes of the API; the dashboard's import wizard uses these types. */
export const importColumnRole = z.enum(COLUMN_ROLES);
export const importStatus = z.enum(['uploaded', 'queued', 'running', 'completed', 'failed']);

export const importDetected = z.object({
  encoding: z.string().nullable().describe('Text encoding of a CSV (utf-8, utf-16le, utf-16be, windows-1252); null for Excel'),
  delimiter: z.string().nullable().describe('Field delimiter of a CSV; null for Excel'),
  headerRow: z.number().int().nullable().describe('Row number (1-based) of the header row; null when the file has none'),
  sheet: z.string().nullable().describe('Worksheet read from an Excel file'),
  sheetId: z.number().int().nullable(),
  columns: z.array(
    z.object({
      index: z.number().int(),
      header: z.string(),
      key: z.string().describe('Variable key: the column becomes {{key}} in templates'),
      role: importColumnRole,
      type: z.enum(FIELD_TYPES),
      samples: z.array(z.string()),
    }),
  ),
  preview: z.array(z.array(z.string())).describe('The first data rows, one string per column'),
  rowEstimate: z.number().int().nullable().describe('Data rows in the file (exact for CSV); null for Excel'),
});

export const importMapping = z.object({
  columns: z.array(z.object({ index: z.number().int(), header: z.string(), role: importColumnRole, key: z.string() })),
  existing: z.enum(['update', 'skip']),
});

export const importItem = z.object({
  id: z.string(),
  fileName: z.string(),
  fileSize: z.number().int(),
  format: z.enum(['csv', 'xlsx']),
  status: importStatus,
  detected: importDetected,
  mapping: importMapping.nullable(),
  rowsDone: z.number().int(),
  bytesDone: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  listId: z.string().nullable(),
});
export type ImportItem = z.output<typeof importItem>;

export const startImportBody = z.object({
  columns: z
    .array(
      z.object({
        index: z.number().int().min(0),
        role: importColumnRole,
        key: z.string().optional().describe('Variable key for a field column; default: derived from the header'),
      }),
    )
    .max(1000)
    .default([])
    .describe('Changes to the detected columns; columns not listed keep their detected role and key'),
  existing: z.enum(['update', 'skip']).default('update').describe('Contacts that already exist: merge the new values, or leave them as they are'),
  list: z
    .union([z.object({ id: z.string().uuid('a list id (UUID)') }).strict(), z.object({ name: z.string().trim().min(1).max(120) }).strict()])
    .optional()
    .describe('Put the contacts in an existing list ({id}) or a new one ({name})'),
});
export type StartImportBody = z.input<typeof startImportBody>;

/** The WebSocket notice `import.progress`. */
export const importProgressNotice = z.object({
  type: z.literal('import.progress'),
  importId: z.string(),
  status: importStatus,
  rowsDone: z.number(),
  bytesDone: z.number(),
  fileSize: z.number(),
  imported: z.number(),
  updated: z.number(),
  skipped: z.number(),
  rejected: z.number(),
  error: z.string().nullable(),
});
export type ImportProgressNotice = z.output<typeof importProgressNotice>;
