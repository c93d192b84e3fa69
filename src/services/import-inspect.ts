import fsp from 'node:fs/promises';
import { parse as parseSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { invalid } from '../domain/errors.ts';
import {
  DELIMITERS,
  binaryReason,
  chooseDelimiter,
  detectLayout,
  isBlankRow,
  sniffContent,
  type DetectedColumn,
  type SampleRow,
  type TextEncoding,
} from '../domain/import-detect.ts';
import { FileStructureError, MAX_RECORD_CHARS, readRows, type SourceFile } from './import-reader.ts';

/**
 * What an uploaded file is: format, encoding, delimiter, header row, columns, preview and row
 * count. Anything that is not a readable contact list is refused here with a precise reason,
 * before the import exists.
 */

export interface ImportDetected {
  encoding: TextEncoding | null;
  delimiter: string | null;
  /** Row number (1-based, as a spreadsheet shows it) of the header; null when the file has none. */
  headerRow: number | null;
  sheet: string | null;
  sheetId: number | null;
  columns: DetectedColumn[];
  preview: string[][];
  /** Data rows in the file (exact for CSV, counted at upload); null for Excel files. */
  rowEstimate: number | null;
}

const HEAD_BYTES = 1 << 20;
const SAMPLE_ROWS = 60;

async function readSlice(file: string, start: number, length: number): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** A zip is an Excel workbook when it holds xl/workbook.xml (named in its local headers and central directory). */
async function holdsWorkbook(file: string, size: number, head: Buffer): Promise<boolean> {
  const name = Buffer.from('xl/workbook.xml');
  if (head.includes(name)) return true;
  const tailLength = Math.min(size, 1 << 20);
  return (await readSlice(file, size - tailLength, tailLength)).includes(name);
}

function pickDelimiter(text: string): string {
  // Whole lines only: the sample may end in the middle of one.
  const cut = text.lastIndexOf('\n');
  const sample = (cut > 0 ? text.slice(0, cut) : text).slice(0, 256 * 1024);
  const candidates = DELIMITERS.map((delimiter) => {
    try {
      const rows = parseSync(sample, {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        to_line: 200,
        max_record_size: MAX_RECORD_CHARS,
      }) as string[][];
      return { delimiter, rows };
    } catch {
      return { delimiter, rows: [] };
    }
  });
  return chooseDelimiter(candidates);
}

async function sampleRows(file: SourceFile, onSheet?: (s: { id: number; name: string }) => void): Promise<SampleRow[]> {
  const rows: SampleRow[] = [];
  for await (const r of readRows(file, { ...(onSheet ? { onSheet } : {}) })) {
    rows.push(r);
    if (rows.length >= SAMPLE_ROWS) break;
  }
  return rows;
}

async function countDataRows(file: SourceFile, headerRow: number | null): Promise<number> {
  let n = 0;
  for await (const r of readRows(file)) if (r.row > (headerRow ?? 0) && !isBlankRow(r.cells)) n++;
  return n;
}

const notSpreadsheet = (what: string) =>
  invalid('NOT_A_SPREADSHEET', `This file is ${what}, not a contact list: upload a CSV or tab-separated text file, or an Excel workbook (.xlsx)`);

export async function inspectUpload(
  path: string,
  size: number,
  country: string,
): Promise<{ format: 'csv' | 'xlsx'; detected: ImportDetected }> {
  if (size === 0) throw invalid('EMPTY_FILE', 'The file is empty');
  const head = await readSlice(path, 0, Math.min(size, HEAD_BYTES));
  const sniffed = sniffContent(head);
  if (sniffed.kind === 'binary') throw notSpreadsheet(sniffed.what);

  let file: SourceFile;
  let sheet: { id: number; name: string } | null = null;
  if (sniffed.kind === 'zip') {
    if (!(await holdsWorkbook(path, size, head))) throw notSpreadsheet('a ZIP archive without an Excel workbook inside');
    file = { path, format: 'xlsx', encoding: null, delimiter: null, sheetId: null };
  } else {
    const text = iconv.decode(head, sniffed.encoding);
    const reason = binaryReason(text);
    if (reason) throw invalid('NOT_A_SPREADSHEET', `This file is not a contact list: ${reason}. Upload a CSV or an Excel workbook (.xlsx)`);
    if (text.trim() === '') throw invalid('EMPTY_FILE', 'The file has no rows: it holds only blank space');
    file = { path, format: 'csv', encoding: sniffed.encoding, delimiter: pickDelimiter(text), sheetId: null };
  }

  try {
    const rows = await sampleRows(file, (s) => (sheet = s));
    if (rows.every((r) => isBlankRow(r.cells))) {
      throw invalid('EMPTY_FILE', file.format === 'xlsx' ? 'The workbook has no worksheet with data' : 'The file has no rows');
    }
    const layout = detectLayout(rows, country);
    if (layout.preview.length === 0) {
      throw invalid('NO_DATA_ROWS', `The file has a header row (row ${layout.headerRow}) but no contacts below it`);
    }
    const picked = sheet as { id: number; name: string } | null;
    const rowEstimate = file.format === 'csv' ? await countDataRows(file, layout.headerRow) : null;
    return {
      format: file.format,
      detected: {
        encoding: file.encoding,
        delimiter: file.delimiter,
        headerRow: layout.headerRow,
        sheet: picked?.name ?? null,
        sheetId: picked?.id ?? null,
        columns: layout.columns,
        preview: layout.preview,
        rowEstimate,
      },
    };
  } catch (err) {
    if (err instanceof FileStructureError) throw invalid('MALFORMED_FILE', err.message);
    throw err;
  }
}
