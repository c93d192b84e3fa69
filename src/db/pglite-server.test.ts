import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PgliteServer } from './pglite-server.ts';

describe('PgliteServer', () => {
  let lite: PGlite;
  let server: PgliteServer;
  let pool: pg.Pool;
  beforeAll(async () => {
    lite = await PGlite.create('memory://');
    await lite.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
    server = new PgliteServer(lite);
    const port = await server.start();
    pool = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 10 });
  });
  afterAll(async () => {
    await pool.end();
    await server.stop();
    await lite.close();
  });

  it('keeps concurrent parameterised queries of many connections apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => pool.query('SELECT $1::int AS a, $2::text AS b', [i, `x${i}`])),
    );
    results.forEach((r, i) => expect(r.rows[0]).toEqual({ a: i, b: `x${i}` }));
  });

  it('isolates a transaction from the other connections until it ends', async () => {
    const tx = await pool.connect();
    await tx.query('BEGIN');
    await tx.query('INSERT INTO t VALUES (1, $1)', ['inside']);
    // Queued behind the open transaction: it must see the committed row, not run inside the transaction.
    const outside = pool.query('SELECT count(*)::int AS n FROM t');
    await tx.query('ROLLBACK');
    tx.release();
    expect((await outside).rows[0].n).toBe(0);
  });

  it('rolls back the transaction of a client that disconnects in the middle', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO t VALUES (2, $1)', ['orphan']);
    await client.end();
    const r = await pool.query('SELECT count(*)::int AS n FROM t WHERE id = 2');
    expect(r.rows[0].n).toBe(0);
  });
});
