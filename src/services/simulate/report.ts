import { isActive } from '../../domain/active-hours.ts';
import type { ActiveHours } from '../../domain/sender-settings.ts';
import type { BanState } from '../../transports/simulator/ban-model.ts';
import type { SimulatorCounters, SimulatorProfileState } from '../../transports/simulator/simulator.transport.ts';
import { EVENT_KINDS, type EventKind, type ProfileLog } from './ledger.ts';

/**
 * The figures of one run, from the instants the ledger recorded: per profile and per simulated
 * day, the sends; the most sends seen in any sliding 1 h, 3 h and 24 h window against the caps in
 * force (the same windows the governor keeps: a send counts in the window ending at T when it
 * happened after T − window); the gaps between consecutive sends; and what came back. Pure.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const WINDOWS = ['hour', 'threeHours', 'day'] as const;
export type WindowName = (typeof WINDOWS)[number];
const WINDOW_MS: Record<WindowName, number> = { hour: HOUR, threeHours: 3 * HOUR, day: DAY };

export type Caps = Record<WindowName, number>;

export interface WindowStat {
  /** The most sends in one window of this length that ended in the period (at a send). */
  max: number;
  /** The cap in force when that most was seen (at the period's start when nothing was sent). */
  cap: number;
  /** When that window ended (the send that made it); null when nothing was sent. */
  at: number | null;
}

export interface GapStats {
  count: number;
  minSeconds: number;
  medianSeconds: number;
  p95Seconds: number;
  /** Standard deviation ÷ mean: 0 for a metronome; human pacing varies. */
  cv: number;
}

export type EventCounts = Record<EventKind, number>;

export interface PeriodReport extends EventCounts {
  /** Sends WhatsApp accepted (what left); the windows count these, as the governor does. */
  sends: number;
  /** Sends asked of WhatsApp, refused ones included (not on WhatsApp, a warning's timelock, banned…). */
  attempts: number;
  windows: Record<WindowName, WindowStat>;
  /** Sends that took a window past its cap. */
  violations: number;
  /** Sends outside the profile's active hours. */
  outsideActiveHours: number;
  /** Gaps before each send of the period (from the profile's previous send); null with fewer than one. */
  gaps: GapStats | null;
}

export interface DayReport extends PeriodReport {
  /** 1 for the first 24 h of the simulation. */
  day: number;
}

export interface ProfileFacts {
  id: string;
  name: string;
  timezone: string;
  activeHours: ActiveHours;
  /** Recipients the distribution gave it. */
  assigned: number;
  log: ProfileLog;
  /** The caps at an instant (warm-up moves them day by day). */
  capsAt: (at: number) => Caps;
  /** The simulator's view of the number at the end. */
  final: SimulatorProfileState | null;
  /** What its last step said (why it waits, or why it stopped), in words. */
  lastWait: string | null;
}

export interface ProfileReport {
  id: string;
  name: string;
  timezone: string;
  activeHours: ActiveHours;
  assigned: number;
  reached: number;
  /** Of its share, neither reached nor refused for good (not on WhatsApp, a permanent error): still waiting, or given up by the blaster. */
  unsent: number;
  days: DayReport[];
  total: PeriodReport;
  final: {
    state: BanState['state'];
    risk: number;
    warnings: number;
    banReason: string | null;
    summary: string;
    /** Every send asked of the simulator, and those it refused by kind (`recipient`: not on WhatsApp). */
    attempts: number;
    refused: SimulatorCounters['refused'];
  } | null;
  lastWait: string | null;
}

export interface RunFacts {
  label: string;
  /** How the run sends, in words. */
  description: string;
  start: number;
  days: number;
  recipients: number;
  packageDailyTotal: number | null;
  profiles: ProfileFacts[];
}

export interface RunReport {
  label: string;
  description: string;
  totals: PeriodReport & {
    recipients: number;
    reached: number;
    unsent: number;
    profiles: number;
    /** Profiles banned / warned at least once. */
    profilesBanned: number;
    profilesWarned: number;
    /** The day (1-based) of the first and last ban, when any. */
    firstBanDay: number | null;
    lastBanDay: number | null;
    /** When the last send happened, as a time since the start (ms); null when nothing was sent. */
    lastSendAfterMs: number | null;
    /** The package's sends in any 24 h against its daily total, when it has one. */
    packageDay: WindowStat | null;
  };
  profiles: ProfileReport[];
}

const zeroEvents = (): EventCounts => ({ delivered: 0, read: 0, replied: 0, optOuts: 0, failed: 0, warnings: 0, bans: 0 });

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function gapStats(gapsMs: number[]): GapStats | null {
  if (gapsMs.length === 0) return null;
  const s = gapsMs.map((g) => g / 1000).sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const variance = s.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const median = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return {
    count: n,
    minSeconds: round(s[0]!, 1),
    medianSeconds: round(median, 1),
    p95Seconds: round(s[Math.ceil(0.95 * n) - 1]!, 1),
    cv: mean > 0 ? round(Math.sqrt(variance) / mean, 3) : 0,
  };
}

/** For each send, how many sends the window of `ms` ending at it holds (it included). */
export function windowCounts(times: readonly number[], ms: number): number[] {
  const counts: number[] = [];
  let first = 0;
  for (let j = 0; j < times.length; j++) {
    while (times[first]! <= times[j]! - ms) first++;
    counts.push(j - first + 1);
  }
  return counts;
}

interface SendFacts {
  at: number;
  counts: Record<WindowName, number>;
  caps: Caps;
  gapMs: number | null;
  outside: boolean;
}

function period(sends: SendFacts[], attempts: number, events: EventCounts, capsAtStart: Caps): PeriodReport {
  const windows = Object.fromEntries(WINDOWS.map((w) => [w, { max: 0, cap: capsAtStart[w], at: null }])) as Record<WindowName, WindowStat>;
  let violations = 0;
  for (const s of sends) {
    let over = false;
    for (const w of WINDOWS) {
      if (s.counts[w] > windows[w].max) windows[w] = { max: s.counts[w], cap: s.caps[w], at: s.at };
      if (s.counts[w] > s.caps[w]) over = true;
    }
    if (over) violations++;
  }
  return {
    sends: sends.length,
    attempts,
    windows,
    violations,
    outsideActiveHours: sends.filter((s) => s.outside).length,
    gaps: gapStats(sends.flatMap((s) => (s.gapMs === null ? [] : [s.gapMs]))),
    ...events,
  };
}

function profileReport(f: ProfileFacts, start: number, days: number): ProfileReport {
  const times = f.log.sends;
  const counts = Object.fromEntries(WINDOWS.map((w) => [w, windowCounts(times, WINDOW_MS[w])])) as Record<WindowName, number[]>;
  const sends: SendFacts[] = times.map((at, j) => ({
    at,
    counts: { hour: counts.hour[j]!, threeHours: counts.threeHours[j]!, day: counts.day[j]! },
    caps: f.capsAt(at),
    gapMs: j > 0 ? at - times[j - 1]! : null,
    outside: !isActive(at, f.activeHours, f.timezone),
  }));
  const dayOf = (at: number) => Math.floor((at - start) / DAY);
  const sendsByDay = Array.from({ length: days }, () => [] as SendFacts[]);
  for (const s of sends) sendsByDay[dayOf(s.at)]?.push(s);
  const attemptsByDay = new Array<number>(days).fill(0);
  for (const at of f.log.attempts) if (dayOf(at) < days) attemptsByDay[dayOf(at)]!++;
  const eventsByDay = Array.from({ length: days }, zeroEvents);
  const total = zeroEvents();
  for (const kind of EVENT_KINDS) {
    for (const at of f.log.events[kind]) {
      const d = eventsByDay[dayOf(at)];
      if (!d) continue;
      d[kind]++;
      total[kind]++;
    }
  }
  return {
    id: f.id,
    name: f.name,
    timezone: f.timezone,
    activeHours: f.activeHours,
    assigned: f.assigned,
    reached: f.log.reached.size,
    unsent: Math.max(0, f.assigned - f.log.reached.size - (f.final ? f.final.counters.refused.recipient + f.final.counters.refused.permanent : 0)),
    days: sendsByDay.map((s, d) => ({ day: d + 1, ...period(s, attemptsByDay[d]!, eventsByDay[d]!, f.capsAt(start + d * DAY)) })),
    total: period(sends, f.log.attempts.length, total, f.capsAt(start)),
    final: f.final && {
      state: f.final.state,
      risk: round(f.final.risk, 1),
      warnings: f.final.warnings,
      banReason: f.final.banReason,
      summary: f.final.summary,
      attempts: f.final.counters.attempts,
      refused: f.final.counters.refused,
    },
    lastWait: f.lastWait,
  };
}

function sum(reports: PeriodReport[]): PeriodReport {
  const out: PeriodReport = { sends: 0, attempts: 0, windows: { hour: empty(), threeHours: empty(), day: empty() }, violations: 0, outsideActiveHours: 0, gaps: null, ...zeroEvents() };
  for (const r of reports) {
    out.sends += r.sends;
    out.attempts += r.attempts;
    out.violations += r.violations;
    out.outsideActiveHours += r.outsideActiveHours;
    for (const k of EVENT_KINDS) out[k] += r[k];
    // The worst window of any profile, relative to its own cap.
    for (const w of WINDOWS) if (r.windows[w].max - r.windows[w].cap > out.windows[w].max - out.windows[w].cap || out.windows[w].at === null) out.windows[w] = r.windows[w];
  }
  return out;
}

function empty(): WindowStat {
  return { max: 0, cap: 0, at: null };
}

export function buildRunReport(f: RunFacts): RunReport {
  const profiles = f.profiles.map((p) => profileReport(p, f.start, f.days));
  const totals = sum(profiles.map((p) => p.total));
  const banDays = profiles.flatMap((p) => p.days.filter((d) => d.bans > 0).map((d) => d.day));
  const all = f.profiles.flatMap((p) => p.log.sends).sort((a, b) => a - b);
  let packageDay: WindowStat | null = null;
  if (f.packageDailyTotal !== null) {
    const counts = windowCounts(all, DAY);
    const j = counts.reduce((best, c, i) => (c > counts[best]! ? i : best), 0);
    packageDay = { max: counts[j] ?? 0, cap: f.packageDailyTotal, at: all[j] ?? null };
  }
  return {
    label: f.label,
    description: f.description,
    totals: {
      ...totals,
      gaps: gapStats(f.profiles.flatMap((p) => p.log.sends.slice(1).map((t, i) => t - p.log.sends[i]!))),
      recipients: f.recipients,
      reached: profiles.reduce((a, p) => a + p.reached, 0),
      unsent: profiles.reduce((a, p) => a + p.unsent, 0),
      profiles: profiles.length,
      profilesBanned: profiles.filter((p) => p.total.bans > 0).length,
      profilesWarned: profiles.filter((p) => p.total.warnings > 0).length,
      firstBanDay: banDays.length > 0 ? Math.min(...banDays) : null,
      lastBanDay: banDays.length > 0 ? Math.max(...banDays) : null,
      lastSendAfterMs: all.length > 0 ? all.at(-1)! - f.start : null,
      packageDay,
    },
    profiles,
  };
}

export interface SimulationReport {
  scenario: {
    seed: string;
    start: string;
    days: number;
    recipients: number;
    profiles: number;
    strategy: string;
    packageDailyTotal: number | null;
    maxConcurrentSends: number;
    naiveDelaySeconds: number;
  };
  /** How the recipients were spread over the profiles (both runs use it). */
  distribution: { explanation: string; unassigned: number; shares: Array<{ profileId: string; name: string; assigned: number }> };
  chorus: RunReport;
  naive: RunReport;
  /** What it means, in plain words. */
  summary: string[];
}
