import { describe, expect, it } from 'vitest';
import { CRITERIA_LIMITS, listIdsOf, segmentCriteria, type SegmentCondition } from './segment-criteria.ts';

const LIST_A = '01890a5d-ac96-774b-bcce-b302099a8057';
const LIST_B = '01890a5d-ac96-774b-bcce-b302099a8058';

/** One condition of every shape the language accepts. */
const everyShape: SegmentCondition[] = [
  { field: 'labels', op: 'has_any', values: ['vip'] },
  { field: 'labels', op: 'has_none', values: ['a', 'b'] },
  { field: 'workflow_status', op: 'in', values: ['new'] },
  { field: 'workflow_status', op: 'not_exists' },
  { field: 'last_interaction_at', op: 'after', value: '2026-01-31' },
  { field: 'last_interaction_at', op: 'between', from: '2026-01-01', to: '2026-01-31T23:59:59Z' },
  { field: 'last_interaction_at', op: 'within_last_days', days: 30 },
  { field: 'last_interaction_at', op: 'exists' },
  { field: 'conversation_count', op: 'gte', value: 3 },
  { field: 'conversation_count', op: 'between', min: 1, max: 1 },
  { field: 'rating', op: 'lt', value: 4 },
  { field: 'rating', op: 'exists' },
  { field: 'custom', key: 'city', op: 'contains', value: 'jak' },
  { field: 'custom', key: 'spend', op: 'gt', value: 10.5 },
  { field: 'custom', key: 'birthday', op: 'on', value: '1990-05-01' },
  { field: 'custom', key: 'spend', op: 'between', min: 100, max: 100 },
  { field: 'custom', key: 'birthday', op: 'between', from: '1990-01-01', to: '1990-01-01T08:00:00Z' },
  { field: 'custom', key: 'member', op: 'is_true' },
  { field: 'list', op: 'in_any', listIds: [LIST_A] },
  { field: 'consent', op: 'is', value: true },
  { field: 'opted_out', op: 'is', value: false },
];

/** The messages of a rejected criteria tree, as `path: message`. */
function problems(criteria: unknown): string[] {
  const r = segmentCriteria.safeParse(criteria);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
const one = (condition: unknown) => problems({ op: 'and', conditions: [condition] });

describe('segment criteria', () => {
  it('accepts every condition shape, nested in groups, unchanged', () => {
    const criteria = { op: 'or', conditions: [{ op: 'and', conditions: everyShape }, { op: 'and', conditions: [] }] };
    expect(segmentCriteria.parse(criteria)).toEqual(criteria);
    expect(segmentCriteria.parse({ op: 'and', conditions: [] })).toEqual({ op: 'and', conditions: [] });
  });

  it('names an unknown or missing field and lists the fields there are', () => {
    expect(one({ field: 'foo', op: 'is', value: 1 })).toEqual([
      'conditions.0.field: unknown field "foo"; one of labels, workflow_status, last_interaction_at, conversation_count, rating, custom, list, consent, opted_out',
    ]);
    expect(one({ op: 'is' })[0]).toMatch(/^conditions\.0\.field: required: one of labels, /);
  });

  it("names an unknown operator with the field's operators", () => {
    expect(one({ field: 'labels', op: 'has', values: ['x'] })).toEqual(['conditions.0.op: unknown operator "has" for labels; one of has_any, has_all, has_none']);
    expect(one({ field: 'rating', values: [1] })).toEqual(['conditions.0.op: required for rating; one of eq, ne, gt, gte, lt, lte, between, exists, not_exists']);
  });

  it('says which value is wrong, in words', () => {
    expect(one({ field: 'rating', op: 'gt', value: 'high' })).toEqual(['conditions.0.value: a number']);
    expect(one({ field: 'rating', op: 'gt', value: 2.5 })).toEqual(['conditions.0.value: a whole number']);
    expect(one({ field: 'consent', op: 'is', value: 'yes' })).toEqual(['conditions.0.value: true or false']);
    expect(one({ field: 'labels', op: 'has_all', values: 'vip' })).toEqual(['conditions.0.values: a list']);
    expect(one({ field: 'labels', op: 'has_all', values: [] })).toEqual(['conditions.0.values: at least one value']);
    expect(one({ field: 'last_interaction_at', op: 'after', value: 'yesterday' })).toEqual(['conditions.0.value: a date like 2026-01-31 or 2026-01-31T09:00:00Z']);
    expect(one({ field: 'list', op: 'in_any', listIds: ['nope'] })).toEqual(['conditions.0.listIds.0: list ids are UUIDs']);
  });

  it('says which key is missing or not expected', () => {
    expect(one({ field: 'labels', op: 'has_any', value: ['x'] })).toEqual([
      'conditions.0.values: required',
      'conditions.0: "value" is not part of a labels "has_any" condition, which takes field, op, values',
    ]);
  });

  it('refuses reversed ranges', () => {
    expect(one({ field: 'conversation_count', op: 'between', min: 5, max: 2 })).toEqual(['conditions.0.max: min must not be greater than max']);
    expect(one({ field: 'last_interaction_at', op: 'between', from: '2026-02-01', to: '2026-01-01' })).toEqual(['conditions.0.to: "from" must not be after "to"']);
    expect(one({ field: 'custom', key: 'spend', op: 'between', min: 500, max: 100 })).toEqual(['conditions.0.max: min must not be greater than max']);
    expect(one({ field: 'custom', key: 'birthday', op: 'between', from: '2000-01-02', to: '2000-01-01T23:00:00Z' })).toEqual(['conditions.0.to: "from" must not be after "to"']);
  });

  it('rejects a custom field key written as SQL by the key rule, but takes such a value as text', () => {
    const sqlText = "city'); DROP TABLE contacts;--";
    expect(one({ field: 'custom', key: sqlText, op: 'equals', value: 'x' })).toEqual([
      'conditions.0.key: a custom field key: lower-case letters, digits and _ , starting with a letter',
    ]);
    const ok = { op: 'and', conditions: [{ field: 'custom', key: 'city', op: 'equals', value: sqlText }] };
    expect(segmentCriteria.parse(ok)).toEqual(ok);
  });

  it('explains bad groups and nodes with their paths', () => {
    expect(problems({ op: 'xor', conditions: [{ op: 'or', conditions: [7] }], extra: 1 })).toEqual([
      'op: "and" or "or"',
      ': "extra" is not part of a group, which takes op, conditions',
      'conditions.0.conditions.0: a condition {"field", "op", …} or a group {"op", "conditions"}',
    ]);
    expect(problems('everyone')).toEqual([': a group: {"op": "and" | "or", "conditions": [...]}']);
    expect(problems({ field: 'consent', op: 'is', value: true })).toContain('conditions: required');
  });

  it('refuses trees deeper or larger than the limits before looking at them closely', () => {
    let deep: unknown = { op: 'and', conditions: [] };
    for (let i = 0; i < CRITERIA_LIMITS.maxDepth; i++) deep = { op: 'and', conditions: [deep] };
    expect(problems(deep)).toEqual([`: groups nest at most ${CRITERIA_LIMITS.maxDepth} deep`]);
    const bad = { field: 'nope' };
    const many = { op: 'and', conditions: Array.from({ length: 10_000 }, () => bad) };
    expect(problems(many)).toEqual([`: at most ${CRITERIA_LIMITS.maxConditions} conditions in a segment`]);
    const spread = { op: 'or', conditions: Array.from({ length: 26 }, () => ({ op: 'and', conditions: [everyShape[0], everyShape[1]] })) };
    expect(problems(spread)).toEqual([`: at most ${CRITERIA_LIMITS.maxConditions} conditions in a segment`]);
  });

  it('quotes long input back only in part', () => {
    const [message] = one({ field: 'x'.repeat(10_000), op: 'is' });
    expect(message!.length).toBeLessThan(300);
  });

  it('collects the lists a tree names, once each', () => {
    const criteria = segmentCriteria.parse({
      op: 'or',
      conditions: [
        { field: 'list', op: 'in_any', listIds: [LIST_A, LIST_B] },
        { op: 'and', conditions: [{ field: 'list', op: 'in_none', listIds: [LIST_A] }, { field: 'consent', op: 'is', value: true }] },
      ],
    });
    expect(listIdsOf(criteria)).toEqual([LIST_A, LIST_B]);
    expect(listIdsOf({ op: 'and', conditions: [] })).toEqual([]);
  });
});
