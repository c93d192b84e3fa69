import { isActive, nextActiveAt } from '../domain/active-hours.ts';
import { DAY_MS, HOUR_MS } from '../domain/clock.ts';
import { BatchingGovernor, type BatchDecision, type BatchGrant, type Governor, type GovernorRule, type Refusal, type RefusalReason, type Usage } from './governor.ts';

/**
 * The in-memory governor (embedded mode, the simulator's virtual clock), and the pieces the Redis
 * governor shares with it: which limits a rule sets, how a full limit becomes a refusal in words.
 * Both implementations store the same entries (a send's instant per profile and per package, a
 * seat's lease end per package) and count them the same way, so they decide alike.
 */

export const DEFAULT_SEAT_MS = 60_000;
/** Seats are normally freed by `release` within seconds, long before their lease ends: ask again this soon. */
const SEAT_RETRY_MS = 1_000;
/** Entries are kept this long after they stop counting, so a caller whose clock runs behind another's still sees them. */
export const LATE_CALLER_MS = HOUR_MS;

export type LimitReason = Exclude<RefusalReason, 'outside_active_hours'>;

/** One limit as stored entries: those scored above `after` in the profile's, package's or seats' set count, at most `cap`. */
export interface LimitCheck {
  reason: LimitReason;
  on: 'profile' | 'package' | 'seats';
  after: number;
  cap: number;
}

/** A limit at the moment of asking; `freeAt`: the first instant its count is below its cap (`now` when it already is). */
export interface Measure {
  reason: LimitReason;
  count: number;
  cap: number;
  freeAt: number;
}

/** How long a send counts after its instant; a seat's entry is scored with its lease end and stops counting there. */
const COUNTS_FOR: Record<LimitReason, number> = { hour: HOUR_MS, three_hours: 3 * HOUR_MS, day: DAY_MS, package_day: DAY_MS, concurrency: 0 };

// Limits shrunk by warnings may be fractional; a cap is a whole number of sends, and none below zero.
const whole = (n: number) => Math.max(0, Math.floor(n));

/** The limits of a rule, in the order both implementations evaluate and report them. */
export function checksFor(rule: GovernorRule, now: number): LimitCheck[] {
  const checks: LimitCheck[] = [
    { reason: 'hour', on: 'profile', after: now - HOUR_MS, cap: whole(rule.limits.perHour) },
    { reason: 'three_hours', on: 'profile', after: now - 3 * HOUR_MS, cap: whole(rule.limits.per3Hours) },
    { reason: 'day', on: 'profile', after: now - DAY_MS, cap: whole(rule.limits.perDay) },
  ];
  if (rule.packageDailyTotal !== null) checks.push({ reason: 'package_day', on: 'package', after: now - DAY_MS, cap: whole(rule.packageDailyTotal) });
  checks.push({ reason: 'concurrency', on: 'seats', after: now, cap: whole(rule.maxConcurrentSends) });
  return checks;
}

/**
 * How many of `wanted` sends the limits let go now, given how many entries count against each
 * check: every window needs room for all of them; the semaphore, one seat for the whole batch.
 */
export function grantable(checks: LimitCheck[], counts: number[], wanted: number): number {
  let n = wanted;
  checks.forEach((c, i) => {
    const count = counts[i]!;
    n = c.on === 'seats' ? (count < c.cap ? n : 0) : Math.min(n, c.cap - count);
  });
  return Math.max(0, n);
}

/** The window entry of a batch's j-th send (from 1): the first is the grant's token itself, so a batch of one is an ordinary grant. */
export const batchMember = (token: string, j: number) => (j === 1 ? token : `${token}:${j}`);

/**
 * `count` entries count against `check`; `leaving` is the score of the one whose departure brings
 * the count below the cap (the (count − cap)-th oldest: more than one must leave when limits were
 * lowered below what was already sent). No such entry (a cap of 0): a window is asked again when
 * it has slid once, a full semaphore after the short retry.
 */
export function measure(check: LimitCheck, now: number, count: number, leaving: number | undefined): Measure {
  const { reason, cap } = check;
  let freeAt = now;
  if (count >= cap) freeAt = reason === 'concurrency' ? Math.min(leaving ?? Infinity, now + SEAT_RETRY_MS) : (leaving ?? now) + COUNTS_FOR[reason];
  return { reason, count, cap, freeAt };
}

const clockFormats = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
/** "14:32:05 UTC", with the local date when it is not today's: "2024-03-10 05:00:00 Asia/Jakarta". */
function clock(at: number, now: number, timezone: string): string {
  let f = clockFormats.get(timezone);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }),
      time: new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    };
    clockFormats.set(timezone, f);
  }
  const day = f.day.format(at);
  return `${day === f.day.format(now) ? '' : `${day} `}${f.time.format(at)} ${timezone}`;
}

/** Checked before any limit (and in Node, before any Redis call): outside the window nothing else matters. */
export function outsideActiveHours(rule: GovernorRule, now: number): Refusal | null {
  const { activeHours: h, timezone } = rule;
  // isActive first: working out when the window next changes costs several times more, and is only needed to refuse.
  if (isActive(now, h, timezone)) return null;
  const notBefore = nextActiveAt(now, h, timezone);
  return {
    reason: 'outside_active_hours',
    notBefore,
    message: `outside active hours (${h.start}–${h.end} ${timezone}); they start at ${clock(notBefore, now, timezone)}`,
  };
}

const LIMIT_NAMES: Record<LimitReason, string> = {
  hour: 'hourly limit',
  three_hours: '3-hour limit',
  day: 'daily limit',
  package_day: 'package daily total',
  concurrency: 'max concurrent sends of the package',
};

/**
 * Null when every limit has room. Otherwise the window that frees last decides (asking when an
 * earlier one frees would fail on it); a full semaphore only matters when no window is full. The
 * moment is moved to the next start of the active hours when it falls outside them.
 */
export function refusalFor(rule: GovernorRule, now: number, measures: Measure[]): Refusal | null {
  const full = measures.filter((m) => m.count >= m.cap);
  const windows = full.filter((m) => m.reason !== 'concurrency');
  const binding = windows.length > 0 ? windows.reduce((a, b) => (b.freeAt > a.freeAt ? b : a)) : full[0];
  if (!binding) return null;
  const notBefore = nextActiveAt(binding.freeAt, rule.activeHours, rule.timezone);
  const counts = binding.reason === 'concurrency' ? `${binding.count}/${binding.cap} sending now` : `${binding.count}/${binding.cap}`;
  const next = binding.reason === 'concurrency' ? 'retry at' : 'next slot at';
  const delayed = notBefore > binding.freeAt ? ', when active hours start' : '';
  return { reason: binding.reason, notBefore, message: `${LIMIT_NAMES[binding.reason]} reached (${counts}); ${next} ${clock(notBefore, now, rule.timezone)}${delayed}` };
}

/**
 * Entries of one set ordered by score. Trimming moves `head` instead of shifting the array, and a
 * new entry is normally the latest, so adding, trimming and counting stay O(log n) per call.
 */
class Timeline {
  private scores: number[] = [];
  private tokens: string[] = [];
  private head = 0;

  /** Index of the first entry scored above `t`. */
  private firstAbove(t: number): number {
    let lo = this.head;
    let hi = this.scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.scores[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  add(score: number, token: string): void {
    const last = this.scores.length;
    const i = last > this.head && this.scores[last - 1]! > score ? this.firstAbove(score) : last;
    this.scores.splice(i, 0, score);
    this.tokens.splice(i, 0, token);
  }

  /** Searches from the newest: a send given back is nearly always a recent one. False: no such entry. */
  remove(token: string): boolean {
    for (let i = this.tokens.length - 1; i >= this.head; i--) {
      if (this.tokens[i] === token) {
        this.scores.splice(i, 1);
        this.tokens.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  measure(check: LimitCheck, now: number): Measure {
    const from = this.firstAbove(check.after);
    const count = this.scores.length - from;
    return measure(check, now, count, count >= check.cap ? this.scores[from + count - check.cap] : undefined);
  }

  countAbove(t: number): number {
    return this.scores.length - this.firstAbove(t);
  }

  scoresAbove(t: number, upTo: number): number[] {
    return this.scores.slice(this.firstAbove(t)).filter((s) => s <= upTo);
  }

  /** Drops entries scored at or below `t`. */
  trim(t: number): void {
    this.head = this.firstAbove(t);
    if (this.head > 1024 && this.head * 2 > this.scores.length) {
      this.scores = this.scores.slice(this.head);
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }
}

function timeline(map: Map<string, Timeline>, id: string): Timeline {
  let t = map.get(id);
  if (!t) {
    t = new Timeline();
    map.set(id, t);
  }
  return t;
}

export class MemoryGovernor extends BatchingGovernor implements Governor {
  /** Sends per profile and per package, scored by instant; seats per package, scored by lease end. */
  private readonly profiles = new Map<string, Timeline>();
  private readonly packages = new Map<string, Timeline>();
  private readonly seats = new Map<string, Timeline>();
  private issued = 0;
  private restoreClaimed = false;

  async claimRestore(): Promise<boolean> {
    const first = !this.restoreClaimed;
    this.restoreClaimed = true;
    return first;
  }

  async acquireBatch(rule: GovernorRule, now: number, count: number, seatMs = DEFAULT_SEAT_MS): Promise<BatchDecision> {
    const outside = outsideActiveHours(rule, now);
    if (outside) return { ok: false, refusal: outside };
    const sets = {
      profile: timeline(this.profiles, rule.profileId),
      package: timeline(this.packages, rule.packageId),
      seats: timeline(this.seats, rule.packageId),
    };
    const checks = checksFor(rule, now);
    const before = checks.map((c) => sets[c.on].measure(c, now));
    const granted = grantable(checks, before.map((m) => m.count), count);
    if (granted === 0) return { ok: false, refusal: refusalFor(rule, now, before)! };
    const token = `g${++this.issued}`;
    for (let j = 1; j <= granted; j++) {
      sets.profile.add(now, batchMember(token, j));
      sets.package.add(now, batchMember(token, j));
    }
    sets.seats.add(now + seatMs, token);
    sets.profile.trim(now - DAY_MS - LATE_CALLER_MS);
    sets.package.trim(now - DAY_MS - LATE_CALLER_MS);
    sets.seats.trim(now - LATE_CALLER_MS);
    // The batch holds its seat: only a full window keeps the rest back.
    const rest = granted < count ? refusalFor(rule, now, checks.filter((c) => c.on !== 'seats').map((c) => sets[c.on].measure(c, now))) : null;
    return { ok: true, grant: { token, at: now, count: granted }, rest };
  }

  async releaseBatch(rule: GovernorRule, grant: BatchGrant, sentAt: number[], _now: number): Promise<void> {
    this.seats.get(rule.packageId)?.remove(grant.token);
    const profile = this.profiles.get(rule.profileId);
    const pkg = this.packages.get(rule.packageId);
    for (let j = 1; j <= grant.count; j++) {
      const member = batchMember(grant.token, j);
      const at = sentAt[j - 1];
      // Re-added only where it still was: a second release, or one after the entry was trimmed, changes nothing.
      if (profile?.remove(member) && at !== undefined) profile.add(at, member);
      if (pkg?.remove(member) && at !== undefined) pkg.add(at, member);
    }
  }

  async usage(rule: GovernorRule, now: number): Promise<Usage> {
    const profile = this.profiles.get(rule.profileId);
    const count = (t: Timeline | undefined, after: number) => t?.countAbove(after) ?? 0;
    return {
      hour: count(profile, now - HOUR_MS),
      threeHours: count(profile, now - 3 * HOUR_MS),
      day: count(profile, now - DAY_MS),
      packageDay: count(this.packages.get(rule.packageId), now - DAY_MS),
      sendingNow: count(this.seats.get(rule.packageId), now),
    };
  }

  async sendTimes(rule: GovernorRule, now: number, since = -Infinity): Promise<number[]> {
    return this.profiles.get(rule.profileId)?.scoresAbove(Math.max(now - DAY_MS, since), now) ?? [];
  }

  /** Seats are left alone: they belong to sends in flight, which end by release or lease. */
  async restore(sends: Array<{ profileId: string; packageId: string; at: number }>, now: number): Promise<void> {
    for (const id of new Set(sends.map((s) => s.profileId))) this.profiles.set(id, new Timeline());
    for (const id of new Set(sends.map((s) => s.packageId))) this.packages.set(id, new Timeline());
    const kept = sends.filter((s) => s.at > now - DAY_MS - LATE_CALLER_MS).sort((a, b) => a.at - b.at);
    for (const s of kept) {
      const token = `r${++this.issued}`;
      this.profiles.get(s.profileId)!.add(s.at, token);
      this.packages.get(s.packageId)!.add(s.at, token);
    }
  }

  async close(): Promise<void> {}
}
