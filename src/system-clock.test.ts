import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './system-clock.ts';

describe('systemClock', () => {
  afterEach(() => vi.useRealTimers());

  it('fires a timer once its time has come, and not when cancelled', async () => {
    const fired: string[] = [];
    systemClock.setTimer(systemClock.now() + 5, () => fired.push('kept'));
    const cancel = systemClock.setTimer(systemClock.now() + 5, () => fired.push('cancelled'));
    cancel();
    await new Promise((resolve) => systemClock.setTimer(systemClock.now() + 30, () => resolve(null)));
    expect(fired).toEqual(['kept']);
  });

  it('waits past the 24.8-day limit of setTimeout instead of firing at once', () => {
    vi.useFakeTimers({ now: 0 });
    let fired = false;
    systemClock.setTimer(30 * 86_400_000, () => (fired = true));
    vi.advanceTimersByTime(29 * 86_400_000);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(86_400_000);
    expect(fired).toBe(true);
  });
});
