import type { ContactField, FieldValue } from '../../api/types.ts';

/**
 * Text boxes edit every field as text; the field's type (or the value it had) decides whether
 * the text is saved back as a number or a yes/no. Empty text removes the field.
 */
export function parseFieldInput(text: string, type: ContactField['type'] | undefined, previous: FieldValue | undefined): FieldValue {
  const t = text.trim();
  if (t === '') return null;
  const kind = type ?? (typeof previous === 'number' ? 'number' : typeof previous === 'boolean' ? 'boolean' : 'text');
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (kind === 'boolean' && /^(true|false|yes|no)$/i.test(t)) return /^(true|yes)$/i.test(t);
  return t;
}
