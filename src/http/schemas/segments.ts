import { z } from 'zod';
import { SEGMENT_KINDS, segmentCriteria, segmentGroup } from '../../domain/segment-criteria.ts';
import { cursorQuery, page } from './common.ts';
import { contact } from './contacts.ts';

export type { SegmentCondition, SegmentGroup } from '../../domain/segment-criteria.ts';

const name = z.string().trim().min(1, 'a name').max(120, 'at most 120 characters');
const description = z.string().trim().max(500).nullable().transform((d) => d || null);

export const segmentStats = z.object({
  total: z.number().int(),
  /** Consented and not opted out: who a marketing campaign can reach. */
  reachable: z.number().int(),
  optedOut: z.number().int(),
  notConsented: z.number().int(),
  interactedLast30Days: z.number().int(),
});

export const segment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(SEGMENT_KINDS),
  criteria: segmentGroup,
  lastCount: z.number().int().nullable(),
  lastReachable: z.number().int().nullable().describe('Of lastCount, those a marketing campaign can reach (consented, not opted out); null until counted'),
  lastCountedAt: z.date().nullable(),
  lastRefreshedAt: z.date().nullable().describe('Static segments: when the membership was last taken'),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Segment = z.output<typeof segment>;

/** One segment with its membership counted now (dynamic) or from its snapshot (static). */
export const segmentDetail = segment.extend({ stats: segmentStats });
export type SegmentDetail = z.output<typeof segmentDetail>;

export const segmentsPage = page(segment);
export const segmentsQuery = cursorQuery.extend({ search: z.string().max(200).optional() });

export const segmentCreate = z.strictObject({
  name,
  description: description.optional(),
  kind: z.enum(SEGMENT_KINDS).default('dynamic'),
  criteria: segmentCriteria,
});
export type SegmentCreate = z.input<typeof segmentCreate>;

export const segmentPatch = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  criteria: segmentCriteria.optional().describe('Static segments: re-takes the snapshot'),
});
export type SegmentPatch = z.input<typeof segmentPatch>;

export const segmentPreviewBody = z.strictObject({
  criteria: segmentCriteria,
  sampleSize: z.number().int().min(0).max(50).default(10),
});

export const segmentPreview = z.object({
  count: z.number().int(),
  sample: z.array(contact),
});
export type SegmentPreview = z.output<typeof segmentPreview>;

export const segmentContactsQuery = cursorQuery;
export const segmentContactsPage = page(contact);
