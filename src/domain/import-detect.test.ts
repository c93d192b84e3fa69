import { describe, expect, it } from 'vitest';
import {
  binaryReason,
  chooseDelimiter,
  detectEncoding,
  detectLayout,
  findHeaderRow,
  guessFieldType,
  guessHeaderRole,
  sniffContent,
  type SampleRow,
} from './import-detect.ts';

const rows = (...lines: string[][]): SampleRow[] => lines.map((cells, i) => ({ row: i + 1, cells }));
const bytes = (...parts: Array<number[] | string>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniffContent and detectEncoding', () => {
  it('tells UTF-8 with and without a byte order mark', () => {
    expect(detectEncoding(Buffer.from('phone,name\n0812,José\n'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(Buffer.from('\ufeffphone,name\n'))).toEqual({ encoding: 'utf-8', bomLength: 3 });
  });

  it("tells UTF-16 as Excel's Unicode text writes it, and without a BOM", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('phone\tname\r\n0812\tJosé\r\n', 'utf16le')]);
    expect(sniffContent(le)).toEqual({ kind: 'text', encoding: 'utf-16le', bomLength: 2 });
    const be = Buffer.from(Buffer.from('phone\tname\r\n', 'utf16le')).swap16();
    expect(sniffContent(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ kind: 'text', encoding: 'utf-16be', bomLength: 2 });
    expect(detectEncoding(Buffer.from('phone\tname\r\n0812\tAna\r\n', 'utf16le'))).toEqual({ encoding: 'utf-16le', bomLength: 0 });
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8 (Latin-1 é, ñ)', () => {
    expect(detectEncoding(bytes('nombre;tel\xe9fono\nPe\xf1a;0812\n'))).toEqual({ encoding: 'windows-1252', bomLength: 0 });
  });

  it('does not mistake a UTF-8 character cut at the end of the sample for Latin-1', () => {
    const cut = Buffer.from('name\nJosé').subarray(0, -1);
    expect(detectEncoding(cut).encoding).toBe('utf-8');
  });

  it('recognises zip workbooks and common non-spreadsheets by their first bytes', () => {
    expect(sniffContent(bytes([0x50, 0x4b, 0x03, 0x04], 'rest'))).toEqual({ kind: 'zip' });
    expect(sniffContent(bytes([0x89], 'PNG\r\n'))).toEqual({ kind: 'binary', what: 'a PNG image' });
    expect(sniffContent(bytes('%PDF-1.7'))).toEqual({ kind: 'binary', what: 'a PDF document' });
    expect(sniffContent(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toMatchObject({ kind: 'binary', what: expect.stringMatching(/\.xls/) });
    expect(sniffContent(bytes('a,b', [0, 1, 2]))).toEqual({ kind: 'binary', what: 'binary data' });
  });

  it('finds binary data in decoded text', () => {
    expect(binaryReason('phone,name\n0812,Ana\n')).toBeNull();
    expect(binaryReason('a\u0001b\u0002c\u0003'.repeat(10))).toMatch(/binary/);
    expect(binaryReason('')).toBeNull();
  });
});

describe('chooseDelimiter', () => {
  const split = (text: string, d: string) => text.split('\n').map((l) => l.split(d));
  const pick = (text: string) => chooseDelimiter([',', ';', '\t', '|'].map((delimiter) => ({ delimiter, rows: split(text, delimiter) })));

  it.each([
    ['phone,name,city\n0812,Ana,Jakarta\n0813,Budi,Bandung', ','],
    ['phone;name;amount\n0812;Ana;1,5\n0813;Budi;2,5', ';'],
    ['phone\tname\tnote\n0812\tDoe, John\tx\n0813\tAna\ty', '\t'],
    ['phone|name\n0812|Ana\n0813|Budi', '|'],
    ['phone\n0812\n0813', ','],
  ])('%j → %j', (text, d) => expect(pick(text)).toBe(d));
});

describe('guessHeaderRole', () => {
  it.each([
    ['Phone', 'phone'], ['Mobile Number', 'phone'], ['WhatsApp', 'phone'], ['No. HP', 'phone'], ['Nomor HP', 'phone'],
    ['Telepon', 'phone'], ['Telp.', 'phone'], ['Teléfono', 'phone'], ['Celular', 'phone'], ['Móvil', 'phone'],
    ['MSISDN', 'phone'], ['Handphone', 'phone'], ['WA', 'phone'], ['Nº Teléfono', 'phone'],
    ['Name', 'name'], ['Full Name', 'name'], ['NAMA', 'name'], ['Nama Lengkap', 'name'], ['Nombre', 'name'], ['Customer', 'name'],
    ['Consent', 'consent'], ['Opt-in', 'consent'], ['OPTIN', 'consent'], ['Setuju', 'consent'], ['Persetujuan', 'consent'],
    ['Consentimiento', 'consent'], ['Subscribed', 'consent'], ['Marketing', 'consent'], ['WhatsApp Opt-In', 'consent'],
  ])('%j → %s', (header, role) => expect(guessHeaderRole(header)?.role).toBe(role));

  it('leaves other headers alone', () => {
    for (const h of ['City', 'Company Name', 'Nama Toko', 'Email', '', 'Order ID']) expect(guessHeaderRole(h)).toBeNull();
  });

  it('trusts "Number" or "No" only weakly: it is often a row counter', () => {
    expect(guessHeaderRole('No')).toEqual({ role: 'phone', score: 1 });
    expect(guessHeaderRole('Nomor')).toEqual({ role: 'phone', score: 1 });
  });
});

describe('findHeaderRow', () => {
  it('finds the header below a title and blank rows', () => {
    expect(findHeaderRow(rows(['Customer list March'], [], ['No HP', 'Nama', 'Kota'], ['0812', 'Ana', 'Jakarta'], ['0813', 'Budi', 'Bogor']))).toBe(2);
  });

  it('says there is none when the file starts with data', () => {
    expect(findHeaderRow(rows(['081234567890', 'Ana'], ['081234567891', 'Budi']))).toBeNull();
  });

  it('takes a title row with a year among known headers', () => {
    expect(findHeaderRow(rows(['Phone', 'Name', '2024'], ['0812', 'Ana', '5']))).toBe(0);
  });
});

describe('guessFieldType', () => {
  it.each([
    [['1', '2.5', '-3'], 'number'],
    [['007', '12'], 'text'],
    [['2024-03-05', '2024-03-06T13:30:00.000Z'], 'date'],
    [['yes', 'No'], 'boolean'],
    [['Jakarta', '12'], 'text'],
    [[], 'text'],
  ])('%j → %s', (values, type) => expect(guessFieldType(values)).toBe(type));
});

describe('detectLayout', () => {
  it('guesses roles and unique variable keys (a second name column stays a field)', () => {
    const layout = detectLayout(
      rows(
        ['No', 'Nama Lengkap', 'Nomor WhatsApp', 'Kota', 'Kota', 'Setuju?', '', 'Nama'],
        ['1', 'Ana', '0812 3456 7890', 'Jakarta', 'Depok', 'ya', 'x', 'Ana A.'],
        ['2', 'Budi', '0813 1111 2222', 'Bogor', '', 'tidak', '', 'Budi B.'],
      ),
      'ID',
    );
    expect(layout.headerRow).toBe(1);
    expect(layout.columns.map((c) => [c.role, c.key])).toEqual([
      ['field', 'no'],
      ['name', 'name'],
      ['phone', 'phone'],
      ['field', 'kota'],
      ['field', 'kota_2'],
      ['consent', 'consent'],
      ['field', 'column_7'],
      ['field', 'nama'],
    ]);
    expect(layout.columns[0]!.type).toBe('number');
    expect(layout.preview).toEqual([
      ['1', 'Ana', '0812 3456 7890', 'Jakarta', 'Depok', 'ya', 'x', 'Ana A.'],
      ['2', 'Budi', '0813 1111 2222', 'Bogor', '', 'tidak', '', 'Budi B.'],
    ]);
  });

  it('finds the phone column by its values when no header names it', () => {
    const layout = detectLayout(rows(['Contact', 'Kontak'], ['Ana', '+62 812 3456 7890'], ['Budi', '081311112222']), 'ID');
    expect(layout.columns.map((c) => c.role)).toEqual(['name', 'phone']);
  });

  it('reads a file without a header: columns get numbered keys', () => {
    const layout = detectLayout(rows(['081234567890', 'Ana', 'Jakarta'], ['081311112222', 'Budi', 'Bogor']), 'ID');
    expect(layout.headerRow).toBeNull();
    expect(layout.columns.map((c) => [c.header, c.role, c.key])).toEqual([
      ['', 'phone', 'phone'],
      ['', 'field', 'column_2'],
      ['', 'field', 'column_3'],
    ]);
    expect(layout.preview).toHaveLength(2);
  });

  it('does not take a row counter "No" for the phone', () => {
    const layout = detectLayout(rows(['No', 'Name', 'Phone'], ['1', 'Ana', '081234567890']), 'ID');
    expect(layout.columns.map((c) => c.role)).toEqual(['field', 'name', 'phone']);
  });

  it('drops trailing empty columns', () => {
    const layout = detectLayout(rows(['phone', 'name', '', ''], ['0812', 'Ana', '', ''], ['0813', 'Budi']), 'ID');
    expect(layout.columns).toHaveLength(2);
  });
});
