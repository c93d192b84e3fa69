import { DAY_MS, MINUTE_MS } from './clock.ts';
import { durationWords } from './pacing.ts';
import type { HealthState } from './sender-settings.ts';

/**
 * A profile's health (product.md §4, "Health and block prevention"): from its rolling counts, its
 * current failure streak and the transport's recent signals, a score 0–100, a state and one
 * sentence that says why. Pure and explainable: every rule is a named threshold below, and every
 * point taken off the score comes back as a factor with its words.
 *
 * What the caller does with each state:
 * - healthy: sends normally.
 * - warning (score below `warningBelow`): keeps sending with its limits halved (warmup.ts).
 * - risky (score below `riskyBelow`): auto-paused, its queue fails over, an alert is raised.
 * - paused (the failure-streak breaker tripped): the same as risky; sends are failing right now.
 * - banned (WhatsApp logged the number out): stops for good, fails over, alerts.
 */

/** The rules and their thresholds, named so the dashboard can show them. */
export const HEALTH_RULES = {
  warningBelow: 70,
  riskyBelow: 40,
  /** The breaker: this many failures in a row, within this span, pause the profile outright. */
  pauseStreak: { failures: 5, withinMinutes: 10 },
  /** A streak short of the breaker costs points from its `from`-th failure on. */
  streak: { from: 3, pointsEach: 15, maxPoints: 60 },
  /**
   * Transport warnings (WhatsApp Web's reach-out timelock 463, rate-limit errors, a quality
   * drop): one in the last hour makes a warning, two make the profile risky.
   */
  recentWarning: { withinMinutes: 60, points: 35 },
  /** Older warnings of the last 24 h still weigh a little: the number was in trouble today. */
  olderWarning: { withinHours: 24, points: 10, maxPoints: 30 },
  /** A critical signal (account locked, blocked for policy, quality RED) alone makes the profile risky. */
  critical: { withinHours: 24, points: 65 },
  /** Failed ÷ attempted over the last 3 h, once there are enough attempts to judge. */
  failureRate: { minAttempts: 10, warnAt: 0.2, warnPoints: 20, badAt: 0.5, badPoints: 45 },
  /** Delivered ÷ sent over 24 h: undelivered messages point to a bad list or a muted number. */
  deliveryRate: { minSent: 20, warnBelow: 0.75, warnPoints: 10, badBelow: 0.5, badPoints: 25 },
  /** Replied ÷ delivered over 24 h: unanswered bulk sending is what gets numbers reported. */
  replyRate: { minDelivered: 30, warnBelow: 0.1, warnPoints: 10, badBelow: 0.03, badPoints: 20 },
  /** A connection that keeps dropping. */
  disconnects: { withinMinutes: 60, from: 3, points: 10 },
} as const;

/** Words for the transports' signal names; others are shown with underscores as spaces. */
export const HEALTH_SIGNAL_LABELS: Readonly<Record<string, string>> = {
  reach_out_timelock: 'reach-out timelock',
  rate_limited: 'rate-limit error',
  quality_downgrade: 'quality rating drop',
  quality_red: 'RED quality rating',
  account_locked: 'account lock',
  policy_block: 'policy block',
  spam_rate_limit: 'spam rate limit',
};

/**
 * The messages of one profile over one window. Each count is how many reached that stage (a
 * read message counts as delivered too); `failed` counts failures of the number or transport.
 * The profile-stats repo's rolling counts fit as they are.
 */
export interface OutcomeCounts {
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}

/** The profile's failures in a row up to now: how many, and when the first and last happened (ms). */
export interface FailureStreak {
  count: number;
  firstAt: number | null;
  lastAt: number | null;
}

/**
 * The transport events health reads. Declared here (domain imports only domain) and used by
 * src/transports/transport.ts as its 'health' and 'connection' events, so the two cannot drift.
 */
export type HealthSignalEvent = { type: 'health'; signal: string; severity: 'info' | 'warning' | 'critical'; detail: string; at: number };
export type ConnectionEvent = { type: 'connection'; state: 'connected' | 'disconnected' | 'logged_out'; reason: string; at: number };
export type HealthEvent = HealthSignalEvent | ConnectionEvent;

export interface HealthInput {
  now: number;
  counts: { hour: OutcomeCounts; threeHours: OutcomeCounts; day: OutcomeCounts };
  streak: FailureStreak;
  /** The profile's health and connection events of the last 24 h, plus its latest connection event whatever its age. */
  events: readonly HealthEvent[];
}

export type HealthRule = 'logged_out' | 'pause_streak' | 'streak' | 'recent_warning' | 'older_warning' | 'critical' | 'failure_rate' | 'delivery_rate' | 'reply_rate' | 'disconnects';

export interface HealthFactor {
  rule: HealthRule;
  /** Points taken off the score. */
  points: number;
  text: string;
}

/** Shares of one window; null where there is nothing to divide by. */
export interface OutcomeRates {
  delivered: number | null;
  read: number | null;
  replied: number | null;
  failed: number | null;
}

export interface HealthAssessment {
  score: number;
  state: HealthState;
  /** "risky: 2 reach-out timelocks in the last hour; reply rate 3 %". */
  sentence: string;
  /** Most points first; the rule that decided a paused or banned state comes first whatever its points. */
  factors: HealthFactor[];
  rates: { hour: OutcomeRates; threeHours: OutcomeRates; day: OutcomeRates };
}

/** The sentence names the weightiest factors only; `factors` has them all. */
const SENTENCE_FACTORS = 3;

export function assessHealth(input: HealthInput): HealthAssessment {
  const { now, counts, streak } = input;
  const R = HEALTH_RULES;
  const factors: HealthFactor[] = [];
  const events = input.events.filter((e) => e.at <= now);

  const lastConnection = events.filter((e) => e.type === 'connection').reduce<HealthEvent | null>((a, e) => (a && a.at > e.at ? a : e), null);
  const loggedOut = lastConnection?.type === 'connection' && lastConnection.state === 'logged_out';
  if (loggedOut) factors.push({ rule: 'logged_out', points: 100, text: `WhatsApp logged the number out (${lastConnection.reason})` });

  const span = streak.count > 0 && streak.firstAt !== null && streak.lastAt !== null ? streak.lastAt - streak.firstAt : null;
  const breaker = span !== null && streak.count >= R.pauseStreak.failures && span <= R.pauseStreak.withinMinutes * MINUTE_MS;
  if (streak.count >= R.streak.from) {
    const points = Math.min(R.streak.maxPoints, (streak.count - R.streak.from + 1) * R.streak.pointsEach);
    const over = span === null ? '' : ` in ${durationWords(span / 1000)}`;
    factors.push({ rule: breaker ? 'pause_streak' : 'streak', points, text: `${streak.count} consecutive failures${over}` });
  }

  const signals = events.filter((e): e is Extract<HealthEvent, { type: 'health' }> => e.type === 'health' && now - e.at <= DAY_MS);
  for (const [signal, list] of groupBy(signals.filter((s) => s.severity === 'critical'), (s) => s.signal)) {
    const latest = list.reduce((a, s) => (s.at > a.at ? s : a));
    factors.push({ rule: 'critical', points: list.length * R.critical.points, text: `${howMany(list.length, signal)} in the last 24 h (${latest.detail})` });
  }
  const warnings = signals.filter((s) => s.severity === 'warning');
  const recent = warnings.filter((s) => now - s.at <= R.recentWarning.withinMinutes * MINUTE_MS);
  for (const [signal, list] of groupBy(recent, (s) => s.signal)) {
    factors.push({ rule: 'recent_warning', points: list.length * R.recentWarning.points, text: `${howMany(list.length, signal)} in the last hour` });
  }
  const older = warnings.length - recent.length;
  if (older > 0) {
    const points = Math.min(R.olderWarning.maxPoints, older * R.olderWarning.points);
    factors.push({ rule: 'older_warning', points, text: `${older} earlier transport warning${older === 1 ? '' : 's'} today` });
  }

  const drops = events.filter((e) => e.type === 'connection' && e.state === 'disconnected' && now - e.at <= R.disconnects.withinMinutes * MINUTE_MS).length;
  if (drops >= R.disconnects.from) factors.push({ rule: 'disconnects', points: R.disconnects.points, text: `the connection dropped ${drops} times in the last hour` });

  const rates = { hour: ratesOf(counts.hour), threeHours: ratesOf(counts.threeHours), day: ratesOf(counts.day) };
  const attempts3h = counts.threeHours.sent + counts.threeHours.failed;
  const failed = rates.threeHours.failed;
  if (failed !== null && attempts3h >= R.failureRate.minAttempts) {
    const points = failed >= R.failureRate.badAt ? R.failureRate.badPoints : failed >= R.failureRate.warnAt ? R.failureRate.warnPoints : 0;
    if (points > 0) factors.push({ rule: 'failure_rate', points, text: `${pct(failed)} of sends failed in the last 3 h` });
  }
  const delivered = rates.day.delivered;
  if (delivered !== null && counts.day.sent >= R.deliveryRate.minSent) {
    const points = delivered < R.deliveryRate.badBelow ? R.deliveryRate.badPoints : delivered < R.deliveryRate.warnBelow ? R.deliveryRate.warnPoints : 0;
    if (points > 0) factors.push({ rule: 'delivery_rate', points, text: `only ${pct(delivered)} delivered in the last 24 h` });
  }
  const replied = rates.day.replied;
  if (replied !== null && counts.day.delivered >= R.replyRate.minDelivered) {
    const points = replied < R.replyRate.badBelow ? R.replyRate.badPoints : replied < R.replyRate.warnBelow ? R.replyRate.warnPoints : 0;
    if (points > 0) factors.push({ rule: 'reply_rate', points, text: `reply rate ${pct(replied)}` });
  }

  const score = Math.max(0, Math.min(100, 100 - factors.reduce((sum, f) => sum + f.points, 0)));
  const state: HealthState = loggedOut ? 'banned' : breaker ? 'paused' : score < R.riskyBelow ? 'risky' : score < R.warningBelow ? 'warning' : 'healthy';
  const decisive: HealthRule | null = loggedOut ? 'logged_out' : breaker ? 'pause_streak' : null;
  factors.sort((a, b) => Number(b.rule === decisive) - Number(a.rule === decisive) || b.points - a.points);
  const reasons = factors.slice(0, SENTENCE_FACTORS).map((f) => f.text);
  const sentence = `${state}: ${reasons.length === 0 ? 'no warning signs' : reasons.join('; ')}`;
  return { score, state, sentence, factors, rates };
}

function ratesOf(c: OutcomeCounts): OutcomeRates {
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  return {
    delivered: share(c.delivered, c.sent),
    read: share(c.read, c.delivered),
    replied: share(c.replied, c.delivered),
    failed: share(c.failed, c.sent + c.failed),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const label = (signal: string) => HEALTH_SIGNAL_LABELS[signal] ?? signal.replaceAll('_', ' ');
/** "a reach-out timelock", "an account lock", "2 rate-limit errors". */
function howMany(n: number, signal: string): string {
  const words = label(signal);
  return n === 1 ? `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}` : `${n} ${words}s`;
}
const pct = (x: number) => `${Math.round(x * 100)} %`;
