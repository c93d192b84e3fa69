import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { startHarness, type Harness } from './support/harness.ts';
import { packages, profiles, workspaces } from '../src/db/schema.ts';
import { systemClock } from '../src/system-clock.ts';
import { databaseUnreachable } from '../src/db/pg-errors.ts';
import { EventIngest, type FlushReport } from '../src/services/event-ingest.ts';

/**
 * The ingest under load: what arrives while a batch is being written waits and goes out as one
 * batch, however many flushes were asked for meanwhile, so the writes and their listeners keep up
 * with the sends instead of queueing one small batch behind another.
 */
describe('event ingest', () => {
  let h: Harness;
  let ref: { workspaceId: string; profileId: string };
  beforeAll(async () => {
    h = await startHarness('embedded', {}, { workers: false });
    const workspaceId = (await h.c.db.orm.insert(workspaces).values({ name: 'W', defaultCountry: 'ID' }).returning())[0]!.id;
    const profileId = (await h.c.db.orm.insert(profiles).values({ workspaceId, name: 'one', transport: 'simulator' }).returning())[0]!.id;
    ref = { workspaceId, profileId };
  });
  afterAll(async () => h?.close());

  it('writes what arrives during a write as the next single batch, in order, and each flush resolves once its items are written and listened to', async () => {
    // Only flushes asked for (or a full batch of 100) write: the interval never runs out here.
    const ingest = new EventIngest(h.c.db, systemClock, { intervalMs: 60_000, maxBatch: 100 });
    const reports: number[][] = [];
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    ingest.onFlush(async (report: FlushReport) => {
      reports.push(report.profiles.get(ref.profileId)!.outcomes.map((o) => o.at));
      // The first batch's listener holds the write loop, as a slow database would.
      if (reports.length === 1) await blocked;
    });
    const send = (at: number) => ingest.result('test', ref, { id: uuidv7(), outcome: 'sent', providerMessageId: `p${at}`, at });

    for (let at = 1; at <= 10; at++) send(at);
    let firstDone = false;
    const first = ingest.flush().then(() => (firstDone = true));
    // 250 more while the first is held: two full batches flush on their own, then one more flush is asked for.
    for (let at = 11; at <= 260; at++) send(at);
    const second = ingest.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(firstDone).toBe(false);
    unblock();
    await Promise.all([first, second]);

    expect(reports).toEqual([
      Array.from({ length: 10 }, (_, i) => i + 1),
      Array.from({ length: 250 }, (_, i) => i + 11),
    ]);
    const { rows } = await h.c.db.pool.query('SELECT sum(sent)::int AS sent FROM profile_stats WHERE profile_id = $1', [ref.profileId]);
    expect(rows[0].sent).toBe(260);
  });

  it('waits for a database it cannot reach instead of dropping the results, and reports it meanwhile', async () => {
    const id = uuidv7();
    const packageId = (await h.c.db.orm.insert(packages).values({ workspaceId: ref.workspaceId, name: 'P' }).returning())[0]!.id;
    await h.c.db.pool.query(
      `INSERT INTO campaign_messages (id, workspace_id, package_id, profile_id, phone, content, status, lease_owner, lease_until, attempts)
       VALUES ($1, $2, $4, $3, '+628111111111', '{"type":"text","text":"hi"}', 'sending', 'test', now() + interval '1 minute', 1)`,
      [id, ref.workspaceId, ref.profileId, packageId],
    );
    // The first seven writes fail as they do while PostgreSQL restarts: more than the retries of a refused batch.
    let failures = 7;
    const orm = new Proxy(h.c.db.orm, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'execute' && prop !== 'transaction') return value;
        return (...args: unknown[]) => {
          if (failures-- > 0) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const errors: unknown[] = [];
    const ingest = new EventIngest({ ...h.c.db, orm }, systemClock, { intervalMs: 60_000, maxBatch: 100, onError: (err) => errors.push(err) });
    ingest.result('test', ref, { id, outcome: 'sent', providerMessageId: `p-${id}`, at: Date.now() });
    await ingest.flush();
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect((await h.c.db.pool.query('SELECT status FROM campaign_messages WHERE id = $1', [id])).rows[0].status).toBe('sent');
  }, 30_000);

  it('writes a batch in one transaction: a receipt applied by a failed attempt is still counted by the retry', async () => {
    const profileId = (await h.c.db.orm.insert(profiles).values({ workspaceId: ref.workspaceId, name: 'retried', transport: 'simulator' }).returning())[0]!.id;
    const mine = { workspaceId: ref.workspaceId, profileId };
    const packageId = (await h.c.db.orm.insert(packages).values({ workspaceId: ref.workspaceId, name: 'R' }).returning())[0]!.id;
    const id = uuidv7();
    await h.c.db.pool.query(
      `INSERT INTO campaign_messages (id, workspace_id, package_id, profile_id, phone, content, status, provider_message_id, sent_at, attempts)
       VALUES ($1, $2, $4, $3, '+628222222222', '{"type":"text","text":"hi"}', 'sent', $5, now(), 1)`,
      [id, ref.workspaceId, profileId, packageId, `p-${id}`],
    );
    // The statistics statement is refused once (a serialization failure), after the receipt was applied.
    const dialect = new PgDialect();
    let refusals = 1;
    const orm = new Proxy(h.c.db.orm, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'transaction') return value;
        return (fn: (tx: unknown) => Promise<unknown>) =>
          target.transaction((tx) =>
            fn(
              new Proxy(tx, {
                get(t, p, r) {
                  const v = Reflect.get(t, p, r);
                  if (p !== 'execute') return v;
                  return (query: SQL) => {
                    if (dialect.sqlToQuery(query).sql.includes('profile_stats') && refusals-- > 0) {
                      return Promise.reject(Object.assign(new Error('could not serialize access'), { code: '40001' }));
                    }
                    return (v as (q: SQL) => unknown).call(t, query);
                  };
                },
              }),
            ),
          );
      },
    });
    const errors: unknown[] = [];
    const ingest = new EventIngest({ ...h.c.db, orm }, systemClock, { intervalMs: 60_000, maxBatch: 100, onError: (err) => errors.push(err) });
    ingest.event(mine, { type: 'status', messageId: id, providerMessageId: `p-${id}`, status: 'delivered', at: Date.now() });
    await ingest.flush();
    expect(refusals).toBe(-1);
    expect((await h.c.db.pool.query('SELECT status FROM campaign_messages WHERE id = $1', [id])).rows[0].status).toBe('delivered');
    const { rows } = await h.c.db.pool.query('SELECT sum(delivered)::int AS delivered FROM profile_stats WHERE profile_id = $1', [profileId]);
    expect(rows[0].delivered).toBe(1);
  });

  it('writes a batch whose events name a profile deleted meanwhile, without its counts or routes', async () => {
    const goneId = (await h.c.db.orm.insert(profiles).values({ workspaceId: ref.workspaceId, name: 'gone', transport: 'simulator' }).returning())[0]!.id;
    const gone = { workspaceId: ref.workspaceId, profileId: goneId };
    const packageId = (await h.c.db.orm.insert(packages).values({ workspaceId: ref.workspaceId, name: 'G' }).returning())[0]!.id;
    const id = uuidv7();
    await h.c.db.pool.query(
      `INSERT INTO campaign_messages (id, workspace_id, package_id, profile_id, phone, content, status, lease_owner, lease_until, attempts)
       VALUES ($1, $2, $4, $3, '+628333333333', '{"type":"text","text":"hi"}', 'sending', 'test', now() + interval '1 minute', 1)`,
      [id, ref.workspaceId, ref.profileId, packageId],
    );
    const errors: unknown[] = [];
    const ingest = new EventIngest(h.c.db, systemClock, { intervalMs: 60_000, maxBatch: 100, onError: (err) => errors.push(err) });
    ingest.result('test', ref, { id, outcome: 'sent', providerMessageId: `p-${id}`, at: Date.now() });
    ingest.event(gone, { type: 'inbound', providerMessageId: 'in-1', from: '+628444444444', text: 'halo', at: Date.now() });
    await h.c.db.pool.query('DELETE FROM profiles WHERE id = $1', [goneId]);
    await ingest.flush();
    expect(errors).toEqual([]);
    expect((await h.c.db.pool.query('SELECT status FROM campaign_messages WHERE id = $1', [id])).rows[0].status).toBe('sent');
    expect((await h.c.db.pool.query('SELECT count(*)::int AS n FROM conversation_routes WHERE profile_id = $1', [goneId])).rows[0].n).toBe(0);
  });

  it('tells a database that cannot be reached from a batch it refuses', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '08006', '57P01', '53300']) expect(databaseUnreachable(Object.assign(new Error(code), { code }))).toBe(true);
    for (const code of ['23505', '22P02', '42P01', undefined]) expect(databaseUnreachable(Object.assign(new Error('refused'), { code }))).toBe(false);
    // drizzle wraps a failed query's error in its own, with the driver's as its cause.
    const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: Object.assign(new Error(code), { code }) });
    expect(databaseUnreachable(wrapped('57P01'))).toBe(true);
    expect(databaseUnreachable(wrapped('ECONNRESET'))).toBe(true);
    expect(databaseUnreachable(wrapped('23503'))).toBe(false);
  });
});
