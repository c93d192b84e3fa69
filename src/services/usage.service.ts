import type { Container } from '../container.ts';
import { listPackages as listPackageRows } from '../db/senders.repo.ts';
import { rollingStats, ZERO_COUNTS, type RollingStats, type StatCounts } from '../db/profile-stats.repo.ts';
import { profileWaits, queuedByProfileAndPackage, type ProfileWait } from '../db/usage.repo.ts';
import { systemClock } from '../system-clock.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { effectiveWeights, type EffectiveWeight } from '../domain/distribution.ts';
import { notFound } from '../domain/errors.ts';
import { durationWords, nextGap, pacingStreams, type PacingDecision } from '../domain/pacing.ts';
import { senderState, type SenderStateView } from '../domain/sender-state.ts';
import { activeSecondsPerDay, type Limits, type SenderValues, type SettingSource } from '../domain/sender-settings.ts';
import type { WarmupCap } from '../domain/warmup.ts';
import type { Usage } from '../governor/governor.ts';
import { workspaceChannel } from '../realtime/pubsub.ts';
import type { Actor } from './actor.ts';
import { governorRule } from './dispatch.service.ts';
import type { FlushReport } from './event-ingest.ts';
import { loadPackageForSending, type PackageForSending, type SendingProfile } from './senders.service.ts';

/**
 * Live usage (product.md §4, "Live usage"; issue 4 item 9): for each package and each of its
 * profiles, what was sent and received over the last hour, 3 hours and day against the caps in
 * force, the state in words, when it sends next and why it waits, its health, warm-up, pacing and
 * weight — every number with the reason behind it. Sent counts come from the governor (the exact
 * sliding windows it enforces); the other outcomes from the per-minute statistics.
 *
 * Cost: per package the three queries of loadPackageForSending, then three queries for all the
 * profiles together (statistics, waits, queue) and two governor calls per profile — never one
 * per message.
 */

const TWO_HOURS_MS = 2 * 3_600_000;

export interface UsageWindow extends StatCounts {
  /** The cap in force over this window (warm-up and warnings applied). */
  cap: number;
}

export interface SettingParameter {
  /** Its path in the settings ("limits.perHour", "pacing.jitter", "activeHours"…). */
  key: string;
  label: string;
  value: unknown;
  /** The value in a sentence. */
  words: string;
  /** The layer it comes from: the profile itself, the package, the workspace defaults or the built-in default. */
  source: SettingSource;
}

export interface WarmupView extends WarmupCap {
  startedAt: Date;
  /** The configured daily limit the warm-up grows towards. */
  configuredPerDay: number;
}

export interface ProfileUsage {
  profileId: string;
  name: string;
  phone: string | null;
  transport: SendingProfile['transport'];
  position: number;
  status: SendingProfile['status'];
  statusReason: string | null;
  state: SenderStateView;
  windows: { hour: UsageWindow; threeHours: UsageWindow; day: UsageWindow };
  caps: {
    /** The effective limits as set (profile → package → workspace → built-in). */
    configured: Limits;
    /** What the governor enforces now. */
    inForce: Limits;
    /** Why they differ (warm-up, warning state), in words; empty when they do not. */
    reasons: string[];
  };
  queued: number;
  /** The drain's last word: when the profile sends next (null: nothing to send) and why it waits. */
  nextSend: { at: Date | null; why: string | null };
  health: { score: number; state: SendingProfile['healthState']; sentence: string | null };
  /** Null when the number is not warming up. */
  warmup: WarmupView | null;
}

export interface ProfileUsageDetail extends ProfileUsage {
  /** The gap pacing would draw after a send made now, with every intermediate value and its sentences. */
  pacing: PacingDecision;
  parameters: SettingParameter[];
  weight: EffectiveWeight;
}

export interface PackageUsage<P extends ProfileUsage = ProfileUsage> {
  packageId: string;
  name: string;
  strategy: PackageForSending['rules']['strategy'];
  /** The package's sends of the last 24 h against its daily total (null: none). */
  day: { sent: number; cap: number | null; words: string };
  /** Profiles of the package sending at this moment against max concurrent sends. */
  seats: { inUse: number; max: number; words: string };
  queued: number;
  profiles: P[];
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const n = (x: number) => fmt.format(x);
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/** Every per-profile setting, in the order the dashboard lists them, with its value in a sentence. */
const PARAMETERS: Array<{ key: string; label: string; words(v: SenderValues): string }> = [
  { key: 'limits.perHour', label: 'Per hour', words: (v) => `at most ${plural(v.limits.perHour, 'open-chat message')} in any hour` },
  { key: 'limits.per3Hours', label: 'Per 3 hours', words: (v) => `at most ${plural(v.limits.per3Hours, 'open-chat message')} in any 3 hours` },
  { key: 'limits.perDay', label: 'Per day', words: (v) => `at most ${plural(v.limits.perDay, 'open-chat message')} in any 24 hours` },
  {
    key: 'activeHours',
    label: 'Active hours',
    words: (v) => {
      const hours = activeSecondsPerDay(v.activeHours) / 3600;
      return hours === 24 ? 'the whole day' : `${v.activeHours.start}–${v.activeHours.end}: ${n(hours)} active hours, ${n(24 - hours)} frozen, in which no open chat leaves`;
    },
  },
  { key: 'timezone', label: 'Timezone', words: (v) => `active hours are read on the clock of ${v.timezone}` },
  {
    key: 'pacing.mode',
    label: 'Pacing',
    words: (v) =>
      v.pacing.mode === 'human'
        ? 'human: a random gap after every message, derived from the limits'
        : 'off: as fast as the rate below allows (Cloud API bulk), still under every limit',
  },
  {
    key: 'pacing.jitter',
    label: 'Jitter',
    words: (v) => `each gap is drawn between ${n(100 * (1 - v.pacing.jitter))} % and ${n(100 * (1 + v.pacing.jitter))} % of the base gap`,
  },
  { key: 'pacing.rushThreshold', label: 'Rush-hour threshold', words: (v) => `more than ${plural(v.pacing.rushThreshold, 'message')} waiting is a rush hour` },
  { key: 'pacing.rushFactor', label: 'Rush factor', words: (v) => `gaps ×${n(v.pacing.rushFactor)} in a rush hour` },
  {
    key: 'pacing.calmFactor',
    label: 'Calm factor',
    words: (v) => `gaps ×${n(v.pacing.calmFactor)} when ${n(v.pacing.rushThreshold)} or fewer wait, easing off as the profile catches up with its schedule`,
  },
  { key: 'pacing.paceMin', label: 'Pace factor minimum', words: (v) => `being behind schedule never shortens gaps below ×${n(v.pacing.paceMin)}` },
  { key: 'pacing.paceMax', label: 'Pace factor maximum', words: (v) => `being ahead of schedule never lengthens gaps beyond ×${n(v.pacing.paceMax)}` },
  { key: 'pacing.minGapSeconds', label: 'Minimum gap', words: (v) => `no gap is shorter than ${durationWords(v.pacing.minGapSeconds)}` },
  { key: 'pacing.ratePerSecond', label: 'Rate when pacing is off', words: (v) => `up to ${plural(v.pacing.ratePerSecond, 'message')} a second when pacing is off` },
  { key: 'warmup.enabled', label: 'Warm-up', words: (v) => (v.warmup.enabled ? 'on: a new number starts low and grows while it stays healthy' : 'off') },
  { key: 'warmup.startPerDay', label: 'Warm-up first day', words: (v) => `${plural(v.warmup.startPerDay, 'message')} a day on the first day` },
  { key: 'warmup.growthPerDay', label: 'Warm-up growth', words: (v) => `${plural(v.warmup.growthPerDay, 'more message')} a day for each healthy day` },
];

function valueAt(values: SenderValues, key: string): unknown {
  return key.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown>)[part], values);
}

const parametersOf = (me: SendingProfile): SettingParameter[] =>
  PARAMETERS.map((p) => ({
    key: p.key,
    label: p.label,
    value: valueAt(me.settings.values, p.key),
    words: p.words(me.settings.values),
    source: me.settings.sources[p.key] ?? 'default',
  }));

/** Everything read for a set of packages at once, so the queries do not grow with the packages. */
interface Snapshot {
  now: number;
  stats: Map<string, RollingStats>;
  waits: Map<string, ProfileWait>;
  /** Per profile, all its queued messages; per `${packageId}:${profileId}`, those of one package. */
  queuedOfProfile: Map<string, number>;
  queuedInPackage: Map<string, number>;
}

async function snapshot(c: Container, workspaceId: string, pkgs: PackageForSending[], now: number): Promise<Snapshot> {
  const ids = [...new Set(pkgs.flatMap((p) => p.profiles.map((m) => m.id)))];
  const stats = await rollingStats(c.db.orm, workspaceId, ids, now);
  const waits = await profileWaits(c.db.orm, workspaceId, ids);
  const queuedOfProfile = new Map<string, number>();
  const queuedInPackage = new Map<string, number>();
  for (const q of await queuedByProfileAndPackage(c.db.orm, workspaceId, ids)) {
    queuedOfProfile.set(q.profileId, (queuedOfProfile.get(q.profileId) ?? 0) + q.queued);
    queuedInPackage.set(`${q.packageId}:${q.profileId}`, q.queued);
  }
  return { now, stats, waits, queuedOfProfile, queuedInPackage };
}

/** A profile as the governor sees it in one package: its rule (caps in force and why) and its usage. */
interface Member {
  me: SendingProfile;
  adjusted: ReturnType<typeof governorRule>;
  usage: Usage;
}

async function membersOf(c: Container, pkg: PackageForSending, now: number): Promise<Member[]> {
  return Promise.all(
    pkg.profiles.map(async (me) => {
      const adjusted = governorRule(pkg, me, now);
      return { me, adjusted, usage: await c.governor.usage(adjusted.rule, now) };
    }),
  );
}

const usageWindow = (counts: StatCounts, sent: number, cap: number): UsageWindow => ({ ...counts, sent, cap });

function profileUsage(pkg: PackageForSending, { me, adjusted, usage }: Member, s: Snapshot): ProfileUsage {
  const stats = s.stats.get(me.id) ?? { hour: ZERO_COUNTS, threeHours: ZERO_COUNTS, day: ZERO_COUNTS };
  const caps = adjusted.rule.limits;
  const windows = {
    hour: usageWindow(stats.hour, usage.hour, caps.perHour),
    threeHours: usageWindow(stats.threeHours, usage.threeHours, caps.per3Hours),
    day: usageWindow(stats.day, usage.day, caps.perDay),
  };
  const queued = s.queuedInPackage.get(`${pkg.id}:${me.id}`) ?? 0;
  const wait = s.waits.get(me.id);
  const values = me.settings.values;
  return {
    profileId: me.id,
    name: me.name,
    phone: me.phone,
    transport: me.transport,
    position: me.position,
    status: me.status,
    statusReason: me.statusReason,
    state: senderState({
      now: s.now,
      status: me.status,
      statusReason: me.statusReason,
      health: { state: me.healthState, sentence: me.healthReason },
      transportProblem: me.transportConfig ? null : me.transportConfigProblem,
      activeHours: values.activeHours,
      timezone: values.timezone,
      windows,
      packageDay: { sent: usage.packageDay, cap: pkg.rules.dailyTotal },
      queued,
    }),
    windows,
    caps: { configured: values.limits, inForce: caps, reasons: adjusted.reasons },
    queued,
    nextSend: { at: wait?.nextSendAt == null ? null : new Date(wait.nextSendAt), why: wait?.waitReason ?? null },
    health: { score: me.healthScore, state: me.healthState, sentence: me.healthReason },
    warmup: adjusted.warmup && me.warmupStartedAt ? { ...adjusted.warmup, startedAt: me.warmupStartedAt, configuredPerDay: me.settings.values.limits.perDay } : null,
  };
}

function packageView(pkg: PackageForSending, members: Member[], s: Snapshot): PackageUsage {
  // Every member's rule names the package, so any of them reads the package's day and seats.
  const sent = members[0]?.usage.packageDay ?? 0;
  const inUse = members[0]?.usage.sendingNow ?? 0;
  const { dailyTotal, maxConcurrentSends } = pkg.rules;
  const profiles = members.map((m) => profileUsage(pkg, m, s));
  return {
    packageId: pkg.id,
    name: pkg.name,
    strategy: pkg.rules.strategy,
    day: {
      sent,
      cap: dailyTotal,
      words:
        dailyTotal === null
          ? `${plural(sent, 'message')} in the last 24 h; no package-wide daily total, each profile's own limits apply`
          : `${n(sent)} of ${plural(dailyTotal, 'message')} a day across all the package's profiles, counted over the last 24 h`,
    },
    seats: {
      inUse,
      max: maxConcurrentSends,
      words: `${n(inUse)} of the package's profiles sending at this moment; at most ${n(maxConcurrentSends)} may, so the pool never fires in lock-step`,
    },
    queued: profiles.reduce((sum, p) => sum + p.queued, 0),
    profiles,
  };
}

/** The package view with each profile's pacing, parameters and weight added. */
async function packageDetail(c: Container, pkg: PackageForSending, members: Member[], s: Snapshot): Promise<PackageUsage<ProfileUsageDetail>> {
  const view = packageView(pkg, members, s);
  const weights = effectiveWeights(
    members.map(({ me, usage }, i) => ({
      profileId: me.id,
      name: me.name,
      status: me.status,
      health: { state: me.healthState, score: me.healthScore },
      statusReason: me.statusReason,
      weight: me.weight,
      remainingToday: Math.max(0, view.profiles[i]!.windows.day.cap - usage.day),
      position: me.position,
    })),
  );
  const weightOf = new Map(weights.map((w) => [w.profileId, w]));
  const profiles = await Promise.all(
    members.map(async ({ me, adjusted }, i): Promise<ProfileUsageDetail> => {
      // Unpaced gaps do not look at recent sends, and such profiles may have sent very many.
      const times = me.settings.values.pacing.mode === 'off' ? [] : await c.governor.sendTimes(adjusted.rule, s.now, s.now - TWO_HOURS_MS);
      const pacing = nextGap({
        settings: me.settings.values,
        queueDepth: s.queuedOfProfile.get(me.id) ?? 0,
        // sendTimes come oldest first.
        recent: { count: times.length, firstAt: times[0] ?? null },
        now: s.now,
        // The gap that would follow the profile's next queued message; with none, one named "next".
        streams: pacingStreams(pkg.id, me.id, s.waits.get(me.id)?.nextMessageId ?? 'next'),
      });
      return { ...view.profiles[i]!, pacing, parameters: parametersOf(me), weight: weightOf.get(me.id)! };
    }),
  );
  return { ...view, profiles };
}

const packageNotFound = () => notFound('PACKAGE_NOT_FOUND', 'No such package in this workspace');

/** One package of the workspace with every profile in full: usage, caps, state, pacing, parameters and weight. */
export async function packageUsage(c: Container, actor: Actor, packageId: string, now = systemClock.now()) {
  const pkg = await loadPackageForSending(c.db.orm, c.secretKey, actor.workspaceId, packageId);
  if (!pkg) throw packageNotFound();
  const s = await snapshot(c, actor.workspaceId, [pkg], now);
  return { at: new Date(now), ...(await packageDetail(c, pkg, await membersOf(c, pkg, now), s)) };
}

/** Every package of the workspace (a page of them, newest first) with each profile's usage, caps and state. */
export async function sendersUsage(c: Container, actor: Actor, q: { cursor?: string | undefined; limit: number }, now = systemClock.now()) {
  const rows = await listPackageRows(c.db.orm, actor.workspaceId, { before: decodeCursor(q.cursor), limit: q.limit });
  const page = toPage(rows, q.limit);
  const pkgs: PackageForSending[] = [];
  for (const row of page.items) {
    const pkg = await loadPackageForSending(c.db.orm, c.secretKey, actor.workspaceId, row.id);
    // Deleted between the two reads: it is simply not listed.
    if (pkg) pkgs.push(pkg);
  }
  const s = await snapshot(c, actor.workspaceId, pkgs, now);
  const items = await Promise.all(pkgs.map(async (pkg) => packageView(pkg, await membersOf(c, pkg, now), s)));
  return { at: new Date(now), items, nextCursor: page.nextCursor };
}

// ---- live push ----

/** At most this many `senders.activity` notices a second per workspace: flushes come every ~20 ms under load. */
const ACTIVITY_NOTICES_PER_SECOND = 4;

interface ActivityNotice {
  type: 'senders.activity';
  profiles: Array<{ profileId: string } & StatCounts>;
}

interface PendingActivity {
  profiles: Map<string, StatCounts>;
  timer: NodeJS.Timeout;
}

const pendingByContainer = new WeakMap<Container, Map<string, PendingActivity>>();

function pendingOf(c: Container): Map<string, PendingActivity> {
  let pending = pendingByContainer.get(c);
  if (!pending) {
    const created = new Map<string, PendingActivity>();
    pendingByContainer.set(c, created);
    c.onClose(async () => {
      for (const p of created.values()) clearTimeout(p.timer);
      created.clear();
    });
    pending = created;
  }
  return pending;
}

/**
 * Hooked on the event ingest's flushes (`ingest.onFlush((r) => publishActivity(c, r))`): adds the
 * flush's per-profile counts to each workspace's pending notice, which goes out as one
 * `senders.activity` on `ws:{workspace}` when its short wait ends — the dashboards then refresh
 * the packages of those profiles. Nothing is written; the counts are deltas since the last notice.
 */
export function publishActivity(c: Container, report: FlushReport): void {
  const pending = pendingOf(c);
  for (const a of report.profiles.values()) {
    if (Object.values(a.counts).every((v) => v === 0)) continue;
    let ws = pending.get(a.workspaceId);
    if (!ws) {
      const workspaceId = a.workspaceId;
      const timer = setTimeout(() => {
        const due = pending.get(workspaceId);
        pending.delete(workspaceId);
        if (!due) return;
        const notice: ActivityNotice = { type: 'senders.activity', profiles: [...due.profiles].map(([profileId, counts]) => ({ profileId, ...counts })) };
        c.pubsub.publish(workspaceChannel(workspaceId), notice).catch((err: unknown) => c.log.warn({ err }, 'senders.activity could not be published'));
      }, 1000 / ACTIVITY_NOTICES_PER_SECOND);
      timer.unref();
      ws = { profiles: new Map(), timer };
      pending.set(workspaceId, ws);
    }
    const sum = ws.profiles.get(a.profileId) ?? { ...ZERO_COUNTS };
    for (const k of Object.keys(sum) as Array<keyof StatCounts>) sum[k] += a.counts[k];
    ws.profiles.set(a.profileId, sum);
  }
}
