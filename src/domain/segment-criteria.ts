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
const isoDate = z.string().regex(ISO_DATE, { message: 'a date like 2026-01-31 or 2026-01-31T09:00:00Z', abort: true }).refine((d) => !Number.isNaN(Date.parse(d)), 'a real date');
const count = z.number().int('a whole number').min(0, 'zero or more').max(1_000_000_000, 'at most 1,000,000,000');

const numberOps = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;

/** Number comparisons shared by conversation count, rating and numeric custom fields. */
const numberComparison = <F extends string>(field: F, value: z.ZodNumber) =>
  z.discriminatedUnion('op', [
    z.strictObject({ field: z.literal(field), op: z.enum(numberOps), value }),
    z.strictObject({ field: z.literal(field), op: z.literal('between'), min: value, max: value }).refine((c) => c.min <= c.max, { message: 'min must not be greater than max', path: ['max'] }),
  ]);

const labelsCondition = z.strictObject({
  field: z.literal('labels'),
  /** has_any: at least one of; has_all: every one of; has_none: none of. */
  op: z.enum(['has_any', 'has_all', 'has_none']),
  values: texts,
});

const workflowStatusCondition = z.union([
  z.strictObject({ field: z.literal('workflow_status'), op: z.enum(['in', 'not_in']), values: texts }),
  z.strictObject({ field: z.literal('workflow_status'), op: z.enum(['exists', 'not_exists']) }),
]);

/** The calendar day a custom date (a field's value or a criteria date) is compared by. */
export function dayOf(value: string): string {
  return value.slice(0, 10);
}

/** The instants a criteria date covers, as [start, end): a whole UTC day, or one millisecond. */
export function dateSpan(value: string): { start: Date; end: Date } {
  const [, day, time] = /^(\d{4}-\d{2}-\d{2})(?:[T ](.+))?$/.exec(value) ?? [];
  if (!day) throw new Error(`not an ISO date: ${value}`);
  if (!time) {
    const start = Date.parse(`${day}T00:00:00Z`);
    return { start: new Date(start), end: new Date(start + 86_400_000) };
  }
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.exec(time);
  const zone = zoned ? zoned[1]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
  const clock = zoned ? time.slice(0, -zoned[1]!.length) : time;
  const start = Date.parse(`${day}T${clock}${zone}`);
  return { start: new Date(start), end: new Date(start + 1) };
}

/** A date range is inclusive; `within_last_days` is relative to the moment the segment is evaluated. */
const lastInteractionCondition = z.union([
  z.strictObject({ field: z.literal('last_interaction_at'), op: z.enum(['before', 'after']), value: isoDate }),
  z
    .strictObject({ field: z.literal('last_interaction_at'), op: z.literal('between'), from: isoDate, to: isoDate })
    .refine((c) => dateSpan(c.from).start <= dateSpan(c.to).start, { message: '"from" must not be after "to"', path: ['to'] }),
  z.strictObject({ field: z.literal('last_interaction_at'), op: z.enum(['within_last_days', 'not_within_last_days']), days: z.number().int('a whole number of days').min(1, 'at least 1 day').max(36_500, 'at most 36,500 days') }),
  z.strictObject({ field: z.literal('last_interaction_at'), op: z.enum(['exists', 'not_exists']) }),
]);

const conversationCountCondition = numberComparison('conversation_count', count);
const ratingCondition = z.union([
  numberComparison('rating', z.number().int('a whole number').min(0, 'a rating from 0 to 10').max(10, 'a rating from 0 to 10')),
  z.strictObject({ field: z.literal('rating'), op: z.enum(['exists', 'not_exists']) }),
]);

const fieldKey = z.string().regex(VARIABLE_KEY, 'a custom field key: lower-case letters, digits and _ , starting with a letter');

/**
 * Custom fields. Text operators compare case-insensitively; number operators match only values
 * stored as numbers (or numeric text); date operators match ISO dates by their day. `between` is
 * inclusive at both ends, for numbers (`min`, `max`) and days (`from`, `to`).
 */
const customFieldCondition = z.union([
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(['equals', 'not_equals', 'contains', 'not_contains', 'starts_with']), value: text }),
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(numberOps), value: z.number().finite() }),
  z
    .strictObject({ field: z.literal('custom'), key: fieldKey, op: z.literal('between'), min: z.number().finite(), max: z.number().finite() })
    .refine((c) => c.min <= c.max, { message: 'min must not be greater than max', path: ['max'] }),
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(['before', 'after', 'on']), value: isoDate }),
  z
    .strictObject({ field: z.literal('custom'), key: fieldKey, op: z.literal('between'), from: isoDate, to: isoDate })
    .refine((c) => dayOf(c.from) <= dayOf(c.to), { message: '"from" must not be after "to"', path: ['to'] }),
  z.strictObject({ field: z.literal('custom'), key: fieldKey, op: z.enum(['is_true', 'is_false', 'exists', 'not_exists']) }),
]);

const listCondition = z.strictObject({
  field: z.literal('list'),
  op: z.enum(['in_any', 'in_none']),
  listIds: z.array(z.string().uuid('list ids are UUIDs')).min(1, 'at least one list').max(CRITERIA_LIMITS.maxValues),
});

const consentCondition = z.strictObject({ field: z.literal('consent'), op: z.literal('is'), value: z.boolean() });
const optedOutCondition = z.strictObject({ field: z.literal('opted_out'), op: z.literal('is'), value: z.boolean() });

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

/**
 * Plain-words validation. A zod union reports every branch it tried ("expected labels … expected
 * workflow_status …"); here each condition is checked against the one schema its `field` and `op`
 * name, so the answer is `conditions.2.field: unknown field "foo"; one of …` or `conditions.0.value: a number`.
 */
type Branch = z.ZodObject<{ field: z.ZodLiteral<string>; op: z.ZodEnum | z.ZodLiteral<string> }>;
const branchesOf = (s: z.ZodType): Branch[] => (s instanceof z.ZodUnion ? (s.options as z.ZodType[]).flatMap(branchesOf) : [s as Branch]);

/**
 * field → op → the schemas a condition with that field and op may match: one, except where an
 * operator takes different values by the field's type (a custom `between` of numbers or of dates).
 */
const BRANCHES = new Map<string, Map<string, Branch[]>>();
for (const branch of branchesOf(segmentCondition)) {
  const op = branch.shape.op;
  const ops = BRANCHES.get(branch.shape.field.value) ?? new Map<string, Branch[]>();
  for (const name of op instanceof z.ZodEnum ? (op.options as string[]) : [...op.values]) ops.set(name, [...(ops.get(name) ?? []), branch]);
  BRANCHES.set(branch.shape.field.value, ops);
}

/** Of several schemas for one field and op, the one whose own keys the condition uses. */
function branchFor(branches: Branch[], node: Record<string, unknown>): Branch {
  if (branches.length === 1) return branches[0]!;
  const common = new Set(Object.keys(branches[0]!.shape).filter((k) => branches.every((b) => k in b.shape)));
  return branches.find((b) => Object.keys(b.shape).some((k) => !common.has(k) && k in node)) ?? branches[0]!;
}
const FIELD_NAMES = [...BRANCHES.keys()].join(', ');

const groupShape = z.strictObject({ op: z.enum(['and', 'or'], { error: '"and" or "or"' }), conditions: z.array(z.unknown()) });

const EXPECTED: Record<string, string> = { number: 'a number', string: 'text', array: 'a list', boolean: 'true or false', object: 'an object' };

/** What the user typed, short enough to quote back. */
const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.slice(0, 60)) : String(JSON.stringify(v)).slice(0, 60));

interface Problem {
  path: PropertyKey[];
  message: string;
}

function check(schema: z.ZodType, node: object, path: PropertyKey[], what: string, out: Problem[]): void {
  const result = schema.safeParse(node, { reportInput: true });
  for (const issue of result.error?.issues ?? []) {
    let message = issue.message;
    if (issue.code === 'invalid_type') message = issue.input === undefined ? 'required' : (EXPECTED[issue.expected] ?? message);
    if (issue.code === 'unrecognized_keys') {
      const keys = Object.keys((schema as z.ZodObject).shape).join(', ');
      message = `${issue.keys.map(shown).join(', ')} is not part of ${what}, which takes ${keys}`;
    }
    out.push({ path: [...path, ...issue.path], message });
  }
}

function checkCondition(node: Record<string, unknown>, path: PropertyKey[], out: Problem[]): void {
  const ops = typeof node.field === 'string' ? BRANCHES.get(node.field) : undefined;
  if (!ops) {
    const message = node.field === undefined ? `required: one of ${FIELD_NAMES}` : `unknown field ${shown(node.field)}; one of ${FIELD_NAMES}`;
    out.push({ path: [...path, 'field'], message });
    return;
  }
  const branches = typeof node.op === 'string' ? ops.get(node.op) : undefined;
  if (!branches) {
    const which = node.op === undefined ? 'required' : `unknown operator ${shown(node.op)}`;
    out.push({ path: [...path, 'op'], message: `${which} for ${node.field}; one of ${[...ops.keys()].join(', ')}` });
    return;
  }
  check(branchFor(branches, node), node, path, `a ${node.field} "${node.op}" condition`, out);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkGroup(node: unknown, path: PropertyKey[], out: Problem[]): void {
  if (!isObject(node)) {
    out.push({ path, message: 'a group: {"op": "and" | "or", "conditions": [...]}' });
    return;
  }
  check(groupShape, node, path, 'a group', out);
  if (!Array.isArray(node.conditions)) return;
  node.conditions.forEach((child: unknown, i) => {
    const at = [...path, 'conditions', i];
    if (isObject(child) && !('conditions' in child)) checkCondition(child, at, out);
    else if (isObject(child)) checkGroup(child, at, out);
    else out.push({ path: at, message: 'a condition {"field", "op", …} or a group {"op", "conditions"}' });
  });
}

/** The criteria of a segment: one top-level group (an empty group matches every contact). */
export const segmentCriteria = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = shapeProblem(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return;
    }
    const problems: Problem[] = [];
    checkGroup(value, [], problems);
    for (const p of problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  })
  .pipe(segmentGroup);

/** Every list a criteria tree names (they must belong to the segment's workspace). */
export function listIdsOf(group: SegmentGroup): string[] {
  const ids = group.conditions.flatMap((c) => (isGroup(c) ? listIdsOf(c) : c.field === 'list' ? c.listIds : []));
  return [...new Set(ids)];
}
