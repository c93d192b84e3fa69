import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dateSpan } from './segment-criteria.ts';
import { compareDecimal, foldCase, matchesSegment, numberText, type SegmentContact } from './segment-match.ts';
import type { SegmentCondition, SegmentGroup } from './segment-criteria.ts';
import { ISO_DATE } from './fields.ts';

const NOW = new Date('2026-03-15T12:00:00Z');

const contact = (over: Partial<SegmentContact> = {}): SegmentContact => ({
  labels: [],
  workflowStatus: null,
  lastInteractionAt: null,
  conversationCount: 0,
  rating: null,
  fields: {},
  consent: false,
  optedOutAt: null,
  ...over,
});
const matches = (c: SegmentContact, condition: SegmentCondition | SegmentGroup, lists: string[] = []) =>
  matchesSegment(c, 'conditions' in condition ? condition : { op: 'and', conditions: [condition] }, { now: NOW, listIdsOfContact: new Set(lists) });

describe('dateSpan', () => {
  it('reads a date as its whole UTC day and a time as one millisecond, UTC unless a zone is given', () => {
    expect(dateSpan('2026-01-31')).toEqual({ start: new Date('2026-01-31T00:00:00Z'), end: new Date('2026-02-01T00:00:00Z') });
    expect(dateSpan('2026-01-31T09:00').start).toEqual(new Date('2026-01-31T09:00:00Z'));
    expect(dateSpan('2026-01-31 09:00:00').start).toEqual(new Date('2026-01-31T09:00:00Z'));
    expect(dateSpan('2026-01-31T09:00:00+0700')).toEqual({ start: new Date('2026-01-31T02:00:00Z'), end: new Date('2026-01-31T02:00:00.001Z') });
    expect(dateSpan('2026-01-31T09:00:00.5-05:30').start).toEqual(new Date('2026-01-31T14:30:00.500Z'));
  });

  it('gives a real instant for every date the criteria schema accepts', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const value = fc
      .tuple(fc.integer({ min: 1900, max: 2100 }), two(13), two(32), fc.option(fc.tuple(fc.constantFrom('T', ' '), two(24), two(59), fc.option(two(59)), fc.option(fc.integer({ min: 0, max: 999999 })), fc.constantFrom('', 'Z', '+07:00', '-0530'))))
      .map(([y, m, d, t]) => `${y}-${m}-${d}${t ? `${t[0]}${t[1]}:${t[2]}${t[3] === null ? '' : `:${t[3]}${t[4] === null ? '' : `.${t[4]}`}`}${t[5]}` : ''}`);
    fc.assert(
      fc.property(value, (v) => {
        fc.pre(ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)));
        const { start, end } = dateSpan(v);
        expect(Number.isNaN(start.getTime())).toBe(false);
        expect(end.getTime()).toBeGreaterThan(start.getTime());
      }),
    );
  });
});

describe('compareDecimal', () => {
  it('agrees with exact integer arithmetic on random decimals', () => {
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 20 })).map(([m, scale]) => {
      const digits = (m < 0n ? -m : m).toString().padStart(scale + 1, '0');
      const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
      return { text: m < 0n ? `-${text}` : text, m, scale };
    });
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const [x, y] = [a.m * 10n ** BigInt(20 - a.scale), b.m * 10n ** BigInt(20 - b.scale)];
        expect(compareDecimal(a.text, b.text)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });

  it('reads signs, leading zeros and exponents as PostgreSQL numeric does', () => {
    expect(compareDecimal('1e+21', '1000000000000000000000')).toBe(0);
    expect(compareDecimal('1e-7', '0.0000001')).toBe(0);
    expect(compareDecimal('-0', '0.000')).toBe(0);
    expect(compareDecimal('007', '7')).toBe(0);
    expect(compareDecimal('+7', '6.99999999999999999999')).toBe(1);
    expect(compareDecimal('-3', '-2.5')).toBe(-1);
    // Equal negative numbers compare as 0, not -0 (found by the property above).
    expect(compareDecimal('-0.29', '-0.290')).toBe(0);
    expect(compareDecimal('0.1000000000000000000001', String(0.1))).toBe(1);
  });
});

describe('numberText', () => {
  it('prints a number as PostgreSQL prints a JSON number', () => {
    expect([1e21, 1.5e25, 1e-7, -1.5e-7, 123.45, -0, 100, 0.1].map(numberText)).toEqual([
      '1000000000000000000000',
      '15000000000000000000000000',
      '0.0000001',
      '-0.00000015',
      '123.45',
      '0',
      '100',
      '0.1',
    ]);
  });
});

describe('foldCase', () => {
  it('maps each code point to one code point, like lower() in a UTF-8 database', () => {
    expect(foldCase('İSTANBUL')).toBe('istanbul');
    expect(foldCase('ΣΑΣ')).toBe('σασ');
    expect(foldCase('ẞ Ёлка ÀÉÎ 😀')).toBe('ß ёлка àéî 😀');
  });
});

describe('matchesSegment', () => {
  it('an empty AND matches everyone, an empty OR no one', () => {
    expect(matches(contact(), { op: 'and', conditions: [] })).toBe(true);
    expect(matches(contact(), { op: 'or', conditions: [] })).toBe(false);
  });

  it('every negative operator is the exact complement of its positive one', () => {
    const pairs: Array<[SegmentCondition, SegmentCondition]> = [
      [{ field: 'labels', op: 'has_any', values: ['vip', 'x'] }, { field: 'labels', op: 'has_none', values: ['vip', 'x'] }],
      [{ field: 'workflow_status', op: 'in', values: ['new'] }, { field: 'workflow_status', op: 'not_in', values: ['new'] }],
      [{ field: 'workflow_status', op: 'exists' }, { field: 'workflow_status', op: 'not_exists' }],
      [{ field: 'last_interaction_at', op: 'within_last_days', days: 30 }, { field: 'last_interaction_at', op: 'not_within_last_days', days: 30 }],
      [{ field: 'last_interaction_at', op: 'exists' }, { field: 'last_interaction_at', op: 'not_exists' }],
      [{ field: 'rating', op: 'exists' }, { field: 'rating', op: 'not_exists' }],
      [{ field: 'custom', key: 'city', op: 'equals', value: 'JAKARTA' }, { field: 'custom', key: 'city', op: 'not_equals', value: 'JAKARTA' }],
      [{ field: 'custom', key: 'city', op: 'contains', value: 'kar' }, { field: 'custom', key: 'city', op: 'not_contains', value: 'kar' }],
      [{ field: 'custom', key: 'city', op: 'exists' }, { field: 'custom', key: 'city', op: 'not_exists' }],
      [{ field: 'list', op: 'in_any', listIds: ['l1'] }, { field: 'list', op: 'in_none', listIds: ['l1'] }],
    ];
    const arbitraryContact = fc.record({
      labels: fc.subarray(['vip', 'x', 'y']),
      workflowStatus: fc.constantFrom(null, 'new', 'lost'),
      lastInteractionAt: fc.option(fc.integer({ min: -40, max: 5 }).map((d) => new Date(NOW.getTime() + d * 86_400_000))),
      conversationCount: fc.nat(5),
      rating: fc.option(fc.nat(10)),
      fields: fc.record({ city: fc.constantFrom('Jakarta', 'jakarta', 'Karawang', 42, true, null, '') }, { requiredKeys: [] }),
      consent: fc.boolean(),
      optedOutAt: fc.constant(null),
    });
    fc.assert(
      fc.property(arbitraryContact, fc.subarray(['l1', 'l2']), (c, lists) => {
        for (const [positive, negative] of pairs) expect(matches(c, negative, lists)).toBe(!matches(c, positive, lists));
      }),
    );
  });

  it('number comparisons look only at numbers and plain numeric text', () => {
    const gt = (value: unknown) => matches(contact({ fields: { spend: value } }), { field: 'custom', key: 'spend', op: 'gt', value: 10 });
    expect([12, '12', '+12.5', '0012'].map(gt)).toEqual([true, true, true, true]);
    expect(['1,200', '12.', '.5e3', '1e3', ' 12', '١٢', 'NaN', true, null, undefined].map(gt)).toEqual(Array(10).fill(false));
    // Only the first 1,000 characters count: no text is too long to compare.
    expect(gt(`1${'0'.repeat(5000)}`)).toBe(true);
    const ne = (value: unknown) => matches(contact({ fields: { spend: value } }), { field: 'custom', key: 'spend', op: 'ne', value: 10 });
    expect([11, 'abc', undefined].map(ne)).toEqual([true, false, false]);
  });
});
