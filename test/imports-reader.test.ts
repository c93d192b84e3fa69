import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { readRows, type SourceFile } from '../src/services/import-reader.ts';

/**
 * UTF-8 files reach the CSV parser as bytes (it decodes field by field) and are read 64 KB at a
 * time: characters of two, three and four bytes that straddle those chunks must come out whole,
 * exactly as decoding the whole file first gives them.
 */
describe('import reader', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-reader-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rowsOf = async (bytes: Buffer) => {
    const file = path.join(dir, `f${Math.random()}.csv`);
    fs.writeFileSync(file, bytes);
    const source: SourceFile = { path: file, format: 'csv', encoding: 'utf-8', delimiter: ',', sheetId: null };
    const out: string[][] = [];
    for await (const r of readRows(source)) out.push(r.cells);
    return out;
  };
  // What the reader gave before: the whole text decoded by iconv (which drops the BOM), then parsed.
  const reference = (bytes: Buffer) => parse(iconv.decode(bytes, 'utf-8'), { relax_column_count: true, relax_quotes: true }) as string[][];

  it('keeps multi-byte characters whole across chunks, and drops the byte order mark', async () => {
    const names = ['José Peña', 'Nguyễn Văn An', '李小龍', 'Zoë 🎉 Ünal', 'Ωmega'];
    let text = '\ufeffphone,name,city\n';
    // Lines of varying length so that every kind of character lands on some chunk boundary.
    for (let i = 0; text.length < 400_000; i++) text += `0812${String(i).padStart(8, '0')},"${names[i % names.length]}${'é'.repeat(i % 7)}",${'ễ'.repeat(i % 5)}Depok\n`;
    const bytes = Buffer.from(text, 'utf8');
    const rows = await rowsOf(bytes);
    expect(rows[0]).toEqual(['phone', 'name', 'city']);
    expect(rows.length).toBeGreaterThan(8000);
    expect(rows).toEqual(reference(bytes));
  });

  it('reads bytes that are not UTF-8 as replacement characters, as before', async () => {
    const bytes = Buffer.concat([Buffer.from('phone,name\n081234567890,Bud'), Buffer.from([0xff, 0xc3]), Buffer.from(',x\n081234567891,Siti\n')]);
    expect(await rowsOf(bytes)).toEqual(reference(bytes));
  });
});
