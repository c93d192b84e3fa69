const numberFormat = new Intl.NumberFormat('en-US');
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export const formatNumber = (n: number) => numberFormat.format(n);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

/** "3 minutes ago" style for recent events, a date otherwise. */
export function formatRelative(iso: string | null | undefined): string {
  if (!iso) return 'Never';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return 'Just now';
  if (seconds < 3600) return relative.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86400) return relative.format(-Math.round(seconds / 3600), 'hour');
  if (seconds < 7 * 86400) return relative.format(-Math.round(seconds / 86400), 'day');
  return formatDate(iso);
}

/** A custom field value as text; dates imported from spreadsheets stay readable. */
export function formatFieldValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function delimiterWords(d: string | null): string {
  switch (d) {
    case ',':
      return 'Comma (,)';
    case ';':
      return 'Semicolon (;)';
    case '\t':
      return 'Tab';
    case '|':
      return 'Pipe (|)';
    case null:
      return 'None (one column)';
    default:
      return `“${d}”`;
  }
}

export function encodingWords(e: string): string {
  const map: Record<string, string> = {
    'utf-8': 'UTF-8',
    utf8: 'UTF-8',
    'utf-8-bom': 'UTF-8 with BOM',
    'utf-16le': 'UTF-16 (Excel “Unicode text”)',
    'utf-16be': 'UTF-16 big-endian',
    latin1: 'Latin-1 (Western European)',
    'iso-8859-1': 'Latin-1 (Western European)',
    'windows-1252': 'Windows-1252 (Western European)',
  };
  return map[e.toLowerCase()] ?? e;
}

/** A custom field's column title: its label, or its key made readable (`tanggal_lahir` → "Tanggal lahir"). */
export function fieldTitle(f: { key: string; label?: string | null }): string {
  if (f.label && f.label !== f.key) return f.label;
  const words = f.key.replace(/_+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The column title of the field `key`, from its definition among `fields` when there is one. */
export function fieldTitleOf(key: string, fields: readonly { key: string; label?: string | null }[] = []): string {
  return fieldTitle(fields.find((f) => f.key === key) ?? { key });
}
