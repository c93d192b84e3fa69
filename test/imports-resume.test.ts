import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, rowCount, startHarness, type Harness } from './support/harness.ts';
import { cookieOf, signupOwner, type Session } from './support/api.ts';
import { runImport } from '../src/services/imports.service.ts';
import { start, upload, type ImportJson } from './fixtures/import-files.ts';

/**
 * 1,000 rows: every 10th has an invalid phone, and rows 901–1000 repeat the phones of rows 1–100
 * with a new city: duplicates whose first appearance lies in batches committed before the crash.
 */
function file(): string {
  const lines = ['phone,name,city'];
  for (let i = 0; i < 900; i++) lines.push(i % 10 === 9 ? `oops${i},Bad ${i},X` : `0812${String(20_000_000 + i)},Person ${i},City ${i}`);
  for (let i = 0; i < 100; i++) lines.push(i % 10 === 9 ? `oops${i},Bad ${i},X` : `0812${String(20_000_000 + i)},,Moved ${i}`);
  return lines.join('\n');
}

describe.each(modes)('import resume (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    // No workers: the test drives the job's service function itself.
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  const queued = async (s: Session) => {
    const up = (await upload(h.app, cookieOf(s), 'resume.csv', file())).json() as ImportJson;
    expect((await start(h.app, cookieOf(s), up.id, { list: { name: 'Resumed' } })).statusCode).toBe(202);
    return up.id;
  };
  const state = async (s: Session) => ({
    contacts: (await h.c.db.pool.query('SELECT phone, name, fields FROM contacts WHERE workspace_id = $1 ORDER BY phone', [s.workspaceId])).rows,
    rejections: (
      await h.c.db.pool.query('SELECT row_number, reason FROM import_rejections WHERE workspace_id = $1 ORDER BY row_number', [s.workspaceId])
    ).rows,
    members: await rowCount(h, 'list_members', s.workspaceId),
  });

  it('resumes after a crash from the last committed batch, counting nothing twice', async () => {
    // Reference: the same file in one go.
    const ref = await signupOwner(h.app);
    const refId = await queued(ref);
    const whole = await runImport(h.c, { workspaceId: ref.workspaceId, importId: refId }, { batchSize: 100 });
    expect(whole).toMatchObject({ status: 'completed', rowsDone: 1000, imported: 810, updated: 0, skipped: 90, rejected: 100 });

    const s = await signupOwner(h.app);
    const id = await queued(s);
    const crash = new AbortController();
    const run = runImport(h.c, { workspaceId: s.workspaceId, importId: id }, {
      batchSize: 100,
      signal: crash.signal,
      onBatch: (p) => p.rowsDone >= 300 && crash.abort(),
    });
    await expect(run).rejects.toThrow(/abort/i);
    const mid = (await h.c.db.pool.query('SELECT status, rows_done, imported, rejected FROM imports WHERE id = $1', [id])).rows[0];
    expect(mid).toEqual({ status: 'running', rows_done: 300, imported: 270, rejected: 30 });

    // A retried job re-runs the same function from the checkpoint.
    const resumed = await runImport(h.c, { workspaceId: s.workspaceId, importId: id }, { batchSize: 100 });
    expect(resumed).toMatchObject({ status: 'completed', rowsDone: 1000, imported: 810, updated: 0, skipped: 90, rejected: 100 });

    const [a, b] = [await state(ref), await state(s)];
    expect(b.contacts).toEqual(a.contacts);
    expect(b.rejections).toEqual(a.rejections);
    expect(b.members).toBe(810);
    expect(b.contacts.find((c) => c.phone === '+6281220000000')).toEqual({ phone: '+6281220000000', name: 'Person 0', fields: { city: 'Moved 0' } });
    expect(b.rejections.find((r) => r.row_number === 902)).toEqual({ row_number: 902, reason: 'duplicate in file (merged into row 2)' });

    // Running a finished import again does nothing.
    expect(await runImport(h.c, { workspaceId: s.workspaceId, importId: id })).toBeNull();
  });

  it('resumes from a checkpoint set by a crashed process (rows_done committed, job lost mid-batch)', async () => {
    const ref = await signupOwner(h.app);
    const refId = await queued(ref);
    await runImport(h.c, { workspaceId: ref.workspaceId, importId: refId }, { batchSize: 250 });

    const s = await signupOwner(h.app);
    const id = await queued(s);
    // The first 500 rows committed by a run that then died; the next run starts from there.
    const first = new AbortController();
    await expect(
      runImport(h.c, { workspaceId: s.workspaceId, importId: id }, { batchSize: 250, signal: first.signal, onBatch: (p) => p.rowsDone >= 500 && first.abort() }),
    ).rejects.toThrow();
    const resumed = await runImport(h.c, { workspaceId: s.workspaceId, importId: id }, { batchSize: 64 });
    expect(resumed).toMatchObject({ status: 'completed', rowsDone: 1000, imported: 810, skipped: 90, rejected: 100 });
    expect((await state(s)).contacts).toEqual((await state(ref)).contacts);
  });
});
