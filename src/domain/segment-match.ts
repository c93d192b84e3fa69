import { dateSpan, dayOf, isGroup, type SegmentCondition, type SegmentGroup } from './segment-criteria.ts';

/**
 * The meaning of segment criteria, decided once and shared by src/db/segment-sql.ts (which compiles
 * it to SQL) and `matchesSegment` below (the same rules on one contact in memory: the tests' oracle,
 * and a way to tell whether one contact enters a segment without a query).
 *
 * - An empty AND group matches every contact; an empty OR group matches none.
 * - Every negative operator is the exact complement of its positive one, so contacts without a value
 *   are in it: "status not in X" includes contacts with no status, "has none of these labels",
 *   "in none of these lists", custom `not_equals` / `not_contains` include contacts without the
 *   field, and "not within the last N days" includes contacts who never interacted.
 * - Number comparisons (including `ne`) and date comparisons match only contacts that have a number
 *   or a date there.
 * - Labels and workflow statuses compare exactly (they are picked from the workspace's own values).
 * - Custom fields hold text, numbers and booleans (the API and imports write nothing else). Text
 *   operators compare a value's text — numbers as plain decimals (`numberText`), booleans as
 *   `true` / `false` — case-insensitively (`foldCase`: the database's `lower()`), so "spend equals
 *   100" finds the number 100 and the text "100" alike.
 * - Custom numbers: JSON numbers, or text that is plainly a decimal number (`NUMERIC_TEXT_PATTERN`:
 *   optional sign, digits, optional point and digits; no spaces, thousands separators or exponent),
 *   compared exactly as decimals. Only the first `NUMERIC_TEXT_MAX` characters count, so no stored
 *   text can overflow the database's decimal type.
 * - Custom dates: text starting with an ISO date (`ISO_DAY_PATTERN`, month 01–12, day 01–31); the
 *   calendar day as written is compared (time and zone ignored), so a birthday stays on its day.
 * - `is_true` / `is_false`: the value's text is one of `TRUE_WORDS` / `FALSE_WORDS`, in any case
 *   (so JSON true and false, and the numbers 1 and 0, count too).
 * - Custom `exists`: the key is present and its value is not JSON null (an empty text exists).
 * - Last interaction: `before` / `after` are strict, `between` includes both ends. A date without a
 *   time is a whole day in UTC; a time without a zone is UTC; precision is the millisecond.
 *   `within_last_days: N` means at or after `now` − N × 24 h.
 * - `reachable` (in the statistics): consented and not opted out.
 */

export const TRUE_WORDS = ['true', 'yes', 'y', '1', 'ya', 'on'] as const;
export const FALSE_WORDS = ['false', 'no', 'n', '0', 'tidak', 'off'] as const;
// PostgreSQL's regular expressions and JavaScript's read these two the same way (ASCII digits only).
// No bounded repetition like {1,30} in the number pattern: PostgreSQL runs it four times slower.
export const NUMERIC_TEXT_PATTERN = '^[+-]?[0-9]+([.][0-9]+)?$';
export const NUMERIC_TEXT_MAX = 1000;
export const ISO_DAY_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])';
const NUMERIC_TEXT = new RegExp(NUMERIC_TEXT_PATTERN);
const ISO_DAY = new RegExp(ISO_DAY_PATTERN);

const DAY_MS = 86_400_000;

/** The start of "within the last N days". */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * PostgreSQL's `lower()` in a UTF-8 database: one code point to one code point (so `İ` becomes `i`
 * and a final `Σ` becomes `σ`, where JavaScript's full case mapping differs).
 */
export function foldCase(s: string): string {
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    out += lower.length > ch.length ? String.fromCodePoint(lower.codePointAt(0)!) : lower;
  }
  return out;
}

/** value = sign × 0.digits × 10^exp, digits without leading or trailing zeros ('' for zero). */
function decimalParts(s: string): { sign: -1 | 0 | 1; digits: string; exp: number } {
  const [, sign, int = '', frac = '', e = '0'] = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s) ?? [];
  const all = int + frac;
  const lead = /^0*/.exec(all)![0].length;
  const digits = all.slice(lead).replace(/0+$/, '');
  if (!digits) return { sign: 0, digits: '', exp: 0 };
  return { sign: sign === '-' ? -1 : 1, digits, exp: int.length + Number(e) - lead };
}

/** Exact comparison of two decimals written as text (like PostgreSQL's `numeric`), -1, 0 or 1. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = decimalParts(a);
  const y = decimalParts(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  if (x.exp === y.exp && x.digits === y.digits) return 0;
  const larger = x.exp !== y.exp ? x.exp > y.exp : x.digits > y.digits;
  // For negative numbers the larger magnitude is the smaller number.
  return (larger ? 1 : -1) * x.sign === 1 ? 1 : -1;
}

/** A number as PostgreSQL prints a JSON number: plain decimal digits, never an exponent. */
export function numberText(n: number): string {
  const { sign, digits, exp } = decimalParts(String(n));
  if (sign === 0) return '0';
  const plain = exp <= 0 ? `0.${'0'.repeat(-exp)}${digits}` : exp >= digits.length ? digits + '0'.repeat(exp - digits.length) : `${digits.slice(0, exp)}.${digits.slice(exp)}`;
  return sign < 0 ? `-${plain}` : plain;
}

/** What `fields ->> key` gives for a custom value: its text, or null when missing or JSON null. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return typeof v === 'number' && Number.isFinite(v) ? numberText(v) : null;
}

export interface SegmentContact {
  labels: readonly string[];
  workflowStatus: string | null;
  lastInteractionAt: Date | null;
  conversationCount: number;
  rating: number | null;
  fields: Readonly<Record<string, unknown>>;
  consent: boolean;
  optedOutAt: Date | null;
}

export interface MatchContext {
  /** The moment the segment is evaluated ("within the last N days"). */
  now: Date;
  /** The lists the contact is a member of (in its own workspace). */
  listIdsOfContact: ReadonlySet<string>;
}

type NumberOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

function compareNumber(c: -1 | 0 | 1, op: NumberOp): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'gt':
      return c > 0;
    case 'gte':
      return c >= 0;
    case 'lt':
      return c < 0;
    case 'lte':
      return c <= 0;
  }
}

const sign = (d: number): -1 | 0 | 1 => (d < 0 ? -1 : d > 0 ? 1 : 0);
const presence = (op: 'exists' | 'not_exists', present: boolean) => (op === 'exists' ? present : !present);

/** A number column: `between` is inclusive; a missing value matches nothing. */
function numberMatches(value: number | null, c: { op: NumberOp; value: number } | { op: 'between'; min: number; max: number }): boolean {
  if (value === null) return false;
  return c.op === 'between' ? value >= c.min && value <= c.max : compareNumber(sign(value - c.value), c.op);
}

function timeMatches(at: Date | null, c: Extract<SegmentCondition, { field: 'last_interaction_at' }>, now: Date): boolean {
  const t = at?.getTime() ?? null;
  switch (c.op) {
    case 'exists':
    case 'not_exists':
      return presence(c.op, t !== null);
    case 'within_last_days':
      return t !== null && t >= daysBefore(now, c.days).getTime();
    case 'not_within_last_days':
      return !(t !== null && t >= daysBefore(now, c.days).getTime());
    case 'before':
      return t !== null && t < dateSpan(c.value).start.getTime();
    case 'after':
      return t !== null && t >= dateSpan(c.value).end.getTime();
    case 'between':
      return t !== null && t >= dateSpan(c.from).start.getTime() && t < dateSpan(c.to).end.getTime();
  }
}

function customMatches(fields: Readonly<Record<string, unknown>>, c: Extract<SegmentCondition, { field: 'custom' }>): boolean {
  const raw = textOf(Object.hasOwn(fields, c.key) ? fields[c.key] : undefined);
  const text = raw === null ? null : foldCase(raw);
  switch (c.op) {
    case 'exists':
    case 'not_exists':
      return presence(c.op, raw !== null);
    case 'equals':
      return text !== null && text === foldCase(c.value);
    case 'not_equals':
      return !(text !== null && text === foldCase(c.value));
    case 'contains':
      return text !== null && text.includes(foldCase(c.value));
    case 'not_contains':
      return !(text !== null && text.includes(foldCase(c.value)));
    case 'starts_with':
      return text !== null && text.startsWith(foldCase(c.value));
    case 'is_true':
      return text !== null && (TRUE_WORDS as readonly string[]).includes(text);
    case 'is_false':
      return text !== null && (FALSE_WORDS as readonly string[]).includes(text);
    case 'before':
    case 'after':
    case 'on': {
      if (raw === null || !ISO_DAY.test(raw)) return false;
      const [day, wanted] = [dayOf(raw), dayOf(c.value)];
      return c.op === 'before' ? day < wanted : c.op === 'after' ? day > wanted : day === wanted;
    }
    case 'between': {
      if ('min' in c) {
        if (raw === null || !NUMERIC_TEXT.test(raw)) return false;
        const number = raw.slice(0, NUMERIC_TEXT_MAX);
        return compareDecimal(number, String(c.min)) >= 0 && compareDecimal(number, String(c.max)) <= 0;
      }
      if (raw === null || !ISO_DAY.test(raw)) return false;
      const day = dayOf(raw);
      return day >= dayOf(c.from) && day <= dayOf(c.to);
    }
    default:
      return raw !== null && NUMERIC_TEXT.test(raw) && compareNumber(compareDecimal(raw.slice(0, NUMERIC_TEXT_MAX), String(c.value)), c.op);
  }
}

function conditionMatches(contact: SegmentContact, c: SegmentCondition, ctx: MatchContext): boolean {
  switch (c.field) {
    case 'labels': {
      const has = (l: string) => contact.labels.includes(l);
      return c.op === 'has_any' ? c.values.some(has) : c.op === 'has_all' ? c.values.every(has) : !c.values.some(has);
    }
    case 'workflow_status': {
      const s = contact.workflowStatus;
      if (!('values' in c)) return presence(c.op, s !== null);
      const isIn = s !== null && c.values.includes(s);
      return c.op === 'in' ? isIn : !isIn;
    }
    case 'last_interaction_at':
      return timeMatches(contact.lastInteractionAt, c, ctx.now);
    case 'conversation_count':
      return numberMatches(contact.conversationCount, c);
    case 'rating':
      if (!('value' in c) && !('min' in c)) return presence(c.op, contact.rating !== null);
      return numberMatches(contact.rating, c);
    case 'custom':
      return customMatches(contact.fields, c);
    case 'list': {
      const inAny = c.listIds.some((id) => ctx.listIdsOfContact.has(id));
      return c.op === 'in_any' ? inAny : !inAny;
    }
    case 'consent':
      return contact.consent === c.value;
    case 'opted_out':
      return (contact.optedOutAt !== null) === c.value;
  }
}

export function matchesSegment(contact: SegmentContact, criteria: SegmentGroup, ctx: MatchContext): boolean {
  const test = (node: SegmentCondition | SegmentGroup): boolean => (isGroup(node) ? matchesSegment(contact, node, ctx) : conditionMatches(contact, node, ctx));
  return criteria.op === 'and' ? criteria.conditions.every(test) : criteria.conditions.some(test);
}
