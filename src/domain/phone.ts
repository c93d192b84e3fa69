import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/min/metadata';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

export function isValidCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code as CountryCode);
}

const SCIENTIFIC = /^[+]?\d+(?:[.,]\d+)?e[+]?\d+$/i;
const SEPARATORS = /[\s\-()./\u00a0\u200b]/g;
const DIGITS = /^\+?\d{3,17}$/;

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
  if (!DIGITS.test(s)) return { ok: false, reason: `invalid phone "${String(raw).trim()}": not a phone number` };
  const e164 = parseDigits(s, defaultCountry) ?? (s.startsWith('+') ? null : parseDigits('+' + s, defaultCountry));
  if (e164) return { ok: true, e164 };
  return { ok: false, reason: `invalid phone "${String(raw).trim()}": not a valid number for ${s.startsWith('+') ? 'its country code' : defaultCountry}` };
}

/** `+digits` on its own, or national digits with the default country: the E.164 number when valid, else null. */
export function parseDigits(s: string, defaultCountry: string): string | null {
  const fast = parseDigitsFast(s, defaultCountry);
  if (fast !== undefined) return fast;
  const parsed = s.startsWith('+') ? parsePhoneNumberFromString(s) : parsePhoneNumberFromString(s, defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * What libphonenumber-js would answer for `s` (as parseDigits), or undefined where this fast path
 * does not replay it. It runs libphonenumber-js's own parsing steps for a string of ASCII digits
 * (with or without `+`) on its "min" metadata, with regular expressions compiled once per
 * numbering plan: libphonenumber-js builds a metadata object, copies its options and compiles
 * every pattern again on each call, which made phones the costliest step of an import (≈ 6 µs
 * each, 0.6 µs here). Not replayed: calling codes shared by several countries, non-geographic
 * codes, plans with number types. phone.test.ts checks that both agree on numbers of every
 * country in every form.
 */
export function parseDigitsFast(s: string, defaultCountry: string): string | null | undefined {
  return s.startsWith('+') ? parseInternational(s) : parseNational(s, defaultCountry);
}

/** One country's numbering plan, as libphonenumber-js's metadata describes it (min, format v4). */
interface Plan {
  callingCode: string;
  nationalNumber: RegExp;
  possibleLengths: number[] | undefined;
  /** `^(?:prefix)`: the national (trunk) prefix, possibly with a carrier code, removed when parsing. */
  nationalPrefix: RegExp | undefined;
  nationalPrefixTransform: string | undefined;
  /** International dialling prefix, unanchored as libphonenumber-js uses it. */
  idd: RegExp | undefined;
}

type CountryArray = [string, string?, string?, number[]?, unknown?, string?, unknown?, string?, string?, unknown?, unknown?, unknown?];

const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;

const plans = new Map<string, Plan | null>();

/** The plan of a country that is alone on its calling code and has no number types; null otherwise. */
function planOf(country: string): Plan | null {
  let plan = plans.get(country);
  if (plan !== undefined) return plan;
  plan = null;
  const m = (metadata.countries as Record<string, CountryArray | undefined>)[country];
  const types = m?.[11];
  if (m && !(Array.isArray(types) ? types.length > 0 : types)) {
    const [callingCode, idd, nationalNumber, possibleLengths, , nationalPrefix, , prefixForParsing, transform] = m;
    const sharing = (metadata.country_calling_codes as Record<string, string[] | undefined>)[callingCode];
    if (nationalNumber && sharing?.length === 1 && sharing[0] === country) {
      const forParsing = prefixForParsing || nationalPrefix;
      plan = {
        callingCode,
        nationalNumber: new RegExp(`^(?:${nationalNumber})$`),
        possibleLengths,
        nationalPrefix: forParsing ? new RegExp(`^(?:${forParsing})`) : undefined,
        nationalPrefixTransform: transform || undefined,
        idd: idd ? new RegExp(idd) : undefined,
      };
    }
  }
  plans.set(country, plan);
  return plan;
}

/** Whether libphonenumber-js knows the calling code; the plan when this path replays it. */
function callingCodePlan(code: string): Plan | null | 'unknown' {
  const countries = (metadata.country_calling_codes as Record<string, string[] | undefined>)[code];
  if (countries && !(countries.length === 1 && countries[0]!.length === 3)) return countries.length === 1 ? planOf(countries[0]!) : null;
  return (metadata.nonGeographic as Record<string, unknown>)[code] ? null : 'unknown';
}

function parseInternational(s: string): string | null | undefined {
  if (s[1] === '0') return null;
  for (let i = 2; i - 1 <= MAX_CALLING_CODE_LENGTH && i <= s.length; i++) {
    const plan = callingCodePlan(s.slice(1, i));
    if (plan === 'unknown') continue;
    if (plan === null) return undefined;
    return finish(plan, s.slice(i));
  }
  return null;
}

function parseNational(s: string, country: string): string | null | undefined {
  const plan = planOf(country);
  if (!plan) return undefined;
  if (plan.idd && s.search(plan.idd) === 0) {
    const rest = s.slice(s.match(plan.idd)![0].length);
    if (rest !== '' && rest !== s && rest[0] !== '0') return parseInternational('+' + rest);
  }
  if (s.startsWith(plan.callingCode)) {
    const shorter = s.slice(plan.callingCode.length);
    const full = nationalNumberOf(s, plan);
    if ((!plan.nationalNumber.test(full) && plan.nationalNumber.test(nationalNumberOf(shorter, plan))) || lengthOf(full, plan) === 'TOO_LONG') {
      return finish(plan, shorter);
    }
  }
  return finish(plan, s);
}

function finish(plan: Plan, number: string): string | null {
  if (number === '') return null;
  const national = nationalNumberOf(number, plan);
  if (national.length < MIN_NATIONAL_LENGTH || national.length > MAX_NATIONAL_LENGTH) return null;
  return plan.nationalNumber.test(national) ? `+${plan.callingCode}${national}` : null;
}

/** The number without its national prefix, when removing it leaves a plausible number. */
function nationalNumberOf(number: string, plan: Plan): string {
  if (!plan.nationalPrefix) return number;
  const match = plan.nationalPrefix.exec(number);
  if (!match) return number;
  const lastGroup = match.length - 1;
  const captured = lastGroup > 0 && match[lastGroup];
  const national =
    plan.nationalPrefixTransform && captured ? number.replace(plan.nationalPrefix, plan.nationalPrefixTransform) : number.slice(match[0].length);
  if (national === number) return number;
  if (plan.nationalNumber.test(number) && !plan.nationalNumber.test(national)) return number;
  if (plan.possibleLengths) {
    const length = lengthOf(national, plan);
    if (length === 'TOO_SHORT' || length === 'INVALID_LENGTH') return number;
  }
  return national;
}

function lengthOf(national: string, plan: Plan): 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH' {
  const lengths = plan.possibleLengths;
  if (!lengths) return 'IS_POSSIBLE';
  const n = national.length;
  if (lengths[0] === n) return 'IS_POSSIBLE';
  if (lengths[0]! > n) return 'TOO_SHORT';
  if (lengths[lengths.length - 1]! < n) return 'TOO_LONG';
  return lengths.indexOf(n, 1) >= 0 ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}
