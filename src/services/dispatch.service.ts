import type { Database } from '../db/client.ts';
import { claimMessages, claimNext, releaseClaims, type ClaimedMessage, type SendResult } from '../db/outbox.repo.ts';
import { packagesOfProfile } from '../db/senders.repo.ts';
import { DAY_MS, HOUR_MS, type Clock } from '../domain/clock.ts';
import { MAX_ATTEMPTS, retryDelayMs } from '../domain/outbox.ts';
import { nextGap, pacingStreams, type PacingDecision } from '../domain/pacing.ts';
import { adjustLimits, type WarmupCap } from '../domain/warmup.ts';
import type { DistributionCandidate } from '../domain/distribution.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import type { BatchDecision, Governor, GovernorRule, Grant, Usage } from '../governor/governor.ts';
import { TransportError, type OutboundMessage, type Transport } from '../transports/transport.ts';
import type { EventIngest, ProfileRef } from './event-ingest.ts';
import { loadPackageForSending, type PackageForSending, type SendingProfile } from './senders.service.ts';
import type { TransportHub } from './transport-hub.ts';

/**
 * The drain (architecture.md, Dispatch step 2): one run sends a profile's next open-chat
 * message(s) and says when the profile may send again and why. The queue runs at most one drain
 * per profile at a time and re-schedules it at the returned instant.
 *
 * Order of a send: the next message is claimed under a lease (with the queue's length, in one
 * statement), the governor grants a slot (hard limits, active hours, package seats), the message
 * is sent and its result handed to the batched ingest; the grant is kept for a send that left (or
 * may have) and given back for one that did not. A claimed message that is not sent after all
 * (a refusal, a blocked profile) goes back to the queue as it was, without an attempt.
 */

export interface DispatchEnv {
  db: Database;
  secretKey: Buffer;
  governor: Governor;
  ingest: EventIngest;
  transports: TransportHub;
  clock: Clock;
  /** This process's name on the leases it takes. */
  owner: string;
  /** How long a claimed message is held before the sweep may settle it (≫ sendTimeoutMs). */
  leaseMs: number;
  /** A send WhatsApp does not answer within this is treated as `unknown` (it may have left). */
  sendTimeoutMs: number;
  /** How long a loaded package stays cached (settings changes take effect within this). */
  contextTtlMs: number;
}

export type DrainOutcome =
  | { next: 'idle'; why: string }
  | {
      next: 'at';
      at: number;
      why: string;
      pacing?: PacingDecision;
      sent: number;
      /** When the profile should send next, for people, when the drain looks again before that (a scheduled message). */
      showAt?: number;
    };

interface Member {
  workspaceId: string;
  pkg: PackageForSending;
  me: SendingProfile;
}

interface ProfileContext {
  /** The packages the profile sends for, with the profile as a member of each. */
  packages: Map<string, Member>;
}

interface Cached<T> {
  loadedAt: number;
  value: Promise<T>;
}

/**
 * Per profile, the ids of its packages; per package, the package as loaded. A package is loaded
 * once for all its profiles (its members' transport settings are decrypted as it loads).
 */
interface Caches {
  packageIdsOf: Map<string, Cached<string[]>>;
  packages: Map<string, Cached<PackageForSending | null>>;
}

const caches = new WeakMap<DispatchEnv, Caches>();

/** A load shared by whoever asks within the TTL, concurrent askers included; a failed one is not kept. */
function cached<T>(env: DispatchEnv, cache: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const now = env.clock.now();
  const cur = cache.get(key);
  if (cur && now - cur.loadedAt < env.contextTtlMs) return cur.value;
  const entry = { loadedAt: now, value: load() };
  cache.set(key, entry);
  entry.value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.value;
}

async function contextOf(env: DispatchEnv, workspaceId: string, profileId: string): Promise<ProfileContext> {
  let cache = caches.get(env);
  if (!cache) {
    cache = { packageIdsOf: new Map(), packages: new Map() };
    caches.set(env, cache);
  }
  const { packageIdsOf, packages } = cache;
  const ids = await cached(env, packageIdsOf, profileId, async () => (await packagesOfProfile(env.db.orm, workspaceId, profileId)).map((p) => p.id));
  const loaded = await Promise.all(ids.map((id) => cached(env, packages, id, () => loadPackageForSending(env.db.orm, env.secretKey, workspaceId, id))));
  const members = new Map<string, Member>();
  for (const pkg of loaded) {
    const me = pkg?.profiles.find((m) => m.id === profileId);
    if (pkg && me) members.set(pkg.id, { workspaceId, pkg, me });
  }
  return { packages: members };
}

/**
 * A drain waiting for a scheduled message looks again this soon: a kick while its job waits is
 * absorbed by that job (one per profile), and a message queued meanwhile must not wait for the
 * scheduled one. Pacing gaps and limits need no such check: a new message waits for those anyway.
 */
const SCHEDULED_RECHECK_MS = 30_000;
/** A transport that cannot start is tried again after this. */
const TRANSPORT_RETRY_MS = 60_000;

/** The governor's rule for a profile sending for a package: effective limits, with warm-up and warnings applied. */
export function governorRule(
  pkg: PackageForSending,
  me: SendingProfile,
  now: number,
): { rule: GovernorRule; sending: boolean; reasons: string[]; warmup: WarmupCap | null } {
  const values = me.settings.values;
  const days = me.warmupStartedAt ? Math.floor((now - me.warmupStartedAt.getTime()) / DAY_MS) : 0;
  const adjusted = adjustLimits({
    limits: values.limits,
    // No per-day health history is kept yet, so every day since warm-up began counts as healthy;
    // warnings still shrink the limits below (health), and a paused profile does not send at all.
    warmup: me.warmupStartedAt ? { plan: values.warmup, progress: { daysSinceStart: days, healthyDays: days } } : null,
    health: { state: me.healthState, sentence: me.healthReason },
  });
  return {
    rule: {
      profileId: me.id,
      packageId: pkg.id,
      limits: adjusted.limits,
      packageDailyTotal: pkg.rules.dailyTotal,
      maxConcurrentSends: pkg.rules.maxConcurrentSends,
      activeHours: values.activeHours,
      timezone: values.timezone,
    },
    sending: adjusted.sending,
    reasons: adjusted.reasons,
    warmup: adjusted.warmup,
  };
}

/**
 * The package's profiles as distribution sees them: state, health, weight and what each may still
 * send today (its adjusted daily limit less the governor's count of the last 24 h).
 */
export async function distributionCandidates(governor: Governor, pkg: PackageForSending, now: number): Promise<DistributionCandidate[]> {
  return Promise.all(
    pkg.profiles.map(async (me) => {
      const { rule } = governorRule(pkg, me, now);
      return distributionCandidate(me, rule, await governor.usage(rule, now));
    }),
  );
}

/** One profile as distribution sees it, from its governor rule and the governor's usage. */
export function distributionCandidate(me: SendingProfile, rule: GovernorRule, usage: Usage): DistributionCandidate {
  // A number whose transport settings cannot be read cannot connect: to distribution it is disconnected, for that reason.
  const unreadable = me.transportConfig === null;
  return {
    profileId: me.id,
    name: me.name,
    status: unreadable ? 'disconnected' : me.status,
    statusReason: unreadable ? blockedReason(me) : me.status !== 'connected' ? me.statusReason : me.healthReason,
    health: { state: me.healthState, score: me.healthScore },
    weight: me.weight,
    remainingToday: Math.max(0, rule.limits.perDay - usage.day),
    position: me.position,
  };
}

/** Why a profile cannot send open chat at all right now, or null. */
export function blockedReason(me: SendingProfile): string | null {
  if (me.status !== 'connected') return `the profile is ${me.status}${me.statusReason ? ` (${me.statusReason})` : ''}`;
  if (me.healthState === 'risky' || me.healthState === 'paused' || me.healthState === 'banned') {
    return `the profile is ${me.healthState}${me.healthReason ? `: ${me.healthReason}` : ''}`;
  }
  if (!me.transportConfig) return `its transport settings cannot be read: ${me.transportConfigProblem ?? 'unknown problem'}`;
  return null;
}

/** Runs one drain step for a profile. */
export async function drainProfile(env: DispatchEnv, workspaceId: string, profileId: string): Promise<DrainOutcome> {
  const now = env.clock.now();
  const ctx = await contextOf(env, workspaceId, profileId);
  // Counted past the highest rush threshold of the profile's packages, and one more for the message this step sends.
  const countUpTo = Math.max(0, ...[...ctx.packages.values()].map((m) => m.me.settings.values.pacing.rushThreshold)) + 2;
  // One statement per paced send: the claim, the queue's length and its next due time together.
  // What turns out not to be sendable below is given back untried (no attempt counted).
  const head = await claimNext(env.db.orm, workspaceId, profileId, { owner: env.owner, leaseMs: env.leaseMs, now, countUpTo });
  const message = head.message;
  if (!message) {
    if (head.earliestAt === null) return { next: 'idle', why: 'nothing queued' };
    // Due but held by another claim (a cancel, a drain of a moment ago): look again at once.
    if (head.earliestAt <= now) return { next: 'at', at: now, why: 'the message was taken meanwhile', sent: 0 };
    const why = `the next message is scheduled or waiting for a retry until ${new Date(head.earliestAt).toISOString()}`;
    return { next: 'at', at: Math.min(head.earliestAt, now + SCHEDULED_RECHECK_MS), why, sent: 0, showAt: head.earliestAt };
  }

  // Until the send, the claimed message goes back untried on every way out, a thrown error included
  // (the governor's Redis blinking): left claimed, the sweep would settle it as unknown, never sent.
  let ready: Prepared;
  try {
    ready = await prepareSend(env, ctx, message, now);
  } catch (err) {
    await releaseClaims(env.db.orm, env.owner, [message.id]);
    throw err;
  }
  if ('outcome' in ready) {
    await releaseClaims(env.db.orm, env.owner, [message.id]);
    return ready.outcome;
  }
  const { member, rule, transport, grant } = ready;
  if (!grant) return drainUnpaced(env, member, rule, transport, message);
  const settings = member.me.settings.values;
  const { left } = await sendOne(env, transport, message);
  await env.governor.release(rule, grant, left ? 'sent' : 'not_sent', env.clock.now());

  const after = env.clock.now();
  const times = await env.governor.sendTimes(rule, after, after - 2 * HOUR_MS);
  const pacing = nextGap({
    settings,
    queueDepth: head.queued - 1,
    queueDepthAtLeast: head.queued === countUpTo,
    recent: { count: times.length, firstAt: times[0] ?? null },
    now: after,
    streams: pacingStreams(member.pkg.id, profileId, message.id),
  });
  return { next: 'at', at: after + pacing.gapSeconds * 1000, why: pacing.explanation.join('; '), pacing, sent: left ? 1 : 0 };
}

/** A claimed message's profile, ready to send it (`grant` null: pacing is off, the batch asks the governor); or why it cannot now. */
type Prepared = { outcome: DrainOutcome } | { member: Member; rule: GovernorRule; transport: Transport; grant: Grant | null };

async function prepareSend(env: DispatchEnv, ctx: ProfileContext, message: ClaimedMessage, now: number): Promise<Prepared> {
  const member = ctx.packages.get(message.packageId);
  if (!member) return { outcome: { next: 'idle', why: 'the profile is no longer in the package of its queued messages (they fail over to its members)' } };
  const blocked = blockedReason(member.me);
  if (blocked) return { outcome: { next: 'idle', why: blocked } };
  const { rule, sending, reasons } = governorRule(member.pkg, member.me, now);
  if (!sending) return { outcome: { next: 'idle', why: reasons.join('; ') } };
  // Opened before a slot is granted: a number that cannot connect costs no slot and no attempt.
  let transport: Transport;
  try {
    transport = await transportOf(env, member);
  } catch (err) {
    return { outcome: { next: 'at', at: now + TRANSPORT_RETRY_MS, why: `its connection to WhatsApp could not start: ${(err as Error).message ?? String(err)}`, sent: 0 } };
  }
  if (member.me.settings.values.pacing.mode === 'off') return { member, rule, transport, grant: null };
  const decision = await env.governor.acquire(rule, now, env.leaseMs);
  if (!decision.ok) return { outcome: { next: 'at', at: decision.refusal.notBefore, why: decision.refusal.message, sent: 0 } };
  return { member, rule, transport, grant: decision.grant };
}

/**
 * Pacing off (Cloud API bulk): claims batches and sends them at up to `ratePerSecond` for about a
 * second, then yields. Each batch is granted by the governor in one step (as many sends as the
 * limits allow, under one seat) and released in one step with the instants its sends left: two
 * governor calls per batch, not two per message. Sends start one after another under the rate but
 * do not wait for each other: with WhatsApp answering in ~100–300 ms, one at a time would cap a
 * number at a few messages a second.
 */
async function drainUnpaced(env: DispatchEnv, member: Member, rule: GovernorRule, to: Transport, first: ClaimedMessage): Promise<DrainOutcome> {
  const rate = member.me.settings.values.pacing.ratePerSecond;
  const started = env.clock.now();
  const batch = Math.max(1, Math.min(200, Math.ceil(rate / 5)));
  const bucket = tokenBucket(env.clock, rate);
  let sent = 0;
  // The drain step's own claim opens the first batch.
  let carried: ClaimedMessage[] = [first];
  while (env.clock.now() - started < 1000) {
    const more = batch - carried.length;
    let messages = carried;
    let decision: BatchDecision;
    try {
      if (more > 0) {
        messages = messages.concat(
          await claimMessages(env.db.orm, member.workspaceId, member.me.id, { limit: more, owner: env.owner, leaseMs: env.leaseMs, now: env.clock.now(), packageId: member.pkg.id }),
        );
      }
      if (messages.length === 0) break;
      decision = await env.governor.acquireBatch(rule, env.clock.now(), messages.length, env.leaseMs);
    } catch (err) {
      // Nothing of this batch was tried: it goes back as it was (left claimed, the sweep would settle it as unknown).
      await releaseClaims(env.db.orm, env.owner, messages.map((m) => m.id));
      throw err;
    }
    carried = [];
    if (!decision.ok) {
      // Back to the queue (the claim's attempt is not a real one) until a slot frees.
      requeueUntried(env, messages, decision.refusal.notBefore);
      return { next: 'at', at: decision.refusal.notBefore, why: decision.refusal.message, sent };
    }
    const { grant, rest } = decision;
    if (rest) requeueUntried(env, messages.slice(grant.count), rest.notBefore);
    const sentAt: number[] = [];
    let waitUntil: number | null = null;
    try {
      const sending: Array<Promise<void>> = [];
      let next = 0;
      while (next < grant.count) {
        await bucket.take();
        // Stopped meanwhile: the number is in trouble (below).
        if (next >= grant.count) break;
        const message = messages[next++]!;
        const at = env.clock.now();
        sending.push(
          sendOne(env, to, message).then(({ left, numberInTrouble }) => {
            if (left) sentAt.push(at);
            if (numberInTrouble && waitUntil === null) {
              // WhatsApp refused the number: the rest of the batch must not hit it. They go back to the
              // queue untried at once, with the failure, where health pauses the profile and fails
              // them over, or the wait ends.
              waitUntil = env.clock.now() + 60_000;
              requeueUntried(env, messages.slice(next, grant.count), waitUntil);
              next = grant.count;
            }
          }),
        );
      }
      await Promise.all(sending);
    } finally {
      await env.governor.releaseBatch(rule, grant, sentAt.sort((a, b) => a - b), env.clock.now());
    }
    sent += sentAt.length;
    if (waitUntil !== null) return { next: 'at', at: waitUntil, why: 'WhatsApp refused the number; waiting before trying again', sent };
    if (rest) return { next: 'at', at: rest.notBefore, why: rest.message, sent };
  }
  return { next: 'at', at: env.clock.now(), why: `pacing is off: up to ${rate} messages a second`, sent };
}

/**
 * Spaces the starts of sends to `rate` a second. A bucket of a hundredth of a second's sends
 * (at least one) lets a drain whose event loop was busy for a few milliseconds catch up at once
 * instead of sleeping a timer tick per send: at most `rate` + that many in any second.
 */
function tokenBucket(clock: Clock, rate: number): { take(): Promise<void> } {
  const capacity = Math.max(1, Math.floor(rate / 100));
  let tokens = capacity;
  let filledAt = clock.now();
  return {
    async take() {
      for (;;) {
        const now = clock.now();
        tokens = Math.min(capacity, tokens + ((now - filledAt) * rate) / 1000);
        filledAt = now;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await new Promise<void>((resolve) => clock.setTimer(now + ((1 - tokens) * 1000) / rate, resolve));
      }
    },
  };
}

/** Claimed messages that were never tried go back to the queue; their claim does not count as an attempt. */
function requeueUntried(env: DispatchEnv, messages: ClaimedMessage[], notBefore: number): void {
  for (const m of messages) env.ingest.result(env.owner, refOf(m), { id: m.id, outcome: 'requeue', notBefore, reason: null, code: null, uncount: true });
}

const refOf = (m: ClaimedMessage): ProfileRef => ({ workspaceId: m.workspaceId, profileId: m.profileId });

/** The member profile's started transport (opened once per process, see TransportHub). */
function transportOf(env: DispatchEnv, member: Member): Promise<Transport> {
  return env.transports.get({
    workspaceId: member.workspaceId,
    profileId: member.me.id,
    kind: member.me.transport,
    config: member.me.transportConfig ?? {},
    phone: member.me.phone,
  });
}

/**
 * Sends one claimed message and hands its result to the ingest. `left` when it left or may have
 * left (its governor slot stays counted); `numberInTrouble` when WhatsApp refused the number
 * itself (the caller sends no more now).
 */
async function sendOne(env: DispatchEnv, transport: Transport, message: ClaimedMessage): Promise<{ left: boolean; numberInTrouble: boolean }> {
  const ref = refOf(message);
  const result = (r: SendResult) => env.ingest.result(env.owner, ref, r);
  const outbound: OutboundMessage = { id: message.id, to: message.phone, content: message.content };
  const sending = transport.send(outbound);
  let timer: (() => void) | null = null;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = env.clock.setTimer(env.clock.now() + env.sendTimeoutMs, () => resolve('timeout'));
  });
  try {
    const answer = await Promise.race([sending, timedOut]);
    if (answer === 'timeout') {
      // No answer: it may have left. The row stays `sending` under its lease (the sweep settles it
      // as unknown, never re-sending). A late "sent" is recorded, and so is a late refusal that
      // proves nothing left (WhatsApp's own answer); a late network error proves nothing either way.
      sending.then(
        (ok) => result({ id: message.id, outcome: 'sent', providerMessageId: ok.providerMessageId, at: env.clock.now() }),
        (err: unknown) => {
          if (err instanceof TransportError && err.kind !== 'transient') result(failureResult(env, message, err));
        },
      );
      return { left: true, numberInTrouble: false };
    }
    result({ id: message.id, outcome: 'sent', providerMessageId: answer.providerMessageId, at: env.clock.now() });
    return { left: true, numberInTrouble: false };
  } catch (err) {
    result(failureResult(env, message, err));
    if (err instanceof TransportError && err.optOut) env.ingest.optOut(ref, message.phone, `WhatsApp refused the message: ${err.message}`);
    const signal = healthSignalOf(err);
    if (signal) env.ingest.event(ref, { type: 'health', ...signal, at: env.clock.now() });
    return { left: false, numberInTrouble: err instanceof TransportError && err.kind === 'profile' };
  } finally {
    (timer as (() => void) | null)?.();
  }
}

/** Provider codes of a number in deep trouble (whatsapp-facts.md A3): banned, logged out, locked, blocked for policy. */
const CRITICAL_CODES = new Set(['banned', 'logged_out', '131031', '368', '131048']);

/**
 * What a failed send says about the number, for its health: being told to slow down is a warning,
 * a number-level refusal is a warning or, for the codes above, critical. Recipient and content
 * errors say nothing about the number.
 */
function healthSignalOf(err: unknown): { signal: string; severity: 'warning' | 'critical'; detail: string } | null {
  if (!(err instanceof TransportError)) return null;
  if (err.kind === 'rate_limited') return { signal: 'rate_limited', severity: 'warning', detail: err.message };
  if (err.kind === 'profile') {
    const signal = err.code === '463' ? 'reach_out_timelock' : err.code;
    return { signal, severity: CRITICAL_CODES.has(err.code) ? 'critical' : 'warning', detail: err.message };
  }
  return null;
}

/** What a failed send means for the message (whatsapp-facts.md A3; transport.ts error kinds). */
function failureResult(env: Pick<DispatchEnv, 'clock'>, message: ClaimedMessage, err: unknown): SendResult {
  const now = env.clock.now();
  if (!(err instanceof TransportError)) {
    const reason = `sending failed unexpectedly: ${(err as Error).message ?? String(err)}`;
    return retryOrFail(message, now, reason, 'internal');
  }
  switch (err.kind) {
    case 'rate_limited':
      // Refused before it left: not an attempt of the message's.
      return { id: message.id, outcome: 'requeue', notBefore: now + (err.retryAfterMs ?? 60_000), reason: `WhatsApp asked to slow down: ${err.message}`, code: err.code, uncount: true };
    case 'transient':
      return retryOrFail(message, now, err.message, err.code);
    case 'profile':
      // The number is in trouble, not the message: it waits (and fails over when the profile is paused).
      return { id: message.id, outcome: 'requeue', notBefore: now + (err.retryAfterMs ?? 60_000), reason: `the sending number had a problem: ${err.message}`, code: err.code, uncount: true };
    case 'recipient':
    case 'permanent':
      return { id: message.id, outcome: 'failed', reason: err.message, code: err.code, at: now };
  }
}

function retryOrFail(message: ClaimedMessage, now: number, reason: string, code: string): SendResult {
  if (message.attempts >= MAX_ATTEMPTS) {
    return { id: message.id, outcome: 'failed', reason: `gave up after ${message.attempts} attempts: ${reason}`, code, at: now };
  }
  const wait = retryDelayMs(message.attempts, seededRandom(`retry:${message.id}:${message.attempts}`)());
  return { id: message.id, outcome: 'requeue', notBefore: now + wait, reason: `attempt ${message.attempts} failed (${reason}); retrying`, code };
}
