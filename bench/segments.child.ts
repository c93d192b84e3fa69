import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PgDialect } from 'drizzle-orm/pg-core';
import { migrateDatabase, openDatabase, type Database } from '../src/db/client.ts';
import { countMatching, segmentFilter } from '../src/db/segment-sql.ts';
import { segmentCriteria, type SegmentGroup } from '../src/domain/segment-criteria.ts';
import { createBenchDatabase } from './common.ts';

/**
 * One mode of the segments benchmark, in its own process (PGlite's memory is its own):
 * `tsx bench/segments.child.ts <postgres|pglite> <rows> <runs> [keep]`; sends its figures over IPC.
 */

export interface SegmentResult {
  name: string;
  count: number;
  /** Milliseconds of each run, countMatching (ours) and the hand-written statement (hand). */
  ours: number[];
  hand: number[];
  /** The scan and join nodes of our statement's plan. */
  plan: string;
}

export interface ChildResult {
  mode: 'postgres' | 'pglite';
  rows: number;
  loadMs: number;
  indexMs: number;
  segments: SegmentResult[];
  indexes: { name: string; mb: number }[];
  tableMb: number;
}

/** A fixed "now", so the data and "within the last N days" are the same in every run. */
const NOW = new Date('2026-06-01T00:00:00Z');
const LIST_BIG = '00000000-0000-7000-8000-00000000000a';
const LIST_EVENT = '00000000-0000-7000-8000-00000000000b';
const LIST_IMPORT = '00000000-0000-7000-8000-00000000000c';
const LIST_OTHER = '00000000-0000-7000-8000-00000000000d';

/**
 * Contacts generated inside the database (no client round trips): `r(k)` is a deterministic
 * pseudo-random non-negative int per contact and draw k. Custom fields are mostly text, as imports
 * store them, with some JSON numbers and booleans as the API stores them, and a few cities in
 * another case.
 */
const CONTACTS_SQL = `
INSERT INTO contacts (id, workspace_id, phone, name, fields, labels, workflow_status, consent, consent_at,
                      opted_out_at, last_interaction_at, conversation_count, rating)
SELECT (lpad(to_hex($3::int), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       $1::uuid,
       '+62' || (811000000000 + i)::text,
       'Contact ' || i,
       jsonb_strip_nulls(jsonb_build_object(
         'city', CASE WHEN r1 % 20 = 0 THEN upper(city) WHEN r1 % 20 = 1 THEN lower(city) ELSE city END,
         'plan', (ARRAY['free','free','free','silver','silver','gold','platinum'])[1 + r2 % 7],
         'birthday', CASE WHEN r3 % 10 < 7 THEN to_char(date '1960-01-01' + (r3 % 16000)::int, 'YYYY-MM-DD') END,
         'spend', CASE WHEN r4 % 10 < 7 THEN to_jsonb(round((r4 / 10) % 200000 / 100.0, 2)::text)
                       WHEN r4 % 10 = 7 THEN to_jsonb(round((r4 / 10) % 100000 / 100.0, 2))
                       WHEN r4 % 10 = 8 THEN to_jsonb('n/a'::text) END,
         'signup_source', (ARRAY['web','store','referral','ads','whatsapp','event'])[1 + r5 % 6],
         'vip', CASE r6 % 20 WHEN 0 THEN 'true'::jsonb WHEN 1 THEN '"yes"'::jsonb WHEN 2 THEN 'false'::jsonb
                             WHEN 3 THEN '"no"'::jsonb WHEN 4 THEN '"No"'::jsonb END,
         'email', 'user' || i || '@example.com',
         'referral_code', CASE WHEN r6 % 50 = 7 THEN 'R' || i END
       )),
       CASE WHEN r7 % 10 < 3 THEN array_remove(ARRAY[
         lbl[1 + r8 % 12],
         CASE WHEN r8 % 3 = 0 THEN lbl[1 + (r8 % 12 + 1 + (r8 / 12) % 11) % 12] END], NULL)
       ELSE '{}'::text[] END,
       (ARRAY[NULL,NULL,NULL,NULL,'new','contacted','qualified','customer','lost','new'])[1 + r9 % 10],
       r10 % 10 < 8,
       CASE WHEN r10 % 10 < 8 THEN $2::timestamptz - interval '800 days' END,
       CASE WHEN r10 % 20 = 9 THEN $2::timestamptz - (r10 % 300) * interval '1 day' END,
       CASE WHEN r11 % 10 < 7 THEN $2::timestamptz - (r11 % (730 * 86400)) * interval '1 second' END,
       ((r12 % 1000) * (r12 % 1000)) / 20000,
       CASE WHEN r13 % 10 < 3 THEN 1 + (r13 / 10) % 5 END
FROM (
  SELECT i, (ARRAY['Jakarta','Jakarta','Jakarta','Bandung','Surabaya','Surabaya','Medan','Depok','Bogor','Makassar','Denpasar','Yogyakarta','Semarang'])[1 + r0 % 13] AS city,
         ARRAY['vip','customer','lead','newsletter','promo_2024','churned','wholesale','event_jkt','reseller','beta','support','b2b'] AS lbl,
         r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13
  FROM (
    SELECT i, ${Array.from({ length: 14 }, (_, k) => `hashint8extended(i, ${k} + 100 * $3::int) & 2147483647 AS r${k}`).join(', ')}
    FROM generate_series(1, $4::bigint) AS i
  ) h
) g`;

interface Segment {
  name: string;
  criteria: SegmentGroup;
  /** The best statement written by hand for the same set; $1 is the workspace. */
  hand: string;
}

const spendOver = (n: number, op = '>') =>
  `CASE WHEN fields->>'spend' ~ '^[+-]?[0-9]+([.][0-9]+)?$' THEN left(fields->>'spend', 1000)::numeric END ${op} ${n}`;
const since30 = `'${new Date(NOW.getTime() - 30 * 86_400_000).toISOString()}'`;

export const SEGMENTS: Segment[] = [
  {
    name: 'city equals Bandung',
    criteria: { op: 'and', conditions: [{ field: 'custom', key: 'city', op: 'equals', value: 'Bandung' }] },
    hand: `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND lower(fields->>'city') = 'bandung'`,
  },
  {
    name: 'label has_any vip',
    criteria: { op: 'and', conditions: [{ field: 'labels', op: 'has_any', values: ['vip'] }] },
    hand: `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND labels @> '{vip}' AND labels <> '{}'`,
  },
  {
    name: 'plan gold|platinum + spend > 100',
    criteria: {
      op: 'and',
      conditions: [
        { op: 'or', conditions: [{ field: 'custom', key: 'plan', op: 'equals', value: 'gold' }, { field: 'custom', key: 'plan', op: 'equals', value: 'platinum' }] },
        { field: 'custom', key: 'spend', op: 'gt', value: 100 },
      ],
    },
    hand: `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND lower(fields->>'plan') IN ('gold', 'platinum') AND ${spendOver(100)}`,
  },
  {
    name: 'interacted last 30 days + consent',
    criteria: { op: 'and', conditions: [{ field: 'last_interaction_at', op: 'within_last_days', days: 30 }, { field: 'consent', op: 'is', value: true }] },
    hand: `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND last_interaction_at >= ${since30} AND consent`,
  },
  {
    name: 'birthday after 1990-12-31',
    criteria: { op: 'and', conditions: [{ field: 'custom', key: 'birthday', op: 'after', value: '1990-12-31' }] },
    hand:
      `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND CASE WHEN left(fields->>'birthday', 10) COLLATE "C" > '1990-12-31' ` +
      `THEN fields->>'birthday' ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' END`,
  },
  {
    name: '(promo_2024 OR newsletter) + not opted out',
    criteria: {
      op: 'and',
      conditions: [
        { op: 'or', conditions: [{ field: 'labels', op: 'has_any', values: ['promo_2024'] }, { field: 'labels', op: 'has_any', values: ['newsletter'] }] },
        { field: 'opted_out', op: 'is', value: false },
      ],
    },
    hand: `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND labels && '{promo_2024,newsletter}' AND labels <> '{}' AND opted_out_at IS NULL`,
  },
  {
    name: 'conversations ≥ 3 + rating ≥ 4',
    criteria: { op: 'and', conditions: [{ field: 'conversation_count', op: 'gte', value: 3 }, { field: 'rating', op: 'gte', value: 4 }] },
    hand: `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND conversation_count >= 3 AND rating >= 4`,
  },
  {
    name: 'in list + city starts_with "su"',
    criteria: { op: 'and', conditions: [{ field: 'list', op: 'in_any', listIds: [LIST_BIG] }, { field: 'custom', key: 'city', op: 'starts_with', value: 'su' }] },
    hand: `SELECT count(*) FROM contacts c JOIN list_members m ON m.contact_id = c.id AND m.list_id = '${LIST_BIG}' AND m.workspace_id = $1 WHERE c.workspace_id = $1 AND lower(c.fields->>'city') LIKE 'su%'`,
  },
  {
    name: 'referral_code exists',
    criteria: { op: 'and', conditions: [{ field: 'custom', key: 'referral_code', op: 'exists' }] },
    hand: `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND fields->>'referral_code' IS NOT NULL`,
  },
  {
    name: '3-level mix',
    criteria: {
      op: 'and',
      conditions: [
        { field: 'consent', op: 'is', value: true },
        {
          op: 'or',
          conditions: [
            { op: 'and', conditions: [{ field: 'workflow_status', op: 'in', values: ['qualified', 'customer'] }, { field: 'rating', op: 'gte', value: 3 }] },
            { op: 'and', conditions: [{ field: 'labels', op: 'has_any', values: ['vip'] }, { field: 'custom', key: 'spend', op: 'gte', value: 500 }] },
          ],
        },
        { field: 'opted_out', op: 'is', value: false },
      ],
    },
    hand:
      `SELECT count(*) FROM contacts WHERE workspace_id = $1 AND consent AND opted_out_at IS NULL AND ` +
      `((workflow_status IN ('qualified', 'customer') AND rating >= 3) OR (labels @> '{vip}' AND labels <> '{}' AND ${spendOver(500, '>=')}))`,
  },
];

/** Loads both workspaces with the contacts table's secondary indexes dropped, then rebuilds them. */
async function load(db: Database, rows: number): Promise<{ a: string; loadMs: number; indexMs: number }> {
  const [a, b] = ['00000001-0000-7000-8000-000000000001', '00000002-0000-7000-8000-000000000002'];
  const q = (text: string, params: unknown[] = []) => db.pool.query(text, params);
  await q(`INSERT INTO workspaces (id, name, default_country) VALUES ($1, 'Big', 'ID'), ($2, 'Small', 'ID')`, [a, b]);
  await q(
    `INSERT INTO lists (id, workspace_id, name) VALUES ($1, $5, 'Customers 2024'), ($2, $5, 'Event'), ($3, $5, 'Import'), ($4, $6, 'Other')`,
    [LIST_BIG, LIST_EVENT, LIST_IMPORT, LIST_OTHER, a, b],
  );
  const { rows: defs } = await q(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'contacts' AND indexname <> 'contacts_pkey'`,
  );
  for (const d of defs as { indexname: string }[]) await q(`DROP INDEX "${d.indexname}"`);
  let started = performance.now();
  await q(CONTACTS_SQL, [a, NOW, 1, rows]);
  await q(CONTACTS_SQL, [b, NOW, 2, Math.max(1, Math.round(rows / 100))]);
  await q(
    `INSERT INTO list_members (workspace_id, list_id, contact_id)
     SELECT workspace_id, CASE WHEN workspace_id = $5 THEN $4::uuid WHEN n % 10 = 3 THEN $1::uuid WHEN n % 100 = 5 THEN $2::uuid ELSE $3::uuid END, id
     FROM (SELECT id, workspace_id, ('x' || right(id::text, 8))::bit(32)::int AS n FROM contacts) c
     WHERE n % 10 = 3 OR n % 100 = 5 OR n % 10 = 7 OR n % 10 = 8 OR n % 10 = 9`,
    [LIST_BIG, LIST_EVENT, LIST_IMPORT, LIST_OTHER, b],
  );
  const loadMs = performance.now() - started;
  started = performance.now();
  for (const d of defs as { indexdef: string }[]) await q(d.indexdef);
  await q('VACUUM ANALYZE contacts');
  await q('VACUUM ANALYZE list_members');
  return { a, loadMs, indexMs: performance.now() - started };
}

/** The scan and join nodes of a plan, e.g. "Parallel Seq Scan contacts", "Hash Semi Join". */
function planNodes(plan: Record<string, unknown>, out: string[] = []): string[] {
  const type = `${plan['Parallel Aware'] ? 'Parallel ' : ''}${plan['Node Type'] as string}${plan['Join Type'] && plan['Join Type'] !== 'Inner' ? ` (${plan['Join Type'] as string})` : ''}`;
  const target = (plan['Index Name'] ?? plan['Relation Name']) as string | undefined;
  if (/Scan|Join|Nested Loop/.test(type)) out.push(target ? `${type} ${target}` : type);
  for (const child of (plan['Plans'] as Record<string, unknown>[] | undefined) ?? []) planNodes(child, out);
  return out;
}

async function measure(db: Database, workspaceId: string, runs: number): Promise<SegmentResult[]> {
  const dialect = new PgDialect();
  const results: SegmentResult[] = [];
  for (const s of SEGMENTS) {
    segmentCriteria.parse(s.criteria);
    const ours = () => countMatching(db.orm, workspaceId, s.criteria, NOW);
    const hand = async () => Number((await db.pool.query<{ count: string }>(s.hand, [workspaceId])).rows[0]!.count);
    const [count, handCount] = [await ours(), await hand()];
    if (count !== handCount) throw new Error(`${s.name}: countMatching ${count} ≠ hand-written ${handCount}`);
    const timed = async (f: () => Promise<number>) => {
      const started = performance.now();
      await f();
      return performance.now() - started;
    };
    const result: SegmentResult = { name: s.name, count, ours: [], hand: [], plan: '' };
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always finds the other's pages in the cache.
      if (i % 2 === 0) {
        result.ours.push(await timed(ours));
        result.hand.push(await timed(hand));
      } else {
        result.hand.push(await timed(hand));
        result.ours.push(await timed(ours));
      }
    }
    const q = dialect.sqlToQuery(segmentFilter(workspaceId, s.criteria, NOW));
    const { rows } = await db.pool.query(`EXPLAIN (FORMAT JSON) SELECT count(*) FROM contacts WHERE ${q.sql}`, q.params);
    result.plan = [...new Set(planNodes((rows[0] as { 'QUERY PLAN': { Plan: Record<string, unknown> }[] })['QUERY PLAN'][0]!.Plan))].join(', ');
    results.push(result);
  }
  return results;
}

async function main() {
  const [mode, rowsArg, runsArg, keep] = process.argv.slice(2) as ['postgres' | 'pglite', string, string, string | undefined];
  const rows = Number(rowsArg);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-segments-'));
  const benchDb = mode === 'postgres' ? await createBenchDatabase() : null;
  const db: Database = benchDb ? await openDatabase({ databaseUrl: benchDb.url }) : await openDatabase({ pgliteDir: path.join(dataDir, 'db') });
  try {
    await migrateDatabase(db);
    const { a, loadMs, indexMs } = await load(db, rows);
    const segments = await measure(db, a, Number(runsArg));
    const { rows: sizes } = await db.pool.query<{ name: string; bytes: string }>(
      `SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'contacts'::regclass ORDER BY c.relname`,
    );
    const { rows: table } = await db.pool.query<{ bytes: string }>(`SELECT pg_table_size('contacts') AS bytes`);
    const result: ChildResult = {
      mode,
      rows,
      loadMs,
      indexMs,
      segments,
      indexes: sizes.map((s) => ({ name: s.name, mb: Number(s.bytes) / 2 ** 20 })),
      tableMb: Number(table[0]!.bytes) / 2 ** 20,
    };
    process.send?.(result);
  } finally {
    await db.close();
    if (benchDb) {
      if (keep === 'keep') console.log(`database kept: ${benchDb.name}`);
      else await benchDb.drop();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
