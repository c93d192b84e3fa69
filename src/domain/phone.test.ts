import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { isValidCountry, normalizePhone, parseDigits, parseDigitsFast } from './phone.ts';

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

describe('parseDigits fast path', () => {
  // The reference: libphonenumber-js itself, as normalizePhone called it before the fast path.
  const reference = (s: string, country: string) => {
    const parsed = s.startsWith('+') ? parsePhoneNumberFromString(s) : parsePhoneNumberFromString(s, country as CountryCode);
    return parsed?.isValid() ? parsed.number : null;
  };
  const countries = getCountries();
  const callingCodes = [...new Set(countries.map((c) => getCountryCallingCode(c)))];
  const example = (c: CountryCode) => (examples as Record<string, string | undefined>)[c] ?? '';

  /** How people write the national number `n` of `country`, plus near misses (a digit more, less, changed). */
  function forms(country: CountryCode, n: string): string[] {
    const cc = getCountryCallingCode(country);
    const written = [n, `0${n}`, `${cc}${n}`, `${cc}0${n}`, `+${cc}${n}`, `+${cc}0${n}`, `00${cc}${n}`, `011${cc}${n}`, `8${n}`, `810${cc}${n}`, `1${n}`];
    const out: string[] = [];
    for (const w of written) out.push(w, w + '5', w.slice(0, -1), w.slice(0, -2) + '00', w.replace(/\d(?=\d{3}$)/, '9'));
    return out.filter((s) => /^\+?\d{3,17}$/.test(s));
  }

  it('answers exactly as libphonenumber-js for example numbers of every country in every form', () => {
    let compared = 0;
    let all = 0;
    for (const country of countries) {
      for (const other of [country, 'ID', 'US', 'GB', 'DE'] as CountryCode[]) {
        for (const s of forms(other, example(other))) {
          all++;
          const fast = parseDigitsFast(s, country);
          if (fast !== undefined) {
            compared++;
            expect({ s, country, e164: fast }).toEqual({ s, country, e164: reference(s, country) });
          }
          expect({ s, country, e164: parseDigits(s, country) }).toEqual({ s, country, e164: reference(s, country) });
        }
      }
    }
    // Most are replayed, not sent to the slow path.
    expect(compared / all).toBeGreaterThan(0.6);
  });

  it('answers exactly as libphonenumber-js for random digit strings', () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
    const prefix = fc.oneof(
      fc.constant(''),
      fc.constantFrom(...callingCodes),
      fc.constantFrom(...callingCodes).map((cc) => `+${cc}`),
      fc.constantFrom('0', '00', '+', '8', '9', '011', '810', '0011', '+0'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...countries), prefix, digits(0, 15), (country, p, rest) => {
        const s = (p + rest).slice(0, 18);
        if (!/^\+?\d{3,17}$/.test(s)) return;
        const fast = parseDigitsFast(s, country);
        if (fast !== undefined) expect({ s, country, e164: fast }).toEqual({ s, country, e164: reference(s, country) });
      }),
      { numRuns: 50_000 },
    );
  });

  it('answers exactly as libphonenumber-js for example numbers with random digits changed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...countries),
        fc.constantFrom(...countries),
        fc.array(fc.tuple(fc.nat(16), fc.integer({ min: 0, max: 9 })), { maxLength: 3 }),
        fc.nat(60),
        (country, other, changes, form) => {
          let n = example(other);
          for (const [at, d] of changes) n = n.slice(0, at) + String(d) + n.slice(at + 1);
          const all = forms(other, n);
          const s = all[form % Math.max(all.length, 1)];
          if (s === undefined) return;
          const fast = parseDigitsFast(s, country);
          if (fast !== undefined) expect({ s, country, e164: fast }).toEqual({ s, country, e164: reference(s, country) });
        },
      ),
      { numRuns: 50_000 },
    );
  });

  it('takes the fast path for our customers\u2019 countries in the ways they write numbers', () => {
    for (const country of ['ID', 'MY', 'PH', 'IN', 'MX', 'BR', 'CO', 'AR', 'ES', 'NG', 'KE', 'ZA', 'TR', 'DE', 'FR'] as CountryCode[]) {
      const n = example(country);
      const cc = getCountryCallingCode(country);
      for (const s of [n, `0${n}`, `${cc}${n}`, `+${cc}${n}`]) expect({ s, fast: parseDigitsFast(s, country) }).toEqual({ s, fast: reference(s, country) });
    }
    expect(parseDigitsFast('6281234567890', 'ID')).toBe('+6281234567890');
    expect(parseDigitsFast('081234567890', 'ID')).toBe('+6281234567890');
    expect(parseDigitsFast('+6281234567890', 'ID')).toBe('+6281234567890');
    // An Indonesian number without its trunk 0 that also starts with 62 stays national, as before.
    expect(parseDigitsFast('6221234567', 'ID')).toBe('+626221234567');
    expect(parseDigitsFast('12345', 'ID')).toBeNull();
    // Calling codes shared by several countries are left to libphonenumber-js.
    expect(parseDigitsFast('+14155552671', 'ID')).toBeUndefined();
    expect(parseDigitsFast('4155552671', 'US')).toBeUndefined();
  });
});
