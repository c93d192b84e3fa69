import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VirtualClock } from './clock.ts';

describe('VirtualClock', () => {
  it('runs timers in time order, ties in the order they were set, each at its own time', () => {
    const clock = new VirtualClock(1000);
    const log: string[] = [];
    const at = (label: string) => () => log.push(`${label}@${clock.now()}`);
    clock.setTimer(3000, at('c'));
    clock.setTimer(2000, at('a'));
    clock.setTimer(2000, at('b'));
    clock.setTimer(5000, at('late'));
    expect(clock.advanceTo(4000)).toBe(3);
    expect(log).toEqual(['a@2000', 'b@2000', 'c@3000']);
    expect(clock.now()).toBe(4000);
    expect(clock.pending).toBe(1);
  });

  it('runs timers set during an advance when they fall before the target, and not the others', () => {
    const clock = new VirtualClock(0);
    const log: number[] = [];
    clock.setTimer(10, () => {
      log.push(clock.now());
      clock.setTimer(15, () => log.push(clock.now()));
      clock.setTimer(10, () => log.push(clock.now()));
      clock.setTimer(50, () => log.push(clock.now()));
    });
    clock.setTimer(20, () => log.push(clock.now()));
    clock.advanceBy(30);
    expect(log).toEqual([10, 10, 15, 20]);
    clock.advanceBy(30);
    expect(log).toEqual([10, 10, 15, 20, 50]);
  });

  it('runs a timer set in the past at the next advance, without moving time back', () => {
    const clock = new VirtualClock(100);
    let seen = -1;
    clock.setTimer(50, () => (seen = clock.now()));
    expect(seen).toBe(-1);
    clock.advanceBy(0);
    expect(seen).toBe(100);
  });

  it('never runs a cancelled timer, and cancelling twice or after the run is harmless', () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    const cancelA = clock.setTimer(10, () => ran.push('a'));
    const cancelB = clock.setTimer(20, () => ran.push('b'));
    cancelA();
    cancelA();
    expect(clock.pending).toBe(1);
    clock.advanceTo(30);
    cancelB();
    expect(ran).toEqual(['b']);
    expect(clock.pending).toBe(0);
  });

  it('keeps order and counts right when most timers are cancelled (heap compaction)', () => {
    const clock = new VirtualClock();
    const ran: number[] = [];
    const cancels = Array.from({ length: 1000 }, (_, i) => clock.setTimer(1000 - i, () => ran.push(1000 - i)));
    cancels.forEach((cancel, i) => i % 10 !== 0 && cancel());
    expect(clock.pending).toBe(100);
    expect(clock.nextAt()).toBe(10);
    clock.runUntilIdle();
    expect(ran).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 10));
  });

  it('runUntilIdle moves to each timer and stops a timer that keeps re-arming itself', () => {
    const clock = new VirtualClock();
    clock.setTimer(7, () => {});
    expect(clock.runUntilIdle()).toBe(1);
    expect(clock.now()).toBe(7);
    expect(clock.nextAt()).toBeNull();
    const rearm = () => clock.setTimer(clock.now() + 1, rearm);
    rearm();
    expect(() => clock.runUntilIdle(100)).toThrow(/still pending/);
  });

  it('refuses to go back in time or to be advanced from inside one of its timers', () => {
    const clock = new VirtualClock(10);
    expect(() => clock.advanceTo(5)).toThrow(RangeError);
    clock.setTimer(20, () => clock.advanceBy(1));
    expect(() => clock.advanceTo(30)).toThrow(/advance the clock/);
  });

  it('runs any schedule in (time, insertion) order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 200 }), (specs) => {
        const clock = new VirtualClock();
        const ran: number[] = [];
        const cancels = specs.map(([at], i) => clock.setTimer(at, () => ran.push(i)));
        specs.forEach(([, cancelled], i) => cancelled && cancels[i]!());
        clock.runUntilIdle();
        const expected = specs
          .map(([at, cancelled], i) => ({ at, cancelled, i }))
          .filter((s) => !s.cancelled)
          .sort((a, b) => a.at - b.at || a.i - b.i)
          .map((s) => s.i);
        expect(ran).toEqual(expected);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });
});
