import { z } from 'zod';

/** Shapes shared by many routes; the dashboard imports these types too. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const idParam = z.object({ id: z.string().uuid('an id (UUID)') });

/** PostgreSQL text cannot hold NUL: refused at the edge with words, not by the database. */
export const withoutNul = <T extends z.ZodType<string>>(s: T) => s.refine((v) => !v.includes('\u0000'), 'no NUL characters');

export const roleSchema = z.enum(['owner', 'supervisor', 'agent']);

export const cursorQuery = z.object({
  cursor: z.string().optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
