import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextActiveAt } from './active-hours.ts';
import { durationWords, estimateCompletion, nextGap, pacingStreams, type HumanGap, type PacingSettings, type PacingStreams, type RecentSends } from './pacing.ts';
import { BUILT_IN, type PacingParams } from './sender-settings.ts';

const H = 3_600_000;
/** Monday 6 January 2025, 12:00 UTC: inside the default 05:00–01:00 window. */
const NOON = Date.UTC(2025, 0, 6, 12);
const WHOLE_DAY = { start: '00:00', end: '00:00' };

const settings = (over: { limits?: Partial<PacingSettings['limits']>; pacing?: Partial<PacingParams>; activeHours?: PacingSettings['activeHours'] } = {}): PacingSettings => ({
  limits: { ...BUILT_IN.limits, ...over.limits },
  activeHours: over.activeHours ?? BUILT_IN.activeHours,
  timezone: 'UTC',
  pacing: { ...BUILT_IN.pacing, ...over.pacing },
});

/** Streams that always give the same numbers: package offset, profile offset, message draw. */
const fixed = (pkg: number, profile: number, message: number): PacingStreams => ({ package: () => pkg, profile: () => profile, message: () => message });
const NONE: RecentSends = { count: 0, firstAt: null };

function human(input: Parameters<typeof nextGap>[0]): HumanGap {
  const g = nextGap(input);
  if (g.mode !== 'human') throw new Error('expected human pacing');
  return g;
}

describe('nextGap: the base gap', () => {
  it('is the tightest limit spread evenly, and says which one', () => {
    const at = (s: PacingSettings) => human({ settings: s, queueDepth: 0, recent: NONE, now: NOON, streams: fixed(0, 0, 0.5) }).base;
    expect(at(settings())).toEqual({ seconds: 600, setBy: 'day', perLimit: { hour: 180, three_hours: 216, day: 600 } });
    expect(at(settings({ activeHours: WHOLE_DAY }))).toMatchObject({ seconds: 720, setBy: 'day' });
    expect(at(settings({ limits: { perHour: 4 } }))).toMatchObject({ seconds: 900, setBy: 'hour' });
    expect(at(settings({ limits: { per3Hours: 9 } }))).toMatchObject({ seconds: 1200, setBy: 'three_hours' });
  });

  it('explains the base in words', () => {
    const g = human({ settings: settings(), queueDepth: 0, recent: NONE, now: NOON, streams: fixed(0, 0, 0.5) });
    expect(g.explanation[0]).toBe('base gap 600 s: 120 a day over 20 active hours is the tightest limit (20 an hour allows 180 s, 50 per 3 hours allows 216 s)');
  });
});

describe('nextGap: exact values', () => {
  it('calm, no history, draws at the middle: half the base', () => {
    const g = human({ settings: settings(), queueDepth: 4, recent: NONE, now: NOON, streams: fixed(0, 0, 0.5) });
    expect(g).toMatchObject({
      offsets: { profile: 0, package: 0 },
      rush: { factor: 0.5, configured: 0.5, inRush: false, queueDepth: 4, threshold: 10 },
      pace: { factor: 1, ratio: null, sent2h: 0, expected2h: 0, clamped: false },
      factor: 0.5,
      limitFloor: { seconds: 216, applied: false },
      minGap: { seconds: 20, applied: false },
    });
    expect(g.min).toBeCloseTo(390, 9);
    expect(g.max).toBeCloseTo(810, 9);
    expect(g.draw).toBeCloseTo(600, 9);
    expect(g.gapSeconds).toBeCloseTo(300, 9);
    expect(g.explanation).toContain('calm: 4 messages waiting (10 or fewer), so gaps ×0.5');
    expect(g.explanation).toContain('pace: no sends in the last 2 h, so no correction yet (×1): a profile that just started does not try to catch up');
    expect(g.explanation.at(-1)).toBe('next gap 300 s');
  });

  it('offsets lengthen the window: each up to a quarter of the jitter', () => {
    const g = human({ settings: settings(), queueDepth: 11, recent: NONE, now: NOON, streams: fixed(0.5, 1, 0) });
    expect(g.offsets.package).toBeCloseTo(0.04375, 12);
    expect(g.offsets.profile).toBeCloseTo(0.0875, 12);
    const centre = 600 * (1 + 0.04375 + 0.0875);
    expect(g.min).toBeCloseTo(centre * 0.65, 9);
    expect(g.max).toBeCloseTo(centre * 1.35, 9);
    expect(g.draw).toBeCloseTo(g.min, 9);
    expect(g.gapSeconds).toBeCloseTo(centre * 0.65 * 2, 9);
    expect(g.explanation[1]).toBe('gaps drawn between 441 s and 916 s (±35 % around 679 s: this profile +9 %, its package +4 %); this message drew 441 s');
  });

  it('a rush hour is more than the threshold waiting, and doubles gaps by default', () => {
    const at = (queueDepth: number) => human({ settings: settings(), queueDepth, recent: NONE, now: NOON, streams: fixed(0, 0, 0.5) });
    expect(at(10).rush).toMatchObject({ inRush: false, factor: 0.5 });
    expect(at(11).rush).toMatchObject({ inRush: true, factor: 2 });
    expect(at(11).gapSeconds).toBeCloseTo(1200, 9);
    expect(at(11).explanation).toContain('rush hour: 11 messages waiting (more than 10), so gaps ×2');
    // A queue counted only past the threshold says so, and is a rush hour like any longer one.
    const counted = human({ settings: settings(), queueDepth: 11, queueDepthAtLeast: true, recent: NONE, now: NOON, streams: fixed(0, 0, 0.5) });
    expect(counted.gapSeconds).toBe(at(11).gapSeconds);
    expect(counted.explanation).toContain('rush hour: at least 11 messages waiting (more than 10), so gaps ×2');
  });

  it('pace: sent since the first send of the last 2 h over what the base gap would have sent', () => {
    const s = settings({ activeHours: WHOLE_DAY }); // base 720 s
    const at = (count: number, firstAt: number) => human({ settings: s, queueDepth: 50, recent: { count, firstAt }, now: NOON, streams: fixed(0, 0, 0.5) }).pace;
    // First send an hour ago: 1 + 3600 / 720 = 6 expected.
    expect(at(3, NOON - H)).toEqual({ factor: 0.5, ratio: 0.5, sent2h: 3, expected2h: 6, clamped: false });
    expect(at(9, NOON - H)).toEqual({ factor: 1.5, ratio: 1.5, sent2h: 9, expected2h: 6, clamped: false });
    expect(at(24, NOON - H)).toEqual({ factor: 2, ratio: 4, sent2h: 24, expected2h: 6, clamped: true });
    expect(at(1, NOON - H)).toMatchObject({ factor: 0.5, clamped: true });
    // Never judged over more than 2 h: 1 + 7200 / 720 = 11.
    expect(at(11, NOON - 5 * H).expected2h).toBe(11);
  });

  it('pace: a profile right after its first send is on schedule, not behind', () => {
    const g = human({ settings: settings(), queueDepth: 50, recent: { count: 1, firstAt: NOON }, now: NOON, streams: fixed(0, 0, 0.5) });
    expect(g.pace).toEqual({ factor: 1, ratio: 1, sent2h: 1, expected2h: 1, clamped: false });
  });

  it('pace: time outside active hours does not count as time the profile should have sent', () => {
    const six = Date.UTC(2025, 0, 6, 6); // the window opened at 05:00
    const g = human({ settings: settings(), queueDepth: 50, recent: { count: 7, firstAt: six - 1.5 * H }, now: six, streams: fixed(0, 0, 0.5) });
    expect(g.pace).toMatchObject({ expected2h: 7, ratio: 1, factor: 1 });
  });

  it('pace shortens gaps when behind and lengthens them when ahead, in words', () => {
    const s = settings({ activeHours: WHOLE_DAY });
    const behind = human({ settings: s, queueDepth: 50, recent: { count: 3, firstAt: NOON - H }, now: NOON, streams: fixed(0, 0, 0.5) });
    const ahead = human({ settings: s, queueDepth: 50, recent: { count: 9, firstAt: NOON - H }, now: NOON, streams: fixed(0, 0, 0.5) });
    expect(behind.gapSeconds).toBeCloseTo(720 * 2 * 0.5, 9);
    expect(ahead.gapSeconds).toBeCloseTo(720 * 2 * 1.5, 9);
    expect(behind.explanation).toContain('pace: 3 sent since the first send of the last 2 h where 6 were expected: behind schedule, gaps shorten, ×0.5');
    expect(ahead.explanation).toContain('pace: 9 sent since the first send of the last 2 h where 6 were expected: ahead of schedule, gaps lengthen, ×1.5');
  });

  it('the calm factor eases off as the profile catches up and is gone once it is ahead', () => {
    const s = settings({ activeHours: WHOLE_DAY });
    const calm = (count: number) => human({ settings: s, queueDepth: 2, recent: { count, firstAt: NOON - H }, now: NOON, streams: fixed(0, 0, 0.5) });
    expect(calm(2).rush.factor).toBe(0.5); // ratio 1/3: the full calm factor
    expect(calm(5).rush.factor).toBeCloseTo(5 / 6, 12);
    expect(calm(6).rush.factor).toBe(1);
    expect(calm(9).rush.factor).toBe(1);
    expect(calm(9).explanation).toContain('calm: 2 messages waiting (10 or fewer), but gaps do not shrink (×0.5) while the profile is on or ahead of schedule');
    expect(calm(5).explanation).toContain('calm: 2 messages waiting (10 or fewer), gaps ×0.83: the calm ×0.5 eases off as the profile catches up with its schedule');
  });

  it('catching up never goes faster on average than the hourly and 3-hour limits allow', () => {
    const g = human({ settings: settings(), queueDepth: 2, recent: { count: 2, firstAt: NOON - 110 * 60_000 }, now: NOON, streams: fixed(0, 0, 0.5) });
    // calm 0.5 × pace 0.5 would be 150 s on average; 50 per 3 hours sustains 216 s.
    expect(g.limitFloor).toEqual({ seconds: 216, applied: true });
    expect(g.factor).toBeCloseTo(0.36, 12);
    expect(g.gapSeconds).toBeCloseTo(216, 9);
    expect(g.explanation).toContain('never faster on average than the limits allow: at least 216 s between sends, so ×0.25 became ×0.36');
  });

  it('no gap is below the minimum gap', () => {
    const g = human({ settings: settings({ pacing: { minGapSeconds: 500 } }), queueDepth: 0, recent: NONE, now: NOON, streams: fixed(0, 0, 0) });
    expect(g.gapSeconds).toBe(500);
    expect(g.minGap).toEqual({ seconds: 500, applied: true });
    expect(g.explanation).toContain('raised to the minimum gap of 500 s');
  });

  it('jitter 0 gives the base itself and says so', () => {
    const g = human({ settings: settings({ pacing: { jitter: 0 } }), queueDepth: 20, recent: NONE, now: NOON, streams: pacingStreams('p', 'q', 'r') });
    expect([g.min, g.max, g.draw, g.gapSeconds]).toEqual([600, 600, 600, 1200]);
    expect(g.explanation).toContain('jitter is 0: every gap starts from the base itself');
  });

  it("mode 'off' is a token bucket of ratePerSecond, and says pacing is off", () => {
    const g = nextGap({ settings: settings({ pacing: { mode: 'off', ratePerSecond: 80 } }), queueDepth: 5000, recent: NONE, now: NOON, streams: fixed(0, 0, 0) });
    expect(g).toEqual({
      mode: 'off',
      ratePerSecond: 80,
      gapSeconds: 0.0125,
      explanation: ['pacing is off: sends go out as fast as the token bucket allows, 80 a second (one every 0.0125 s)', 'the hourly, 3-hour and daily limits still apply'],
    });
  });
});

const pacingArb = fc.record({
  mode: fc.constant('human' as const),
  jitter: fc.double({ min: 0, max: 0.9, noNaN: true }),
  rushThreshold: fc.integer({ min: 0, max: 100 }),
  rushFactor: fc.double({ min: 1, max: 10, noNaN: true }),
  calmFactor: fc.double({ min: 0.01, max: 1, noNaN: true }),
  paceMin: fc.double({ min: 0.01, max: 1, noNaN: true }),
  paceMax: fc.double({ min: 1, max: 10, noNaN: true }),
  minGapSeconds: fc.double({ min: 0, max: 600, noNaN: true }),
  ratePerSecond: fc.constant(80),
});
const limitsArb = fc
  .record({ perHour: fc.integer({ min: 1, max: 500 }), k3: fc.integer({ min: 1, max: 3 }), k24: fc.integer({ min: 1, max: 8 }) })
  .map(({ perHour, k3, k24 }) => ({ perHour, per3Hours: perHour * k3, perDay: perHour * k3 * k24 }));
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const settingsArb = fc.record({
  limits: limitsArb,
  activeHours: fc.record({ start: hhmm, end: hhmm }),
  timezone: fc.constantFrom('UTC', 'Asia/Jakarta', 'Europe/Berlin', 'America/New_York'),
  pacing: pacingArb,
});
const inputArb = fc.record({
  settings: settingsArb,
  queueDepth: fc.integer({ min: 0, max: 1000 }),
  count: fc.integer({ min: 0, max: 500 }),
  firstAgoMs: fc.integer({ min: 0, max: 2 * H }),
  ids: fc.tuple(fc.uuid(), fc.uuid(), fc.uuid()),
});

describe('nextGap: properties', () => {
  it('never goes below minGapSeconds; otherwise the draw lies in [min, max] and the gap is the draw × the factors', () => {
    fc.assert(
      fc.property(inputArb, ({ settings: s, queueDepth, count, firstAgoMs, ids }) => {
        const g = human({ settings: s, queueDepth, recent: { count, firstAt: count ? NOON - firstAgoMs : null }, now: NOON, streams: pacingStreams(...ids) });
        expect(g.gapSeconds).toBeGreaterThanOrEqual(s.pacing.minGapSeconds);
        expect(g.draw).toBeGreaterThanOrEqual(g.min);
        expect(g.draw).toBeLessThanOrEqual(g.max);
        expect(g.pace.factor).toBeGreaterThanOrEqual(s.pacing.paceMin);
        expect(g.pace.factor).toBeLessThanOrEqual(s.pacing.paceMax);
        expect(g.factor).toBeGreaterThanOrEqual(g.rush.factor * g.pace.factor - 1e-12);
        // The average gap of the profile never beats what the hourly and 3-hour limits sustain.
        expect(((g.min + g.max) / 2) * g.factor).toBeGreaterThanOrEqual(g.limitFloor.seconds * (1 - 1e-12));
        const expected = Math.max(g.draw * g.factor, s.pacing.minGapSeconds);
        expect(g.gapSeconds).toBeCloseTo(expected, 6);
        expect(g.min).toBeGreaterThan(0);
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  it('gives the same gap for the same ids, and a different one for another message or profile', () => {
    fc.assert(
      fc.property(inputArb, fc.uuid(), ({ settings: s, queueDepth, ids }, other) => {
        fc.pre(s.pacing.jitter > 0.01 && other !== ids[1] && other !== ids[2]);
        const gap = (streams: PacingStreams) => human({ settings: s, queueDepth, recent: NONE, now: NOON, streams });
        const a = gap(pacingStreams(...ids));
        expect(gap(pacingStreams(...ids))).toEqual(a);
        const otherMessage = gap(pacingStreams(ids[0], ids[1], other));
        expect(otherMessage.offsets).toEqual(a.offsets);
        expect(otherMessage.draw).not.toBe(a.draw);
        const otherProfile = gap(pacingStreams(ids[0], other, ids[2]));
        expect(otherProfile.offsets.profile).not.toBe(a.offsets.profile);
        expect(otherProfile.offsets.package).toBe(a.offsets.package);
        expect(otherProfile.draw).not.toBe(a.draw);
      }),
      { seed: 99, numRuns: 200 },
    );
  });

  it('gives each package, profile and message a stream of its own', () => {
    const first = (f: (i: number) => PacingStreams, key: keyof PacingStreams) => new Set(Array.from({ length: 500 }, (_, i) => f(i)[key]()));
    expect(first((i) => pacingStreams(`pkg-${i}`, 'prof', 'msg'), 'package').size).toBe(500);
    expect(first((i) => pacingStreams('pkg', `prof-${i}`, 'msg'), 'profile').size).toBe(500);
    expect(first((i) => pacingStreams('pkg', 'prof', `msg-${i}`), 'message').size).toBe(500);
    // The message's stream depends on the profile too: a message that fails over draws anew.
    expect(pacingStreams('pkg', 'a', 'm').message()).not.toBe(pacingStreams('pkg', 'b', 'm').message());
  });
});

/**
 * Replays a profile sending at the drawn gaps, on numbers only: the queue depth of each step
 * comes from `depth`, frozen hours are skipped as the drain would. Returns the send times.
 */
function replay(s: PacingSettings, profileId: string, days: number, depth: (k: number) => number): number[] {
  const start = Date.UTC(2025, 0, 6, 5);
  const end = start + days * 24 * H;
  const sends: number[] = [];
  let oldest2h = 0;
  let t = start;
  for (let k = 0; ; k++) {
    t = nextActiveAt(t, s.activeHours, s.timezone);
    if (t >= end) return sends;
    sends.push(t);
    while (sends[oldest2h]! <= t - 2 * H) oldest2h++;
    const g = nextGap({ settings: s, queueDepth: depth(k), recent: { count: sends.length - oldest2h, firstAt: sends[oldest2h]! }, now: t, streams: pacingStreams('pkg-1', profileId, `m-${k}`) });
    t += g.gapSeconds * 1000;
  }
}

/** The most sends in any window of `ms` ending at a send. */
function busiestWindow(sends: number[], ms: number): number {
  let most = 0;
  let lo = 0;
  for (let hi = 0; hi < sends.length; hi++) {
    while (sends[lo]! <= sends[hi]! - ms) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

describe('nextGap: the achieved rate (replayed on numbers)', () => {
  const s = settings();
  const profiles = ['0190a5c4-0001', '0190a5c4-0002', '0190a5c4-0003'];

  it('with a short queue, settles at the base rate: about the daily limit, without bursts past the hourly or 3-hour ones', () => {
    for (const profile of profiles) {
      const sends = replay(s, profile, 7, () => 3);
      const perDay = sends.length / 7;
      expect(perDay).toBeGreaterThan(0.9 * 120);
      expect(perDay).toBeLessThan(1.03 * 120);
      expect(busiestWindow(sends, H)).toBeLessThanOrEqual(20);
      expect(busiestWindow(sends, 3 * H)).toBeLessThanOrEqual(50);
    }
  });

  it('in a sustained rush hour, the pace correction wins back part of the ×2: the rate settles near 1/√2 of the base', () => {
    for (const profile of profiles) {
      const perDay = replay(s, profile, 7, () => 500).length / 7;
      expect(perDay / 120).toBeGreaterThan(0.6);
      expect(perDay / 120).toBeLessThan(0.8);
    }
  });

  it('a fresh profile does not burst: its first hour stays within the hourly limit whatever the queue', () => {
    for (const depth of [0, 5, 10, 11, 1000]) {
      for (const profile of profiles) {
        const sends = replay(s, profile, 1, () => depth);
        expect(sends.filter((t) => t < sends[0]! + H).length).toBeLessThanOrEqual(20);
      }
    }
  });
});

describe('estimateCompletion', () => {
  const off = (limits: Partial<PacingSettings['limits']>) => settings({ activeHours: WHOLE_DAY, limits, pacing: { mode: 'off', ratePerSecond: 80 } });

  it('says so when nothing is queued', () => {
    expect(estimateCompletion({ settings: settings(), queued: 0, now: NOON, recentSends: [] })).toEqual({
      messages: 0,
      firstAt: null,
      finishAt: null,
      frozenSeconds: 0,
      limitWaitSeconds: 0,
      explanation: ['nothing queued'],
    });
  });

  it('one message leaves now inside active hours, at the window start outside them', () => {
    expect(estimateCompletion({ settings: settings(), queued: 1, now: NOON, recentSends: [] })).toMatchObject({ firstAt: NOON, finishAt: NOON, frozenSeconds: 0 });
    const two = Date.UTC(2025, 0, 6, 2);
    const e = estimateCompletion({ settings: settings(), queued: 1, now: two, recentSends: [] });
    expect(e).toMatchObject({ firstAt: Date.UTC(2025, 0, 6, 5), finishAt: Date.UTC(2025, 0, 6, 5), frozenSeconds: 3 * 3600 });
    expect(e.explanation).toContain('3 h of that is outside active hours');
  });

  it('is the sum of the mean gaps that pacing would draw', () => {
    const s = settings();
    const e = estimateCompletion({ settings: s, queued: 3, now: NOON, recentSends: [] });
    const mean = fixed(0.5, 0.5, 0.5);
    const g1 = human({ settings: s, queueDepth: 2, recent: { count: 1, firstAt: NOON }, now: NOON, streams: mean }).gapSeconds;
    const t1 = NOON + g1 * 1000;
    const g2 = human({ settings: s, queueDepth: 1, recent: { count: 2, firstAt: NOON }, now: t1, streams: mean }).gapSeconds;
    expect(e.finishAt).toBeCloseTo(t1 + g2 * 1000, 3);
  });

  it('waits for the hourly limit to free slots (token bucket, no pacing)', () => {
    const e = estimateCompletion({ settings: off({ perHour: 10, per3Hours: 30, perDay: 30 }), queued: 25, now: NOON, recentSends: [] });
    expect(e.firstAt).toBe(NOON);
    expect(e.finishAt).toBeCloseTo(NOON + 2 * H + (4 / 80) * 1000, 6);
    expect(e.limitWaitSeconds).toBeCloseTo(2 * 3600 - 20 / 80, 6);
    expect(e.explanation[0]).toBe('25 messages: the last would leave in about 2 h');
  });

  it("counts the profile's recent sends against its limits", () => {
    const recentSends = Array.from({ length: 30 }, (_, i) => NOON - 20 * H + i * 1000);
    const e = estimateCompletion({ settings: off({ perHour: 30, per3Hours: 90, perDay: 30 }), queued: 1, now: NOON, recentSends: [...recentSends, NOON - 30 * H] });
    expect(e.firstAt).toBe(NOON + 4 * H);
    expect(e.explanation).toContain('the first waits 4 h (active hours or limits)');
  });

  it('never finishes earlier for more messages, and agrees with a replay of the random gaps', () => {
    const s = settings();
    let last = NOON;
    for (const queued of [1, 2, 5, 11, 12, 40, 200]) {
      const e = estimateCompletion({ settings: s, queued, now: NOON, recentSends: [] });
      expect(e.finishAt!).toBeGreaterThanOrEqual(last);
      last = e.finishAt!;
    }
    // 200 messages replayed with random draws on three profiles, against the estimate.
    const estimate = (last - NOON) / 1000;
    for (const profile of profiles()) {
      const sends = replayQueue(s, profile, 200);
      expect(Math.abs((sends.at(-1)! - NOON) / 1000 - estimate) / estimate).toBeLessThan(0.15);
    }
  });

  it('replays a long queue: 10,000 messages at 120 a day in a rush hour take months', () => {
    const e = estimateCompletion({ settings: settings(), queued: 10_000, now: NOON, recentSends: [] });
    expect(e.finishAt! - NOON).toBeGreaterThan((10_000 / 120) * 24 * H);
  });
});

const profiles = () => ['p-1', 'p-2', 'p-3'];

/** Sends a fixed queue of `n` from NOON with random gaps; the queue shrinks as it goes. */
function replayQueue(s: PacingSettings, profileId: string, n: number): number[] {
  const sends: number[] = [];
  let oldest2h = 0;
  let t = NOON;
  for (let k = 0; k < n; k++) {
    t = nextActiveAt(t, s.activeHours, s.timezone);
    sends.push(t);
    while (sends[oldest2h]! <= t - 2 * H) oldest2h++;
    const g = nextGap({ settings: s, queueDepth: n - k - 1, recent: { count: sends.length - oldest2h, firstAt: sends[oldest2h]! }, now: t, streams: pacingStreams('pkg', profileId, `m-${k}`) });
    t += g.gapSeconds * 1000;
  }
  return sends;
}

describe('durationWords', () => {
  it('reads like a sentence', () => {
    expect(durationWords(45)).toBe('45 s');
    expect(durationWords(60)).toBe('1 minute');
    expect(durationWords(600)).toBe('10 minutes');
    expect(durationWords(7200)).toBe('2 h');
    expect(durationWords(7800)).toBe('2 h 10 min');
    expect(durationWords(86_400)).toBe('1 day');
    expect(durationWords(3 * 86_400 + 4 * 3600)).toBe('3 days 4 h');
  });
});
