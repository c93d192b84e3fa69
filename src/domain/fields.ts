/**
 * Custom contact fields become template variables `{{key}}`. Keys are derived from spreadsheet
 * headers (any language) the same way everywhere: lower-case ASCII, digits and underscores.
 */
/** The types a custom field is registered with (shown in the variable picker, used by segment filters). */
export const FIELD_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** An ISO 8601 date, optionally with a time (`T` or a space, as spreadsheets write it). */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const RESERVED_KEYS = new Set(['phone', 'name']);
export const VARIABLE_KEY = /^[a-z][a-z0-9_]{0,63}$/;

export function toVariableKey(header: string): string {
  const ascii = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const key = /^[a-z]/.test(ascii) ? ascii : `field_${ascii}`.replace(/_+$/, '');
  return key.slice(0, 64).replace(/_+$/, '') || 'field';
}

/** Makes keys unique within one file: `city`, `city_2`, … (never reusing a key that is already there). */
export function uniqueKeys(keys: string[]): string[] {
  const used = new Set<string>();
  return keys.map((k) => {
    const key = suffixUntilFree(k, (candidate) => used.has(candidate));
    used.add(key);
    return key;
  });
}

/** `base` itself when it is not taken, else `base_2`, `base_3`, … (cut so the key stays within 64 characters). */
export function suffixUntilFree(base: string, isTaken: (key: string) => boolean): string {
  let key = base;
  for (let n = 2; isTaken(key); n++) key = `${base.slice(0, 63 - String(n).length)}_${n}`;
  return key;
}

/** The type a custom field set through the API is registered with, guessed from its first value. */
export function guessValueType(value: string | number | boolean): FieldType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? 'date' : 'text';
}
