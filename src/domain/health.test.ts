import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessHealth, HEALTH_RULES, type HealthEvent, type HealthInput, type OutcomeCounts } from './health.ts';

const NOW = Date.UTC(2025, 0, 6, 12);
const MIN = 60_000;
const H = 60 * MIN;

const counts = (c: Partial<OutcomeCounts> = {}): OutcomeCounts => ({ sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, ...c });
/** A day of good sending: everything delivered, a quarter replied, nothing failed. */
const GOOD = { hour: counts({ sent: 10, delivered: 10, read: 8, replied: 3 }), threeHours: counts({ sent: 30, delivered: 30, read: 20, replied: 8 }), day: counts({ sent: 100, delivered: 100, read: 70, replied: 25 }) };
const NO_STREAK = { count: 0, firstAt: null, lastAt: null };

const input = (over: Partial<HealthInput> = {}): HealthInput => ({ now: NOW, counts: GOOD, streak: NO_STREAK, events: [], ...over });
const warning = (minutesAgo: number, signal = 'reach_out_timelock'): HealthEvent => ({ type: 'health', signal, severity: 'warning', detail: 'code 463', at: NOW - minutesAgo * MIN });
const connection = (minutesAgo: number, state: 'connected' | 'disconnected' | 'logged_out', reason = 'test'): HealthEvent => ({ type: 'connection', state, reason, at: NOW - minutesAgo * MIN });

describe('assessHealth', () => {
  it('a profile sending well is healthy with no warning signs, and shows its rates', () => {
    const h = assessHealth(input());
    expect(h).toMatchObject({ score: 100, state: 'healthy', sentence: 'healthy: no warning signs', factors: [] });
    expect(h.rates.day).toEqual({ delivered: 1, read: 0.7, replied: 0.25, failed: 0 });
    expect(h.rates.hour.replied).toBeCloseTo(0.3, 12);
  });

  it('one reach-out timelock in the last hour is a warning', () => {
    const h = assessHealth(input({ events: [warning(20)] }));
    expect(h).toMatchObject({ score: 65, state: 'warning', sentence: 'warning: a reach-out timelock in the last hour' });
    expect(h.factors).toEqual([{ rule: 'recent_warning', points: 35, text: 'a reach-out timelock in the last hour' }]);
  });

  it('two reach-out timelocks in an hour with few replies are risky, and the sentence says both', () => {
    const day = counts({ sent: 100, delivered: 100, read: 60, replied: 3 });
    const h = assessHealth(input({ counts: { ...GOOD, day }, events: [warning(10), warning(50)] }));
    expect(h.state).toBe('risky');
    expect(h.score).toBe(20);
    expect(h.sentence).toBe('risky: 2 reach-out timelocks in the last hour; reply rate 3 %');
    expect(h.factors.map((f) => [f.rule, f.points])).toEqual([
      ['recent_warning', 70],
      ['reply_rate', 10],
    ]);
  });

  it('different signals are counted apart, named in words, unknown names shown plainly', () => {
    const h = assessHealth(input({ events: [warning(5, 'rate_limited'), warning(6, 'rate_limited'), warning(7, 'odd_new_signal')] }));
    expect(h.factors.map((f) => f.text)).toEqual(['2 rate-limit errors in the last hour', 'an odd new signal in the last hour']);
    expect(h.score).toBe(0);
  });

  it('warnings older than an hour weigh less, up to a cap; info signals and events of the future or older than a day do not count', () => {
    const older = assessHealth(input({ events: [warning(90), warning(200), warning(300), warning(400)] }));
    expect(older.factors).toEqual([{ rule: 'older_warning', points: HEALTH_RULES.olderWarning.maxPoints, text: '4 earlier transport warnings today' }]);
    expect(older.state).toBe('healthy');
    const ignored = assessHealth(
      input({
        events: [
          { type: 'health', signal: 'reach_out_timelock_lifted', severity: 'info', detail: 'new chats are allowed again', at: NOW - MIN },
          warning(-5),
          warning(25 * 60),
        ],
      }),
    );
    expect(ignored).toMatchObject({ score: 100, state: 'healthy' });
  });

  it('a critical signal alone makes the profile risky', () => {
    const h = assessHealth(input({ events: [{ type: 'health', signal: 'account_locked', severity: 'critical', detail: 'Meta error 131031', at: NOW - 3 * H }] }));
    expect(h).toMatchObject({ score: 35, state: 'risky', sentence: 'risky: an account lock in the last 24 h (Meta error 131031)' });
  });

  it('five failures in a row within ten minutes trip the breaker: paused, and that reason comes first', () => {
    const h = assessHealth(input({ streak: { count: 5, firstAt: NOW - 10 * MIN, lastAt: NOW }, events: [warning(5), warning(6)] }));
    expect(h.state).toBe('paused');
    expect(h.sentence).toBe('paused: 5 consecutive failures in 10 minutes; 2 reach-out timelocks in the last hour');
    expect(h.factors[0]).toEqual({ rule: 'pause_streak', points: 45, text: '5 consecutive failures in 10 minutes' });
  });

  it('a slower streak costs points without pausing', () => {
    const slow = assessHealth(input({ streak: { count: 5, firstAt: NOW - 30 * MIN, lastAt: NOW } }));
    expect(slow).toMatchObject({ state: 'warning', score: 55, sentence: 'warning: 5 consecutive failures in 30 minutes' });
    expect(assessHealth(input({ streak: { count: 2, firstAt: NOW - MIN, lastAt: NOW } })).factors).toEqual([]);
    expect(assessHealth(input({ streak: { count: 20, firstAt: NOW - 5 * H, lastAt: NOW } })).factors[0]!.points).toBe(HEALTH_RULES.streak.maxPoints);
  });

  it('banned when WhatsApp logged the number out, unless it connected again since', () => {
    const banned = assessHealth(input({ events: [connection(30, 'connected'), connection(5, 'logged_out', 'banned: spam reports')] }));
    expect(banned).toMatchObject({ score: 0, state: 'banned', sentence: 'banned: WhatsApp logged the number out (banned: spam reports)' });
    // The latest connection event decides, whatever its age and the order given.
    const relinked = assessHealth(input({ events: [connection(5, 'connected'), connection(3 * 24 * 60, 'logged_out')] }));
    expect(relinked.state).toBe('healthy');
    expect(assessHealth(input({ events: [connection(3 * 24 * 60, 'logged_out')] })).state).toBe('banned');
  });

  it('a connection that keeps dropping costs points', () => {
    const h = assessHealth(input({ events: [connection(5, 'disconnected'), connection(20, 'disconnected'), connection(40, 'disconnected'), connection(90, 'disconnected')] }));
    expect(h.factors).toEqual([{ rule: 'disconnects', points: 10, text: 'the connection dropped 3 times in the last hour' }]);
  });

  it('judges failure, delivery and reply rates only on enough messages', () => {
    const failing = assessHealth(input({ counts: { ...GOOD, threeHours: counts({ sent: 10, delivered: 10, failed: 15 }) } }));
    expect(failing.factors).toEqual([{ rule: 'failure_rate', points: 45, text: '60 % of sends failed in the last 3 h' }]);
    expect(failing.state).toBe('warning');
    expect(assessHealth(input({ counts: { ...GOOD, threeHours: counts({ sent: 8, failed: 2 }) } })).factors[0]).toMatchObject({ rule: 'failure_rate', points: 20 });
    expect(assessHealth(input({ counts: { ...GOOD, threeHours: counts({ sent: 4, failed: 5 }) } })).factors).toEqual([]);

    const undelivered = assessHealth(input({ counts: { ...GOOD, day: counts({ sent: 40, delivered: 18, replied: 5 }) } }));
    expect(undelivered.factors).toEqual([{ rule: 'delivery_rate', points: 25, text: 'only 45 % delivered in the last 24 h' }]);
    expect(assessHealth(input({ counts: { ...GOOD, day: counts({ sent: 19, delivered: 1 }) } })).factors).toEqual([]);

    expect(assessHealth(input({ counts: { ...GOOD, day: counts({ sent: 100, delivered: 100, replied: 2 }) } })).factors).toEqual([{ rule: 'reply_rate', points: 20, text: 'reply rate 2 %' }]);
    expect(assessHealth(input({ counts: { ...GOOD, day: counts({ sent: 29, delivered: 29 }) } })).factors).toEqual([]);
  });

  it('the sentence names at most the three weightiest factors', () => {
    const day = counts({ sent: 100, delivered: 40, replied: 0 });
    const h = assessHealth(input({ counts: { ...GOOD, day }, events: [warning(5), warning(100), connection(1, 'disconnected'), connection(2, 'disconnected'), connection(3, 'disconnected')] }));
    expect(h.factors).toHaveLength(5);
    expect(h.sentence).toBe('risky: a reach-out timelock in the last hour; only 40 % delivered in the last 24 h; reply rate 0 %');
  });
});

const countsArb = fc.record({
  sent: fc.nat(300),
  delivered: fc.nat(300),
  read: fc.nat(300),
  replied: fc.nat(300),
  failed: fc.nat(300),
});
const eventArb: fc.Arbitrary<HealthEvent> = fc.oneof(
  fc.record({
    type: fc.constant('health' as const),
    signal: fc.constantFrom('reach_out_timelock', 'rate_limited', 'quality_red', 'x'),
    severity: fc.constantFrom('info' as const, 'warning' as const, 'critical' as const),
    detail: fc.constant('d'),
    at: fc.integer({ min: NOW - 30 * H, max: NOW }),
  }),
  fc.record({
    type: fc.constant('connection' as const),
    state: fc.constantFrom('connected' as const, 'disconnected' as const, 'logged_out' as const),
    reason: fc.constant('r'),
    at: fc.integer({ min: NOW - 30 * H, max: NOW }),
  }),
);
const inputArb = fc.record({
  now: fc.constant(NOW),
  counts: fc.record({ hour: countsArb, threeHours: countsArb, day: countsArb }),
  streak: fc.integer({ min: 0, max: 12 }).chain((count) =>
    fc.integer({ min: 0, max: 60 * MIN }).map((spanMs) => (count === 0 ? NO_STREAK : { count, firstAt: NOW - spanMs, lastAt: NOW })),
  ),
  events: fc.array(eventArb, { maxLength: 8 }),
});

describe('assessHealth: properties', () => {
  it('the score is 100 minus the factors, within 0–100, and the state follows the rules', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const h = assessHealth(i);
        const points = h.factors.reduce((s, f) => s + f.points, 0);
        expect(h.score).toBe(Math.max(0, 100 - points));
        expect(h.sentence.startsWith(`${h.state}: `)).toBe(true);
        const rules = new Set(h.factors.map((f) => f.rule));
        if (rules.has('logged_out')) expect(h.state).toBe('banned');
        else if (rules.has('pause_streak')) expect(h.state).toBe('paused');
        else expect(h.state).toBe(h.score < HEALTH_RULES.riskyBelow ? 'risky' : h.score < HEALTH_RULES.warningBelow ? 'warning' : 'healthy');
        expect(h.factors.every((f) => f.points > 0 && f.text.length > 0)).toBe(true);
      }),
      { seed: 2025, numRuns: 500 },
    );
  });

  it('one more warning signal never makes a profile look healthier', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 23 * 60 }), (i, minutesAgo) => {
        const before = assessHealth(i);
        const after = assessHealth({ ...i, events: [...i.events, warning(minutesAgo)] });
        expect(after.score).toBeLessThanOrEqual(before.score);
      }),
      { seed: 31, numRuns: 300 },
    );
  });
});
