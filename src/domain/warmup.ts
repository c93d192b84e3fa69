import type { HealthState, Limits, WarmupPlan } from './sender-settings.ts';

/**
 * Warm-up and warnings (product.md §4): a new number's daily limit starts low and grows with each
 * healthy day; a profile in the warning state sends under halved limits. Pure: the caller counts
 * the days and passes the health state; what comes back are the limits the governor should use
 * and the reasons in words.
 */

/** Limits are multiplied by this while the profile's health is 'warning'. */
export const WARNING_LIMIT_FACTOR = 0.5;

export interface WarmupProgress {
  /** Whole days since the warm-up started: 0 on its first day. */
  daysSinceStart: number;
  /** How many of those past days the profile was healthy (only they grow the cap). */
  healthyDays: number;
}

export interface WarmupCap {
  /** The daily cap today: startPerDay + growthPerDay × healthy days, never above the configured perDay. */
  perDay: number;
  /** Whether the cap is below the configured perDay (warm-up on and not yet over). */
  limiting: boolean;
  /** 1 on the first day. */
  day: number;
  healthyDays: number;
  reason: string;
}

export function warmupCap(plan: WarmupPlan, progress: WarmupProgress, configuredPerDay: number): WarmupCap {
  const days = Math.max(0, Math.floor(progress.daysSinceStart));
  const healthy = Math.max(0, Math.min(days, Math.floor(progress.healthyDays)));
  const day = days + 1;
  if (!plan.enabled) return { perDay: configuredPerDay, limiting: false, day, healthyDays: healthy, reason: 'warm-up is off' };
  const grown = plan.startPerDay + plan.growthPerDay * healthy;
  const perDay = Math.min(configuredPerDay, grown);
  const sum = `${plan.startPerDay} + ${healthy} healthy day${healthy === 1 ? '' : 's'} × ${plan.growthPerDay}`;
  const unhealthy = days - healthy;
  const missed = unhealthy > 0 ? `; ${unhealthy} day${unhealthy === 1 ? ' was' : 's were'} not healthy and did not count` : '';
  const reason =
    grown >= configuredPerDay
      ? `warm-up complete: ${sum} reaches the daily limit of ${configuredPerDay}`
      : `daily limit ${perDay} instead of ${configuredPerDay}: warm-up day ${day} of a new number (${sum}${missed})`;
  return { perDay, limiting: grown < configuredPerDay, day, healthyDays: healthy, reason };
}

export interface LimitAdjustment {
  limits: Limits;
  /** False for risky, paused and banned profiles: no open chat leaves them at all. */
  sending: boolean;
  /** In words, in the order applied; empty when the configured limits stand. */
  reasons: string[];
  /** The warm-up's part, when a warm-up plan was given. */
  warmup: WarmupCap | null;
}

export interface LimitAdjustmentInput {
  /** The effective limits (profile → package → workspace → built-in). */
  limits: Limits;
  /** The warm-up plan and how far the profile is into it; null when it has none. */
  warmup: { plan: WarmupPlan; progress: WarmupProgress } | null;
  /** The profile's health state and, when known, its sentence ("warning: a reach-out timelock in the last hour"). */
  health: { state: HealthState; sentence?: string | null | undefined };
}

const STOPPED: Partial<Record<HealthState, string>> = {
  risky: 'the profile is risky and auto-paused',
  paused: 'the profile is paused after failing sends',
  banned: 'the number is banned',
};

/**
 * The limits the governor should enforce: the warm-up's daily cap first, then halved while the
 * health is 'warning' (never below 1). Afterwards per hour ≤ per 3 hours ≤ per day again, so a
 * consistent input stays consistent (limitProblems finds nothing new).
 */
export function adjustLimits(input: LimitAdjustmentInput): LimitAdjustment {
  const reasons: string[] = [];
  let limits = { ...input.limits };
  const warmup = input.warmup ? warmupCap(input.warmup.plan, input.warmup.progress, limits.perDay) : null;
  if (warmup?.limiting) {
    limits.perDay = warmup.perDay;
    reasons.push(warmup.reason);
    const fitted = consistent(limits);
    const trimmed = [
      fitted.per3Hours < limits.per3Hours ? `per 3 hours ${fitted.per3Hours} instead of ${limits.per3Hours}` : null,
      fitted.perHour < limits.perHour ? `per hour ${fitted.perHour} instead of ${limits.perHour}` : null,
    ].filter((t) => t !== null);
    if (trimmed.length > 0) reasons.push(`${trimmed.join(', ')}: no shorter window may allow more than the day`);
    limits = fitted;
  }

  const { state, sentence } = input.health;
  const why = sentence ? ` (${sentence})` : '';
  if (state === 'warning') {
    const shrink = (n: number) => Math.max(1, Math.floor(n * WARNING_LIMIT_FACTOR));
    const perHour = shrink(limits.perHour);
    // Rounding down can leave per 3 hours above 3 × per hour, which could never be reached.
    limits = consistent({ perHour, per3Hours: Math.min(shrink(limits.per3Hours), 3 * perHour), perDay: shrink(limits.perDay) });
    reasons.push(`limits halved to ${limits.perHour} an hour, ${limits.per3Hours} per 3 hours and ${limits.perDay} a day while the profile is in the warning state${why}`);
  }
  const stopped = STOPPED[state];
  if (stopped) reasons.push(`no open chat: ${stopped}${why}`);
  return { limits, sending: !stopped, reasons, warmup };
}

/** Per hour ≤ per 3 hours ≤ per day, by lowering the shorter windows. */
function consistent(l: Limits): Limits {
  const per3Hours = Math.min(l.per3Hours, l.perDay);
  return { perHour: Math.min(l.perHour, per3Hours), per3Hours, perDay: l.perDay };
}
