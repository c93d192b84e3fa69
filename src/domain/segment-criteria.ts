import { z } from 'zod';
import { ISO_DATE, VARIABLE_KEY } from './fields.ts';

/**
 * Segment criteria: AND/OR groups of conditions over contacts (product.md §2). Validated here,
 * compiled to parameterised SQL in src/db/segment-sql.ts — every value and every custom-field key
 * is a bound parameter there, so nothing a user types ever becomes SQL text.
 */
export const SEGMENT_KINDS = ['dynamic', 'static'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/** Limits that keep a criteria tree cheap to validate, compile and plan. */
export const CRITERIA_LIMITS = { maxDepth: 4, maxConditions: 50, maxValues: 200, maxTextLength: 500 } as const;

const text = z.string().min(1, 'a value').max(CRITERIA_LIMITS.maxTextLength, `at most ${CRITERIA_LIMITS.maxTextLength} characters`);
const texts = z.array(text).min(1, 'at least one value').max(CRITERIA_LIMITS.maxValues, `at most ${CRITERIA_LIMITS.maxValues} values`);
const isoDate = z.string().regex(ISO_DATE, 'a date like 2026-01-31 or 2026-01-31T09:00:00Z').refine((d) => !Number.isNaN(Date.parse(d)), 'a real date');
const count = z.number().int('a whole number').min(0).max(1_000_000_000);

const numberOps = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;

/** Number comparisons shared by conversation count, rating and numeric custom fields. */
const numberComparison = <F extends string>(field: F, value: z.ZodNumber) =>
  z.discriminatedUnion('op', [
    z.strictObject({ field: z.literal(field), op: z.enum(numberOps), value }),
    z.strictObject({ field: z.literal(field), op: z.literal('between'), min: value, max: value }).refine((c) => c.min <= c.max, { message: 'min must not be greater than max', path: ['max'] }),
  ]);

export const labelsCondition = z.strictObject({
  field: z.literal('labels'),
  /** has_any: at least one of; has_all: every one of; has_none: none of. */
  op: z.enum(['has_any', 'has_all', 'has_none']),
  values: texts,
});

export const workflowStatusCondition = z.union([
  z.strictObject({ field: z.literal('workflow_status'), op: z.enum(['in', 'not_in']), values: texts }),
  z.strictObject({ field: z.literal('workflow_status'), op: z.enum(['exists', 'not_exists']) }),
]);

/** A date range is inclusive; `within_last_days` is relative to the moment the segment is evaluated. */
export const lastInteractionCondition = z.union([
  z.strictObject({ field: z.literal('last_interaction_at'), op: z.enum(['before', 'after']), value: isoDate }),
  z
    .strictObject({ field: z.literal('last_interaction_at'), op: z.literal('between'), from: isoDate, to: isoDate })
    .refine((c) => Date.parse(c.from) <= Date.parse(c.to), { message: '"from" must not be after "to"', path: ['to'] }),
  z.strictObject({ field: z.literal('last_interaction_at'), op: z.enum(['within_last_days', 'not_within_last_days']), days: z.number().int().min(1).max(36_500) }),
  z.strictObject({ field: z.literal('last_interaction_at'), op: z.enum(['exists', 'not_exists']) }),
]);

export const conversationCountCondition = numberComparison('conversation_count', count);
export const ratingCondition = z.union([
  numberComparison('rating', z.number().int('a whole number').min(0).max(10)),
  z.strictObject({ field: z.literal('rating'), op: z.enum(['exists', 'not_exists']) }),
]);

const fieldKey = z.string().regex(VARIABLE_KEY, 'a custom field key: lower-case letters, digits and _ , starting with a letter');

/**
 * Custom fields. Text operators compare case-insensitively; number operators match only values
 * stored as numbers (or numeric text); date operators match ISO dates.
 */
export const customFieldCondition = z.union([
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(['equals', 'not_equals', 'contains', 'not_contains', 'starts_with']), value: text }),
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(numberOps), value: z.number().finite() }),
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(['before', 'after', 'on']), value: isoDate }),
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(['is_true', 'is_false', 'exists', 'not_exists']) }),
]);

export const listCondition = z.strictObject({
  field: z.literal('list'),
  op: z.enum(['in_any', 'in_none']),
  listIds: z.array(z.string().uuid('list ids are UUIDs')).min(1, 'at least one list').max(CRITERIA_LIMITS.maxValues),
});

export const consentCondition = z.strictObject({ field: z.literal('consent'), op: z.literal('is'), value: z.boolean() });
export const optedOutCondition = z.strictObject({ field: z.literal('opted_out'), op: z.literal('is'), value: z.boolean() });

export const segmentCondition = z.union([
  labelsCondition,
  workflowStatusCondition,
  lastInteractionCondition,
  conversationCountCondition,
  ratingCondition,
  customFieldCondition,
  listCondition,
  consentCondition,
  optedOutCondition,
]);
export type SegmentCondition = z.output<typeof segmentCondition>;

export interface SegmentGroup {
  op: 'and' | 'or';
  conditions: Array<SegmentCondition | SegmentGroup>;
}

export const segmentGroup: z.ZodType<SegmentGroup> = z.lazy(() =>
  z.strictObject({
    op: z.enum(['and', 'or']),
    conditions: z.array(z.union([segmentCondition, segmentGroup])).max(CRITERIA_LIMITS.maxConditions),
  }),
);

export const isGroup = (c: SegmentCondition | SegmentGroup): c is SegmentGroup => 'conditions' in c;

/** Depth and size are checked before the tree is parsed, so a huge or deeply nested body costs little. */
function shapeProblem(value: unknown): string | null {
  let conditions = 0;
  const walk = (node: unknown, depth: number): string | null => {
    if (depth > CRITERIA_LIMITS.maxDepth) return `groups nest at most ${CRITERIA_LIMITS.maxDepth} deep`;
    if (!node || typeof node !== 'object' || !Array.isArray((node as { conditions?: unknown }).conditions)) return null;
    for (const child of (node as { conditions: unknown[] }).conditions) {
      if (child && typeof child === 'object' && 'conditions' in child) {
        const p = walk(child, depth + 1);
        if (p) return p;
      } else if (++conditions > CRITERIA_LIMITS.maxConditions) {
        return `at most ${CRITERIA_LIMITS.maxConditions} conditions in a segment`;
      }
    }
    return null;
  };
  return walk(value, 1);
}

/** The criteria of a segment: one top-level group (an empty group matches every contact). */
export const segmentCriteria = z.unknown().superRefine((value, ctx) => {
  const problem = shapeProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).pipe(segmentGroup);
export type SegmentCriteria = SegmentGroup;
