import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RESERVED_KEYS, VARIABLE_KEY, toVariableKey, uniqueKeys } from './fields.ts';

describe('toVariableKey', () => {
  it.each([
    ['City', 'city'],
    ['  Full Name ', 'full_name'],
    ['Tanggal Lahir (DD/MM)', 'tanggal_lahir_dd_mm'],
    ['Teléfono Móvil', 'telefono_movil'],
    ['Ciudad/Región', 'ciudad_region'],
    ['Total Belanja (Rp)', 'total_belanja_rp'],
    ['2024 Orders', 'field_2024_orders'],
    ['#', 'field'],
    ['', 'field'],
    ['ÉLÈVE', 'eleve'],
    ['no. hp', 'no_hp'],
  ])('%j → %j', (header, key) => expect(toVariableKey(header)).toBe(key));

  it('always yields a valid variable key, whatever the header', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (h) => VARIABLE_KEY.test(toVariableKey(h))));
  });

  it('cuts long headers to 64 characters without a trailing underscore', () => {
    const key = toVariableKey('a'.repeat(63) + ' b');
    expect(key).toBe('a'.repeat(63));
  });
});

describe('uniqueKeys', () => {
  it('suffixes repeated keys in order', () => {
    expect(uniqueKeys(['city', 'city', 'name', 'city'])).toEqual(['city', 'city_2', 'name', 'city_3']);
  });

  it('keeps every key unique, even next to a header that already ends in _2', () => {
    expect(uniqueKeys(['city_2', 'city', 'city'])).toEqual(['city_2', 'city', 'city_3']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'a_2', 'a_3'), { maxLength: 30 }), (keys) => {
        const out = uniqueKeys(keys);
        return new Set(out).size === out.length && out.every((k, i) => k.startsWith(keys[i]!));
      }),
    );
  });

  it('stays within 64 characters when suffixing a long key', () => {
    const long = 'k'.repeat(64);
    expect(uniqueKeys([long, long, long])).toEqual([long, 'k'.repeat(62) + '_2', 'k'.repeat(62) + '_3']);
  });

  it('reserves phone and name for the contact itself', () => {
    expect([...RESERVED_KEYS].sort()).toEqual(['name', 'phone']);
  });
});
