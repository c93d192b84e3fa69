import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { inspectUpload } from './import-inspect.ts';
import { cellText, readRows } from './import-reader.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-inspect-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function inspect(content: Buffer) {
  const file = path.join(dir, `f${++n}`);
  fs.writeFileSync(file, content);
  const { format, detected } = await inspectUpload(file, content.length, 'ID');
  const rows: string[][] = [];
  for await (const r of readRows({ path: file, format, encoding: detected.encoding, delimiter: detected.delimiter, sheetId: detected.sheetId })) rows.push(r.cells);
  return { detected, rows };
}

const TEXT = 'Teléfono;Nombre;Ciudad\r\n0812 3456 7890;José Peña;Bogotá\r\n0813 1111 2222;Ana Núñez;Medellín\r\n';

describe('inspectUpload: encodings and delimiters', () => {
  it('reads UTF-8 without a BOM', async () => {
    const { detected, rows } = await inspect(Buffer.from(TEXT));
    expect(detected).toMatchObject({ encoding: 'utf-8', delimiter: ';', headerRow: 1, rowEstimate: 2 });
    expect(rows[1]).toEqual(['0812 3456 7890', 'José Peña', 'Bogotá']);
  });

  it('reads UTF-8 with a BOM, which never sticks to the first header', async () => {
    const { detected, rows } = await inspect(Buffer.from('\ufeff' + TEXT));
    expect(detected.encoding).toBe('utf-8');
    expect(rows[0]![0]).toBe('Teléfono');
    expect(detected.columns[0]).toMatchObject({ header: 'Teléfono', role: 'phone' });
  });

  it("reads UTF-16LE with a BOM, tab-separated (Excel's Unicode text)", async () => {
    const tsv = TEXT.replace(/;/g, '\t');
    const { detected, rows } = await inspect(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]));
    expect(detected).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', rowEstimate: 2 });
    expect(rows).toEqual([
      ['Teléfono', 'Nombre', 'Ciudad'],
      ['0812 3456 7890', 'José Peña', 'Bogotá'],
      ['0813 1111 2222', 'Ana Núñez', 'Medellín'],
    ]);
    expect(detected.columns.map((c) => c.role)).toEqual(['phone', 'name', 'field']);
  });

  it('reads Latin-1 / Windows-1252 (é, ñ) when the bytes are not UTF-8', async () => {
    const { detected, rows } = await inspect(iconv.encode(TEXT.replace(/;/g, ','), 'latin1'));
    expect(detected).toMatchObject({ encoding: 'windows-1252', delimiter: ',' });
    expect(rows[1]).toEqual(['0812 3456 7890', 'José Peña', 'Bogotá']);
  });

  it('tells comma, semicolon, tab and pipe apart, respecting quotes', async () => {
    expect((await inspect(Buffer.from('phone,name,note\n0812,"Doe; John","a;b"\n0813,Ana,x\n'))).detected.delimiter).toBe(',');
    expect((await inspect(Buffer.from('phone;name;amount\n0812;"Doe, John";1,5\n0813;Ana;2,5\n'))).detected.delimiter).toBe(';');
    expect((await inspect(Buffer.from('phone\tname\n0812\tDoe, John\n0813\tAna\n'))).detected.delimiter).toBe('\t');
    expect((await inspect(Buffer.from('phone|name\n0812|Ana\n0813|Budi\n'))).detected.delimiter).toBe('|');
  });

  it('reads a plain list of numbers without a header', async () => {
    const { detected } = await inspect(Buffer.from('081234567890\n081311112222\n081355556666\n'));
    expect(detected).toMatchObject({ headerRow: null, rowEstimate: 3 });
    expect(detected.columns).toEqual([expect.objectContaining({ role: 'phone', key: 'phone' })]);
  });

  it('finds the header below a title and blank lines in a CSV too', async () => {
    const { detected } = await inspect(Buffer.from('Export of 2024-03-01\n\n\nphone,name\n081234567890,Ana\n'));
    expect(detected).toMatchObject({ headerRow: 4, rowEstimate: 1, preview: [['081234567890', 'Ana']] });
  });
});

describe('cellText', () => {
  it('renders spreadsheet values as people read them', () => {
    expect(cellText(6281234567890)).toBe('6281234567890');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(new Date(Date.UTC(2024, 2, 5)))).toBe('2024-03-05');
    expect(cellText(new Date(Date.UTC(2024, 2, 5, 13, 30)))).toBe('2024-03-05T13:30:00.000Z');
    expect(cellText({ formula: 'A1*2', result: 42 })).toBe('42');
    expect(cellText({ sharedFormula: 'A1', result: 'x' })).toBe('x');
    expect(cellText({ formula: 'A1' })).toBe('');
    expect(cellText({ richText: [{ text: 'Siti ' }, { text: 'Aminah' }] })).toBe('Siti Aminah');
    expect(cellText({ text: 'site', hyperlink: 'https://example.com' })).toBe('site');
    expect(cellText({ error: '#N/A' })).toBe('#N/A');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
  });
});
