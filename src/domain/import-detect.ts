import { normalizePhone } from './phone.ts';
import { ISO_DATE, toVariableKey, uniqueKeys, type FieldType } from './fields.ts';

/**
 * What a contact file is and how it is laid out, guessed from its first bytes and rows: format,
 * encoding, delimiter, header row, and the role of each column. Pure: the caller reads the bytes
 * and parses candidate rows; this module only judges them.
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const COLUMN_ROLES = ['phone', 'name', 'consent', 'field', 'ignore'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];
export const DELIMITERS = [',', ';', '\t', '|'] as const;

export type Sniffed =
  | { kind: 'zip' }
  | { kind: 'text'; encoding: TextEncoding; bomLength: number }
  | { kind: 'binary'; what: string };

const SIGNATURES: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'an old Excel 97-2003 workbook (.xls) or an encrypted workbook: save it as .xlsx or CSV'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program'],
];

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/** Format and encoding from the first bytes of a file (give it at least a few KB when there are that many). */
export function sniffContent(head: Uint8Array): Sniffed {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'zip' };
  for (const [sig, what] of SIGNATURES) if (startsWith(head, sig)) return { kind: 'binary', what };
  const { encoding, bomLength } = detectEncoding(head);
  if (encoding !== 'utf-16le' && encoding !== 'utf-16be' && head.includes(0)) return { kind: 'binary', what: 'binary data' };
  return { kind: 'text', encoding, bomLength };
}

export function detectEncoding(head: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2 };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  return { encoding: isUtf8(head) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** ASCII-range text in UTF-16 has a zero in every other byte; which half tells the byte order. */
function utf16WithoutBom(head: Uint8Array): TextEncoding | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Why decoded text is not a contact list (control characters a text file never has), or null. */
export function binaryReason(text: string): string | null {
  if (text.length === 0) return null;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0) return 'it contains binary data (NUL bytes)';
    if ((ch < 0x20 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 12) || ch === 0x7f || (ch >= 0x80 && ch < 0xa0) || ch === 0xfffd) control++;
  }
  return control / text.length > 0.01 ? 'it contains binary data, not text' : null;
}

/**
 * How well rows parsed with one delimiter look like a table: the share of rows with the most
 * common field count, 0 when that count is 1 (the delimiter splits nothing).
 */
export function delimiterScore(rows: string[][]): { consistency: number; width: number } {
  const counts = new Map<number, number>();
  let total = 0;
  for (const r of rows) {
    if (r.length === 1 && r[0]!.trim() === '') continue;
    counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    total++;
  }
  let width = 0;
  let best = 0;
  for (const [w, n] of counts) if (n > best || (n === best && w > width)) [width, best] = [w, n];
  if (width <= 1 || total === 0) return { consistency: 0, width };
  return { consistency: best / total, width };
}

/** Picks the delimiter whose parse is most consistent (then widest); `,` when none splits anything. */
export function chooseDelimiter(candidates: Array<{ delimiter: string; rows: string[][] }>): string {
  let choice = ',';
  let best = { consistency: 0, width: 0 };
  for (const c of candidates) {
    const s = delimiterScore(c.rows);
    const consistency = Math.round(s.consistency * 100) / 100;
    if (consistency > best.consistency || (consistency === best.consistency && consistency > 0 && s.width > best.width)) {
      choice = c.delimiter;
      best = { consistency, width: s.width };
    }
  }
  return choice;
}

/** Lower case, no accents, words separated by single spaces: "Nº  Teléfono" → "no telefono". */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/º/g, 'o')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const words = (s: string) => new Set(s.split('|'));

const PHONE_EXACT = words(
  'phone|phone number|phone no|phone nr|mobile|mobile number|mobile no|mobile phone|cell|cell phone|cellphone|cell number|' +
    'whatsapp|whatsapp number|whatsapp no|wa|wa number|no wa|nomor wa|nomer wa|no whatsapp|nomor whatsapp|' +
    'no hp|nomor hp|nomer hp|no handphone|nomor handphone|handphone|hp|telepon|no telepon|nomor telepon|telp|no telp|tlp|' +
    'tel|telephone|telephone number|telefon|telefono|numero de telefono|numero de celular|numero celular|celular|movil|' +
    'numero|nomor|number|contact number|msisdn|ponsel|no ponsel|portable|tel portable|numero de portable|handy|handynummer|' +
    'telefonnummer|mobilnummer|sdt|so dien thoai|dien thoai|recipient|to',
);
const PHONE_WORDS = words(
  'phone|phones|mobile|cell|cellphone|whatsapp|wa|hp|handphone|telepon|telp|tlp|tel|telephone|telefon|telefono|celular|movil|' +
    'msisdn|ponsel|portable|handy|telefonnummer|mobilnummer|sdt|phonenumber|mobilephone|whatsappnumber',
);
/** "Number" alone is only a phone column when its values look like phones ("No" is often a row counter). */
const PHONE_WEAK = words('no|nr|num|number|numero|nomor|nomer|nummer|contact');

const NAME_EXACT = words(
  'name|full name|fullname|nama|nama lengkap|nombre|nombre completo|nom|nom complet|customer|customer name|client|client name|' +
    'contact|contact name|cliente|nombre del cliente|pelanggan|nama pelanggan|nama customer|display name|first name|given name|' +
    'vorname|name des kunden|ten|ho ten|ho va ten|recipient name',
);
const NAME_WORDS = words('name|nama|nombre|nom|fullname');
const NAME_MODIFIERS = words('full|complete|completo|lengkap|customer|client|cliente|contact|pelanggan|display|first|given|the|of|del|de|your|member|anggota');

const CONSENT_EXACT = words(
  'consent|opt in|optin|opted in|opt in status|whatsapp opt in|wa opt in|marketing|marketing consent|accepts marketing|' +
    'accept marketing|subscribed|subscription|newsletter|agree|agreed|permission|gdpr|gdpr consent|setuju|persetujuan|izin|' +
    'bersedia|consentimiento|acepta|acepta marketing|autorizacion|consentement|einwilligung',
);
const CONSENT_WORDS = words('consent|optin|setuju|persetujuan|consentimiento|subscribed|marketing|permission|newsletter|izin|consentement|einwilligung');

export interface RoleGuess {
  role: 'phone' | 'name' | 'consent';
  /** 3 exact header, 2 header containing a telling word, 1 only with the values' support. */
  score: number;
}

export function guessHeaderRole(header: string): RoleGuess | null {
  const n = normalizeHeader(header);
  if (!n) return null;
  const tokens = n.split(' ');
  if (CONSENT_EXACT.has(n)) return { role: 'consent', score: 3 };
  if (tokens.some((t) => CONSENT_WORDS.has(t)) || / opt in\b|^opt in\b/.test(n)) return { role: 'consent', score: 2 };
  if (PHONE_EXACT.has(n) && !PHONE_WEAK.has(n)) return { role: 'phone', score: 3 };
  if (NAME_EXACT.has(n)) return { role: 'name', score: 3 };
  if (tokens.some((t) => PHONE_WORDS.has(t))) return { role: 'phone', score: 2 };
  if (tokens.some((t) => NAME_WORDS.has(t)) && tokens.every((t) => NAME_WORDS.has(t) || NAME_MODIFIERS.has(t))) {
    return { role: 'name', score: 2 };
  }
  if (tokens.every((t) => PHONE_WEAK.has(t) || t === 'de' || t === 'of')) return { role: 'phone', score: 1 };
  return null;
}

const VALUE_LIKE = /^[+\-(]?[\d\s().,\-/:+]*\d[\d\s().,\-/:+]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A cell that reads as data (number, phone, date, email), not as a column title. */
export function isValueLike(cell: string): boolean {
  const v = cell.trim();
  return VALUE_LIKE.test(v) || EMAIL.test(v) || ISO_DATE.test(v);
}

const PHONE_SHAPE = /^\+?[\d\s\-().]{7,24}$/;
function phoneShape(v: string): boolean {
  if (!PHONE_SHAPE.test(v)) return false;
  const digits = v.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

export interface SampleRow {
  /** Row number in the file as a spreadsheet shows it (1-based). */
  row: number;
  cells: string[];
}

const filledCount = (cells: string[]) => {
  let n = 0;
  for (const c of cells) if (c.trim() !== '') n++;
  return n;
};
export const isBlankRow = (cells: string[]) => filledCount(cells) === 0;

/**
 * The index (in `rows`) of the header row, or null when the file starts with data. Title rows,
 * notes and blank rows above the headers are passed over: they fill too few cells.
 */
export function findHeaderRow(rows: SampleRow[]): number | null {
  const filled = rows.map((r) => filledCount(r.cells));
  const widths = new Map<number, number>();
  for (const f of filled) if (f > 0) widths.set(f, (widths.get(f) ?? 0) + 1);
  let width = 1;
  let seen = 0;
  for (const [w, n] of widths) if (n > seen || (n === seen && w > width)) [width, seen] = [w, n];
  const minFilled = width >= 2 ? Math.max(2, Math.ceil(width * 0.5)) : 1;
  const limit = Math.min(rows.length, 30);
  for (let i = 0; i < limit; i++) {
    if (filled[i]! < minFilled) continue;
    const cells = rows[i]!.cells.filter((c) => c.trim() !== '');
    const titled = cells.filter((c) => (guessHeaderRole(c)?.score ?? 0) >= 2).length;
    const valued = cells.filter(isValueLike).length;
    // A known column title wins over a stray number among the titles (a "2024" column).
    if (titled > valued) return i;
    if (valued > 0) return null;
    // The first full row of labels: the header of an all-text table, or of data further down.
    return i;
  }
  return null;
}

export interface DetectedColumn {
  index: number;
  header: string;
  key: string;
  role: ColumnRole;
  type: FieldType;
  samples: string[];
}

export interface Layout {
  /** Row number (1-based, as in the file) of the header row; null when there is none. */
  headerRow: number | null;
  columns: DetectedColumn[];
  /** First data rows, one string per column. */
  preview: string[][];
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) + '…' : s);

export function guessFieldType(values: string[]): FieldType {
  const vs = values.map((v) => v.trim()).filter((v) => v !== '');
  if (vs.length === 0) return 'text';
  if (vs.every((v) => /^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/.test(v))) return 'number';
  if (vs.every((v) => ISO_DATE.test(v))) return 'date';
  if (vs.every((v) => /^(?:true|false|yes|no|y|n)$/i.test(v))) return 'boolean';
  return 'text';
}

/**
 * Header row, columns with guessed roles and variable keys, and a preview, from the first rows of
 * a file. `country` is the workspace's default, to tell which values are valid phone numbers.
 */
export function detectLayout(rows: SampleRow[], country: string, previewRows = 10): Layout {
  const headerIndex = findHeaderRow(rows);
  const header = headerIndex === null ? [] : rows[headerIndex]!.cells.map((c) => c.trim());
  const data = rows.slice(headerIndex === null ? 0 : headerIndex + 1).filter((r) => !isBlankRow(r.cells));
  let width = header.length;
  for (const r of data) width = Math.max(width, r.cells.length);
  // Trailing columns with neither a title nor a value are spreadsheet noise.
  while (width > 0 && !header[width - 1] && data.every((r) => !(r.cells[width - 1] ?? '').trim())) width--;

  const values = Array.from({ length: width }, (_, i) => data.map((r) => (r.cells[i] ?? '').trim()).filter((v) => v !== ''));
  const guesses = Array.from({ length: width }, (_, i) => guessHeaderRole(header[i] ?? ''));
  const validRatio = values.map((vs) => (vs.length ? vs.filter((v) => normalizePhone(v, country).ok).length / vs.length : 0));
  const shapeRatio = values.map((vs) => (vs.length ? vs.filter(phoneShape).length / vs.length : 0));

  const roles: ColumnRole[] = Array.from({ length: width }, () => 'field');
  const pick = (role: 'phone' | 'name' | 'consent', eligible: (i: number) => boolean, rank: (i: number) => number) => {
    let best = -1;
    for (let i = 0; i < width; i++) {
      if (roles[i] !== 'field' || !eligible(i)) continue;
      if (best === -1 || rank(i) > rank(best)) best = i;
    }
    if (best >= 0) roles[best] = role;
    return best;
  };
  const scoreOf = (i: number, role: RoleGuess['role']) => (guesses[i]?.role === role ? guesses[i]!.score : 0);
  pick('consent', (i) => scoreOf(i, 'consent') >= 2, (i) => scoreOf(i, 'consent'));
  const phone = pick(
    'phone',
    (i) => scoreOf(i, 'phone') >= 2 || (scoreOf(i, 'phone') === 1 && validRatio[i]! >= 0.5),
    (i) => scoreOf(i, 'phone') * 10 + validRatio[i]!,
  );
  if (phone < 0) {
    pick('phone', (i) => shapeRatio[i]! >= 0.6 && scoreOf(i, 'name') === 0, (i) => validRatio[i]! * 2 + shapeRatio[i]!);
  }
  pick('name', (i) => scoreOf(i, 'name') >= 2, (i) => scoreOf(i, 'name'));

  const baseKeys = roles.map((role, i) =>
    role === 'field' ? toVariableKey(header[i] || `column_${i + 1}`) : role,
  );
  // Role columns claim their names first, so a second "Name" column becomes name_2, never the other way.
  const order = [...baseKeys.keys()].sort((a, b) => Number(roles[a] === 'field') - Number(roles[b] === 'field') || a - b);
  const unique = uniqueKeys(order.map((i) => baseKeys[i]!));
  const keys: string[] = [];
  order.forEach((i, n) => (keys[i] = unique[n]!));

  const columns: DetectedColumn[] = roles.map((role, i) => ({
    index: i,
    header: header[i] ?? '',
    key: keys[i]!,
    role,
    type: role === 'field' ? guessFieldType(values[i]!) : 'text',
    samples: values[i]!.slice(0, 5).map((v) => clip(v, 100)),
  }));
  const preview = data.slice(0, previewRows).map((r) => Array.from({ length: width }, (_, i) => clip(r.cells[i] ?? '', 200)));
  return { headerRow: headerIndex === null ? null : rows[headerIndex]!.row, columns, preview };
}
