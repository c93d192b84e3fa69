import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

export function isValidCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code as CountryCode);
}

const SCIENTIFIC = /^[+]?\d+(?:[.,]\d+)?e[+]?\d+$/i;
const SEPARATORS = /[\s\-()./\u00a0\u200b]/g;

/**
 * Normalises what people type in spreadsheets to E.164. Handles `+`, `00` international prefixes,
 * national numbers (with the workspace's default country) and numbers that already start with a
 * country code but lack the `+` (common in exports: 6281234567890).
 */
export function normalizePhone(raw: string | number | null | undefined, defaultCountry: string): PhoneResult {
  if (raw === null || raw === undefined) return { ok: false, reason: 'missing phone' };
  let s = typeof raw === 'number' ? (Number.isInteger(raw) ? raw.toFixed(0) : String(raw)) : raw.trim();
  if (s === '') return { ok: false, reason: 'missing phone' };
  if (SCIENTIFIC.test(s)) {
    return { ok: false, reason: `invalid phone "${s}": shortened to scientific notation by a spreadsheet, digits are lost` };
  }
  s = s.replace(SEPARATORS, '');
  if (s.startsWith('00')) s = '+' + s.slice(2);
  if (!/^\+?\d{3,17}$/.test(s)) return { ok: false, reason: `invalid phone "${String(raw).trim()}": not a phone number` };
  const country = defaultCountry as CountryCode;
  const attempts = s.startsWith('+') ? [s] : [s, '+' + s];
  for (const candidate of attempts) {
    const parsed = candidate.startsWith('+')
      ? parsePhoneNumberFromString(candidate)
      : parsePhoneNumberFromString(candidate, country);
    if (parsed?.isValid()) return { ok: true, e164: parsed.number };
  }
  return { ok: false, reason: `invalid phone "${String(raw).trim()}": not a valid number for ${s.startsWith('+') ? 'its country code' : defaultCountry}` };
}
