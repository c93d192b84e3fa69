import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SendWindow } from './send-window.ts';

describe('SendWindow', () => {
  it('allows max sends in the window and says how long to wait for the next', () => {
    const w = new SendWindow(3, 10_000);
    expect([w.take(0), w.take(1_000), w.take(2_000)]).toEqual([0, 0, 0]);
    expect(w.take(5_000)).toBe(5_000);
    expect(w.take(9_999)).toBe(1);
    expect(w.take(10_000)).toBe(0);
    expect(w.take(10_500)).toBe(500);
  });

  it('agrees with counting every send of the last window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 3_000 }), { maxLength: 200 }), (max, gaps) => {
        const w = new SendWindow(max, 5_000);
        const taken: number[] = [];
        let t = 0;
        for (const gap of gaps) {
          t += gap;
          const recent = taken.filter((x) => x > t - 5_000);
          const expected = recent.length < max ? 0 : recent[recent.length - max]! + 5_000 - t;
          expect(w.take(t)).toBe(expected);
          if (expected === 0) taken.push(t);
        }
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
