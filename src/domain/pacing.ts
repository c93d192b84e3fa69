import { activeState } from './active-hours.ts';
import { DAY_MS, HOUR_MS } from './clock.ts';
import { seededRandom } from './seeded-random.ts';
import { activeSecondsPerDay, type Limits, type SenderValues } from './sender-settings.ts';
import type { RandomStream } from './template.ts';

/**
 * Pacing (architecture.md, "Pacing and the governor"; product.md §4): how long a profile waits
 * after an open-chat send before the next one. The aim is not delay but not getting blocked, so
 * every gap is random around a base derived from the limits, with a stream of its own per
 * package, profile and message, and is stretched or shrunk by the queue (rush hour) and by how
 * far the profile is ahead of or behind its schedule over the last 2 hours (pace).
 *
 * Pure: settings, queue depth, recent sends, the instant and the random streams are arguments.
 * Every intermediate value is returned, with sentences, for the dashboard and the API. The
 * governor still enforces the hard limits; pacing is built so that a profile following it does
 * not run into them (see the limit floor and the calm rule below).
 */

export type PacingSettings = Pick<SenderValues, 'limits' | 'activeHours' | 'timezone' | 'pacing'>;

/** The profile's open-chat sends in the last 2 hours (the one just made included). */
export interface RecentSends {
  count: number;
  /** The earliest of them (ms since the epoch); null when there are none. */
  firstAt: number | null;
}

/**
 * One stream per package, per profile and per message. `nextGap` reads the first number of each,
 * so build fresh streams for every gap (`pacingStreams`): the same ids always give the same gap.
 */
export interface PacingStreams {
  package: RandomStream;
  profile: RandomStream;
  message: RandomStream;
}

export function pacingStreams(packageId: string, profileId: string, messageId: string): PacingStreams {
  return {
    package: seededRandom(`pacing:package:${packageId}`),
    profile: seededRandom(`pacing:profile:${profileId}`),
    // With the profile in the seed, a message that fails over to another profile draws anew.
    message: seededRandom(`pacing:message:${profileId}:${messageId}`),
  };
}

/** The windows a limit counts over, in the order the base gap compares them. */
export const LIMIT_WINDOWS = ['hour', 'three_hours', 'day'] as const;
export type LimitWindow = (typeof LIMIT_WINDOWS)[number];

export interface HumanGap {
  mode: 'human';
  base: {
    seconds: number;
    /** The limit whose even spread gives the longest gap: the tightest one. */
    setBy: LimitWindow;
    /** The even-spread gap each limit alone would give. */
    perLimit: Record<LimitWindow, number>;
  };
  /** How much longer than the base this profile's and this package's gaps run (fractions of the base). */
  offsets: { profile: number; package: number };
  /** The window this message's gap is drawn from, before the factors: (base × (1 + offsets)) × (1 ∓ jitter). */
  min: number;
  max: number;
  draw: number;
  rush: {
    /** The factor in force: the rush factor, or the calm factor eased by the pace ratio (below). */
    factor: number;
    /** rushFactor in a rush hour, else calmFactor. */
    configured: number;
    inRush: boolean;
    queueDepth: number;
    /** The queue was counted only as far as needed: at least `queueDepth` messages wait. */
    atLeast: boolean;
    threshold: number;
  };
  pace: {
    factor: number;
    /** sent2h ÷ expected2h before clamping; null without history (factor 1). */
    ratio: number | null;
    sent2h: number;
    /** Sends the base gap would have made since the first send of the last 2 h (active time only). */
    expected2h: number;
    clamped: boolean;
  };
  /** rush × pace, after the limit floor. */
  factor: number;
  /**
   * The average gap is never shorter than the hourly and 3-hour limits sustain
   * (max(3600 / perHour, 10800 / per3Hours)): calm and catch-up may shorten gaps, never past the limits.
   */
  limitFloor: { seconds: number; applied: boolean };
  /** No gap is shorter than minGapSeconds. */
  minGap: { seconds: number; applied: boolean };
  gapSeconds: number;
  explanation: string[];
}

export interface UnpacedGap {
  mode: 'off';
  ratePerSecond: number;
  gapSeconds: number;
  explanation: string[];
}

export type PacingDecision = HumanGap | UnpacedGap;

export interface PacingInput {
  settings: PacingSettings;
  /** Open-chat messages waiting for this profile, not counting the one just sent. */
  queueDepth: number;
  /**
   * The caller counted the queue only as far as the rush rule needs (a profile with 10,000 queued
   * need not count them after every send): at least `queueDepth` wait.
   */
  queueDepthAtLeast?: boolean;
  recent: RecentSends;
  now: number;
  streams: PacingStreams;
}

const TWO_HOURS_MS = 2 * HOUR_MS;

/** The gap to wait after a send, before the profile's next open-chat send. */
export function nextGap(input: PacingInput): PacingDecision {
  const { settings } = input;
  if (settings.pacing.mode === 'off') return unpacedGap(settings.pacing.ratePerSecond);
  const draws = { package: input.streams.package(), profile: input.streams.profile(), message: input.streams.message() };
  const gap = humanGapNumbers(settings, baseGap(settings), { n: input.queueDepth, atLeast: input.queueDepthAtLeast ?? false }, input.recent, input.now, draws);
  return { ...gap, explanation: explainHumanGap(settings, gap) };
}

function unpacedGap(ratePerSecond: number): UnpacedGap {
  const gapSeconds = 1 / ratePerSecond;
  return {
    mode: 'off',
    ratePerSecond,
    gapSeconds,
    explanation: [
      `pacing is off: sends go out as fast as the token bucket allows, ${formatNumber(ratePerSecond)} a second (one every ${formatSeconds(gapSeconds)})`,
      'the hourly, 3-hour and daily limits still apply',
    ],
  };
}

function baseGap(settings: PacingSettings): HumanGap['base'] {
  const { limits } = settings;
  const perLimit: Record<LimitWindow, number> = {
    hour: 3600 / limits.perHour,
    three_hours: 10_800 / limits.per3Hours,
    day: activeSecondsPerDay(settings.activeHours) / limits.perDay,
  };
  let setBy: LimitWindow = 'hour';
  for (const w of LIMIT_WINDOWS) if (perLimit[w] > perLimit[setBy]) setBy = w;
  return { seconds: perLimit[setBy], setBy, perLimit };
}

/** Seconds of active hours between two instants. */
type ActiveSeconds = (from: number, to: number) => number;

function activeSecondsBetween(from: number, to: number, settings: PacingSettings): number {
  const timeline = new ActiveTimeline(settings, from);
  timeline.at(to);
  return timeline.activeSeconds(from, to);
}

/**
 * Active and frozen stretches from `start` on, discovered lazily as a replay moves forward: one
 * clock lookup per window boundary instead of several per message keeps long replays fast.
 */
class ActiveTimeline {
  readonly #stretches: Array<{ from: number; until: number; active: boolean }> = [];
  #current = 0;

  constructor(
    private readonly settings: PacingSettings,
    start: number,
  ) {
    this.#add(start);
  }

  #add(from: number): void {
    const s = activeState(from, this.settings.activeHours, this.settings.timezone);
    this.#stretches.push({ from, until: s.changesAt ?? Infinity, active: s.active });
  }

  /** The stretch that holds `t`; `t` never goes back before an earlier call's. */
  at(t: number): { until: number; active: boolean } {
    for (;;) {
      const s = this.#stretches[this.#current]!;
      if (t < s.until) return s;
      if (this.#current === this.#stretches.length - 1) this.#add(s.until);
      this.#current++;
    }
  }

  /** Seconds of active hours in [from, to], for `from` not before the start and `to` already reached by `at`. */
  activeSeconds(from: number, to: number): number {
    let total = 0;
    for (let i = this.#current; i >= 0; i--) {
      const s = this.#stretches[i]!;
      if (s.until <= from) break;
      if (s.active) total += Math.max(0, Math.min(s.until, to) - Math.max(s.from, from));
    }
    return total / 1000;
  }
}

/**
 * Pace is judged from the first send of the last 2 h onwards, not over the whole 2 h: a profile
 * that just started (or resumes after being idle, frozen or paused) has sent little only because
 * it was not sending, and must not burst to "catch up" on time it never had. With no send in the
 * window there is no evidence, so the factor is 1; right after its first send the profile has
 * sent exactly what was expected (1), so again 1. Time outside active hours does not count.
 */
function paceOf(settings: PacingSettings, base: number, recent: RecentSends, now: number, activeSeconds: ActiveSeconds): HumanGap['pace'] {
  const { paceMin, paceMax } = settings.pacing;
  if (recent.count <= 0 || recent.firstAt === null) {
    return { factor: 1, ratio: null, sent2h: 0, expected2h: 0, clamped: false };
  }
  const since = Math.max(recent.firstAt, now - TWO_HOURS_MS);
  const expected2h = 1 + activeSeconds(since, now) / base;
  const ratio = recent.count / expected2h;
  const factor = Math.min(paceMax, Math.max(paceMin, ratio));
  return { factor, ratio, sent2h: recent.count, expected2h, clamped: factor !== ratio };
}

/** Uniform draws in [0, 1) that decide one gap: the package's and profile's offsets, the message's place in its window. */
interface GapDraws {
  package: number;
  profile: number;
  message: number;
}

function humanGapNumbers(
  settings: PacingSettings,
  base: HumanGap['base'],
  queueDepth: { n: number; atLeast: boolean },
  recent: RecentSends,
  now: number,
  draws: GapDraws,
  activeSeconds: ActiveSeconds = (from, to) => activeSecondsBetween(from, to, settings),
): Omit<HumanGap, 'explanation'> {
  const p = settings.pacing;
  // Offsets only ever lengthen gaps (each 0 to jitter/4 of the base): they make profiles and
  // packages differ without letting any of them run faster than its limits.
  const offsets = { profile: (draws.profile * p.jitter) / 4, package: (draws.package * p.jitter) / 4 };
  const centre = base.seconds * (1 + offsets.profile + offsets.package);
  const min = centre * (1 - p.jitter);
  const max = centre * (1 + p.jitter);
  const draw = min + draws.message * (max - min);

  const pace = paceOf(settings, base.seconds, recent, now, activeSeconds);
  const inRush = queueDepth.n > p.rushThreshold;
  // The calm factor fades as the profile catches up with its schedule and is gone once it is
  // ahead: kept up on a profile already on schedule, shorter gaps would outrun the daily plan
  // and end on the daily limit. Fading (rather than switching off at 1) keeps the long-run rate
  // at the base instead of oscillating above it.
  const calmInForce = pace.ratio === null ? p.calmFactor : Math.max(p.calmFactor, Math.min(1, pace.ratio));
  const rushFactor = inRush ? p.rushFactor : calmInForce;
  const configured = inRush ? p.rushFactor : p.calmFactor;

  const limitFloorSeconds = Math.max(3600 / settings.limits.perHour, 10_800 / settings.limits.per3Hours);
  const wanted = rushFactor * pace.factor;
  const floorFactor = limitFloorSeconds / centre;
  const factor = Math.max(wanted, floorFactor);
  const raw = draw * factor;
  const gapSeconds = Math.max(raw, p.minGapSeconds);
  return {
    mode: 'human',
    base,
    offsets,
    min,
    max,
    draw,
    rush: { factor: rushFactor, configured, inRush, queueDepth: queueDepth.n, atLeast: queueDepth.atLeast, threshold: p.rushThreshold },
    pace,
    factor,
    limitFloor: { seconds: limitFloorSeconds, applied: floorFactor > wanted },
    minGap: { seconds: p.minGapSeconds, applied: p.minGapSeconds > raw },
    gapSeconds,
  };
}

const WINDOW_WORDS: Record<LimitWindow, (l: Limits, activeHours: number) => string> = {
  hour: (l) => `${formatNumber(l.perHour)} an hour`,
  three_hours: (l) => `${formatNumber(l.per3Hours)} per 3 hours`,
  day: (l, hours) => `${formatNumber(l.perDay)} a day over ${formatNumber(hours)} active hours`,
};

function explainHumanGap(settings: PacingSettings, g: Omit<HumanGap, 'explanation'>): string[] {
  const { limits, pacing: p } = settings;
  const hours = activeSecondsPerDay(settings.activeHours) / 3600;
  const others = LIMIT_WINDOWS.filter((w) => w !== g.base.setBy).map((w) => `${WINDOW_WORDS[w](limits, hours)} allows ${formatSeconds(g.base.perLimit[w])}`);
  const lines = [`base gap ${formatSeconds(g.base.seconds)}: ${WINDOW_WORDS[g.base.setBy](limits, hours)} is the tightest limit (${others.join(', ')})`];

  const centre = (g.min + g.max) / 2;
  lines.push(
    p.jitter === 0
      ? 'jitter is 0: every gap starts from the base itself'
      : `gaps drawn between ${formatSeconds(g.min)} and ${formatSeconds(g.max)} (±${percent(p.jitter)} around ${formatSeconds(centre)}: ` +
          `this profile +${percent(g.offsets.profile)}, its package +${percent(g.offsets.package)}); this message drew ${formatSeconds(g.draw)}`,
  );

  const r = g.rush;
  if (r.inRush) lines.push(`rush hour: ${r.atLeast ? `at least ${waiting(r.queueDepth)}` : waiting(r.queueDepth)} (more than ${r.threshold}), so gaps ×${formatNumber(r.factor)}`);
  else if (r.factor === r.configured) lines.push(`calm: ${waiting(r.queueDepth)} (${r.threshold} or fewer), so gaps ×${formatNumber(r.factor)}`);
  else if (r.factor === 1) lines.push(`calm: ${waiting(r.queueDepth)} (${r.threshold} or fewer), but gaps do not shrink (×${formatNumber(r.configured)}) while the profile is on or ahead of schedule`);
  else lines.push(`calm: ${waiting(r.queueDepth)} (${r.threshold} or fewer), gaps ×${formatNumber(r.factor)}: the calm ×${formatNumber(r.configured)} eases off as the profile catches up with its schedule`);

  const pc = g.pace;
  if (pc.ratio === null) lines.push('pace: no sends in the last 2 h, so no correction yet (×1): a profile that just started does not try to catch up');
  else {
    const where = pc.ratio < 1 ? 'behind schedule, gaps shorten' : pc.ratio > 1 ? 'ahead of schedule, gaps lengthen' : 'on schedule';
    const clamp = pc.clamped ? ` (${formatNumber(pc.ratio)} held at the ${pc.factor === p.paceMin ? 'minimum' : 'maximum'} ${formatNumber(pc.factor)})` : '';
    lines.push(`pace: ${formatNumber(pc.sent2h)} sent since the first send of the last 2 h where ${formatNumber(pc.expected2h)} were expected: ${where}, ×${formatNumber(pc.factor)}${clamp}`);
  }

  if (g.limitFloor.applied) {
    lines.push(`never faster on average than the limits allow: at least ${formatSeconds(g.limitFloor.seconds)} between sends, so ×${formatNumber(r.factor * pc.factor)} became ×${formatNumber(g.factor)}`);
  }
  if (g.minGap.applied) lines.push(`raised to the minimum gap of ${formatSeconds(g.minGap.seconds)}`);
  lines.push(`next gap ${formatSeconds(g.gapSeconds)}`);
  return lines;
}

const waiting = (n: number) => `${formatNumber(n)} message${n === 1 ? '' : 's'} waiting`;
const percent = (x: number) => `${Math.round(x * 100)} %`;
// Built once: toLocaleString with options builds a new formatter on every call, which costs
// far more than the pacing arithmetic itself.
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const threeDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const formatNumber = (x: number) => twoDecimals.format(x);

/** "600 s", "0.0125 s": whole seconds from 10 s up, a few significant digits below. */
function formatSeconds(s: number): string {
  return `${s >= 10 ? wholeNumber.format(s) : threeDigits.format(s)} s`;
}

/** "45 s", "10 minutes", "2 h 10 min", "3 days 4 h": how a duration reads in a sentence. */
export function durationWords(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}${hours % 24 === 0 ? '' : ` ${hours % 24} h`}`;
}

// ---- estimated completion ----

export interface CompletionEstimate {
  messages: number;
  /** When the first of them would leave (ms); null when there are none. */
  firstAt: number | null;
  /** When the last of them would leave (ms); null when there are none. */
  finishAt: number | null;
  /** Of the time from now to finishAt: seconds waited for active hours to begin, and for a limit to free a slot. */
  frozenSeconds: number;
  limitWaitSeconds: number;
  explanation: string[];
}

export interface CompletionInput {
  settings: PacingSettings;
  /** Open-chat messages queued for the profile. */
  queued: number;
  now: number;
  /** The profile's open-chat send times of the last 24 h (ms; any order, older ones are ignored). */
  recentSends: readonly number[];
}

/** The governor's sliding windows (1 h, 3 h, 24 h) in ms, in the order of `windowLimits`. */
const WINDOW_MS = [HOUR_MS, 3 * HOUR_MS, DAY_MS];
const windowLimits = (l: Limits) => [l.perHour, l.per3Hours, l.perDay];

/**
 * When `queued` messages of one profile would all have left: a deterministic expected value. It
 * replays the same gap rules as `nextGap` with every random draw at its mean (offsets half their
 * range, the draw in the middle of the window), the queue shrinking as it goes (rush, then calm) and the pace
 * following the replayed history; a send that would fall outside active hours waits for the next
 * window, one that would exceed the hourly, 3-hour or daily limit waits for a slot to free up.
 * The package's daily total and concurrency are not considered: with several profiles, the
 * package's estimate is the latest of its profiles'.
 */
export function estimateCompletion(input: CompletionInput): CompletionEstimate {
  const { settings, now } = input;
  const queued = Math.max(0, Math.floor(input.queued));
  if (queued === 0) return { messages: 0, firstAt: null, finishAt: null, frozenSeconds: 0, limitWaitSeconds: 0, explanation: ['nothing queued'] };

  const sends = input.recentSends.filter((t) => t > now - DAY_MS && t <= now).sort((a, b) => a - b);
  /** Per window, the index of the oldest send still inside it at the replay's current instant. */
  const oldest = WINDOW_MS.map(() => 0);
  let oldest2h = 0;
  const timeline = new ActiveTimeline(settings, now - TWO_HOURS_MS);
  let frozenMs = 0;
  let limitWaitMs = 0;
  const mean: GapDraws = { package: 0.5, profile: 0.5, message: 0.5 };
  const base = baseGap(settings);
  const activeSeconds: ActiveSeconds = (from, to) => timeline.activeSeconds(from, to);
  const limits = windowLimits(settings.limits);

  /** The first instant from `t` on that is inside active hours and has a free slot in every window. */
  const admissible = (start: number): number => {
    let t = start;
    for (;;) {
      const stretch = timeline.at(t);
      if (!stretch.active) {
        frozenMs += stretch.until - t;
        t = stretch.until;
        continue;
      }
      let freeAt = t;
      for (let i = 0; i < WINDOW_MS.length; i++) {
        const ms = WINDOW_MS[i]!;
        while (oldest[i]! < sends.length && sends[oldest[i]!]! <= t - ms) oldest[i]!++;
        const limit = limits[i]!;
        if (sends.length - oldest[i]! >= limit) freeAt = Math.max(freeAt, sends[sends.length - limit]! + ms);
      }
      if (freeAt === t) return t;
      limitWaitMs += freeAt - t;
      t = freeAt;
    }
  };

  let t = now;
  let firstAt = now;
  for (let k = 0; k < queued; k++) {
    t = admissible(t);
    if (k === 0) firstAt = t;
    sends.push(t);
    if (k === queued - 1) break;
    let gapSeconds: number;
    if (settings.pacing.mode === 'off') gapSeconds = 1 / settings.pacing.ratePerSecond;
    else {
      while (sends[oldest2h]! <= t - TWO_HOURS_MS) oldest2h++;
      const recent = { count: sends.length - oldest2h, firstAt: sends[oldest2h]! };
      gapSeconds = humanGapNumbers(settings, base, { n: queued - k - 1, atLeast: false }, recent, t, mean, activeSeconds).gapSeconds;
    }
    t += gapSeconds * 1000;
  }

  const explanation = [`${formatNumber(queued)} message${queued === 1 ? '' : 's'}: the last would leave in about ${durationWords((t - now) / 1000)}`];
  if (firstAt > now) explanation.push(`the first waits ${durationWords((firstAt - now) / 1000)} (active hours or limits)`);
  if (frozenMs > 0) explanation.push(`${durationWords(frozenMs / 1000)} of that is outside active hours`);
  if (limitWaitMs > 0) explanation.push(`${durationWords(limitWaitMs / 1000)} of that is waiting for the hourly, 3-hour or daily limit to free a slot`);
  explanation.push(
    settings.pacing.mode === 'off'
      ? `pacing is off: ${formatNumber(settings.pacing.ratePerSecond)} a second while the limits allow`
      : 'gaps as pacing draws them on average: rush hour while more than the threshold wait, calm below it, corrected for pace',
  );
  return { messages: queued, firstAt, finishAt: t, frozenSeconds: frozenMs / 1000, limitWaitSeconds: limitWaitMs / 1000, explanation };
}
