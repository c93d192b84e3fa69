import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distribute, effectiveWeights, type DistributionCandidate, type DistributionInput, type Distribution } from './distribution.ts';
import { seededRandom } from './seeded-random.ts';
import { HEALTH_STATES, PROFILE_STATUSES } from './sender-settings.ts';

const profile = (id: string, over: Partial<DistributionCandidate> = {}): DistributionCandidate => ({
  profileId: id,
  name: `Sales ${id}`,
  status: 'connected',
  health: { state: 'healthy', score: 100 },
  weight: null,
  remainingToday: 1_000_000,
  position: 0,
  ...over,
});

const recipients = (n: number, sticky: (i: number) => string | null = () => null) =>
  Array.from({ length: n }, (_, i) => ({ key: `r${i}`, stickyProfileId: sticky(i) }));

const run = (over: Partial<DistributionInput>): Distribution =>
  distribute({ candidates: [], recipients: [], strategy: 'round_robin', tier: 'enterprise', random: seededRandom('distribution'), ...over });

const chosen = (d: Distribution) => d.assignments.map((a) => a.profileId);
const counts = (d: Distribution) => Object.fromEntries(d.profiles.map((p) => [p.profileId, p.assigned]));

/**
 * Each profile's count is Binomial(n, p): it lies within 5 standard deviations of n·p except with
 * probability below 6e-7 per profile, so a failure means the shares are wrong, not bad luck.
 */
function expectProportions(d: Distribution, expected: Record<string, number>) {
  const n = d.assignments.length;
  for (const [id, p] of Object.entries(expected)) {
    const sd = Math.sqrt(n * p * (1 - p));
    const got = d.profiles.find((x) => x.profileId === id)!.assigned;
    expect(Math.abs(got - n * p), `${id}: ${got} vs ${n * p} ± ${5 * sd}`).toBeLessThanOrEqual(5 * sd);
  }
}

describe('round-robin', () => {
  it('takes profiles in turn by position, then id, from the start offset', () => {
    const candidates = [profile('c', { position: 2 }), profile('b', { position: 1 }), profile('a', { position: 1 }), profile('z', { position: 0 })];
    expect(chosen(run({ candidates, recipients: recipients(6) }))).toEqual(['z', 'a', 'b', 'c', 'z', 'a']);
    expect(chosen(run({ candidates, recipients: recipients(5), roundRobinStart: 2 }))).toEqual(['b', 'c', 'z', 'a', 'b']);
    expect(chosen(run({ candidates, recipients: recipients(2), roundRobinStart: 6 }))).toEqual(['b', 'c']);
    expect(chosen(run({ candidates, recipients: recipients(2), roundRobinStart: -1 }))).toEqual(['c', 'z']);
    expect(run({ candidates, recipients: recipients(1) }).assignments[0]!.reason).toBe("round-robin: Sales z's turn (equal shares over 4 profiles)");
  });

  it('gives equal shares that differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: -50, max: 50 }), (n, p, start) => {
        const candidates = Array.from({ length: p }, (_, i) => profile(`p${i}`, { position: i }));
        const d = run({ candidates, recipients: recipients(n), roundRobinStart: start });
        const assigned = d.profiles.map((x) => x.assigned);
        expect(Math.max(...assigned) - Math.min(...assigned)).toBeLessThanOrEqual(1);
        expect(assigned.reduce((a, b) => a + b, 0)).toBe(n);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });

  it('skips profiles that cannot take open chat and says why in their own words', () => {
    const candidates = [
      profile('a', { position: 0 }),
      profile('b', { position: 1, status: 'paused', statusReason: '5 consecutive failures' }),
      profile('c', { position: 2, status: 'disconnected' }),
      profile('d', { position: 3, health: { state: 'risky', score: 31 } }),
      profile('e', { position: 4, health: { state: 'paused', score: 12 }, statusReason: '12% failed in the last hour' }),
      profile('f', { position: 5, health: { state: 'warning', score: 55 } }),
    ];
    const d = run({ candidates, recipients: recipients(4) });
    expect(chosen(d)).toEqual(['a', 'f', 'a', 'f']);
    expect(d.skipped).toEqual([
      { profileId: 'b', name: 'Sales b', reason: 'skipped: paused (5 consecutive failures)' },
      { profileId: 'c', name: 'Sales c', reason: 'skipped: disconnected' },
      { profileId: 'd', name: 'Sales d', reason: 'skipped: risky (health score 31/100)' },
      { profileId: 'e', name: 'Sales e', reason: 'skipped: paused (health score 12/100; 12% failed in the last hour)' },
    ]);
    expect(d.explanation).toBe('enterprise plan: round-robin over 2 of 6 profiles');
  });

  it('counts what went beyond today’s capacity and sums each profile’s reasons', () => {
    const candidates = [profile('a', { remainingToday: 1 }), profile('b', { remainingToday: 10 })];
    const d = run({ candidates, recipients: recipients(6, (i) => (i === 0 ? 'b' : null)) });
    expect(d.profiles).toEqual([
      { profileId: 'a', name: 'Sales a', assigned: 3, share: 0.5, beyondToday: 2, reasons: [{ reason: "round-robin: Sales a's turn (equal shares over 2 profiles)", count: 3 }] },
      {
        profileId: 'b',
        name: 'Sales b',
        assigned: 3,
        share: 0.5,
        beyondToday: 0,
        reasons: [
          { reason: "round-robin: Sales b's turn (equal shares over 2 profiles)", count: 2 },
          { reason: 'stays with Sales b, the profile this recipient already talks to', count: 1 },
        ],
      },
    ]);
  });
});

describe('random', () => {
  const candidates = ['a', 'b', 'c', 'd'].map((id, i) => profile(id, { position: i }));

  it('gives each profile a uniform share within 5 standard deviations over 60,000 recipients', () => {
    const d = run({ candidates, recipients: recipients(60_000), strategy: 'random', random: seededRandom('random-shares') });
    expectProportions(d, { a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
  });

  // Round-robin also has equal shares; independent draws repeat the previous profile a quarter of the time.
  it('draws each recipient independently rather than in a pattern', () => {
    const ids = chosen(run({ candidates, recipients: recipients(60_000), strategy: 'random', random: seededRandom('random-runs') }));
    let repeats = 0;
    for (let i = 1; i < ids.length; i++) if (ids[i] === ids[i - 1]) repeats++;
    const n = ids.length - 1;
    expect(Math.abs(repeats - n / 4)).toBeLessThanOrEqual(5 * Math.sqrt(n * 0.25 * 0.75));
  });

  it('is reproducible from its seed', () => {
    const a = run({ candidates, recipients: recipients(200), strategy: 'random', random: seededRandom(7) });
    expect(run({ candidates, recipients: recipients(200), strategy: 'random', random: seededRandom(7) })).toEqual(a);
    expect(chosen(run({ candidates, recipients: recipients(200), strategy: 'random', random: seededRandom(8) }))).not.toEqual(chosen(a));
    expect(a.assignments[0]!.reason).toBe('random: drawn uniformly from 4 profiles');
  });
});

describe('weighted', () => {
  it('follows hand-set weights within 5 standard deviations over 60,000 recipients', () => {
    const candidates = [1, 2, 3, 4].map((w, i) => profile(`w${w}`, { position: i, weight: w, remainingToday: 0 }));
    const d = run({ candidates, recipients: recipients(60_000), strategy: 'weighted', random: seededRandom('weighted-manual') });
    // Hand-set weights are not capped: a profile with nothing left today still gets its share, to send tomorrow.
    expectProportions(d, { w1: 0.1, w2: 0.2, w3: 0.3, w4: 0.4 });
    expect(d.profiles.find((p) => p.profileId === 'w4')!.beyondToday).toBe(d.profiles.find((p) => p.profileId === 'w4')!.assigned);
    expect(d.assignments.find((a) => a.profileId === 'w3')!.reason).toBe('weighted: drawn in proportion to its weight, set by hand to 3');
  });

  it('measures unset weights as remaining capacity × health, matching effectiveWeights', () => {
    const candidates = [
      profile('a', { position: 0, remainingToday: 400_000, health: { state: 'healthy', score: 100 } }),
      profile('b', { position: 1, remainingToday: 400_000, health: { state: 'warning', score: 50 } }),
      profile('c', { position: 2, remainingToday: 200_000, health: { state: 'healthy', score: 100 } }),
      profile('x', { position: 3, status: 'banned' }),
    ];
    const weights = effectiveWeights(candidates);
    expect(weights.map((w) => [w.profileId, w.weight, w.share])).toEqual([
      ['a', 400_000, 0.5],
      ['b', 200_000, 0.25],
      ['c', 200_000, 0.25],
      ['x', 1_000_000, 0],
    ]);
    const d = run({ candidates, recipients: recipients(60_000), strategy: 'weighted', random: seededRandom('weighted-derived') });
    expectProportions(d, Object.fromEntries(weights.map((w) => [w.profileId, w.share])));
    expect(d.assignments.find((a) => a.profileId === 'b')!.reason).toBe(
      'weighted: drawn in proportion to its weight, measured: 400,000 messages left today × health score 50/100 = 200,000',
    );
  });

  it('sends the overflow of a full measured profile to the others', () => {
    // Equal weights (100 each) would give a about half; it holds only 100.
    const candidates = [profile('a', { remainingToday: 100 }), profile('b', { remainingToday: 1000, health: { state: 'warning', score: 10 } })];
    expect(counts(run({ candidates, recipients: recipients(1000), strategy: 'weighted' }))).toEqual({ a: 100, b: 900 });
    // A hand-set profile is never full, so it takes what a full measured one cannot.
    const mixed = [profile('m', { weight: 10, remainingToday: 0 }), profile('d', { remainingToday: 10 })];
    expect(counts(run({ candidates: mixed, recipients: recipients(1000), strategy: 'weighted' }))).toEqual({ m: 990, d: 10 });
  });

  it('skips a hand-set weight of 0 and a measured one with health score 0', () => {
    const candidates = [profile('a'), profile('z', { weight: 0 }), profile('h', { health: { state: 'warning', score: 0 } })];
    const d = run({ candidates, recipients: recipients(50), strategy: 'weighted' });
    expect(counts(d)).toEqual({ a: 50, z: 0, h: 0 });
    expect(d.skipped.map((s) => [s.profileId, s.reason])).toEqual([
      ['h', 'skipped: health score 0, so its measured weight is 0'],
      ['z', 'skipped: weight set to 0 by hand'],
    ]);
  });
});

describe('effectiveWeights', () => {
  it('says where each weight comes from, and that a blocked profile gets none', () => {
    expect(
      effectiveWeights([
        profile('b', { position: 1, weight: 150 }),
        profile('a', { position: 0, remainingToday: 120, health: { state: 'warning', score: 80 } }),
        profile('p', { position: 2, status: 'paused', statusReason: '5 consecutive failures', remainingToday: 33, health: { state: 'paused', score: 87 } }),
      ]),
    ).toEqual([
      { profileId: 'a', name: 'Sales a', weight: 96, source: 'derived', share: 96 / 246, explanation: 'measured: 120 messages left today × health score 80/100 = 96' },
      { profileId: 'b', name: 'Sales b', weight: 150, source: 'manual', share: 150 / 246, explanation: 'set by hand to 150' },
      {
        profileId: 'p',
        name: 'Sales p',
        weight: 28.71,
        source: 'derived',
        share: 0,
        explanation: 'measured: 33 messages left today × health score 87/100 = 28.7; gets no recipients while paused (5 consecutive failures)',
      },
    ]);
  });
});

describe('smart', () => {
  it('skips limited, paused, risky, banned, disconnected, linking, spent and score-0 profiles', () => {
    const candidates = [
      profile('ok1', { position: 0, remainingToday: 500 }),
      profile('ok2', { position: 1, remainingToday: 500, health: { state: 'warning', score: 60 } }),
      profile('lim', { position: 2, status: 'limited', statusReason: 'daily limit reached (120/120)' }),
      profile('pau', { position: 3, status: 'paused' }),
      profile('ris', { position: 4, health: { state: 'risky', score: 40 } }),
      profile('ban', { position: 5, status: 'banned', health: { state: 'banned', score: 0 } }),
      profile('dis', { position: 6, status: 'disconnected' }),
      profile('lnk', { position: 7, status: 'linking' }),
      profile('spent', { position: 8, remainingToday: 0 }),
      profile('zero', { position: 9, health: { state: 'healthy', score: 0 } }),
    ];
    const d = run({ candidates, recipients: recipients(300), strategy: 'smart' });
    expect(new Set(chosen(d))).toEqual(new Set(['ok1', 'ok2']));
    expect(d.skipped.map((s) => [s.profileId, s.reason])).toEqual([
      ['lim', 'skipped: limited (daily limit reached (120/120))'],
      ['pau', 'skipped: paused'],
      ['ris', 'skipped: risky (health score 40/100)'],
      ['ban', 'skipped: banned'],
      ['dis', 'skipped: disconnected'],
      ['lnk', 'skipped: linking'],
      ['spent', 'skipped: no capacity left today'],
      ['zero', 'skipped: health score 0'],
    ]);
    expect(d.explanation).toBe('enterprise plan: smart over 2 of 10 profiles');
  });

  it('prefers healthy profiles with spare capacity: draws by remaining × health', () => {
    const candidates = [
      profile('a', { remainingToday: 100_000 }),
      profile('b', { remainingToday: 100_000, health: { state: 'warning', score: 50 } }),
      profile('c', { remainingToday: 50_000 }),
    ];
    const d = run({ candidates, recipients: recipients(60_000), strategy: 'smart', random: seededRandom('smart-shares') });
    expectProportions(d, { a: 0.5, b: 0.25, c: 0.25 });
    expect(d.assignments.find((a) => a.profileId === 'b')!.reason).toBe(
      'smart: drawn in proportion to healthy capacity left, 100,000 messages left today × health score 50/100 = 50,000',
    );
  });

  it('fills every profile to its capacity first, then assigns the rest to wait for tomorrow', () => {
    const candidates = [profile('a', { remainingToday: 10 }), profile('b', { remainingToday: 20, health: { state: 'warning', score: 50 } })];
    const d = run({ candidates, recipients: recipients(100), strategy: 'smart' });
    expect(d.unassigned).toBe(0);
    const first = d.assignments.slice(0, 30);
    expect(first.filter((a) => a.profileId === 'a')).toHaveLength(10);
    expect(first.every((a) => a.reason.startsWith('smart: '))).toBe(true);
    expect(d.assignments.slice(30).every((a) => a.reason.startsWith("every profile is at today's limit, so this waits for tomorrow on "))).toBe(true);
    expect(d.profiles.map((p) => p.beyondToday)).toEqual([counts(d).a! - 10, counts(d).b! - 20]);
  });

  it('spreads recipients by health score when no profile has any capacity left', () => {
    const candidates = [profile('a', { remainingToday: 0, health: { state: 'healthy', score: 90 } }), profile('b', { remainingToday: 0, health: { state: 'warning', score: 30 } })];
    const d = run({ candidates, recipients: recipients(40_000), strategy: 'smart', random: seededRandom('smart-overflow') });
    expect(d.skipped).toEqual([]);
    expectProportions(d, { a: 0.75, b: 0.25 });
    expect(d.assignments.find((a) => a.profileId === 'b')!.reason).toBe(
      "every profile is at today's limit, so this waits for tomorrow on Sales b (the excess is spread by health score, 30/100)",
    );
  });

  const canSend = (c: DistributionCandidate) => c.status === 'connected' && (c.health.state === 'healthy' || c.health.state === 'warning');
  const hasRoom = (c: DistributionCandidate) => canSend(c) && c.health.score > 0 && c.remainingToday > 0;
  const candidateSets = fc.uniqueArray(
    fc.record({
      profileId: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'),
      name: fc.string(),
      status: fc.constantFrom(...PROFILE_STATUSES),
      health: fc.record({ state: fc.constantFrom(...HEALTH_STATES), score: fc.integer({ min: 0, max: 100 }) }),
      weight: fc.option(fc.integer({ min: 0, max: 50 })),
      remainingToday: fc.integer({ min: 0, max: 40 }),
      position: fc.integer({ min: 0, max: 3 }),
    }),
    { selector: (c) => c.profileId, maxLength: 8 },
  );

  it('never assigns to a profile that is not eligible (property)', () => {
    const stickyIds = fc.array(fc.option(fc.constantFrom('p0', 'p3', 'p7', 'elsewhere')), { maxLength: 120 });
    fc.assert(
      fc.property(candidateSets, stickyIds, fc.integer(), (candidates, sticky, seed) => {
        const d = run({ candidates, recipients: sticky.map((s, i) => ({ key: `r${i}`, stickyProfileId: s })), strategy: 'smart', random: seededRandom(seed) });
        const byId = new Map<string, DistributionCandidate>(candidates.map((c) => [c.profileId, c]));
        const anyRoom = candidates.some(hasRoom);
        d.assignments.forEach((a, i) => {
          if (a.profileId === null) {
            expect(candidates.some((c) => canSend(c) && c.health.score > 0)).toBe(false);
            return;
          }
          const c = byId.get(a.profileId)!;
          if (a.profileId === sticky[i]) expect(canSend(c)).toBe(true);
          else expect(canSend(c) && c.health.score > 0 && (c.remainingToday > 0 || !anyRoom)).toBe(true);
        });
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });

  it('never exceeds a profile’s capacity while the pool has room for everyone (property)', () => {
    fc.assert(
      fc.property(candidateSets, fc.integer({ min: 0, max: 200 }), fc.integer(), (candidates, n, seed) => {
        const room = candidates.filter(hasRoom).reduce((sum, c) => sum + c.remainingToday, 0);
        fc.pre(room >= n);
        const d = run({ candidates, recipients: recipients(n), strategy: 'smart', random: seededRandom(seed) });
        for (const c of candidates) expect(counts(d)[c.profileId]!).toBeLessThanOrEqual(c.remainingToday);
      }),
      { seed: 777, numRuns: 300 },
    );
  });
});

describe('sticky recipients', () => {
  it('stay with their profile whenever it can send, even when smart would skip it for capacity', () => {
    const candidates = [profile('a', { remainingToday: 0 }), profile('b')];
    const d = run({ candidates, recipients: recipients(10, (i) => (i % 2 === 0 ? 'a' : null)), strategy: 'smart' });
    expect(chosen(d)).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(d.assignments[0]!.reason).toBe('stays with Sales a, the profile this recipient already talks to');
    expect(d.skipped).toEqual([{ profileId: 'a', name: 'Sales a', reason: 'skipped: no capacity left today' }]);
  });

  it('fall to the strategy when their profile cannot send or is not in the package, and say so', () => {
    const candidates = [profile('a', { position: 0, status: 'paused', statusReason: '5 consecutive failures' }), profile('b', { position: 1 }), profile('c', { position: 2 })];
    const d = run({ candidates, recipients: [{ key: 'x', stickyProfileId: 'a' }, { key: 'y', stickyProfileId: 'gone' }, { key: 'z' }] });
    expect(d.assignments).toEqual([
      { key: 'x', profileId: 'b', reason: "was talking to Sales a, which is paused (5 consecutive failures); round-robin: Sales b's turn (equal shares over 2 profiles)" },
      { key: 'y', profileId: 'c', reason: "was talking to a profile outside this package; round-robin: Sales c's turn (equal shares over 2 profiles)" },
      { key: 'z', profileId: 'b', reason: "round-robin: Sales b's turn (equal shares over 2 profiles)" },
    ]);
  });

  it('do not take a round-robin turn', () => {
    const candidates = ['a', 'b', 'c'].map((id, i) => profile(id, { position: i }));
    const sticky = [null, 'c', null, 'c', 'c', null];
    expect(chosen(run({ candidates, recipients: recipients(6, (i) => sticky[i]!) }))).toEqual(['a', 'c', 'b', 'c', 'c', 'c']);
  });

  it('use their profile’s capacity, so the strategy sends the others elsewhere', () => {
    const candidates = [profile('a', { remainingToday: 5 }), profile('b', { remainingToday: 1000 })];
    const d = run({ candidates, recipients: recipients(105, (i) => (i < 5 ? 'a' : null)), strategy: 'smart' });
    expect(counts(d)).toEqual({ a: 5, b: 100 });
  });
});

describe('plan tier', () => {
  const candidates = [profile('c', { position: 2 }), profile('b', { position: 1 }), profile('a', { position: 1, status: 'disconnected' })];

  it('sends starter and pro campaigns from the first profile that can send, whatever the strategy', () => {
    for (const tier of ['starter', 'pro'] as const) {
      const d = run({ candidates, recipients: recipients(50), strategy: 'random', tier });
      expect(counts(d)).toEqual({ a: 0, b: 50, c: 0 });
      expect(d.assignments[0]!.reason).toBe(`${tier} plan: sent by its dedicated profile, Sales b`);
      expect(d.skipped.map((s) => [s.profileId, s.reason])).toEqual([
        ['a', 'skipped: disconnected'],
        ['c', `skipped: the ${tier} plan sends from one dedicated profile (Sales b)`],
      ]);
    }
  });

  it('uses the named dedicated profile, or says why another one sends', () => {
    expect(counts(run({ candidates, recipients: recipients(5), tier: 'pro', dedicatedProfileId: 'c' }))).toEqual({ a: 0, b: 0, c: 5 });
    const down = run({ candidates, recipients: recipients(5), tier: 'pro', dedicatedProfileId: 'a' });
    expect(counts(down)).toEqual({ a: 0, b: 5, c: 0 });
    expect(down.explanation).toBe('pro plan: one dedicated profile, Sales b; the chosen dedicated profile Sales a is disconnected, so Sales b, the first that can send, sends instead');
    expect(run({ candidates, recipients: [], tier: 'starter', dedicatedProfileId: 'gone' }).explanation).toBe(
      'starter plan: one dedicated profile, Sales b; the chosen dedicated profile is not in this package, so Sales b sends instead',
    );
  });

  it('keeps a sticky recipient only on the dedicated profile', () => {
    const d = run({ candidates, recipients: [{ key: 'x', stickyProfileId: 'c' }, { key: 'y', stickyProfileId: 'b' }], tier: 'starter' });
    expect(d.assignments).toEqual([
      { key: 'x', profileId: 'b', reason: 'was talking to Sales c, but the starter plan sends from one dedicated profile; starter plan: sent by its dedicated profile, Sales b' },
      { key: 'y', profileId: 'b', reason: 'stays with Sales b, the profile this recipient already talks to' },
    ]);
  });

  it('spreads enterprise campaigns over the pool', () => {
    expect(counts(run({ candidates, recipients: recipients(50), tier: 'enterprise' }))).toEqual({ a: 0, b: 25, c: 25 });
  });
});

describe('when no profile can send', () => {
  it('leaves every recipient unassigned with the reasons', () => {
    const candidates = [profile('a', { status: 'banned' }), profile('b', { health: { state: 'risky', score: 20 } })];
    for (const tier of ['starter', 'enterprise'] as const) {
      const d = run({ candidates, recipients: recipients(3, () => 'a'), strategy: 'smart', tier });
      expect(d.unassigned).toBe(3);
      expect(d.assignments[2]).toEqual({ key: 'r2', profileId: null, reason: 'no profile of this package can take open chat (Sales a: banned; Sales b: risky (health score 20/100))' });
      expect(d.explanation).toBe('no profile of this package can take open chat');
    }
    expect(run({ recipients: recipients(1) }).assignments).toEqual([{ key: 'r0', profileId: null, reason: 'this package has no profiles' }]);
  });
});

it('takes recipients from any iterable, such as a generator of 100,000', () => {
  function* many() {
    for (let i = 0; i < 100_000; i++) yield { key: `+62${i}` };
  }
  const d = distribute({ candidates: [profile('a'), profile('b')], recipients: many(), strategy: 'smart', tier: 'enterprise', random: seededRandom(1) });
  expect(d.assignments).toHaveLength(100_000);
  expect(d.assignments[99_999]!.key).toBe('+6299999');
  expect(d.profiles.reduce((sum, p) => sum + p.assigned, 0)).toBe(100_000);
});
