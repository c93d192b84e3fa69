import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ADMIN_URL, createBenchDatabase } from './common.ts';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContainer } from '../src/container.ts';
import { signup } from '../src/services/auth.service.ts';
import { createImport, runImport, startImport, type ImportTimings } from '../src/services/imports.service.ts';
import { readRows } from '../src/services/import-reader.ts';
import { columnPlan, readContactRow, type MappingColumn } from '../src/domain/import-rows.ts';
import { isBlankRow } from '../src/domain/import-detect.ts';

/**
 * One mode of the import benchmark, in its own process so its peak RSS is its own:
 * `tsx bench/import.child.ts <postgres|pglite> <file.csv> <new|none>` (target list); sends its figures to the parent over IPC.
 */

export interface ChildResult {
  mode: 'postgres' | 'pglite';
  list: 'new' | 'none';
  rows: number;
  uploadMs: number;
  importMs: number;
  peakRssMb: number;
  /** RSS before the import started (the process with its modules and database loaded). */
  startRssMb: number;
  /** CPU time per imported row: this process (all its threads), and the PostgreSQL server processes of the bench database (null: not measurable). */
  cpuUsPerRow: { node: number; server: number | null };
  counts: { imported: number; updated: number; skipped: number; rejected: number };
  timings: ImportTimings;
  parseOnlyMs: number;
  parseAndRowsMs: number;
  copyMs: number | null;
  copyNote: string;
}

const COLUMNS = ['phone', 'name', 'email', 'city', 'consent', 'plan', 'amount', 'joined', 'notes', 'ref'];

function rssSampler() {
  // memoryUsage.rss() only reads the RSS; memoryUsage() also walks the heap spaces.
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024;
    },
  };
}

/**
 * CPU time (ms) used so far by the PostgreSQL server processes serving `dbName`, read from /proc:
 * only when the server runs on this machine and its processes are visible; null otherwise.
 */
async function serverCpuMs(dbName: string): Promise<Map<number, number> | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    const ticks = new Map<number, number>();
    for (const { pid } of rows) {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, in clock ticks of 10 ms (USER_HZ = 100 on Linux).
      ticks.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
    return ticks;
  } catch {
    return null;
  } finally {
    await admin.end();
  }
}

function serverCpuSpent(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

async function copyPostgres(url: string, csv: string): Promise<{ ms: number | null; note: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE bench_raw (${COLUMNS.map((c) => `${c} text`).join(', ')})`);
  await client.end();
  const started = performance.now();
  const res = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy bench_raw FROM '${csv}' WITH (FORMAT csv, HEADER)`], { encoding: 'utf8' });
  if (res.error || res.status !== 0) return { ms: null, note: `psql not usable: ${res.error?.message ?? res.stderr}` };
  return { ms: performance.now() - started, note: 'psql \\copy into a bare 10-column text table' };
}

async function copyPglite(csv: string): Promise<{ ms: number; note: string }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-copy-'));
  try {
    const lite = await PGlite.create(dir);
    await lite.exec(`CREATE TABLE bench_raw (${COLUMNS.map((c) => `${c} text`).join(', ')})`);
    const blob = await fs.openAsBlob(csv);
    const started = performance.now();
    await lite.query(`COPY bench_raw FROM '/dev/blob' WITH (FORMAT csv, HEADER)`, [], { blob });
    const ms = performance.now() - started;
    await lite.close();
    return { ms, note: "COPY … FROM '/dev/blob' into a bare 10-column text table (file PGlite)" };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const [mode, csv, list] = process.argv.slice(2) as ['postgres' | 'pglite', string, 'new' | 'none'];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-'));
  const benchDb = mode === 'postgres' ? await createBenchDatabase() : null;
  const databaseUrl = benchDb?.url;
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SECRET_KEY: randomBytes(32).toString('hex'),
    IMPORT_MAX_BYTES: String(4 * 1024 * 1024 * 1024),
    QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const c = await createContainer(config, { logger: pino({ level: 'silent' }) });
  try {
    const session = await signup(c, { email: 'bench@example.com', password: 'benchmark pw', name: 'Bench', workspaceName: 'Bench' });
    const actor = { workspaceId: session.workspaceId, userId: session.userId, apiKeyId: null, role: 'owner' as const };

    let started = performance.now();
    const uploaded = await createImport(c, actor, { fileName: path.basename(csv), stream: fs.createReadStream(csv) });
    const uploadMs = performance.now() - started;
    await startImport(c, actor, uploaded.id, { columns: [], existing: 'update', ...(list === 'new' ? { list: { name: 'Bench' } } : {}) });

    const timings: ImportTimings = { readMs: 0, rowMs: 0, writeMs: 0, waitMs: 0 };
    const startRssMb = process.memoryUsage.rss() / 1024 / 1024;
    const rss = rssSampler();
    const serverBefore = benchDb ? await serverCpuMs(benchDb.name) : null;
    const cpuBefore = process.cpuUsage();
    started = performance.now();
    const done = await runImport(c, { workspaceId: actor.workspaceId, importId: uploaded.id }, { timings });
    const importMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const serverMs = benchDb ? serverCpuSpent(serverBefore, await serverCpuMs(benchDb.name)) : null;
    const peakRssMb = rss.stop();
    if (!done || done.status !== 'completed') throw new Error(`import ended ${done?.status}: ${done?.error}`);

    // The same rows again without the database: what parsing alone and parsing + rows cost.
    const source = { path: csv, format: 'csv' as const, encoding: uploaded.detected.encoding, delimiter: uploaded.detected.delimiter, sheetId: null };
    started = performance.now();
    for await (const r of readRows(source)) if (r.row === 0) throw new Error('unreachable');
    const parseOnlyMs = performance.now() - started;
    const plan = columnPlan((done.mapping as { columns: MappingColumn[] }).columns);
    started = performance.now();
    let valid = 0;
    for await (const r of readRows(source)) {
      if (r.row <= (uploaded.detected.headerRow ?? 0) || isBlankRow(r.cells)) continue;
      if (readContactRow(r.cells, plan, 'ID').ok) valid++;
    }
    const parseAndRowsMs = performance.now() - started;
    if (valid === 0) throw new Error('no valid rows');

    const copy = mode === 'postgres' ? await copyPostgres(databaseUrl!, csv) : await copyPglite(csv);
    const result: ChildResult = {
      mode,
      list,
      rows: done.rowsDone,
      uploadMs,
      importMs,
      peakRssMb,
      startRssMb,
      cpuUsPerRow: { node: (cpu.user + cpu.system) / done.rowsDone, server: serverMs === null ? null : (serverMs * 1000) / done.rowsDone },
      counts: { imported: done.imported, updated: done.updated, skipped: done.skipped, rejected: done.rejected },
      timings,
      parseOnlyMs,
      parseAndRowsMs,
      copyMs: copy.ms,
      copyNote: copy.note,
    };
    process.send?.(result);
  } finally {
    await c.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await benchDb?.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
