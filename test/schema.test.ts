import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';

describe('embedded schema', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('embedded');
    // BullMQ creates its schema on first use.
    await h.c.queues.counts();
  });
  afterAll(async () => h?.close());

  it("has no table whose name BullMQ's schema shadows on the shared PGlite search_path", async () => {
    const { rows } = await h.c.db.pool.query(`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
      INTERSECT
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'bullmq'`);
    const bullmq = await h.c.db.pool.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'bullmq'`);
    expect(bullmq.rows[0].n).toBeGreaterThan(5);
    expect(rows).toEqual([]);
  });
});
