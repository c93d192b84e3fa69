import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUILT_IN, HEALTH_STATES, limitProblems, type Limits } from './sender-settings.ts';
import { adjustLimits, warmupCap, WARNING_LIMIT_FACTOR } from './warmup.ts';

const PLAN = { enabled: true, startPerDay: 20, growthPerDay: 10 };
const DEFAULTS = BUILT_IN.limits; // 20 an hour, 50 per 3 hours, 120 a day

describe('warmupCap', () => {
  it('starts at startPerDay and grows by growthPerDay for each healthy day', () => {
    expect(warmupCap(PLAN, { daysSinceStart: 0, healthyDays: 0 }, 120)).toEqual({
      perDay: 20,
      limiting: true,
      day: 1,
      healthyDays: 0,
      reason: 'daily limit 20 instead of 120: warm-up day 1 of a new number (20 + 0 healthy days × 10)',
    });
    expect(warmupCap(PLAN, { daysSinceStart: 2, healthyDays: 2 }, 120)).toMatchObject({
      perDay: 40,
      day: 3,
      reason: 'daily limit 40 instead of 120: warm-up day 3 of a new number (20 + 2 healthy days × 10)',
    });
  });

  it('days that were not healthy do not grow the cap, and the reason says so', () => {
    expect(warmupCap(PLAN, { daysSinceStart: 3, healthyDays: 1 }, 120)).toMatchObject({
      perDay: 30,
      day: 4,
      reason: 'daily limit 30 instead of 120: warm-up day 4 of a new number (20 + 1 healthy day × 10; 2 days were not healthy and did not count)',
    });
  });

  it('never goes above the configured daily limit, and then the warm-up is complete', () => {
    expect(warmupCap(PLAN, { daysSinceStart: 30, healthyDays: 25 }, 120)).toEqual({
      perDay: 120,
      limiting: false,
      day: 31,
      healthyDays: 25,
      reason: 'warm-up complete: 20 + 25 healthy days × 10 reaches the daily limit of 120',
    });
    expect(warmupCap({ ...PLAN, startPerDay: 500 }, { daysSinceStart: 0, healthyDays: 0 }, 120)).toMatchObject({ perDay: 120, limiting: false });
  });

  it('does nothing when the plan is off', () => {
    expect(warmupCap({ ...PLAN, enabled: false }, { daysSinceStart: 0, healthyDays: 0 }, 120)).toEqual({
      perDay: 120,
      limiting: false,
      day: 1,
      healthyDays: 0,
      reason: 'warm-up is off',
    });
  });

  it('cannot count more healthy days than have passed', () => {
    expect(warmupCap(PLAN, { daysSinceStart: 1, healthyDays: 9 }, 120)).toMatchObject({ perDay: 30, healthyDays: 1 });
  });

  it('grows monotonically with healthy days and stays within the configured limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 5000 }), fc.nat(60), (start, growth, perDay, healthy) => {
        const plan = { enabled: true, startPerDay: start, growthPerDay: growth };
        const a = warmupCap(plan, { daysSinceStart: 60, healthyDays: healthy }, perDay);
        const b = warmupCap(plan, { daysSinceStart: 61, healthyDays: healthy + 1 }, perDay);
        expect(a.perDay).toBeLessThanOrEqual(perDay);
        expect(b.perDay).toBeGreaterThanOrEqual(a.perDay);
        expect(a.limiting).toBe(a.perDay < perDay);
      }),
      { seed: 17, numRuns: 300 },
    );
  });
});

describe('adjustLimits', () => {
  it('leaves a healthy profile without warm-up alone', () => {
    expect(adjustLimits({ limits: DEFAULTS, warmup: null, health: { state: 'healthy' } })).toEqual({ limits: DEFAULTS, sending: true, reasons: [], warmup: null });
  });

  it('a warm-up caps the day, and the shorter windows follow so none allows more than the day', () => {
    const a = adjustLimits({ limits: DEFAULTS, warmup: { plan: PLAN, progress: { daysSinceStart: 0, healthyDays: 0 } }, health: { state: 'healthy' } });
    expect(a.limits).toEqual({ perHour: 20, per3Hours: 20, perDay: 20 });
    expect(a.reasons).toEqual([
      'daily limit 20 instead of 120: warm-up day 1 of a new number (20 + 0 healthy days × 10)',
      'per 3 hours 20 instead of 50: no shorter window may allow more than the day',
    ]);
    const small = adjustLimits({ limits: DEFAULTS, warmup: { plan: { ...PLAN, startPerDay: 10 }, progress: { daysSinceStart: 0, healthyDays: 0 } }, health: { state: 'healthy' } });
    expect(small.limits).toEqual({ perHour: 10, per3Hours: 10, perDay: 10 });
    expect(small.reasons[1]).toBe('per 3 hours 10 instead of 50, per hour 10 instead of 20: no shorter window may allow more than the day');
  });

  it('a finished or disabled warm-up adds no reason', () => {
    const done = adjustLimits({ limits: DEFAULTS, warmup: { plan: PLAN, progress: { daysSinceStart: 20, healthyDays: 20 } }, health: { state: 'healthy' } });
    expect(done.limits).toEqual(DEFAULTS);
    expect(done.reasons).toEqual([]);
    expect(done.warmup?.reason).toBe('warm-up complete: 20 + 20 healthy days × 10 reaches the daily limit of 120');
  });

  it('a warning halves the limits and says why', () => {
    const a = adjustLimits({ limits: DEFAULTS, warmup: null, health: { state: 'warning', sentence: 'warning: a reach-out timelock in the last hour' } });
    expect(a).toEqual({
      limits: { perHour: 10, per3Hours: 25, perDay: 60 },
      sending: true,
      reasons: ['limits halved to 10 an hour, 25 per 3 hours and 60 a day while the profile is in the warning state (warning: a reach-out timelock in the last hour)'],
      warmup: null,
    });
  });

  it('warm-up first, then the warning', () => {
    const a = adjustLimits({ limits: DEFAULTS, warmup: { plan: PLAN, progress: { daysSinceStart: 2, healthyDays: 2 } }, health: { state: 'warning' } });
    expect(a.limits).toEqual({ perHour: 10, per3Hours: 20, perDay: 20 });
    expect(a.reasons).toEqual([
      'daily limit 40 instead of 120: warm-up day 3 of a new number (20 + 2 healthy days × 10)',
      'per 3 hours 40 instead of 50: no shorter window may allow more than the day',
      'limits halved to 10 an hour, 20 per 3 hours and 20 a day while the profile is in the warning state',
    ]);
  });

  it('halving never reaches zero', () => {
    expect(adjustLimits({ limits: { perHour: 1, per3Hours: 1, perDay: 1 }, warmup: null, health: { state: 'warning' } }).limits).toEqual({ perHour: 1, per3Hours: 1, perDay: 1 });
  });

  it('risky, paused and banned profiles send no open chat at all', () => {
    const risky = adjustLimits({ limits: DEFAULTS, warmup: null, health: { state: 'risky', sentence: 'risky: 2 reach-out timelocks in the last hour' } });
    expect(risky).toMatchObject({ sending: false, limits: DEFAULTS, reasons: ['no open chat: the profile is risky and auto-paused (risky: 2 reach-out timelocks in the last hour)'] });
    expect(adjustLimits({ limits: DEFAULTS, warmup: null, health: { state: 'paused' } }).reasons).toEqual(['no open chat: the profile is paused after failing sends']);
    expect(adjustLimits({ limits: DEFAULTS, warmup: null, health: { state: 'banned' } }).sending).toBe(false);
  });

  const consistentLimits: fc.Arbitrary<Limits> = fc
    .record({ perHour: fc.integer({ min: 1, max: 1000 }), k3: fc.double({ min: 1, max: 3, noNaN: true }), k24: fc.double({ min: 1, max: 8, noNaN: true }) })
    .map(({ perHour, k3, k24 }) => {
      const per3Hours = Math.max(perHour, Math.floor(perHour * k3));
      return { perHour, per3Hours, perDay: Math.max(per3Hours, Math.floor(per3Hours * k24)) };
    });

  it('keeps consistent limits consistent, never raises one, and halves under a warning', () => {
    fc.assert(
      fc.property(
        consistentLimits,
        fc.record({ enabled: fc.boolean(), startPerDay: fc.integer({ min: 1, max: 500 }), growthPerDay: fc.nat(100) }),
        fc.nat(30),
        fc.constantFrom(...HEALTH_STATES),
        (limits, plan, days, state) => {
          expect(limitProblems(limits)).toEqual([]);
          const a = adjustLimits({ limits, warmup: { plan, progress: { daysSinceStart: days, healthyDays: days } }, health: { state } });
          expect(limitProblems(a.limits)).toEqual([]);
          expect(a.limits.perHour).toBeGreaterThanOrEqual(1);
          for (const k of ['perHour', 'per3Hours', 'perDay'] as const) {
            expect(a.limits[k]).toBeLessThanOrEqual(limits[k]);
            if (state === 'warning') expect(a.limits[k]).toBeLessThanOrEqual(Math.max(1, limits[k] * WARNING_LIMIT_FACTOR));
          }
          expect(a.limits.perDay).toBeLessThanOrEqual(a.warmup!.perDay);
          expect(a.sending).toBe(state === 'healthy' || state === 'warning');
        },
      ),
      { seed: 8080, numRuns: 500 },
    );
  });
});
