import { MINUTE_MS } from './clock.ts';
import { minutesOf, type ActiveHours } from './sender-settings.ts';

/**
 * Whether open chat may leave at an instant, in a profile's timezone, and when that next changes
 * (product.md §4: a daily window, default 20 active hours and 4 frozen). Pure: the instant is an
 * argument. Daylight-saving days are handled by reading the wall clock through Intl at the
 * instants concerned, so a window of 08:00–22:00 stays 08:00–22:00 on the clock.
 */

const DAY_MINUTES = 1440;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timezone, f);
  }
  return f;
}

/** Minutes since local midnight (with seconds as a fraction) at `at` in `timezone`. */
export function localMinutes(at: number, timezone: string): number {
  let h = 0;
  let m = 0;
  let s = 0;
  for (const p of formatter(timezone).formatToParts(at)) {
    if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') m = Number(p.value);
    else if (p.type === 'second') s = Number(p.value);
  }
  return h * 60 + m + s / 60 + (at % 1000) / MINUTE_MS;
}

function inWindow(minutes: number, h: ActiveHours): boolean {
  const start = minutesOf(h.start);
  const end = minutesOf(h.end);
  if (start === end) return true;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

export function isActive(at: number, h: ActiveHours, timezone: string): boolean {
  return inWindow(localMinutes(at, timezone), h);
}

/**
 * The first instant after `at` at which the wall clock reads `hhmm`. Steps by the wall-clock
 * difference, then corrects for an offset change in between; a time that a daylight-saving jump
 * skips opens at the jump (the first instant the clock reads later than `hhmm`).
 */
function nextWallClock(at: number, hhmm: string, timezone: string, minutesAt = localMinutes(at, timezone)): number {
  const target = minutesOf(hhmm);
  /** How many minutes the clock reading `minutes` is past `hhmm` (0 ≤ x < 1440). */
  const since = (minutes: number) => (minutes - target + DAY_MINUTES) % DAY_MINUTES;
  const past = (t: number) => since(localMinutes(t, timezone));
  const first = (DAY_MINUTES - since(minutesAt)) % DAY_MINUTES;
  let t = at + (first === 0 ? DAY_MINUTES : first) * MINUTE_MS;
  let before = at;
  for (let i = 0; i < 3; i++) {
    const p = past(t);
    if (p < 1 / 60_000) return t;
    if (p < DAY_MINUTES / 2) t -= p * MINUTE_MS;
    else {
      before = t;
      t += (DAY_MINUTES - p) * MINUTE_MS;
    }
  }
  // Skipped by a jump: the first minute after `before` at which the clock has passed `hhmm`.
  let lo = before;
  let hi = before + 3 * 60 * MINUTE_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (past(mid) < DAY_MINUTES / 2) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface ActiveState {
  active: boolean;
  /** When it next flips: the window's end while active, its next start while frozen; null if it never does. */
  changesAt: number | null;
}

// The wall clock at `at` is read once per call (Intl is the costly part) and handed on.
export function activeState(at: number, h: ActiveHours, timezone: string): ActiveState {
  if (h.start === h.end) return { active: true, changesAt: null };
  const minutes = localMinutes(at, timezone);
  const active = inWindow(minutes, h);
  return { active, changesAt: nextWallClock(at, active ? h.end : h.start, timezone, minutes) };
}

/** `at` itself when active, else the next start of the window. */
export function nextActiveAt(at: number, h: ActiveHours, timezone: string): number {
  const minutes = localMinutes(at, timezone);
  return inWindow(minutes, h) ? at : nextWallClock(at, h.start, timezone, minutes);
}
