import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryTemplate, migrateDatabase, openDatabase, type Database } from '../src/db/client.ts';

const migrationsApplied = async (db: Database) =>
  (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'drizzle' AND tablename = '__drizzle_migrations'`)).rows[0]!.n === 1;

/**
 * In-memory PGlite databases start from a copy of a migrated one (src/db/client.ts): each is its
 * own database all the same, and a copy that cannot be loaded is replaced, never in the way.
 */
describe('in-memory database template', () => {
  it('starts a new in-memory database migrated, as a database of its own', async () => {
    const first = await openDatabase({ pgliteDir: 'memory://' });
    await migrateDatabase(first);
    expect(fs.existsSync(memoryTemplate().file)).toBe(true);
    const second = await openDatabase({ pgliteDir: 'memory://' });
    const third = await openDatabase({ pgliteDir: 'memory://' });
    try {
      expect(await migrationsApplied(second)).toBe(true);
      await second.pool.query(`INSERT INTO workspaces (id, name, default_country) VALUES (gen_random_uuid(), 'only in the second', 'ID')`);
      expect((await third.pool.query(`SELECT count(*)::int AS n FROM workspaces WHERE name = 'only in the second'`)).rows[0].n).toBe(0);
    } finally {
      await Promise.all([first.close(), second.close(), third.close()]);
    }
  });

  it('starts empty from a copy that cannot be loaded, replaces it once migrated, and removes copies unused for a day', async () => {
    // A folder of its own: other test files share the temp folder's copy.
    const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-template-test-'));
    const { file } = memoryTemplate(templateDir);
    fs.writeFileSync(file, 'not a data directory');
    // Copies for other migrations: one unused for two days goes when a new copy is written, a recent one stays.
    const old = path.join(templateDir, 'chorus-pglite-0000000000000000.tar');
    const recent = path.join(templateDir, 'chorus-pglite-1111111111111111.tar');
    fs.writeFileSync(old, 'x');
    fs.writeFileSync(recent, 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
    const db = await openDatabase({ pgliteDir: 'memory://', templateDir });
    try {
      expect(await migrationsApplied(db)).toBe(false);
      await migrateDatabase(db);
      expect(fs.statSync(file).size).toBeGreaterThan(1_000_000);
      expect([fs.existsSync(old), fs.existsSync(recent)]).toEqual([false, true]);
    } finally {
      await db.close();
      fs.rmSync(templateDir, { recursive: true, force: true });
    }
  });
});
