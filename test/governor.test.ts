import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { isActive } from '../src/domain/active-hours.ts';
import { seededRandom } from '../src/domain/seeded-random.ts';
import { limitProblems, type ActiveHours, type Limits } from '../src/domain/sender-settings.ts';
import { governorContract } from '../src/governor/governor.contract.ts';
import type { Decision, Governor, GovernorRule, Grant } from '../src/governor/governor.ts';
import { MemoryGovernor } from '../src/governor/memory.governor.ts';
import { RedisGovernor } from '../src/governor/redis.governor.ts';
import { TEST_REDIS } from './support/harness.ts';

const FILE_PREFIX = `gov-test-${randomBytes(5).toString('hex')}`;
let governors = 0;
const newPrefix = () => `${FILE_PREFIX}-${++governors}`;
/** Property runs borrow one connection; each run still gets its own keys. */
const shared = new Redis(TEST_REDIS);

afterAll(async () => {
  const stream = shared.scanStream({ match: `{${FILE_PREFIX}-*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await shared.del(...keys);
  await shared.quit();
});

governorContract('memory', () => new MemoryGovernor());
governorContract('redis', () => new RedisGovernor({ redis: TEST_REDIS, prefix: newPrefix() }));

const HOUR = 3_600_000;
const WINDOWS: Array<[keyof Limits, number]> = [
  ['perHour', HOUR],
  ['per3Hours', 3 * HOUR],
  ['perDay', 24 * HOUR],
];

/** Every grant given, as the invariants see it. */
interface Ledger {
  rule: GovernorRule;
  at: number;
  /** The seat is held from `at` until this instant (released or lease ended). */
  seatEnd: number;
  /** Still in the windows: released 'sent' or never released. */
  counted: boolean;
}

/** The largest number of instants inside any half-open span [t, t + span). */
function busiest(instants: number[], span: number): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let most = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= span) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * No profile over a cap in any sliding window, no package over its daily total, never more seats
 * taken at once than the package allows, no grant outside active hours. A profile's and a
 * package's caps are the same in all their rules here.
 */
function checkInvariants(ledger: Ledger[]): void {
  const counted = ledger.filter((l) => l.counted);
  for (const [, sends] of groupBy(counted, (l) => l.rule.profileId)) {
    for (const [limit, span] of WINDOWS) {
      expect(busiest(sends.map((s) => s.at), span), `${sends[0]!.rule.profileId} ${limit}`).toBeLessThanOrEqual(sends[0]!.rule.limits[limit]);
    }
  }
  for (const [, sends] of groupBy(counted, (l) => l.rule.packageId)) {
    const total = sends[0]!.rule.packageDailyTotal;
    if (total !== null) expect(busiest(sends.map((s) => s.at), 24 * HOUR), `${sends[0]!.rule.packageId} daily total`).toBeLessThanOrEqual(total);
  }
  for (const [, seats] of groupBy(ledger, (l) => l.rule.packageId)) {
    for (const s of seats) {
      const held = seats.filter((o) => o.at <= s.at && s.at < o.seatEnd).length;
      expect(held, `${s.rule.packageId} seats at ${s.at}`).toBeLessThanOrEqual(s.rule.maxConcurrentSends);
    }
  }
  for (const l of ledger) expect(isActive(l.at, l.rule.activeHours, l.rule.timezone), `grant at ${new Date(l.at).toISOString()}`).toBe(true);
}

// ---- random worlds and event sequences ----

const limitsArb: fc.Arbitrary<Limits> = fc
  .integer({ min: 1, max: 5 })
  .chain((perHour) => fc.integer({ min: perHour, max: 3 * perHour }).map((per3Hours) => ({ perHour, per3Hours })))
  .chain((l) => fc.integer({ min: l.per3Hours, max: 4 * l.per3Hours }).map((perDay) => ({ ...l, perDay })));

const HOURS: ActiveHours[] = [
  { start: '00:00', end: '00:00' },
  { start: '05:00', end: '01:00' },
  { start: '22:00', end: '06:00' },
  { start: '08:00', end: '20:00' },
];
const profileArb = fc.record({
  limits: limitsArb,
  activeHours: fc.constantFrom(...HOURS),
  // New York changes to daylight time on 2024-03-10, inside the span the sequences start in.
  timezone: fc.constantFrom('UTC', 'Asia/Jakarta', 'America/New_York'),
});
const packageArb = fc.record({
  packageDailyTotal: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
  maxConcurrentSends: fc.integer({ min: 1, max: 3 }),
});

/** Profiles a, b in package A; c in B; d in both: a profile's windows gather its sends for both packages. */
const MEMBERSHIP: Array<[number, number]> = [
  [0, 0],
  [1, 0],
  [2, 1],
  [3, 0],
  [3, 1],
];
const rulesArb: fc.Arbitrary<GovernorRule[]> = fc
  .record({ profiles: fc.array(profileArb, { minLength: 4, maxLength: 4 }), packages: fc.array(packageArb, { minLength: 2, maxLength: 2 }) })
  .map(({ profiles, packages }) =>
    MEMBERSHIP.map(([p, k]) => ({ profileId: `p${p}`, packageId: `k${k}`, ...profiles[p]!, ...packages[k]! })),
  );

type Event =
  | { kind: 'acquire'; rule: number; seatMs: number; probe: boolean }
  | { kind: 'release'; grant: number; outcome: 'sent' | 'not_sent' }
  | { kind: 'wait'; ms: number };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('acquire' as const), rule: fc.nat(MEMBERSHIP.length - 1), seatMs: fc.constantFrom(2_000, 60_000), probe: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), grant: fc.nat(), outcome: fc.constantFrom('sent' as const, 'not_sent' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 40 * 60_000 }), fc.integer({ min: 0, max: 8 * HOUR })),
    }),
  },
);
const sequenceArb = fc.record({
  rules: rulesArb,
  events: fc.array(eventArb, { minLength: 1, maxLength: 120, size: 'max' }),
  start: fc.integer({ min: Date.UTC(2024, 2, 8), max: Date.UTC(2024, 2, 11) }),
});
type Sequence = typeof sequenceArb extends fc.Arbitrary<infer S> ? S : never;

/** What the caller sees of a decision; tokens differ between implementations by design. */
const seen = (d: Decision) => (d.ok ? { ok: true, at: d.grant.at } : { ok: false, ...d.refusal });

/**
 * Plays a sequence, keeping the ledger. An acquire marked `probe` that is refused asks again one
 * millisecond before `notBefore` (must be refused: the moment is the earliest) and at it: a limit's
 * refusal must not come back except for seats still taken; active hours must have started (their
 * refusal is decided before any limit is read, so a full window may refuse then).
 */
async function play(gov: Governor, { rules, events, start }: Sequence) {
  let now = start;
  const ledger: Ledger[] = [];
  const grants: Array<{ grant: Grant; entry: Ledger }> = [];
  const trace: unknown[] = [];
  const ask = async (rule: GovernorRule, seatMs: number) => {
    const d = await gov.acquire(rule, now, seatMs);
    trace.push(seen(d), await gov.usage(rule, now));
    if (d.ok) {
      const entry = { rule, at: now, seatEnd: now + seatMs, counted: true };
      ledger.push(entry);
      grants.push({ grant: d.grant, entry });
    }
    return d;
  };
  for (const e of events) {
    if (e.kind === 'wait') now += e.ms;
    else if (e.kind === 'release') {
      const held = grants[e.grant % Math.max(1, grants.length)];
      if (!held) continue;
      await gov.release(held.entry.rule, held.grant, e.outcome, now);
      held.entry.seatEnd = Math.min(held.entry.seatEnd, now);
      if (e.outcome === 'not_sent') held.entry.counted = false;
    } else {
      const rule = rules[e.rule]!;
      const d = await ask(rule, e.seatMs);
      if (d.ok || !e.probe) continue;
      now = d.refusal.notBefore - 1;
      expect((await ask(rule, e.seatMs)).ok, 'granted before notBefore').toBe(false);
      now = d.refusal.notBefore;
      const retry = await ask(rule, e.seatMs);
      if (retry.ok) continue;
      if (d.refusal.reason === 'outside_active_hours') expect(retry.refusal.reason, 'refused at the start of active hours').not.toBe('outside_active_hours');
      else expect(retry.refusal.reason, 'refused at notBefore').toBe('concurrency');
    }
  }
  return { ledger, trace };
}

const implementations: Array<[string, () => Governor, number]> = [
  ['memory', () => new MemoryGovernor(), 300],
  ['redis', () => new RedisGovernor({ redis: shared, prefix: newPrefix() }), 100],
];

describe('governor properties', () => {
  for (const [name, make, numRuns] of implementations) {
    it(`${name}: no random sequence exceeds a limit, and notBefore is exact`, async () => {
      let grants = 0;
      let refusals = 0;
      await fc.assert(
        fc.asyncProperty(sequenceArb, async (seq) => {
          for (const r of seq.rules) expect(limitProblems(r.limits)).toEqual([]);
          const gov = make();
          try {
            const { ledger, trace } = await play(gov, seq);
            checkInvariants(ledger);
            grants += ledger.length;
            refusals += trace.filter((t) => (t as { ok?: boolean }).ok === false).length;
          } finally {
            await gov.close();
          }
        }),
        { seed: 4242, numRuns },
      );
      // The sequences reach the limits often enough for the property to mean something.
      expect(grants).toBeGreaterThan(10 * numRuns);
      expect(refusals).toBeGreaterThan(10 * numRuns);
    });
  }

  it('memory and Redis give the same decisions and usage for the same sequence', async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (seq) => {
        const memory = new MemoryGovernor();
        const redis = new RedisGovernor({ redis: shared, prefix: newPrefix() });
        try {
          expect((await play(redis, seq)).trace).toEqual((await play(memory, seq)).trace);
        } finally {
          await redis.close();
        }
      }),
      { seed: 777, numRuns: 100 },
    );
  });
});

describe('redis governor keys', () => {
  // The hash tag {prefix} is the whole of what Redis Cluster hashes, so these keys share one slot.
  it('live under the hash-tagged prefix, drop sends a day old on write, and expire when idle', async () => {
    const prefix = newPrefix();
    const gov = new RedisGovernor({ redis: shared, prefix });
    const rule: GovernorRule = {
      profileId: 'a',
      packageId: 'P',
      limits: { perHour: 10, per3Hours: 30, perDay: 100 },
      packageDailyTotal: null,
      maxConcurrentSends: 5,
      activeHours: { start: '00:00', end: '00:00' },
      timezone: 'UTC',
    };
    const t0 = Date.UTC(2024, 5, 3);
    for (const at of [t0, t0 + 90 * 60_000, t0 + 26 * HOUR]) expect((await gov.acquire(rule, at)).ok).toBe(true);
    const keys = (await shared.keys(`{${prefix}}:*`)).sort();
    expect(keys).toEqual([`{${prefix}}:gov:package:P`, `{${prefix}}:gov:profile:a`, `{${prefix}}:gov:seats:P`]);
    // t0 + 1.5 h left the day but is kept for an hour more (a caller whose clock runs late needs it); t0 is gone.
    const membersAndScores = await shared.zrangebyscore(`{${prefix}}:gov:profile:a`, '-inf', '+inf', 'WITHSCORES');
    expect(membersAndScores.filter((_, i) => i % 2 === 1).map(Number)).toEqual([t0 + 90 * 60_000, t0 + 26 * HOUR]);
    for (const k of keys) {
      const ttl = await shared.pttl(k);
      expect(ttl).toBeGreaterThan(24 * HOUR);
      expect(ttl).toBeLessThanOrEqual(25 * HOUR);
    }
  });
});

describe('redis governor under concurrent workers', () => {
  const WORKERS = 8;
  const T0 = Date.UTC(2024, 5, 3, 10);

  /** Eight governors, each on its own connection, sharing one prefix: eight worker processes. */
  async function withWorkers(body: (workers: Governor[]) => Promise<void>): Promise<void> {
    const prefix = newPrefix();
    const workers = Array.from({ length: WORKERS }, () => new RedisGovernor({ redis: TEST_REDIS, prefix }));
    try {
      await body(workers);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }

  const base = { activeHours: { start: '00:00', end: '00:00' }, timezone: 'UTC' };
  const hot = (profileId: string): GovernorRule => ({
    ...base,
    profileId,
    packageId: 'P',
    limits: { perHour: 7, per3Hours: 15, perDay: 30 },
    packageDailyTotal: 80,
    maxConcurrentSends: 4,
  });

  it('never grants more than the caps, whatever the interleaving', async () => {
    const random = seededRandom('governor-hammer');
    const rules = ['a', 'b', 'c'].map(hot);
    const ledger: Ledger[] = [];
    await withWorkers(async (workers) => {
      for (let round = 0; round < 60; round++) {
        const roundStart = T0 + round * 7 * 60_000;
        const asks = workers.flatMap((w, i) =>
          Array.from({ length: 5 }, async () => {
            const rule = rules[Math.floor(random() * rules.length)]!;
            // Workers' clocks differ by a few milliseconds.
            const at = roundStart + (i % 4);
            const d = await w.acquire(rule, at);
            return d.ok ? { rule, grant: d.grant, worker: w } : null;
          }),
        );
        const granted = (await Promise.all(asks)).filter((g) => g !== null);
        const releaseAt = roundStart + 50;
        await Promise.all(
          granted.map(async (g, i) => {
            const outcome = (round + i) % 3 === 0 ? 'not_sent' : 'sent';
            await g.worker.release(g.rule, g.grant, outcome, releaseAt);
            ledger.push({ rule: g.rule, at: g.grant.at, seatEnd: releaseAt, counted: outcome === 'sent' });
          }),
        );
      }
    });
    checkInvariants(ledger);
    // The package's daily total (80) is reached, never passed; sends given back were taken again.
    expect(ledger.filter((l) => l.counted).length).toBe(80);
    expect(ledger.length).toBeGreaterThan(80);
  });

  /**
   * Every worker asks at the same instant for each rule several times over; the grants per round
   * must be exactly those a single governor gives the same asks one by one. `by` says what is
   * compared: per profile when only profile windows can bind, else the round's total (which
   * profile gets a shared package slot depends on the interleaving).
   */
  const exactCases: Array<{ name: string; rules: GovernorRule[]; rounds: number; gapMs: number; by: 'profile' | 'total' }> = [
    { name: 'profile windows', rules: ['a', 'b', 'c'].map((id) => ({ ...hot(id), packageDailyTotal: null, maxConcurrentSends: 100 })), rounds: 30, gapMs: 11 * 60_000, by: 'profile' },
    { name: 'package daily total', rules: ['a', 'b', 'c'].map((id) => ({ ...hot(id), limits: { perHour: 50, per3Hours: 150, perDay: 500 }, maxConcurrentSends: 100 })), rounds: 3, gapMs: 60_000, by: 'total' },
    { name: 'max concurrent sends', rules: ['a', 'b', 'c'].map((id) => ({ ...hot(id), limits: { perHour: 50, per3Hours: 150, perDay: 500 }, packageDailyTotal: null })), rounds: 10, gapMs: 2 * 60_000, by: 'total' },
  ];
  for (const c of exactCases) {
    it(`at one instant, grants exactly what one governor grants (${c.name}): the last slot is never taken twice`, async () => {
      const reference = new MemoryGovernor();
      let granted = 0;
      await withWorkers(async (workers) => {
        for (let round = 0; round < c.rounds; round++) {
          const at = T0 + round * c.gapMs;
          const asks = workers.flatMap((w) => c.rules.flatMap((rule) => [0, 1, 2].map(() => ({ w, rule }))));
          const got = (await Promise.all(asks.map(({ w, rule }) => w.acquire(rule, at)))).map((d) => d.ok);
          const expected: boolean[] = [];
          for (const { rule } of asks) expected.push((await reference.acquire(rule, at)).ok);
          const tally = (oks: boolean[], rule?: GovernorRule) => asks.filter((a, i) => oks[i] && (!rule || a.rule === rule)).length;
          for (const rule of c.by === 'profile' ? c.rules : [undefined]) expect(tally(got, rule), `round ${round} ${rule?.profileId ?? ''}`).toBe(tally(expected, rule));
          granted += tally(got);
        }
      });
      expect(granted).toBeGreaterThan(0);
    });
  }
});
