import { describe, expect, it } from 'vitest';
import { isValidCountry, normalizePhone } from './phone.ts';

const e164 = (raw: string | number | null | undefined, country = 'ID') => {
  const r = normalizePhone(raw, country);
  return r.ok ? r.e164 : r.reason;
};

describe('normalizePhone', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
    ['(0812) 3456 7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['006281234567890', '+6281234567890'],
    ['0812.3456.7890', '+6281234567890'],
    ['\u00a00812 3456 7890 ', '+6281234567890'],
  ])('ID: %j → %s', (raw, out) => expect(e164(raw)).toBe(out));

  it('keeps Excel numbers whole', () => {
    expect(e164(6281234567890)).toBe('+6281234567890');
  });

  it('uses the default country for national numbers', () => {
    expect(e164('612 345 678', 'ES')).toBe('+34612345678');
    expect(e164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(e164('+44 7400 123456', 'US')).toBe('+447400123456');
  });

  it('names the reason of a rejection', () => {
    expect(e164('')).toBe('missing phone');
    expect(e164('   ')).toBe('missing phone');
    expect(e164(null)).toBe('missing phone');
    expect(e164('call me')).toBe('invalid phone "call me": not a phone number');
    expect(e164('6.28123E+12')).toMatch(/scientific notation/);
    expect(e164('12')).toMatch(/not a phone number/);
    expect(e164('0800')).toMatch(/not a valid number for ID/);
  });

  it('knows supported countries', () => {
    expect(isValidCountry('ID')).toBe(true);
    expect(isValidCountry('XX')).toBe(false);
    expect(isValidCountry('id')).toBe(false);
  });
});
