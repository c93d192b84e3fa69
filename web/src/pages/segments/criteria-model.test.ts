import { describe, expect, it } from 'vitest';
import type { SegmentGroup } from '../../../../src/domain/segment-criteria.ts';
import { compile, fieldSpecs, specOf, toDraft } from './criteria-model.ts';

describe('segment builder model', () => {
  const specs = fieldSpecs([
    { key: 'spend', label: 'Spend', type: 'number' },
    { key: 'birthday', label: 'Birthday', type: 'date' },
  ]);

  it('offers "is between" for number and date custom fields, with the values each needs', () => {
    expect(specOf(specs, 'custom:spend')!.operators.find((o) => o.value === 'between')?.kind).toBe('range');
    expect(specOf(specs, 'custom:birthday')!.operators.find((o) => o.value === 'between')?.kind).toBe('dateRange');
  });

  it('opens a saved segment and compiles it back unchanged, a custom between of numbers and of dates alike', () => {
    const criteria: SegmentGroup = {
      op: 'and',
      conditions: [
        { field: 'custom', key: 'spend', op: 'between', min: 100, max: 500 },
        { field: 'custom', key: 'birthday', op: 'between', from: '1990-01-01', to: '1999-12-31' },
        { field: 'last_interaction_at', op: 'between', from: '2026-01-01', to: '2026-01-31' },
        { field: 'rating', op: 'between', min: 3, max: 5 },
      ],
    };
    const compiled = compile(toDraft(criteria), specs);
    expect(compiled.problems).toEqual({});
    expect(compiled.criteria).toEqual(criteria);
  });
});
