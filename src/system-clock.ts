import type { Clock } from './domain/clock.ts';

/**
 * Real time, for the running app. It lives outside src/domain, which only ever sees the Clock
 * interface and is given time.
 */

/** setTimeout fires at once for delays above 2^31 − 1 ms (about 24.8 days), so longer waits are chained. */
const MAX_TIMEOUT = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    let handle: ReturnType<typeof setTimeout>;
    const arm = () => {
      const delay = at - Date.now();
      handle = delay > MAX_TIMEOUT ? setTimeout(arm, MAX_TIMEOUT) : setTimeout(fn, Math.max(0, delay));
    };
    arm();
    return () => clearTimeout(handle);
  },
};
