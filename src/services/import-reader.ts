import fs from 'node:fs';
import { Transform, pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import type { SampleRow, TextEncoding } from '../domain/import-detect.ts';

/**
 * Streams the rows of an uploaded contact file as arrays of strings, whatever its format, so the
 * preview, the row count at upload and the import job all see exactly the same rows.
 */

export interface SourceFile {
  path: string;
  format: 'csv' | 'xlsx';
  encoding: TextEncoding | null;
  delimiter: string | null;
  /** Worksheet id to read; null = the first worksheet with data. */
  sheetId: number | null;
}

/** The file itself is broken (not one row): the import cannot go on. */
export class FileStructureError extends Error {}

/** A contact row is never this long; a longer record is a broken quote or not a contact list. */
export const MAX_RECORD_CHARS = 64 * 1024;

export interface ReadOptions {
  /** Called with the number of file bytes read so far (runs ahead of the rows by a buffer). */
  onBytes?: (bytes: number) => void;
  /** Called once with the worksheet picked when `sheetId` is null. */
  onSheet?: (sheet: { id: number; name: string }) => void;
}

/** Passes bytes through unchanged, calling `onBytes` with the running total after each chunk. */
export function byteCounter(onBytes?: (n: number) => void) {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      onBytes?.(n);
      done(null, chunk);
    },
  });
}

/** Rows in chunks (whatever the parser has ready): the import loop then pays no promise per row. */
export function readRowChunks(file: SourceFile, opts: ReadOptions = {}): AsyncGenerator<SampleRow[]> {
  return file.format === 'xlsx' ? chunked(readXlsx(file, opts)) : readCsvChunks(file, opts);
}

/** Rows one by one, for the first rows of a preview or a count. */
export async function* readRows(file: SourceFile, opts: ReadOptions = {}): AsyncGenerator<SampleRow> {
  for await (const chunk of readRowChunks(file, opts)) yield* chunk;
}

async function* chunked(rows: AsyncGenerator<SampleRow>, size = 1000): AsyncGenerator<SampleRow[]> {
  let chunk: SampleRow[] = [];
  for await (const r of rows) {
    chunk.push(r);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function csvErrorMessage(err: CsvError, line: number): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `Line ${line}: a quoted value is opened with " but never closed, so the rest of the file would be read as one value. Fix the quotes on that line and upload again.`;
    case 'CSV_MAX_RECORD_SIZE':
      return `Line ${line}: the row is longer than ${MAX_RECORD_CHARS / 1024} KB. A contact row is never that long: check for a missing closing quote on that line or upload the right file.`;
    default:
      return `Line ${line}: the file cannot be read as CSV (${err.message}).`;
  }
}

const STRUCTURE_ERRORS = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE', 'CSV_INVALID_CLOSING_QUOTE', 'INVALID_OPENING_QUOTE']);

// UTF-8 bytes go to the parser as they are: it decodes only the fields, where decoding the whole
// text first (iconv) made a copy of every chunk as a string and back (≈ 1 µs per row).
const isUtf8 = (file: SourceFile) => (file.encoding ?? 'utf-8') === 'utf-8';

function csvParser(file: SourceFile, onRecord?: (lines: number) => void) {
  return parse({
    bom: isUtf8(file),
    delimiter: file.delimiter ?? ',',
    relax_column_count: true,
    // Stray quotes inside unquoted values (5'11", Jl. "Melati") are common and harmless: keep them as text.
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
    // Costs a third of the parsing speed: only used to locate a broken record.
    ...(onRecord ? { on_record: (record: string[], context: { lines: number }) => (onRecord(context.lines), record) } : {}),
  });
}

function openCsv(file: SourceFile, parser: ReturnType<typeof parse>, onBytes?: (n: number) => void): void {
  // 64 KB at a time: the parser turns a whole chunk into rows at once, and rows of a 1 MB chunk
  // (≈ 10,000) live long enough to be copied out of V8's young generation (measured: +2 µs per row).
  const input = fs.createReadStream(file.path, { highWaterMark: 64 * 1024 });
  if (isUtf8(file)) pipeline(input, byteCounter(onBytes), parser, () => undefined);
  // iconv strips the byte order mark of UTF-16.
  else pipeline(input, byteCounter(onBytes), iconv.decodeStream(file.encoding!), parser, () => undefined);
}

/** The line where record number `record` starts (a quoted value may span lines). */
async function lineOfRecord(file: SourceFile, record: number): Promise<number> {
  let line = 0;
  let seen = 0;
  const parser = csvParser(file, (lines) => {
    seen++;
    if (seen === record - 1) line = lines;
  });
  openCsv(file, parser);
  try {
    for await (const _ of parser) if (seen >= record - 1) break;
  } catch {
    // The very error being located: the records before it are counted.
  } finally {
    parser.destroy();
  }
  return line + 1;
}

const WAKE_EVENTS = ['readable', 'end', 'error', 'close'] as const;

async function* readCsvChunks(file: SourceFile, opts: ReadOptions): AsyncGenerator<SampleRow[]> {
  const parser = csvParser(file);
  openCsv(file, parser, opts.onBytes);
  let row = 0;
  try {
    for (;;) {
      if (parser.errored) throw parser.errored;
      const chunk: SampleRow[] = [];
      let cells: string[] | null;
      while ((cells = parser.read() as string[] | null) !== null) chunk.push({ row: ++row, cells });
      if (chunk.length > 0) {
        yield chunk;
        continue;
      }
      if (parser.readableEnded) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          for (const e of WAKE_EVENTS) parser.off(e, wake);
          resolve();
        };
        for (const e of WAKE_EVENTS) parser.once(e, wake);
      });
    }
  } catch (err) {
    const e = err as CsvError;
    if (e.code && STRUCTURE_ERRORS.has(e.code)) throw new FileStructureError(csvErrorMessage(e, await lineOfRecord(file, Number(e.records) + 1)));
    throw err;
  } finally {
    parser.destroy();
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Spreadsheet values as people read them: full digits, ISO dates, formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    // Excel keeps 15 significant digits: 0.1+0.2 shows as 0.3, 6281234567890 stays whole.
    return Number.isInteger(value) ? (Math.abs(value) < 1e21 ? value.toFixed(0) : String(value)) : String(Number(value.toPrecision(15)));
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const date = `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
    const midnight = value.getUTCHours() === 0 && value.getUTCMinutes() === 0 && value.getUTCSeconds() === 0 && value.getUTCMilliseconds() === 0;
    return midnight ? date : value.toISOString();
  }
  if (typeof value === 'object') {
    const v = value as { result?: unknown; formula?: unknown; sharedFormula?: unknown; richText?: Array<{ text?: string }>; text?: unknown; error?: unknown };
    if ('formula' in v || 'sharedFormula' in v) return cellText(v.result);
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if ('text' in v) return cellText(v.text);
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

function rowCells(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  // exceljs rows are 1-based and sparse.
  const out: string[] = new Array<string>(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) out[i - 1] = cellText(values[i]);
  return out;
}

async function* readXlsx(file: SourceFile, opts: ReadOptions): AsyncGenerator<SampleRow> {
  // Loaded for Excel files only: it adds ≈ 20 MB to a process that never reads one.
  const { default: ExcelJS } = await import('exceljs');
  const input = fs.createReadStream(file.path, { highWaterMark: 1 << 20 });
  const counted = input.pipe(byteCounter(opts.onBytes));
  input.on('error', (err) => counted.destroy(err));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(counted, {
    sharedStrings: 'cache',
    // Styles tell dates from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      const ws = sheet as unknown as AsyncIterable<{ number: number; values: unknown }> & { id: number; name: string };
      if (file.sheetId !== null && ws.id !== file.sheetId) continue;
      let announced = file.sheetId !== null;
      for await (const r of ws) {
        const cells = rowCells(r.values);
        if (!announced) {
          if (cells.every((c) => c.trim() === '')) continue;
          announced = true;
          opts.onSheet?.({ id: ws.id, name: ws.name });
        }
        yield { row: r.number, cells };
      }
      if (announced) return;
    }
  } catch (err) {
    if (err instanceof FileStructureError) throw err;
    throw new FileStructureError(`The Excel file cannot be read: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}
