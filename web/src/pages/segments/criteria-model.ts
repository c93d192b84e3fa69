/**
 * The segment builder's working copy of a criteria tree. Rows may be half filled while someone edits
 * them, so the builder keeps drafts and compiles them into the API's criteria: each row either becomes
 * a condition or carries the words saying what it still needs. Conditions are checked with the API's
 * own schema (src/domain/segment-criteria.ts), so the builder and the server cannot disagree.
 */
import { z } from 'zod';
import { CRITERIA_LIMITS, segmentCondition, segmentCriteria, type SegmentCondition, type SegmentGroup } from '../../../../src/domain/segment-criteria.ts';
import type { ContactField } from '../../api/types.ts';
import { fieldTitle } from '../../lib/format.ts';

export { CRITERIA_LIMITS };

/** What a row asks for after its operator: nothing, tags, a number, a range, a date… */
export type ValueKind = 'none' | 'texts' | 'lists' | 'text' | 'number' | 'range' | 'date' | 'dateRange' | 'days' | 'yesno';

export interface OperatorSpec {
  value: string;
  label: string;
  kind: ValueKind;
}

export interface FieldSpec {
  /** The built-in field's name, or `custom:<key>`. */
  id: string;
  label: string;
  group: 'Contact' | 'Custom fields';
  operators: OperatorSpec[];
  /** Words for true and false of a yes/no field. */
  yesNo?: [string, string];
  /** Which values seen on contacts to suggest for tags. */
  suggest?: 'labels' | 'statuses';
}

/** Slots for every kind of value; an operator reads the ones its kind needs, so switching operators keeps what fits. */
export interface DraftValue {
  texts: string[];
  lists: string[];
  text: string;
  /** A number, a range's minimum, or a number of days; '' while empty. */
  a: number | string;
  /** A range's maximum. */
  b: number | string;
  /** A date, or a date range's start (YYYY-MM-DD). */
  from: string;
  to: string;
  yes: 'true' | 'false' | null;
}

export interface ConditionDraft {
  type: 'condition';
  key: string;
  field: string | null;
  op: string | null;
  value: DraftValue;
}

export interface GroupDraft {
  type: 'group';
  key: string;
  op: 'and' | 'or';
  children: DraftNode[];
}

export type DraftNode = ConditionDraft | GroupDraft;

const CUSTOM = 'custom:';
const op = (value: string, label: string, kind: ValueKind): OperatorSpec => ({ value, label, kind });

const NUMBER_OPS = [
  op('eq', 'equals', 'number'),
  op('ne', 'is not', 'number'),
  op('gt', 'is more than', 'number'),
  op('gte', 'is at least', 'number'),
  op('lt', 'is less than', 'number'),
  op('lte', 'is at most', 'number'),
];
const BETWEEN = op('between', 'is between', 'range');
const IS_SET = [op('exists', 'is set', 'none'), op('not_exists', 'is not set', 'none')];

const BUILT_IN: FieldSpec[] = [
  {
    id: 'labels',
    label: 'Labels',
    group: 'Contact',
    suggest: 'labels',
    operators: [op('has_any', 'has any of', 'texts'), op('has_all', 'has all of', 'texts'), op('has_none', 'has none of', 'texts')],
  },
  {
    id: 'workflow_status',
    label: 'Workflow status',
    group: 'Contact',
    suggest: 'statuses',
    operators: [op('in', 'is one of', 'texts'), op('not_in', 'is none of (or not set)', 'texts'), ...IS_SET],
  },
  {
    id: 'last_interaction_at',
    label: 'Last interaction',
    group: 'Contact',
    operators: [
      op('within_last_days', 'was within the last', 'days'),
      op('not_within_last_days', 'was not within the last (or never)', 'days'),
      op('before', 'was before', 'date'),
      op('after', 'was after', 'date'),
      op('between', 'was between', 'dateRange'),
      op('exists', 'happened at some time', 'none'),
      op('not_exists', 'never happened', 'none'),
    ],
  },
  { id: 'conversation_count', label: 'Conversation count', group: 'Contact', operators: [...NUMBER_OPS, BETWEEN] },
  {
    id: 'rating',
    label: 'Rating',
    group: 'Contact',
    operators: [...NUMBER_OPS, BETWEEN, op('exists', 'is given', 'none'), op('not_exists', 'is not given', 'none')],
  },
  { id: 'list', label: 'List membership', group: 'Contact', operators: [op('in_any', 'is in any of', 'lists'), op('in_none', 'is in none of', 'lists')] },
  { id: 'consent', label: 'Consent', group: 'Contact', yesNo: ['given', 'not given'], operators: [op('is', 'is', 'yesno')] },
  { id: 'opted_out', label: 'Opted out', group: 'Contact', yesNo: ['yes (opted out)', 'no (subscribed)'], operators: [op('is', 'is', 'yesno')] },
];

const CUSTOM_OPS: Record<ContactField['type'], OperatorSpec[]> = {
  text: [
    op('equals', 'equals', 'text'),
    op('not_equals', 'does not equal (or is not set)', 'text'),
    op('contains', 'contains', 'text'),
    op('not_contains', 'does not contain (or is not set)', 'text'),
    op('starts_with', 'starts with', 'text'),
    ...IS_SET,
  ],
  number: [...NUMBER_OPS, BETWEEN, ...IS_SET],
  date: [op('before', 'is before', 'date'), op('after', 'is after', 'date'), op('on', 'is on', 'date'), op('between', 'is between', 'dateRange'), ...IS_SET],
  boolean: [op('is_true', 'is yes', 'none'), op('is_false', 'is no', 'none'), ...IS_SET],
};
/** Every operator a custom field can have, for a saved condition whose field has since changed type. */
const ANY_CUSTOM_OP = Object.values(CUSTOM_OPS).flat();

function customSpec(key: string, label: string, type: ContactField['type']): FieldSpec {
  return { id: `${CUSTOM}${key}`, label, group: 'Custom fields', operators: CUSTOM_OPS[type] };
}

/** The fields a row can filter on: the built-in ones, then each custom field of the workspace by its label. */
export function fieldSpecs(fields: ContactField[]): FieldSpec[] {
  return [...BUILT_IN, ...fields.map((f) => customSpec(f.key, fieldTitle(f), f.type))];
}

/** A field's spec; a custom field that is not registered (any more) is treated as text. */
export function specOf(specs: FieldSpec[], id: string): FieldSpec | undefined {
  const found = specs.find((s) => s.id === id);
  if (found || !id.startsWith(CUSTOM)) return found;
  const key = id.slice(CUSTOM.length);
  return customSpec(key, fieldTitle({ key }), 'text');
}

/** The operators a row offers: its field's, plus the row's own if the field's type no longer has it. */
export function operatorsOf(spec: FieldSpec, current: string | null): OperatorSpec[] {
  if (!current || spec.operators.some((o) => o.value === current)) return spec.operators;
  const extra = spec.group === 'Custom fields' ? ANY_CUSTOM_OP.find((o) => o.value === current) : undefined;
  return extra ? [...spec.operators, extra] : spec.operators;
}

export function operatorOf(spec: FieldSpec, current: string | null): OperatorSpec | undefined {
  return operatorsOf(spec, current).find((o) => o.value === current);
}

let lastKey = 0;
const newKey = () => `n${++lastKey}`;

const emptyValue = (): DraftValue => ({ texts: [], lists: [], text: '', a: '', b: '', from: '', to: '', yes: null });

export function newCondition(): ConditionDraft {
  return { type: 'condition', key: newKey(), field: null, op: null, value: emptyValue() };
}

export function newGroup(op: GroupDraft['op'] = 'and', children: DraftNode[] = []): GroupDraft {
  return { type: 'group', key: newKey(), op, children };
}

/** A row after its field changed: the field's first operator and no value, since the old one rarely fits. */
export function withField(row: ConditionDraft, spec: FieldSpec): ConditionDraft {
  return { ...row, field: spec.id, op: spec.operators[0]?.value ?? null, value: emptyValue() };
}

const isNumber = (v: number | string): v is number => typeof v === 'number' && Number.isFinite(v);

type Payload = Record<string, unknown>;

/**
 * Per kind of value: the condition's value properties from a draft (or what is still missing), and
 * back. The API checks the values themselves; these only notice what has not been filled in yet.
 */
const VALUE_CODECS: Record<ValueKind, { read(v: DraftValue): Payload | string; write(c: Payload): Partial<DraftValue> }> = {
  none: { read: () => ({}), write: () => ({}) },
  texts: { read: (v) => (v.texts.length ? { values: v.texts } : 'Add at least one value'), write: (c) => ({ texts: c.values as string[] }) },
  lists: { read: (v) => (v.lists.length ? { listIds: v.lists } : 'Choose at least one list'), write: (c) => ({ lists: c.listIds as string[] }) },
  text: { read: (v) => (v.text.trim() ? { value: v.text.trim() } : 'Enter a value'), write: (c) => ({ text: c.value as string }) },
  number: { read: (v) => (isNumber(v.a) ? { value: v.a } : 'Enter a number'), write: (c) => ({ a: c.value as number }) },
  range: {
    read: (v) => (isNumber(v.a) && isNumber(v.b) ? { min: v.a, max: v.b } : 'Enter both numbers'),
    write: (c) => ({ a: c.min as number, b: c.max as number }),
  },
  date: { read: (v) => (v.from ? { value: v.from } : 'Pick a date'), write: (c) => ({ from: c.value as string }) },
  dateRange: { read: (v) => (v.from && v.to ? { from: v.from, to: v.to } : 'Pick both dates'), write: (c) => ({ from: c.from as string, to: c.to as string }) },
  days: { read: (v) => (isNumber(v.a) ? { days: v.a } : 'Enter a number of days'), write: (c) => ({ a: c.days as number }) },
  yesno: { read: (v) => (v.yes ? { value: v.yes === 'true' } : 'Choose yes or no'), write: (c) => ({ yes: c.value ? 'true' : 'false' }) },
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The words of a failed check. The condition schema is a union, so a failure can come back as one
 * list of issues per alternative: the alternative that accepted the field and operator is the one meant.
 */
function problemOf(issues: z.core.$ZodIssue[]): string {
  for (const issue of issues) {
    if (issue.code !== 'invalid_union') return capitalise(issue.message);
    const meant = issue.errors.find((branch) => !branch.some((i) => i.code === 'unrecognized_keys' || ['field', 'op', 'key'].includes(String(i.path[0]))));
    if (meant) return problemOf(meant);
  }
  return 'This condition is not valid';
}

function compileCondition(row: ConditionDraft, specs: FieldSpec[]): SegmentCondition | string {
  const spec = row.field ? specOf(specs, row.field) : undefined;
  if (!spec) return 'Choose a field';
  const operator = operatorOf(spec, row.op);
  if (!operator) return 'Choose how to compare';
  const payload = VALUE_CODECS[operator.kind].read(row.value);
  if (typeof payload === 'string') return payload;
  const custom = spec.id.startsWith(CUSTOM) ? { field: 'custom', key: spec.id.slice(CUSTOM.length) } : { field: spec.id };
  const parsed = segmentCondition.safeParse({ ...custom, op: operator.value, ...payload });
  return parsed.success ? parsed.data : problemOf(parsed.error.issues);
}

export interface Compiled {
  /** The criteria, or null while any row still has a problem. */
  criteria: SegmentGroup | null;
  /** What each row or group (by key) still needs. */
  problems: Record<string, string>;
  conditionCount: number;
}

export function compile(root: GroupDraft, specs: FieldSpec[]): Compiled {
  const problems: Record<string, string> = {};
  let conditionCount = 0;
  const walk = (group: GroupDraft, nested: boolean): SegmentGroup => {
    // An empty group matches everyone, which inside "any of" would quietly match the whole audience.
    if (nested && group.children.length === 0) problems[group.key] = 'Add a condition to this group or remove it';
    const conditions = group.children.flatMap((child): Array<SegmentCondition | SegmentGroup> => {
      if (child.type === 'group') return [walk(child, true)];
      conditionCount += 1;
      const compiled = compileCondition(child, specs);
      if (typeof compiled !== 'string') return [compiled];
      problems[child.key] = compiled;
      return [];
    });
    return { op: group.op, conditions };
  };
  const tree = walk(root, false);
  // Depth and size are kept by the builder's buttons; this catches whatever slips past them.
  const whole = segmentCriteria.safeParse(tree);
  if (!whole.success) problems[root.key] = problemOf(whole.error.issues);
  return { criteria: Object.keys(problems).length === 0 ? tree : null, problems, conditionCount };
}

/** The key only a value of this kind has, where one operator name takes values of two kinds. */
const OWN_KEY: Partial<Record<ValueKind, string>> = { range: 'min', dateRange: 'from' };

function kindOf(c: SegmentCondition): ValueKind {
  const operators = (c.field === 'custom' ? ANY_CUSTOM_OP : (BUILT_IN.find((s) => s.id === c.field)?.operators ?? [])).filter((o) => o.value === c.op);
  // A custom `between` takes numbers or days: the saved condition's own keys say which.
  const fits = operators.find((o) => OWN_KEY[o.kind] === undefined || OWN_KEY[o.kind]! in c);
  return (fits ?? operators[0])?.kind ?? 'none';
}

/** A saved segment's criteria as drafts to edit. */
export function toDraft(group: SegmentGroup): GroupDraft {
  return newGroup(
    group.op,
    group.conditions.map((c): DraftNode => {
      if ('conditions' in c) return toDraft(c);
      const fields = c as Payload & SegmentCondition;
      const value = { ...emptyValue(), ...VALUE_CODECS[kindOf(c)].write(fields) };
      const field = c.field === 'custom' ? `${CUSTOM}${c.key}` : c.field;
      return { type: 'condition', key: newKey(), field, op: c.op, value };
    }),
  );
}

/** The group with the node `key` replaced by `replace(node)`, or removed when that returns null. */
export function updateNode(group: GroupDraft, key: string, replace: (node: DraftNode) => DraftNode | null): GroupDraft {
  const children = group.children.flatMap((child): DraftNode[] => {
    if (child.key === key) {
      const next = replace(child);
      return next ? [next] : [];
    }
    return child.type === 'group' ? [updateNode(child, key, replace)] : [child];
  });
  return { ...group, children };
}

/** The custom field keys a tree filters on, in order of appearance. */
export function customKeysOf(group: SegmentGroup): string[] {
  const keys = group.conditions.flatMap((c) => ('conditions' in c ? customKeysOf(c) : c.field === 'custom' ? [c.key] : []));
  return [...new Set(keys)];
}
