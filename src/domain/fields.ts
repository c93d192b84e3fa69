/**
 * Custom contact fields become template variables `{{key}}`. Keys are derived from spreadsheet
 * headers (any language) the same way everywhere: lower-case ASCII, digits and underscores.
 */
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

/** Makes keys unique within one file: `city`, `city_2`, … */
export function uniqueKeys(keys: string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((k) => {
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n === 1 ? k : `${k}_${n}`.slice(0, 64);
  });
}
