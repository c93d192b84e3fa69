import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { contacts, listMembers, lists, workspaces } from '../src/db/schema.ts';
import { countMatching, segmentFilter, statsOfMatching } from '../src/db/segment-sql.ts';
import { segmentCriteria, type SegmentCondition, type SegmentGroup } from '../src/domain/segment-criteria.ts';
import { daysBefore, matchesSegment, type SegmentContact } from '../src/domain/segment-match.ts';
import { seededRandom } from '../src/domain/seeded-random.ts';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const DAY = 86_400_000;

const INJECTION = "a'); DROP TABLE contacts; --";
const TEXTS = [
  'Jakarta', 'JAKARTA', 'jakarta', 'Jakarta ', 'Bandung', 'Sürabaya', 'SÜRABAYA', 'İstanbul', 'istanbul', 'ΣΑΣ', 'σας', 'Ёлка', 'ёлка',
  INJECTION, '%', '50%', '_', 'a_b', 'axb', 'back\\slash', '$1', '😀 party', 'naïve', '', 'yes', 'YES', 'No', 'tidak', 'on', 'y', 'TRUE',
  'true', '1', '0',
];
const NUMERIC_TEXTS = ['100', '100.5', '-3', '+7', '0', '007', '99.50', '1e3', '1,000', '12.', '.5', 'abc', '9'.repeat(35), '١٢٣', 'NaN', '1e999'];
const NUMBERS = [100, 100.5, -3, 0, 7, 1e21, 0.1, 1e-7, 150, -0.5];
const DATES = ['1990-05-01', '2024-02-29T10:00:00Z', '2024-02-29', '2024-13-45', 'not a date', '2000-01-01 09:00', '1999-12-31', '2026-03-15'];
const LABELS = ['vip', 'lead', 'customer', 'promo', 'Vip', 'a b', "x'y", 'ünï'];
const STATUSES = ['new', 'qualified', 'customer', 'lost', 'New'];
const KEYS = ['city', 'spend', 'vip', 'birthday', 'note'];
/** Instants the criteria below name, so contacts sit exactly on the edges of their ranges. */
const EDGES = [
  NOW.getTime() - 30 * DAY,
  NOW.getTime() - 7 * DAY,
  Date.parse('2026-02-13T00:00:00Z'),
  Date.parse('2026-02-14T00:00:00Z') - 1,
  Date.parse('2026-02-14T00:00:00Z'),
  Date.parse('2026-02-13T12:00:00Z'),
  Date.parse('2026-02-13T05:00:00Z'),
];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function randomValue(rnd: () => number, key: string): unknown {
  const r = rnd();
  if (r < 0.08) return null;
  if (r < 0.2) return pick(rnd, [true, false]);
  if (r < 0.35) return pick(rnd, NUMBERS);
  // Each key mostly holds its own kind of value, and sometimes any other.
  const own = key === 'spend' ? NUMERIC_TEXTS : key === 'birthday' ? DATES : TEXTS;
  return pick(rnd, rnd() < 0.75 ? own : [...TEXTS, ...NUMERIC_TEXTS, ...DATES]);
}

function randomContact(rnd: () => number, workspaceId: string, i: number) {
  const fields: Record<string, unknown> = {};
  for (const key of KEYS) if (rnd() < 0.7) fields[key] = randomValue(rnd, key);
  const at = rnd();
  return {
    workspaceId,
    phone: `+6281200${String(i).padStart(5, '0')}`,
    fields: fields as Record<string, string | number | boolean | null>,
    labels: LABELS.filter(() => rnd() < 0.2),
    workflowStatus: rnd() < 0.3 ? null : pick(rnd, STATUSES),
    consent: rnd() < 0.7,
    optedOutAt: rnd() < 0.15 ? new Date(NOW.getTime() - Math.floor(rnd() * 100 * DAY)) : null,
    lastInteractionAt: at < 0.2 ? null : new Date(at < 0.4 ? pick(rnd, EDGES) : NOW.getTime() - Math.floor(rnd() * 800 * DAY)),
    conversationCount: Math.floor(rnd() * 11),
    rating: rnd() < 0.3 ? null : Math.floor(rnd() * 11),
  };
}

/** Random valid criteria drawn from the same pools as the contacts, so they often match. */
function criteriaArbitrary(listIds: string[]) {
  const text = fc.constantFrom(...TEXTS.filter((t) => t !== ''), 'jak', 'SUR', 'ü', 'σ', 'a', 'party', 'x');
  const number = fc.constantFrom(...NUMBERS, 99.5, 99.99, 1e-9);
  const date = fc.constantFrom('2026-02-13', '2026-02-13T12:00:00Z', '2026-02-13T19:00:00+07:00', '2026-02-13 12:00', '1990-05-01', '2024-02-29', '2025-12-01', '1999-12-31T23:00:00-05:00');
  const values = <T>(a: fc.Arbitrary<T>) => fc.uniqueArray(a, { minLength: 1, maxLength: 3 });
  const numberOps = fc.constantFrom('eq', 'ne', 'gt', 'gte', 'lt', 'lte') as fc.Arbitrary<'eq'>;
  const small = fc.integer({ min: 0, max: 10 });
  const between = (field: 'conversation_count' | 'rating') =>
    fc.tuple(small, small).map(([a, b]) => ({ field, op: 'between' as const, min: Math.min(a, b), max: Math.max(a, b) }));
  const condition: fc.Arbitrary<SegmentCondition> = fc.oneof(
    fc.record({ field: fc.constant('labels' as const), op: fc.constantFrom('has_any', 'has_all', 'has_none') as fc.Arbitrary<'has_any'>, values: values(fc.constantFrom(...LABELS, 'nope')) }),
    fc.record({ field: fc.constant('workflow_status' as const), op: fc.constantFrom('in', 'not_in') as fc.Arbitrary<'in'>, values: values(fc.constantFrom(...STATUSES)) }),
    fc.record({ field: fc.constant('workflow_status' as const), op: fc.constantFrom('exists', 'not_exists') as fc.Arbitrary<'exists'> }),
    fc.record({ field: fc.constant('last_interaction_at' as const), op: fc.constantFrom('before', 'after') as fc.Arbitrary<'before'>, value: date }),
    fc.tuple(date, date).map(([a, b]) => {
      const [from, to] = Date.parse(a) <= Date.parse(b) ? [a, b] : [b, a];
      return { field: 'last_interaction_at' as const, op: 'between' as const, from, to };
    }),
    fc.record({ field: fc.constant('last_interaction_at' as const), op: fc.constantFrom('within_last_days', 'not_within_last_days') as fc.Arbitrary<'within_last_days'>, days: fc.constantFrom(1, 7, 30, 90, 365) }),
    fc.record({ field: fc.constant('last_interaction_at' as const), op: fc.constantFrom('exists', 'not_exists') as fc.Arbitrary<'exists'> }),
    fc.record({ field: fc.constant('conversation_count' as const), op: numberOps, value: small }),
    between('conversation_count'),
    fc.record({ field: fc.constant('rating' as const), op: numberOps, value: small }),
    between('rating'),
    fc.record({ field: fc.constant('rating' as const), op: fc.constantFrom('exists', 'not_exists') as fc.Arbitrary<'exists'> }),
    fc.record({ field: fc.constant('custom' as const), key: fc.constantFrom(...KEYS, 'missing'), op: fc.constantFrom('equals', 'not_equals', 'contains', 'not_contains', 'starts_with') as fc.Arbitrary<'equals'>, value: text }),
    fc.record({ field: fc.constant('custom' as const), key: fc.constantFrom(...KEYS), op: numberOps, value: number }),
    fc.record({ field: fc.constant('custom' as const), key: fc.constantFrom(...KEYS), op: fc.constantFrom('before', 'after', 'on') as fc.Arbitrary<'before'>, value: date }),
    fc.tuple(fc.constantFrom(...KEYS), number, number).map(([key, a, b]) => ({ field: 'custom' as const, key, op: 'between' as const, min: Math.min(a, b), max: Math.max(a, b) })),
    fc.tuple(fc.constantFrom(...KEYS), date, date).map(([key, a, b]) => {
      const [from, to] = a.slice(0, 10) <= b.slice(0, 10) ? [a, b] : [b, a];
      return { field: 'custom' as const, key, op: 'between' as const, from, to };
    }),
    fc.record({ field: fc.constant('custom' as const), key: fc.constantFrom(...KEYS, 'missing'), op: fc.constantFrom('is_true', 'is_false', 'exists', 'not_exists') as fc.Arbitrary<'exists'> }),
    fc.record({ field: fc.constant('list' as const), op: fc.constantFrom('in_any', 'in_none') as fc.Arbitrary<'in_any'>, listIds: values(fc.constantFrom(...listIds)) }),
    fc.record({ field: fc.constant('consent' as const), op: fc.constant('is' as const), value: fc.boolean() }),
    fc.record({ field: fc.constant('opted_out' as const), op: fc.constant('is' as const), value: fc.boolean() }),
  );
  const { group } = fc.letrec<{ group: SegmentGroup; node: SegmentCondition | SegmentGroup }>((tie) => ({
    group: fc.record({ op: fc.constantFrom('and', 'or') as fc.Arbitrary<'and'>, conditions: fc.array(tie('node'), { maxLength: 4 }) }),
    node: fc.oneof({ maxDepth: 2, depthIdentifier: 'tree' }, condition, tie('group')),
  }));
  return group.map((g) => segmentCriteria.parse(g));
}

interface Seeded {
  a: string;
  b: string;
  listsA: string[];
  listB: string;
}

describe.each(modes)('segment criteria → SQL (%s)', (mode) => {
  let h: Harness;
  let s: Seeded;
  let oracleContacts: Array<SegmentContact & { id: string; listIds: Set<string> }>;

  const newWorkspace = async (name: string) => (await h.c.db.orm.insert(workspaces).values({ name, defaultCountry: 'ID' }).returning())[0]!.id;
  const newList = async (workspaceId: string, name: string) => (await h.c.db.orm.insert(lists).values({ workspaceId, name }).returning())[0]!.id;

  /** What the reference evaluator says workspace A's segment holds. */
  const expected = (criteria: SegmentGroup) =>
    oracleContacts.filter((c) => matchesSegment(c, criteria, { now: NOW, listIdsOfContact: c.listIds })).map((c) => c.id).sort();
  const actual = async (workspaceId: string, criteria: SegmentGroup) =>
    (await h.c.db.orm.select({ id: contacts.id }).from(contacts).where(segmentFilter(workspaceId, criteria, NOW))).map((r) => r.id).sort();

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    const a = await newWorkspace('A');
    const b = await newWorkspace('B');
    const listsA = [await newList(a, 'L1'), await newList(a, 'L2')];
    const listB = await newList(b, 'LB');
    const rnd = seededRandom('segment-sql');
    const rows = [...Array.from({ length: 200 }, (_, i) => randomContact(rnd, a, i)), ...Array.from({ length: 60 }, (_, i) => randomContact(rnd, b, 1000 + i))];
    const inserted = await h.c.db.orm.insert(contacts).values(rows).returning({ id: contacts.id, workspaceId: contacts.workspaceId });
    const members = inserted.flatMap((c) =>
      c.workspaceId === a
        ? listsA.filter(() => rnd() < 0.35).map((listId) => ({ workspaceId: a, listId, contactId: c.id }))
        : rnd() < 0.8 ? [{ workspaceId: b, listId: listB, contactId: c.id }] : [],
    );
    // A stray row that names an A contact in B's list under B's workspace: A's segments must still ignore it.
    members.push({ workspaceId: b, listId: listB, contactId: inserted[0]!.id });
    await h.c.db.orm.insert(listMembers).values(members);
    s = { a, b, listsA, listB };

    const stored = await h.c.db.orm.select().from(contacts).where(eq(contacts.workspaceId, a));
    const memberships = await h.c.db.orm.select().from(listMembers).where(eq(listMembers.workspaceId, a));
    oracleContacts = stored.map((c) => ({ ...c, listIds: new Set(memberships.filter((m) => m.contactId === c.id).map((m) => m.listId)) }));
  });
  afterAll(async () => h?.close());

  it('matches the reference evaluator on 200 random criteria trees', async () => {
    let nonTrivial = 0;
    await fc.assert(
      fc.asyncProperty(criteriaArbitrary([...s.listsA, s.listB, '01900000-0000-7000-8000-000000000000']), async (criteria) => {
        const want = expected(criteria);
        if (want.length > 0 && want.length < oracleContacts.length) nonTrivial++;
        expect(await actual(s.a, criteria)).toEqual(want);
      }),
      { numRuns: 200, seed: 42 },
    );
    // The trees must exercise the data, not mostly match everything or nothing: over 40 % of them
    // match some contacts but not all (83–103 of 200 over the seeds tried).
    expect(nonTrivial).toBeGreaterThan(80);
  });

  it('counts and summarises exactly the contacts the evaluator picks', async () => {
    const samples: SegmentGroup[] = [
      { op: 'and', conditions: [] },
      { op: 'or', conditions: [{ field: 'labels', op: 'has_any', values: ['vip', 'lead'] }, { field: 'custom', key: 'city', op: 'contains', value: 'jak' }] },
      { op: 'and', conditions: [{ field: 'list', op: 'in_any', listIds: [s.listsA[0]!] }, { field: 'rating', op: 'gte', value: 3 }] },
    ];
    for (const criteria of samples) {
      const picked = oracleContacts.filter((c) => matchesSegment(c, criteria, { now: NOW, listIdsOfContact: c.listIds }));
      const since = daysBefore(NOW, 30).getTime();
      expect(await countMatching(h.c.db.orm, s.a, criteria, NOW)).toBe(picked.length);
      expect(await statsOfMatching(h.c.db.orm, s.a, criteria, NOW)).toEqual({
        total: picked.length,
        reachable: picked.filter((c) => c.consent && c.optedOutAt === null).length,
        optedOut: picked.filter((c) => c.optedOutAt !== null).length,
        notConsented: picked.filter((c) => !c.consent).length,
        interactedLast30Days: picked.filter((c) => c.lastInteractionAt !== null && c.lastInteractionAt.getTime() >= since).length,
      });
    }
  });

  it('never counts another workspace, even when the criteria name its lists', async () => {
    const all: SegmentGroup = { op: 'and', conditions: [] };
    expect(await countMatching(h.c.db.orm, s.a, all, NOW)).toBe(200);
    expect(await countMatching(h.c.db.orm, s.b, all, NOW)).toBe(60);
    const inB: SegmentGroup = { op: 'and', conditions: [{ field: 'list', op: 'in_any', listIds: [s.listB] }] };
    // A's contact that a stray row puts in B's list is not in it for A, and B's own members are not A's.
    expect(await countMatching(h.c.db.orm, s.a, inB, NOW)).toBe(0);
    expect((await statsOfMatching(h.c.db.orm, s.a, inB, NOW)).total).toBe(0);
    const notInB: SegmentGroup = { op: 'and', conditions: [{ field: 'list', op: 'in_none', listIds: [s.listB] }] };
    expect(await countMatching(h.c.db.orm, s.a, notInB, NOW)).toBe(200);
    // And B's segment over A's lists finds none of A's members.
    const inA: SegmentGroup = { op: 'or', conditions: [{ field: 'list', op: 'in_any', listIds: s.listsA }] };
    expect(await countMatching(h.c.db.orm, s.b, inA, NOW)).toBe(0);
    expect(await countMatching(h.c.db.orm, s.a, inA, NOW)).toBeGreaterThan(0);
  });

  describe('operators, one by one', () => {
    let c: string;
    const byName = new Map<string, string>();
    const named = async (criteria: SegmentGroup) => {
      const ids = await actual(c, segmentCriteria.parse(criteria));
      return [...byName].filter(([, id]) => ids.includes(id)).map(([name]) => name).sort();
    };
    const one = (condition: SegmentCondition): SegmentGroup => ({ op: 'and', conditions: [condition] });

    beforeAll(async () => {
      c = await newWorkspace('C');
      const people: Array<[string, Partial<typeof contacts.$inferInsert>]> = [
        ['ana', { fields: { city: 'Jakarta', spend: '150.25', vip: 'YES', birthday: '1990-05-01', note: '50% off' }, labels: ['vip', 'lead'], workflowStatus: 'qualified', rating: 5, conversationCount: 4, consent: true, lastInteractionAt: new Date('2026-03-10T08:00:00Z') }],
        ['ben', { fields: { city: 'JAKARTA', spend: 99, vip: true, birthday: '2024-02-29T23:30:00-05:00', note: 'a_b' }, labels: ['lead'], workflowStatus: 'new', rating: null, conversationCount: 0, consent: true, lastInteractionAt: new Date('2026-02-13T00:00:00Z') }],
        ['cai', { fields: { city: 'Sürabaya', spend: '1,000', vip: 'no', birthday: 'not a date', note: 'axb' }, labels: [], workflowStatus: null, rating: 2, conversationCount: 10, consent: false, optedOutAt: new Date('2026-01-01T00:00:00Z'), lastInteractionAt: null }],
        ['dee', { fields: { city: 'Jakarta ', spend: 'abc', vip: false, birthday: '2024-13-45', note: 'back\\slash' }, labels: ['Vip'], workflowStatus: 'New', rating: 0, conversationCount: 3, consent: true, lastInteractionAt: new Date('2026-02-13T23:59:59.999Z') }],
        ['eve', { fields: { city: null, spend: '9'.repeat(35), note: INJECTION }, labels: ['customer'], workflowStatus: 'lost', rating: 10, conversationCount: 1, consent: true, lastInteractionAt: new Date(NOW.getTime() - 30 * DAY) }],
        ['fay', { fields: { spend: '-3', vip: 'Ya', city: 'İstanbul', note: '$1 😀' }, labels: ['vip', 'customer'], workflowStatus: 'customer', rating: 4, conversationCount: 2, consent: false, lastInteractionAt: new Date(NOW.getTime() - 30 * DAY - 1) }],
        ['gus', { fields: { spend: 1e21, city: '', note: '%' }, labels: [], workflowStatus: null, rating: null, conversationCount: 5, consent: true, lastInteractionAt: new Date('2026-02-14T00:00:00Z') }],
      ];
      let i = 0;
      for (const [name, p] of people) {
        const [row] = await h.c.db.orm.insert(contacts).values({ workspaceId: c, phone: `+6281300000${i++}`, ...p }).returning({ id: contacts.id });
        byName.set(name, row!.id);
      }
      const l1 = await newList(c, 'C1');
      const l2 = await newList(c, 'C2');
      await h.c.db.orm.insert(listMembers).values([
        { workspaceId: c, listId: l1, contactId: byName.get('ana')! },
        { workspaceId: c, listId: l2, contactId: byName.get('ben')! },
        { workspaceId: c, listId: l2, contactId: byName.get('ana')! },
      ]);
      byName.set('l1', l1);
      byName.set('l2', l2);
    });

    it.each<[string, SegmentCondition, string[]]>([
      ['labels has_any (exact case)', { field: 'labels', op: 'has_any', values: ['vip', 'nope'] }, ['ana', 'fay']],
      ['labels has_all', { field: 'labels', op: 'has_all', values: ['vip', 'lead'] }, ['ana']],
      ['labels has_none includes the unlabelled', { field: 'labels', op: 'has_none', values: ['vip', 'lead'] }, ['cai', 'dee', 'eve', 'gus']],
      ['status in (exact case)', { field: 'workflow_status', op: 'in', values: ['new', 'lost'] }, ['ben', 'eve']],
      ['status not_in includes no status', { field: 'workflow_status', op: 'not_in', values: ['new', 'lost', 'qualified'] }, ['cai', 'dee', 'fay', 'gus']],
      ['status exists', { field: 'workflow_status', op: 'exists' }, ['ana', 'ben', 'dee', 'eve', 'fay']],
      ['status not_exists', { field: 'workflow_status', op: 'not_exists' }, ['cai', 'gus']],
      ['last interaction before a day is strict', { field: 'last_interaction_at', op: 'before', value: '2026-02-14' }, ['ben', 'dee', 'eve', 'fay']],
      ['last interaction after a day starts the next day', { field: 'last_interaction_at', op: 'after', value: '2026-02-13' }, ['ana', 'gus']],
      ['last interaction between days includes both', { field: 'last_interaction_at', op: 'between', from: '2026-02-13', to: '2026-02-13' }, ['ben', 'dee', 'eve', 'fay']],
      ['last interaction after a time with a zone', { field: 'last_interaction_at', op: 'after', value: '2026-02-14T06:59:59.999+07:00' }, ['ana', 'gus']],
      ['within the last 30 days is at or after now − 30 × 24 h', { field: 'last_interaction_at', op: 'within_last_days', days: 30 }, ['ana', 'dee', 'eve', 'gus']],
      ['not within the last 30 days includes the never-contacted', { field: 'last_interaction_at', op: 'not_within_last_days', days: 30 }, ['ben', 'cai', 'fay']],
      ['last interaction not_exists', { field: 'last_interaction_at', op: 'not_exists' }, ['cai']],
      ['conversations between is inclusive', { field: 'conversation_count', op: 'between', min: 2, max: 4 }, ['ana', 'dee', 'fay']],
      ['conversations ne', { field: 'conversation_count', op: 'ne', value: 0 }, ['ana', 'cai', 'dee', 'eve', 'fay', 'gus']],
      ['rating ne leaves out the unrated', { field: 'rating', op: 'ne', value: 5 }, ['cai', 'dee', 'eve', 'fay']],
      ['rating lte', { field: 'rating', op: 'lte', value: 2 }, ['cai', 'dee']],
      ['rating not_exists', { field: 'rating', op: 'not_exists' }, ['ben', 'gus']],
      ['custom equals ignores case, not spaces', { field: 'custom', key: 'city', op: 'equals', value: 'jakarta' }, ['ana', 'ben']],
      ['custom equals folds non-ASCII letters', { field: 'custom', key: 'city', op: 'equals', value: 'SÜRABAYA' }, ['cai']],
      ['custom equals: İ folds to i', { field: 'custom', key: 'city', op: 'equals', value: 'istanbul' }, ['fay']],
      ['custom not_equals includes contacts without the field', { field: 'custom', key: 'city', op: 'not_equals', value: 'Jakarta' }, ['cai', 'dee', 'eve', 'fay', 'gus']],
      ['custom contains "%" is a percent sign', { field: 'custom', key: 'note', op: 'contains', value: '%' }, ['ana', 'gus']],
      ['custom contains "_" is an underscore', { field: 'custom', key: 'note', op: 'contains', value: '_' }, ['ben']],
      ['custom contains a backslash', { field: 'custom', key: 'note', op: 'contains', value: 'k\\s' }, ['dee']],
      ['custom contains "$1" and an emoji', { field: 'custom', key: 'note', op: 'contains', value: '$1 😀' }, ['fay']],
      ['custom equals an injection attempt, literally', { field: 'custom', key: 'note', op: 'equals', value: INJECTION.toUpperCase() }, ['eve']],
      ['custom not_contains', { field: 'custom', key: 'note', op: 'not_contains', value: 'a' }, ['ana', 'fay', 'gus']],
      ['custom text operators read a number as its digits', { field: 'custom', key: 'spend', op: 'equals', value: '99' }, ['ben']],
      ['custom text operators read a big number as plain digits', { field: 'custom', key: 'spend', op: 'starts_with', value: '1000000000000000000000' }, ['gus']],
      ['custom starts_with', { field: 'custom', key: 'city', op: 'starts_with', value: 'jAk' }, ['ana', 'ben', 'dee']],
      ['custom number gt: numbers and numeric text only', { field: 'custom', key: 'spend', op: 'gt', value: 98.5 }, ['ana', 'ben', 'eve', 'gus']],
      ['custom number lt takes signs', { field: 'custom', key: 'spend', op: 'lt', value: 0 }, ['fay']],
      ['custom number ne leaves out non-numbers', { field: 'custom', key: 'spend', op: 'ne', value: 99 }, ['ana', 'eve', 'fay', 'gus']],
      ['custom number eq compares decimals exactly', { field: 'custom', key: 'spend', op: 'eq', value: 150.25 }, ['ana']],
      ['custom number between is inclusive at both ends', { field: 'custom', key: 'spend', op: 'between', min: -3, max: 99 }, ['ben', 'fay']],
      ['custom number between reaches big numbers exactly', { field: 'custom', key: 'spend', op: 'between', min: 99.5, max: 1e21 }, ['ana', 'gus']],
      ['custom date between: whole days at both ends, non-dates skipped', { field: 'custom', key: 'birthday', op: 'between', from: '1990-05-01', to: '2024-02-29T10:00:00Z' }, ['ana', 'ben']],
      ['custom date on: the day as written', { field: 'custom', key: 'birthday', op: 'on', value: '2024-02-29' }, ['ben']],
      ['custom date before skips non-dates', { field: 'custom', key: 'birthday', op: 'before', value: '2000-01-01T10:00:00Z' }, ['ana']],
      ['custom date after skips impossible months', { field: 'custom', key: 'birthday', op: 'after', value: '2000-01-01' }, ['ben']],
      ['custom is_true: true and yes-words in any case', { field: 'custom', key: 'vip', op: 'is_true' }, ['ana', 'ben', 'fay']],
      ['custom is_false: false and no-words', { field: 'custom', key: 'vip', op: 'is_false' }, ['cai', 'dee']],
      ['custom exists: not null (an empty text exists)', { field: 'custom', key: 'city', op: 'exists' }, ['ana', 'ben', 'cai', 'dee', 'fay', 'gus']],
      ['custom not_exists: missing or null', { field: 'custom', key: 'vip', op: 'not_exists' }, ['eve', 'gus']],
      ['consent is false', { field: 'consent', op: 'is', value: false }, ['cai', 'fay']],
      ['opted out', { field: 'opted_out', op: 'is', value: true }, ['cai']],
    ])('%s', async (_name, condition, want) => {
      expect(await named(one(condition))).toEqual(want);
    });

    it('list in_any and in_none', async () => {
      const [l1, l2] = [byName.get('l1')!, byName.get('l2')!];
      expect(await named(one({ field: 'list', op: 'in_any', listIds: [l1, l2] }))).toEqual(['ana', 'ben']);
      expect(await named(one({ field: 'list', op: 'in_any', listIds: [l2] }))).toEqual(['ana', 'ben']);
      expect(await named(one({ field: 'list', op: 'in_none', listIds: [l1] }))).toEqual(['ben', 'cai', 'dee', 'eve', 'fay', 'gus']);
    });

    it('an empty AND matches everyone, an empty OR no one, and groups nest', async () => {
      expect(await named({ op: 'and', conditions: [] })).toHaveLength(7);
      expect(await named({ op: 'or', conditions: [] })).toEqual([]);
      expect(
        await named({
          op: 'or',
          conditions: [
            { op: 'and', conditions: [{ field: 'labels', op: 'has_any', values: ['lead'] }, { field: 'rating', op: 'exists' }] },
            { op: 'and', conditions: [{ op: 'or', conditions: [] }] },
            { field: 'custom', key: 'spend', op: 'gte', value: 1e21 },
          ],
        }),
      ).toEqual(['ana', 'eve', 'gus']);
    });

    it('an OR of equals on one field (compiled to one = ANY) means the same as separate conditions', async () => {
      const equals = (key: string, value: string): SegmentCondition => ({ field: 'custom', key, op: 'equals', value });
      const criteria: SegmentGroup = {
        op: 'or',
        conditions: [equals('city', 'jakarta'), { field: 'labels', op: 'has_any', values: ['customer'] }, equals('city', 'SÜRABAYA'), equals('note', '%'), equals('city', 'nowhere')],
      };
      expect(await named(criteria)).toEqual(['ana', 'ben', 'cai', 'eve', 'fay', 'gus']);
      const sqlText = new PgDialect().sqlToQuery(segmentFilter(c, criteria, NOW)).sql;
      expect(sqlText.match(/= ANY\(ARRAY/g)).toHaveLength(1);
    });

    it('binds every key and value as a parameter: hostile ones match literally and the table survives', async () => {
      const hostile = [INJECTION, "x' OR '1'='1", '$1', '\\', '%', '_', '"city"', "'; SELECT pg_sleep(5); --", '😀', 'ključ'];
      const dialect = new PgDialect();
      for (const key of hostile) {
        // Keys that the criteria schema would refuse, straight to the compiler: it must not rely on validation.
        const criteria = {
          op: 'or',
          conditions: [
            { field: 'custom', key, op: 'equals', value: key },
            { field: 'custom', key, op: 'gt', value: 1 },
            { field: 'custom', key, op: 'before', value: '2026-01-01' },
            { field: 'custom', key, op: 'exists' },
            { field: 'labels', op: 'has_any', values: [key] },
            { field: 'workflow_status', op: 'in', values: [key] },
          ],
        } as SegmentGroup;
        const q = dialect.sqlToQuery(segmentFilter(c, criteria, NOW));
        // (Short ones like "_" or "$1" occur in any statement's own text.)
        if (key.length > 2) expect(q.sql).not.toContain(key);
        expect(q.params).toContain(key);
        expect(await actual(c, criteria)).toEqual([]);
      }
      // A field whose key is hostile is found by that key, exactly.
      const [row] = await h.c.db.orm
        .insert(contacts)
        .values({ workspaceId: c, phone: '+628139999999', fields: { [INJECTION]: INJECTION, '%': '7' } })
        .returning({ id: contacts.id });
      const found = (criteria: SegmentGroup) => actual(c, criteria);
      expect(await found({ op: 'and', conditions: [{ field: 'custom', key: INJECTION, op: 'equals', value: INJECTION } as SegmentCondition] })).toEqual([row!.id]);
      expect(await found({ op: 'and', conditions: [{ field: 'custom', key: '%', op: 'eq', value: 7 } as SegmentCondition] })).toEqual([row!.id]);
      expect(await found({ op: 'and', conditions: [{ field: 'custom', key: '_', op: 'exists' } as SegmentCondition] })).toEqual([]);
      await h.c.db.orm.delete(contacts).where(and(eq(contacts.workspaceId, c), eq(contacts.id, row!.id)));
      const { rows } = await h.c.db.orm.execute<{ n: number }>(sql`SELECT count(*) AS n FROM contacts WHERE workspace_id = ${c}`);
      expect(Number(rows[0]!.n)).toBe(7);
    });
  });
});
