import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify';
import { uuidv7, V7Generator } from 'uuidv7';
import type { Container } from '../container.ts';
import { applyPhoneOptOuts } from '../db/inbound.repo.ts';
import * as repo from '../db/imports.repo.ts';
import { getWorkspace } from '../db/auth.repo.ts';
import { registerContactFields } from '../db/contacts.repo.ts';
import { createList, getList } from '../db/lists.repo.ts';
import { insertAudit } from '../db/audit.repo.ts';
import { DomainError, conflict, notFound } from '../domain/errors.ts';
import { isBlankRow } from '../domain/import-detect.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import {
  columnPlan,
  duplicateReason,
  FirstRowIndex,
  mergeContactRows,
  phoneKey,
  readContactRow,
  resolveMapping,
  type ContactRow,
  type MappingColumn,
  type RequestedColumn,
} from '../domain/import-rows.ts';
import { workspaceChannel } from '../realtime/pubsub.ts';
import type { JobPayloads } from '../queue/queues.ts';
import { systemActor, type Actor } from './actor.ts';
import { inspectUpload, type ImportDetected } from './import-inspect.ts';
import { byteCounter, FileStructureError, readRowChunks, type SourceFile } from './import-reader.ts';
import type { Upload } from './upload.ts';
import { cleanFileName, formatBytes } from '../domain/files.ts';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.ts';

export type { ImportDetected } from './import-inspect.ts';

export interface ImportMapping {
  columns: MappingColumn[];
  existing: 'update' | 'skip';
}

export interface ImportView {
  id: string;
  fileName: string;
  fileSize: number;
  format: 'csv' | 'xlsx';
  status: repo.ImportRow['status'];
  detected: ImportDetected;
  mapping: ImportMapping | null;
  rowsDone: number;
  bytesDone: number;
  imported: number;
  updated: number;
  skipped: number;
  rejected: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  listId: string | null;
}

export function importView(row: repo.ImportRow): ImportView {
  return {
    id: row.id,
    fileName: row.fileName,
    fileSize: row.fileSize,
    format: row.format,
    status: row.status,
    detected: row.detected as unknown as ImportDetected,
    mapping: (row.mapping as unknown as ImportMapping | null) ?? null,
    rowsDone: row.rowsDone,
    bytesDone: row.bytesDone,
    imported: row.imported,
    updated: row.updated,
    skipped: row.skipped,
    rejected: row.rejected,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    listId: row.listId,
  };
}

const importNotFound = () => notFound('IMPORT_NOT_FOUND', 'No such import in this workspace');

async function loadImport(c: Container, actor: Actor, importId: string): Promise<repo.ImportRow> {
  const row = await repo.getImport(c.db.orm, actor.workspaceId, importId);
  if (!row) throw importNotFound();
  return row;
}

async function workspaceCountry(c: Container, workspaceId: string): Promise<string> {
  const ws = await getWorkspace(c.db.orm, workspaceId);
  if (!ws) throw notFound('WORKSPACE_NOT_FOUND', 'This workspace no longer exists');
  return ws.defaultCountry;
}

/** An upload's key in the shared store (imports.file_path) and this process's working copy of it. */
const uploadKey = (workspaceId: string, importId: string) => `${workspaceId}/${importId}`;
const workCopyPath = (c: Container, key: string) => path.join(c.importWorkDir, key);

/**
 * The upload on this machine's disk, fetched from the shared store when another process took it in
 * (an API on another machine): inspection and resumed runs read the file more than once.
 */
async function workingCopy(c: Container, key: string): Promise<string> {
  const file = workCopyPath(c, key);
  if (fs.existsSync(file)) return file;
  let blob: Awaited<ReturnType<BlobStore['get']>>;
  try {
    blob = await c.uploads.get(key);
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw new FileStructureError('The uploaded file is no longer in the file storage; upload it again');
    throw err;
  }
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const part = `${file}.${process.pid}.part`;
  try {
    await pipeline(blob.body, fs.createWriteStream(part));
    await fsp.rename(part, file);
  } finally {
    await fsp.rm(part, { force: true });
  }
  return file;
}

/**
 * Takes an upload in (a working copy here, the file in the shared store under <workspace>/<import id>)
 * and inspects it. A file that is too large, empty or not a contact list is refused and nothing is
 * left behind (no file, no blob, no row).
 */
export async function createImport(c: Container, actor: Actor, upload: Upload): Promise<ImportView> {
  const id = uuidv7();
  const key = uploadKey(actor.workspaceId, id);
  const file = workCopyPath(c, key);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  try {
    let size = 0;
    await pipeline(upload.stream, byteCounter((n) => (size = n)), fs.createWriteStream(file, { flags: 'wx' }));
    if (upload.stream.truncated || size > c.config.IMPORT_MAX_BYTES) {
      throw new DomainError('too_large', 'FILE_TOO_LARGE', `The file is larger than the ${formatBytes(c.config.IMPORT_MAX_BYTES)} an import may have (IMPORT_MAX_BYTES)`);
    }
    const { format, detected } = await inspectUpload(file, size, await workspaceCountry(c, actor.workspaceId));
    await c.uploads.put(key, fs.createReadStream(file), { contentType: 'application/octet-stream', size });
    const fileName = cleanFileName(upload.fileName, 'upload');
    const row = await c.db.orm.transaction(async (tx) => {
      const created = await repo.insertImport(tx, {
        id,
        workspaceId: actor.workspaceId,
        fileName,
        filePath: key,
        fileSize: size,
        format,
        detected: detected as unknown as Record<string, unknown>,
        createdBy: actor.userId,
      });
      await insertAudit(tx, actor, { action: 'import.create', entityType: 'import', entityId: id, changes: { fileName, fileSize: size, format } });
      return created;
    });
    return importView(row);
  } catch (err) {
    await fsp.rm(file, { force: true });
    await c.uploads.delete(key);
    throw err;
  }
}

export async function getImport(c: Container, actor: Actor, importId: string): Promise<ImportView> {
  return importView(await loadImport(c, actor, importId));
}

export async function listImports(c: Container, actor: Actor, opts: { cursor?: string | undefined; limit: number }) {
  const before = decodeCursor(opts.cursor);
  const rows = await repo.listImports(c.db.orm, actor.workspaceId, { limit: opts.limit + 1, ...(before ? { before } : {}) });
  const page = toPage(rows, opts.limit);
  return { items: page.items.map(importView), nextCursor: page.nextCursor };
}

export interface StartImportInput {
  columns: RequestedColumn[];
  existing: 'update' | 'skip';
  list?: { id: string } | { name: string } | undefined;
}

/**
 * Confirms the mapping and queues the import. A new target list is created in the same
 * transaction as the status change, so a refused start leaves no list behind.
 */
export async function startImport(c: Container, actor: Actor, importId: string, input: StartImportInput): Promise<ImportView> {
  const current = await loadImport(c, actor, importId);
  if (current.status !== 'uploaded') throw conflict('IMPORT_ALREADY_STARTED', `This import was started already (it is ${current.status})`);
  const columns = resolveMapping((current.detected as unknown as ImportDetected).columns, input.columns);
  const mapping: ImportMapping = { columns, existing: input.existing };
  if (input.list && 'id' in input.list && !(await getList(c.db.orm, actor.workspaceId, input.list.id))) {
    throw notFound('LIST_NOT_FOUND', 'No such list in this workspace');
  }
  const row = await c.db.orm.transaction(async (tx) => {
    let listId: string | null = null;
    if (input.list && 'id' in input.list) listId = input.list.id;
    if (input.list && 'name' in input.list) {
      const list = await createList(tx, actor.workspaceId, { name: input.list.name, description: null });
      if (list === 'name_taken') {
        throw conflict('LIST_EXISTS', `A list named "${input.list.name}" already exists: choose it as the target list instead`);
      }
      await insertAudit(tx, actor, { action: 'list.create', entityType: 'list', entityId: list.id, changes: { name: list.name, importId } });
      listId = list.id;
    }
    const queued = await repo.queueImport(tx, actor.workspaceId, importId, { mapping: mapping as unknown as Record<string, unknown>, listId });
    if (!queued) throw conflict('IMPORT_ALREADY_STARTED', 'This import was started already');
    await insertAudit(tx, actor, {
      action: 'import.start',
      entityType: 'import',
      entityId: importId,
      changes: {
        fileName: queued.fileName,
        existing: input.existing,
        listId,
        columns: columns.filter((col) => col.role !== 'ignore').map((col) => ({ header: col.header, role: col.role, key: col.key })),
      },
    });
    return queued;
  });
  try {
    await c.queues.enqueue('import.run', { workspaceId: actor.workspaceId, importId });
  } catch (err) {
    // Never leave an import "queued" with no job behind it.
    c.log.error({ err, importId }, 'import could not be queued');
    await finish(c, row, 'failed', 'The import could not be queued (the job queue is unreachable): upload the file again');
    throw new DomainError('unavailable', 'QUEUE_UNAVAILABLE', 'The job queue is unreachable: try again in a moment');
  }
  await publishProgress(c, row);
  return importView(row);
}

async function publishProgress(c: Container, row: Pick<repo.ImportRow, 'workspaceId' | 'id' | 'status' | 'rowsDone' | 'bytesDone' | 'fileSize' | 'imported' | 'updated' | 'skipped' | 'rejected' | 'error'>) {
  try {
    await c.pubsub.publish(workspaceChannel(row.workspaceId), {
      type: 'import.progress',
      importId: row.id,
      status: row.status,
      rowsDone: row.rowsDone,
      bytesDone: row.bytesDone,
      fileSize: row.fileSize,
      imported: row.imported,
      updated: row.updated,
      skipped: row.skipped,
      rejected: row.rejected,
      error: row.error,
    });
  } catch (err) {
    // A lost notice only delays the dashboard's bar: the import goes on.
    c.log.warn({ err, importId: row.id }, 'import progress notice not published');
  }
}

/** Where an import run spends its time; the benchmark reads it. */
export interface ImportTimings {
  /** Waiting for the next parsed row (file reading, decoding, CSV/XLSX parsing). */
  readMs: number;
  /** Reading rows into contacts: phone normalisation, consent, fields, duplicate merging. */
  rowMs: number;
  /** Batch transactions, from start to commit (they overlap with reading the next batch). */
  writeMs: number;
  /** Time the reader waited for the database to finish the previous batch. */
  waitMs: number;
}

export interface RunOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** Stops after the batch in flight has committed; the import stays `running` and resumes on the next run. */
  signal?: AbortSignal;
  onBatch?: (progress: repo.BatchResult['progress']) => void;
  timings?: ImportTimings;
}

const YIELD_EVERY = 500;

/**
 * Contact ids for imports, uuidv7 as everywhere: its default generator asks the system for
 * randomness every few ids and writes each id one character at a time (≈ 1 KB of garbage per id);
 * this one draws randomness 8 KB at a time and writes ids from a table of hex pairs.
 */
const contactIds = (() => {
  const pool = new Uint32Array(2048);
  let next = pool.length;
  const generator = new V7Generator({
    nextUint32() {
      if (next === pool.length) {
        crypto.getRandomValues(pool);
        next = 0;
      }
      return pool[next++]!;
    },
  });
  const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
  return () => {
    const b = generator.generate().bytes;
    const h = (i: number) => hex[b[i]!]!;
    return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
  };
})();

const MAX_RAW_CELL = 1000;
const rawCells = (cells: string[]) => cells.map((v) => (v.length > MAX_RAW_CELL ? v.slice(0, MAX_RAW_CELL) + '…' : v));

interface PendingBatch {
  /**
   * Contacts as JSON, written as soon as their row is read: a batch then holds one string per
   * contact rather than a dozen objects, so the garbage collector has less to copy and promote.
   */
  contacts: string[];
  /** Phone key → position in `contacts`, for rows repeating a phone of the same batch. */
  positions: Map<number, number>;
  counted: number;
  rejections: repo.BatchRejection[];
  duplicates: number;
  rejected: number;
  rows: number;
}

const newBatch = (): PendingBatch => ({ contacts: [], positions: new Map(), counted: 0, rejections: [], duplicates: 0, rejected: 0, rows: 0 });

/**
 * Runs an import (the `import.run` job). Streams the file, turns rows into contacts and writes
 * them in batches, one transaction each, with the checkpoint (rows_done) committed in the same
 * transaction. Run again after a crash, it re-reads the file, skips the rows already committed
 * (rebuilding the in-file duplicate map from them) and goes on: nothing is counted twice.
 * A file that turns out unreadable ends the import `failed` with the reason; batches committed
 * before stay (they are complete and consistent, and importing the fixed file again only adds
 * what is missing).
 */
export async function runImport(c: Container, job: JobPayloads['import.run'], opts: RunOptions = {}): Promise<ImportView | null> {
  const { workspaceId, importId } = job;
  const claimed = await repo.claimImport(c.db.orm, workspaceId, importId);
  if (!claimed) return null;
  await publishProgress(c, claimed);
  const detected = claimed.detected as unknown as ImportDetected;
  const mapping = claimed.mapping as unknown as ImportMapping;
  try {
    const filePath = await workingCopy(c, claimed.filePath);
    const country = await workspaceCountry(c, workspaceId);
    const plan = columnPlan(mapping.columns);
    const types = new Map(detected.columns.map((col) => [col.index, col.type]));
    await registerContactFields(
      c.db.orm,
      workspaceId,
      mapping.columns
        .filter((col) => col.role === 'field')
        .map((col) => ({ key: col.key, label: col.header || col.key, type: types.get(col.index) ?? 'text' })),
    );
    const source: SourceFile = {
      path: filePath,
      format: claimed.format,
      encoding: detected.encoding,
      delimiter: detected.delimiter,
      sheetId: detected.sheetId,
    };
    await importRows(c, claimed, mapping, plan, country, source, opts);
    return await finish(c, claimed, 'completed', null);
  } catch (err) {
    if (err instanceof FileStructureError || (err instanceof DomainError && err.kind === 'invalid')) {
      return finish(c, claimed, 'failed', err.message);
    }
    throw err;
  }
}

async function importRows(
  c: Container,
  imp: repo.ImportRow,
  mapping: ImportMapping,
  plan: ReturnType<typeof columnPlan>,
  country: string,
  source: SourceFile,
  opts: RunOptions,
): Promise<void> {
  const { workspaceId, id: importId } = imp;
  const detected = imp.detected as unknown as ImportDetected;
  const headerRow = detected.headerRow ?? 0;
  const batchSize = opts.batchSize ?? 5000;
  const t = opts.timings;
  const consentSource = `import:${imp.fileName}`;
  // Phone → row of its first appearance in the file, for "duplicate in file (merged into row N)".
  const firstRow = new FirstRowIndex();
  const resumeAfter = imp.rowsDone;
  let rowsDone = imp.rowsDone;
  let index = 0;
  let bytes = 0;
  let batch = newBatch();
  let inflight: Promise<void> | null = null;

  const write = async (b: PendingBatch, rowsBefore: number, rowsAfter: number, bytesDone: number) => {
    const started = performance.now();
    const result = await repo.writeImportBatch(c.db, {
      workspaceId,
      importId,
      listId: imp.listId,
      updateExisting: mapping.existing === 'update',
      consentSource,
      contacts: b.contacts,
      counted: b.counted,
      rejections: b.rejections,
      rowsBefore,
      rowsAfter,
      bytesDone,
      skippedExtra: b.duplicates,
      rejected: b.rejected,
    });
    if (!result) throw new Error(`import ${importId} moved on without this run (another worker runs it)`);
    if (t) t.writeMs += performance.now() - started;
    for (const outcome of ['imported', 'updated', 'skipped', 'rejected'] as const) {
      if (result[outcome] > 0) c.metrics.importRows.inc({ outcome }, result[outcome]);
    }
    await publishProgress(c, { ...imp, status: 'running', error: null, ...result.progress });
    opts.onBatch?.(result.progress);
  };

  // The database writes one batch while the next one is read and parsed.
  const flush = async () => {
    if (inflight) {
      const waited = performance.now();
      await inflight;
      if (t) t.waitMs += performance.now() - waited;
    }
    opts.signal?.throwIfAborted();
    const b = batch;
    batch = newBatch();
    const before = rowsDone;
    rowsDone += b.rows;
    inflight = write(b, before, rowsDone, bytes);
    inflight.catch(() => undefined);
  };

  try {
    let mark = t ? performance.now() : 0;
    for await (const chunk of readRowChunks(source, { onBytes: (n) => (bytes = n) })) {
      if (t) {
        const now = performance.now();
        t.readMs += now - mark;
        mark = now;
      }
      for (const r of chunk) {
        if (r.row <= headerRow || isBlankRow(r.cells)) continue;
        index++;
        const contact = readContactRow(r.cells, plan, country);
        if (index <= resumeAfter) {
          // Committed by an earlier run: only remember its phone for the duplicate map.
          if (contact.ok) firstRow.add(phoneKey(contact.phone), r.row);
          continue;
        }
        addRow(batch, r.row, r.cells, contact, firstRow);
        if (batch.rows >= batchSize) {
          if (t) t.rowMs += performance.now() - mark;
          await flush();
          if (t) mark = performance.now();
        } else if (index % YIELD_EVERY === 0) {
          // The parser hands over thousands of rows at once: let the database's answer for the
          // batch in flight be read now, or the database idles while we parse.
          if (t) t.rowMs += performance.now() - mark;
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (t) mark = performance.now();
        }
      }
      if (t) {
        const now = performance.now();
        t.rowMs += now - mark;
        mark = now;
      }
    }
    if (batch.rows > 0) await flush();
    if (inflight) await inflight;
  } finally {
    // Never leave a batch in flight behind: its commit or failure must settle before we report.
    if (inflight) await (inflight as Promise<void>).catch(() => undefined);
  }
}

function addRow(b: PendingBatch, row: number, cells: string[], contact: ReturnType<typeof readContactRow>, firstRow: FirstRowIndex) {
  b.rows++;
  if (!contact.ok) {
    b.rejected++;
    b.rejections.push({ row_number: row, reason: contact.reason, raw: rawCells(cells) });
    return;
  }
  const key = phoneKey(contact.phone);
  const first = firstRow.get(key);
  const pending = b.positions.get(key);
  if (first === undefined) {
    firstRow.add(key, row);
    addContact(b, key, contact, true);
    return;
  }
  b.duplicates++;
  b.rejections.push({ row_number: row, reason: duplicateReason(first), raw: rawCells(cells) });
  if (pending === undefined) {
    // The first row was in an earlier batch: this one still merges into that contact, uncounted.
    addContact(b, key, contact, false);
    return;
  }
  // Rare (a phone repeated within a few thousand rows): read the contact back to merge into it.
  const into = JSON.parse(b.contacts[pending]!) as repo.BatchContact;
  mergeContactRows(into, contact);
  b.contacts[pending] = repo.batchContactJson(into);
}

function addContact(b: PendingBatch, key: number, contact: ContactRow, counted: boolean) {
  b.positions.set(key, b.contacts.length);
  b.contacts.push(repo.batchContactJson({ id: contactIds(), phone: contact.phone, name: contact.name, fields: contact.fields, consent: contact.consent, counted }));
  if (counted) b.counted++;
}

async function finish(c: Container, imp: repo.ImportRow, status: 'completed' | 'failed', error: string | null): Promise<ImportView | null> {
  const row = await c.db.orm.transaction(async (tx) => {
    const done = await repo.finishImport(tx, imp.workspaceId, imp.id, { status, error });
    if (done) {
      // Contacts this import created for numbers that had said "STOP" are opted out like them.
      await applyPhoneOptOuts(tx, imp.workspaceId);
      await insertAudit(tx, systemActor(imp.workspaceId), {
        action: status === 'completed' ? 'import.complete' : 'import.fail',
        entityType: 'import',
        entityId: imp.id,
        changes: { imported: done.imported, updated: done.updated, skipped: done.skipped, rejected: done.rejected, ...(error ? { error } : {}) },
      });
    }
    return done;
  });
  if (!row) return null;
  // The rows live on as contacts and rejections; the upload itself is no longer needed.
  await fsp.rm(workCopyPath(c, imp.filePath), { force: true });
  await c.uploads.delete(imp.filePath);
  await publishProgress(c, row);
  return importView(row);
}

/** Ends an import whose job gave up (after its last retry) with the reason in words. */
export async function failImport(c: Container, job: JobPayloads['import.run'], reason: string): Promise<void> {
  const imp = await repo.getImport(c.db.orm, job.workspaceId, job.importId);
  if (imp) await finish(c, imp, 'failed', reason);
}

/** The rejected and merged rows of an import as CSV (`row,reason,<original columns…>`), read from the database page by page. */
export async function rejectionsCsv(c: Container, actor: Actor, importId: string): Promise<{ fileName: string; body: Readable }> {
  const imp = await loadImport(c, actor, importId);
  const detected = imp.detected as unknown as ImportDetected;
  const header = detected.columns.map((col) => col.header || `column ${col.index + 1}`);
  async function* records() {
    yield ['row', 'reason', ...header];
    let after = 0;
    for (;;) {
      const page = await repo.rejectionsPage(c.db.orm, actor.workspaceId, importId, after, 1000);
      if (page.length === 0) return;
      for (const r of page) yield [String(r.rowNumber), r.reason, ...r.raw];
      after = page[page.length - 1]!.rowNumber;
    }
  }
  const base = imp.fileName.replace(/\.[^.]+$/, '');
  // The BOM lets Excel open accents and non-Latin names correctly.
  return { fileName: `${base}-rejected-rows.csv`, body: Readable.from(records()).pipe(stringify({ bom: true })) };
}
