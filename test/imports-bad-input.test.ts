import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { modes, rowCount, startHarness, type Harness } from './support/harness.ts';
import { cookieOf, signupOwner, type Session } from './support/api.ts';
import { importFile, parseRejections, start, upload, type ImportJson } from './fixtures/import-files.ts';
import * as files from './fixtures/media/files.ts';

/** The workspace's files in the store (disk here: DATA_DIR/uploads) and in this process's working copies. */
const filesOf = (h: Harness, s: Session) =>
  [path.join(h.dataDir, 'uploads', s.workspaceId), path.join(h.c.importWorkDir, s.workspaceId)].flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []));

/** Nothing half-written: no import row and no stored file for the workspace. */
const expectNothingLeft = async (h: Harness, s: Session) => {
  expect(await rowCount(h, 'imports', s.workspaceId)).toBe(0);
  expect(filesOf(h, s)).toEqual([]);
};

describe.each(modes)('import bad input (%s)', (mode) => {
  let h: Harness;
  let owner: Session;
  beforeAll(async () => {
    h = await startHarness(mode);
    owner = await signupOwner(h.app);
  });
  afterAll(async () => h?.close());

  const refused = async (fileName: string, content: Buffer | string, code: string, message: RegExp) => {
    const s = await signupOwner(h.app);
    const res = await upload(h.app, cookieOf(s), fileName, content);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code });
    expect(res.json().error.message).toMatch(message);
    await expectNothingLeft(h, s);
  };

  it('refuses an image, even named .csv', () => refused('contacts.csv', files.png(), 'NOT_A_SPREADSHEET', /PNG image/));

  it('refuses binary junk', () => refused('junk.csv', randomBytes(64 * 1024), 'NOT_A_SPREADSHEET', /binary data/));

  it('refuses a zip that is not a workbook', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('word/document.xml'), randomBytes(200)]);
    await refused('contacts.xlsx', zip, 'NOT_A_SPREADSHEET', /ZIP archive without an Excel workbook/);
  });

  it('refuses an empty file and a blank one', async () => {
    await refused('empty.csv', '', 'EMPTY_FILE', /empty/);
    await refused('blank.csv', '\n\n  \r\n', 'EMPTY_FILE', /no rows/);
  });

  it('refuses a workbook without data', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1');
    await refused('empty.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'EMPTY_FILE', /no worksheet with data/);
  });

  it('refuses a header without rows', () => refused('header.csv', 'phone,name,city\n', 'NO_DATA_ROWS', /header row \(row 1\) but no contacts/));

  it('refuses a 1 MB single line with its line number', async () => {
    const csv = `phone,name,notes\n081234567890,Budi,ok\n081234567891,Siti,${'x'.repeat(1024 * 1024)}\n081234567892,Andi,ok\n`;
    await refused('long.csv', csv, 'MALFORMED_FILE', /^Line 3: the row is longer than 64 KB/);
  });

  it('refuses a file that is one 1 MB line', () => refused('oneline.csv', 'a,'.repeat(512 * 1024), 'MALFORMED_FILE', /^Line 1: the row is longer than 64 KB/));

  it('refuses broken quotes with the line number', async () => {
    const csv = 'phone,name\n081234567890,Budi\n081234567891,"Siti\n081234567892,Andi\n';
    await refused('quotes.csv', csv, 'MALFORMED_FILE', /^Line 3: a quoted value is opened with " but never closed/);
  });

  it('keeps stray quotes inside values as text', async () => {
    const s = await signupOwner(h.app);
    const done = await importFile(h.app, cookieOf(s), 'stray.csv', 'phone,name,address\n081234567890,Budi 5\'11",Jl. "Melati" 4\n');
    expect(done).toMatchObject({ status: 'completed', imported: 1 });
    const { rows } = await h.c.db.pool.query('SELECT name, fields FROM contacts WHERE workspace_id = $1', [s.workspaceId]);
    expect(rows[0]).toEqual({ name: 'Budi 5\'11"', fields: { address: 'Jl. "Melati" 4' } });
  });

  it('asks for a phone column when the file has none, and validates the mapping', async () => {
    const up = await upload(h.app, cookieOf(owner), 'nophone.csv', 'name,city\nBudi,Jakarta\nSiti,Bandung\n');
    expect(up.statusCode).toBe(201);
    const imp = up.json() as ImportJson;
    expect(imp.detected.columns.map((c) => c.role)).toEqual(['name', 'field']);

    const noPhone = await start(h.app, cookieOf(owner), imp.id, {});
    expect(noPhone.statusCode).toBe(400);
    expect(noPhone.json().error).toMatchObject({ code: 'PHONE_COLUMN_REQUIRED', message: expect.stringMatching(/phone numbers/) });

    const twoPhones = await start(h.app, cookieOf(owner), imp.id, { columns: [{ index: 0, role: 'phone' }, { index: 1, role: 'phone' }] });
    expect(twoPhones.statusCode).toBe(400);
    expect(twoPhones.json().error.message).toMatch(/Only one column can be the phone: "name" and "city"/);

    const badKey = await start(h.app, cookieOf(owner), imp.id, { columns: [{ index: 0, role: 'phone' }, { index: 1, role: 'field', key: 'City!' }] });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error).toMatchObject({ code: 'INVALID_VARIABLE_KEY' });

    const reserved = await start(h.app, cookieOf(owner), imp.id, { columns: [{ index: 0, role: 'phone' }, { index: 1, role: 'field', key: 'name' }] });
    expect(reserved.json().error.message).toMatch(/"name" is reserved/);

    const missing = await start(h.app, cookieOf(owner), imp.id, { columns: [{ index: 7, role: 'phone' }] });
    expect(missing.json().error.message).toMatch(/Column 8 does not exist: the file has 2 columns/);

    const badList = await start(h.app, cookieOf(owner), imp.id, { columns: [{ index: 0, role: 'phone' }], list: { id: 'nope' } });
    expect(badList.statusCode).toBe(400);

    const after = await h.app.inject({ url: `/api/v1/imports/${imp.id}`, headers: { cookie: owner.cookie } });
    expect(after.json()).toMatchObject({ status: 'uploaded', mapping: null });
  });

  it('imports 100,000 rows with 30% invalid phones: exact counts and downloadable reasons', async () => {
    const s = await signupOwner(h.app);
    const lines = ['phone,name,segment'];
    let invalid = 0;
    for (let i = 0; i < 100_000; i++) {
      if (i % 10 < 3) {
        invalid++;
        lines.push(i % 2 ? `call ${i},Bad ${i},x` : `,No phone ${i},x`);
      } else {
        lines.push(`+628${String(1_100_000_000 + i)},Person ${i},s${i % 7}`);
      }
    }
    const done = await importFile(h.app, cookieOf(s), 'big.csv', lines.join('\n'));
    expect(invalid).toBe(30_000);
    expect(done).toMatchObject({ status: 'completed', rowsDone: 100_000, imported: 70_000, updated: 0, skipped: 0, rejected: 30_000 });
    expect(await rowCount(h, 'contacts', s.workspaceId)).toBe(70_000);

    const res = await h.app.inject({ url: `/api/v1/imports/${done.id}/rejections.csv`, headers: { cookie: s.cookie } });
    const rows = parseRejections(res.body);
    expect(rows).toHaveLength(30_001);
    expect(rows[1]).toEqual(['2', 'missing phone', '', 'No phone 0', 'x']);
    expect(rows[2]).toEqual(['3', 'invalid phone "call 1": not a phone number', 'call 1', 'Bad 1', 'x']);
    const reasons = new Set(rows.slice(1).map((r) => r[1]!.replace(/".*"/, '"…"')));
    expect([...reasons].sort()).toEqual(['invalid phone "…": not a phone number', 'missing phone']);
  });
});

describe.each(modes)('import size limit (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, { IMPORT_MAX_BYTES: '2000' }, { workers: false });
  });
  afterAll(async () => h?.close());

  it('answers 413 for a file over IMPORT_MAX_BYTES and keeps nothing', async () => {
    const s = await signupOwner(h.app);
    const lines = ['phone,name'];
    for (let i = 0; i < 500; i++) lines.push(`08123456${String(1000 + i)},Person ${i}`);
    const res = await upload(h.app, cookieOf(s), 'big.csv', lines.join('\n'));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(res.json().error.message).toMatch(/^The file is larger than the 2 KB an import may have/);
    await expectNothingLeft(h, s);

    const small = await upload(h.app, cookieOf(s), 'small.csv', 'phone\n081234567890\n');
    expect(small.statusCode).toBe(201);
  });
});
