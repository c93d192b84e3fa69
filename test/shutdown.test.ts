import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { cookieOf, signupOwner } from './support/api.ts';
import { start, upload, waitForImport, type ImportJson } from './fixtures/import-files.ts';
import { createQueueSystem } from '../src/container.ts';
import { startWorkers } from '../src/workers/index.ts';

const ROWS = 80_000;

function bigFile(): string {
  const lines = ['phone,name,city'];
  for (let i = 0; i < ROWS; i++) lines.push(`0812${String(30_000_000 + i)},Person ${i},City ${i % 50}`);
  return lines.join('\n');
}

describe.each(modes)('graceful shutdown during an import (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode);
  });
  afterAll(async () => h?.close());

  it('hands a running import back at a batch boundary and another worker finishes it exactly', async () => {
    const s = await signupOwner(h.app);
    const up = (await upload(h.app, cookieOf(s), 'big.csv', bigFile())).json() as ImportJson;
    expect((await start(h.app, cookieOf(s), up.id, { list: { name: 'Big' } })).statusCode).toBe(202);
    const progress = async () =>
      (await h.c.db.pool.query('SELECT status, rows_done FROM imports WHERE id = $1', [up.id])).rows[0] as { status: string; rows_done: number };
    while ((await progress()).rows_done === 0) await new Promise((r) => setTimeout(r, 20));

    // What SIGTERM does to the queues: the worker stops, handing the import back.
    await h.c.queues.close();
    const stopped = await progress();
    expect(stopped.status).toBe('running');
    expect(stopped.rows_done).toBeGreaterThan(0);
    expect(stopped.rows_done).toBeLessThan(ROWS);

    // A fresh worker (as after a restart) picks it up and resumes from the checkpoint.
    h.c.queues = createQueueSystem(h.c.config, h.c.db);
    startWorkers(h.c);
    const done = await waitForImport(h.app, cookieOf(s), up.id);
    expect(done).toMatchObject({ status: 'completed', rowsDone: ROWS, imported: ROWS, updated: 0, skipped: 0, rejected: 0 });
    const members = await h.c.db.pool.query('SELECT count(*)::int AS n FROM list_members WHERE workspace_id = $1', [s.workspaceId]);
    expect(members.rows[0].n).toBe(ROWS);
  });
});
