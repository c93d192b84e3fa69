import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from './errors.ts';
import type { DetectedColumn } from './import-detect.ts';
import { FirstRowIndex, columnPlan, duplicateReason, mergeContactRows, phoneKey, readContactRow, resolveMapping, type ContactRow } from './import-rows.ts';

const col = (index: number, header: string, role: DetectedColumn['role'], key: string): DetectedColumn => ({ index, header, role, key, type: 'text', samples: [] });
const detected = [col(0, 'Phone', 'phone', 'phone'), col(1, 'Name', 'name', 'name'), col(2, 'City', 'field', 'city'), col(3, 'Opt-in', 'consent', 'consent')];

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('no error');
};

describe('resolveMapping', () => {
  it('keeps the detected mapping when the user changes nothing', () => {
    expect(resolveMapping(detected, []).map((c) => [c.role, c.key])).toEqual([
      ['phone', 'phone'],
      ['name', 'name'],
      ['field', 'city'],
      ['consent', 'consent'],
    ]);
  });

  it('applies changed roles and keys', () => {
    const m = resolveMapping(detected, [
      { index: 2, role: 'field', key: 'kota' },
      { index: 3, role: 'field' },
      { index: 1, role: 'ignore' },
    ]);
    expect(m.map((c) => [c.role, c.key])).toEqual([
      ['phone', 'phone'],
      ['ignore', 'name'],
      ['field', 'kota'],
      ['field', 'consent'],
    ]);
  });

  it('gives a former phone column turned field a key that is not reserved', () => {
    const m = resolveMapping(detected, [{ index: 0, role: 'field' }, { index: 2, role: 'phone' }]);
    expect(m[0]).toMatchObject({ role: 'field', key: 'phone_field' });
  });

  it('refuses a mapping without a phone, with two phones, or with bad keys', () => {
    expect(error(() => resolveMapping(detected, [{ index: 0, role: 'ignore' }]))).toMatchObject({ kind: 'invalid', code: 'PHONE_COLUMN_REQUIRED' });
    expect(error(() => resolveMapping(detected, [{ index: 2, role: 'phone' }])).message).toBe(
      'Only one column can be the phone: "Phone" and "City" are both mapped to phone',
    );
    expect(error(() => resolveMapping(detected, [{ index: 2, role: 'field', key: 'Kota' }])).code).toBe('INVALID_VARIABLE_KEY');
    expect(error(() => resolveMapping(detected, [{ index: 2, role: 'field', key: 'phone' }])).message).toMatch(/reserved/);
    expect(
      error(() => resolveMapping(detected, [{ index: 2, role: 'field', key: 'x' }, { index: 3, role: 'field', key: 'x' }])).message,
    ).toBe('Columns "City" and "Opt-in" both use the variable key "x"');
    expect(error(() => resolveMapping(detected, [{ index: 9, role: 'field' }])).message).toBe('Column 10 does not exist: the file has 4 columns');
    expect(error(() => resolveMapping(detected, [{ index: 2, role: 'field' }, { index: 2, role: 'ignore' }])).message).toMatch(/mapped twice/);
  });
});

describe('readContactRow', () => {
  const plan = columnPlan(resolveMapping(detected, []));

  it('reads a contact: E.164 phone, trimmed values, consent', () => {
    expect(readContactRow(['0812-3456-7890', ' Ana ', ' Jakarta ', 'Ya'], plan, 'ID')).toEqual({
      ok: true,
      phone: '+6281234567890',
      name: 'Ana',
      consent: true,
      fields: { city: 'Jakarta' },
    });
  });

  it('leaves empty values out so they never erase existing ones', () => {
    expect(readContactRow(['081234567890', '', ''], plan, 'ID')).toEqual({ ok: true, phone: '+6281234567890', name: null, consent: false, fields: {} });
  });

  it('rejects rows without a valid phone, with the reason', () => {
    expect(readContactRow(['', 'Ana'], plan, 'ID')).toEqual({ ok: false, reason: 'missing phone' });
    expect(readContactRow(['hello', 'Ana'], plan, 'ID')).toEqual({ ok: false, reason: 'invalid phone "hello": not a phone number' });
    expect(readContactRow(['081234567890', 'x'.repeat(40_000)], plan, 'ID')).toEqual({ ok: false, reason: 'column 2 is longer than 32,767 characters' });
  });
});

describe('mergeContactRows', () => {
  it('lets later non-empty values win and keeps consent once given', () => {
    const a: ContactRow = { ok: true, phone: '+6281234567890', name: 'Ana', consent: true, fields: { city: 'Jakarta', tier: 'gold' } };
    mergeContactRows(a, { ok: true, phone: a.phone, name: null, consent: false, fields: { city: 'Depok' } });
    expect(a).toEqual({ ok: true, phone: '+6281234567890', name: 'Ana', consent: true, fields: { city: 'Depok', tier: 'gold' } });
  });

  it('keys phones exactly and words the duplicate reason', () => {
    expect(phoneKey('+628123456789012')).toBe(628123456789012);
    expect(duplicateReason(7)).toBe('duplicate in file (merged into row 7)');
  });
});

describe('FirstRowIndex', () => {
  it('keeps the first row of every phone, like a Map, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 1e6 })), { maxLength: 3000 }), (pairs) => {
        const index = new FirstRowIndex();
        const model = new Map<number, number>();
        for (const [k, row] of pairs) {
          const key = 6281200000000 + k;
          index.add(key, row);
          if (!model.has(key)) model.set(key, row);
        }
        expect(index.size).toBe(model.size);
        for (const [key, row] of model) expect(index.get(key)).toBe(row);
        expect(index.get(6281100000000)).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });

  it('holds a million phones', () => {
    const index = new FirstRowIndex();
    for (let i = 1; i <= 1_000_000; i++) index.add(phoneKey(`+62812${String(10_000_000 + i * 7)}`), i);
    expect(index.size).toBe(1_000_000);
    expect(index.get(phoneKey('+6281210000007'))).toBe(1);
    expect(index.get(phoneKey(`+62812${String(10_000_000 + 1_000_000 * 7)}`))).toBe(1_000_000);
  });
});
