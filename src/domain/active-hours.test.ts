import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activeState, isActive, localMinutes, nextActiveAt } from './active-hours.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe('active hours', () => {
  const night = { start: '05:00', end: '01:00' };

  it('reads the wall clock of the profile\'s timezone', () => {
    expect(localMinutes(at('2026-11-22T03:30:00Z'), 'Asia/Jakarta')).toBe(10 * 60 + 30);
    expect(localMinutes(at('2026-11-22T03:30:30.500Z'), 'UTC')).toBeCloseTo(3 * 60 + 30 + 30.5 / 60, 9);
  });

  it('a window that wraps midnight is active late in the evening and frozen in the small hours', () => {
    expect(isActive(at('2026-11-22T17:30:00Z'), night, 'Asia/Jakarta')).toBe(true); // 00:30
    expect(isActive(at('2026-11-22T18:00:00Z'), night, 'Asia/Jakarta')).toBe(false); // 01:00, end is exclusive
    expect(isActive(at('2026-11-22T21:59:59Z'), night, 'Asia/Jakarta')).toBe(false); // 04:59:59
    expect(isActive(at('2026-11-22T22:00:00Z'), night, 'Asia/Jakarta')).toBe(true); // 05:00
  });

  it('says when the state flips next', () => {
    expect(activeState(at('2026-11-22T10:00:00Z'), night, 'Asia/Jakarta')).toEqual({ active: true, changesAt: at('2026-11-22T18:00:00Z') });
    expect(iso(nextActiveAt(at('2026-11-22T18:30:00Z'), night, 'Asia/Jakarta'))).toBe('2026-11-22T22:00:00.000Z');
    expect(nextActiveAt(at('2026-11-22T10:00:00Z'), night, 'Asia/Jakarta')).toBe(at('2026-11-22T10:00:00Z'));
    expect(activeState(0, { start: '00:00', end: '00:00' }, 'UTC')).toEqual({ active: true, changesAt: null });
  });

  it('keeps to the wall clock across daylight-saving changes', () => {
    // New York springs forward at 02:00 on 2026-03-08: a window opening at 02:30 opens at the jump (03:00 EDT).
    expect(iso(nextActiveAt(at('2026-03-08T06:00:00Z'), { start: '02:30', end: '23:00' }, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    // …and falls back at 02:00 on 2026-11-01: 01:30 comes first in EDT (05:30 UTC).
    expect(iso(activeState(at('2026-11-01T04:00:00Z'), { start: '05:00', end: '01:30' }, 'America/New_York').changesAt)).toBe('2026-11-01T05:30:00.000Z');
    // 08:00 local is 13:00 UTC in winter and 12:00 UTC in summer.
    expect(iso(nextActiveAt(at('2026-03-07T02:00:00Z'), { start: '08:00', end: '20:00' }, 'America/New_York'))).toBe('2026-03-07T13:00:00.000Z');
    expect(iso(nextActiveAt(at('2026-03-09T02:00:00Z'), { start: '08:00', end: '20:00' }, 'America/New_York'))).toBe('2026-03-09T12:00:00.000Z');
  });

  it('the next change is always later, and the state on either side of it differs', () => {
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }),
        hhmm,
        hhmm,
        fc.constantFrom('UTC', 'Asia/Jakarta', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'),
        (t, start, end, tz) => {
          fc.pre(start !== end);
          const s = activeState(t, { start, end }, tz);
          expect(s.changesAt!).toBeGreaterThan(t);
          expect(isActive(s.changesAt!, { start, end }, tz)).toBe(!s.active);
          expect(isActive(s.changesAt! - 1, { start, end }, tz)).toBe(s.active);
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
