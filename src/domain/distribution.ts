import type { HealthState, ProfileStatus, Strategy } from './sender-settings.ts';
import type { RandomStream } from './template.ts';

/**
 * Which profile of a package sends each open-chat recipient (product.md §4, Distribution
 * strategies). Pure: the caller passes the profiles as they are now (status, health, the
 * governor's remaining daily capacity) and a seeded random stream; every choice comes back with
 * the sentence the dashboard and API show.
 *
 * Who can take open chat at all: a profile that is connected and whose health is healthy or
 * warning. Risky counts as unable too — the health checks auto-pause risky profiles and move
 * their queued messages away, so giving one new recipients would only feed that failover.
 *
 * Rules, in the order they apply:
 * 1. Plan tier: starter and pro workspaces send from one dedicated profile (the named one when it
 *    can send, else the package's first profile that can, by position then id); enterprise
 *    spreads over the pool with the strategy.
 * 2. Sticky: a recipient who already talks to a profile stays with it whenever that profile can
 *    take open chat, whatever its remaining capacity — the conversation matters more than
 *    today's share. Sticky recipients count against that profile's capacity.
 * 3. Strategy, for everyone else:
 *    - round_robin: equal shares in turn over the profiles that can send, in stable order from
 *      `roundRobinStart`; shares differ by at most one.
 *    - random: each recipient a uniformly random profile that can send.
 *    - weighted: each recipient drawn in proportion to the profile's weight (below).
 *    - smart: only profiles that can send and have capacity left today, drawn in proportion to
 *      their healthy capacity left (remaining today × health score ÷ 100), so healthy profiles
 *      with room get most and nearly-full or shaky ones little.
 *
 * How to set a profile's weight, and how it is measured (the user's question in 001): a weight is
 * a relative number — a profile with weight 2 gets twice the recipients of one with weight 1;
 * its share is its weight ÷ the sum over the profiles that can send. Set it by hand on the
 * Senders page when one number should carry more or less than its capacity says (an old trusted
 * number, one you want to keep quiet). Leave it empty and Chorus measures it: the messages the
 * profile may still send today (its daily limit minus what the governor counted in the last
 * 24 h) × its health score ÷ 100 — its healthy capacity left today, which falls as it sends and
 * as its health drops. Both kinds share that unit (messages a day), so a hand-set weight of 100
 * next to a measured one of 96 means about the same share.
 *
 * Capacity: smart, and weighted for measured weights, never give a profile more than its
 * remaining capacity while another taking part has room — the overflow goes to the others. When
 * every one of them is full, the rest are still assigned, spread by health score (capacity
 * resets tomorrow, health is what still tells them apart), and wait for tomorrow: dropping them
 * would lose recipients the user asked to reach, and the governor already holds each send until
 * a slot opens. Hand-set weights are not capped: the user chose that share.
 *
 * Cost: one pass over the recipients, O(log p) a recipient for the weighted draws (a sum tree
 * over the p profiles, updated in O(log p) when one fills up) and O(1) otherwise; per recipient
 * one small result object, every reason string built once per profile and shared.
 */

export type PlanTier = 'starter' | 'pro' | 'enterprise';

export interface DistributionCandidate {
  profileId: string;
  name: string;
  status: ProfileStatus;
  /** `score` from 0 to 100. */
  health: { state: HealthState; score: number };
  /** The words behind a status or health state ("5 consecutive failures in 10 min"), when known. */
  statusReason?: string | null | undefined;
  /** Set by hand; null: measured (remaining capacity × health). */
  weight: number | null;
  /** Open-chat sends the profile may still make today (the governor's daily usage against its limit). */
  remainingToday: number;
  /** Order within the package; ties broken by profile id. */
  position: number;
}

export interface DistributionRecipient {
  /** Phone or contact id: only echoed back. */
  key: string;
  /** The profile this recipient already talks to, if any. */
  stickyProfileId?: string | null | undefined;
}

export interface DistributionInput {
  candidates: readonly DistributionCandidate[];
  recipients: Iterable<DistributionRecipient>;
  strategy: Strategy;
  tier: PlanTier;
  /** From seededRandom; drawn only by random, weighted and smart. */
  random: RandomStream;
  /** Round-robin begins at this place in the stable order (to continue where a previous batch ended). */
  roundRobinStart?: number | undefined;
  /** Starter and pro: the profile chosen as dedicated, if one was chosen. */
  dedicatedProfileId?: string | null | undefined;
}

export interface Assignment {
  key: string;
  /** null: no profile of the package can take open chat. */
  profileId: string | null;
  reason: string;
}

export interface ProfileShare {
  profileId: string;
  name: string;
  assigned: number;
  /** assigned ÷ all recipients. */
  share: number;
  /** Assigned beyond its remaining capacity today: these wait for tomorrow. */
  beyondToday: number;
  /** How many recipients each reason brought, most first. */
  reasons: Array<{ reason: string; count: number }>;
}

export interface SkippedProfile {
  profileId: string;
  name: string;
  /** "skipped: paused (5 consecutive failures)". Sticky recipients may still reach it (see `profiles`). */
  reason: string;
}

export interface Distribution {
  strategy: Strategy;
  tier: PlanTier;
  /** One sentence for the whole run: plan, strategy, how many profiles take part. */
  explanation: string;
  assignments: Assignment[];
  /** Every candidate, in stable order. */
  profiles: ProfileShare[];
  skipped: SkippedProfile[];
  unassigned: number;
}

export interface EffectiveWeight {
  profileId: string;
  name: string;
  weight: number;
  source: 'manual' | 'derived';
  /** Of the weighted strategy's draws, with everyone's current weights; 0 for a profile that cannot send. */
  share: number;
  explanation: string;
}

/** A profile taking part in one distribution, at a position of the pool. */
interface Member {
  at: number;
  weight: number;
  /** Capacity it may take before the others must (Infinity: not capped). */
  cap: number;
  /** Its weight once every capped member is full. */
  overflowWeight: number;
  reason: string;
  overflowReason: string;
}

interface Picker {
  /** Pool position for the next recipient the strategy decides. */
  next(): number;
  /** One more recipient on that position, sticky ones included (they use capacity too). */
  took(pos: number): void;
  /** Every capped member is full: draws now spread the overflow. */
  readonly overflowing: boolean;
}

const STRATEGY_WORDS: Record<Strategy, string> = { round_robin: 'round-robin', random: 'random', weighted: 'weighted', smart: 'smart' };

const byStableOrder = (a: DistributionCandidate, b: DistributionCandidate) =>
  a.position - b.position || (a.profileId < b.profileId ? -1 : a.profileId > b.profileId ? 1 : 0);

const clampScore = (score: number) => Math.min(100, Math.max(0, score));
const remainingOf = (c: DistributionCandidate) => Math.max(0, Math.floor(c.remainingToday));
const fmt = (n: number) => (Math.round(n * 10) / 10).toLocaleString('en-US');

/** Why the profile cannot take open chat now, in words ("paused (5 consecutive failures)"); null when it can. */
function openChatBlocker(c: DistributionCandidate): string | null {
  const why = c.statusReason || null;
  if (c.status !== 'connected') return why ? `${c.status} (${why})` : c.status;
  if (c.health.state !== 'healthy' && c.health.state !== 'warning') {
    return `${c.health.state} (health score ${clampScore(c.health.score)}/100${why ? `; ${why}` : ''})`;
  }
  return null;
}

function weightOf(c: DistributionCandidate): { weight: number; source: 'manual' | 'derived'; explanation: string } {
  if (c.weight !== null) {
    const weight = Math.max(0, c.weight);
    return { weight, source: 'manual', explanation: `set by hand to ${fmt(weight)}` };
  }
  const remaining = remainingOf(c);
  const score = clampScore(c.health.score);
  const weight = (remaining * score) / 100;
  return { weight, source: 'derived', explanation: `measured: ${fmt(remaining)} messages left today × health score ${score}/100 = ${fmt(weight)}` };
}

/**
 * Each profile's weight for the weighted strategy and where it comes from, in stable order — for
 * the Senders page, so a user sees why one number gets more than another.
 */
export function effectiveWeights(candidates: readonly DistributionCandidate[]): EffectiveWeight[] {
  const rows = [...candidates].sort(byStableOrder).map((c) => ({ c, blocker: openChatBlocker(c), ...weightOf(c) }));
  const total = rows.reduce((sum, r) => (r.blocker ? sum : sum + r.weight), 0);
  return rows.map(({ c, blocker, weight, source, explanation }) => ({
    profileId: c.profileId,
    name: c.name,
    weight,
    source,
    share: blocker || total === 0 ? 0 : weight / total,
    explanation: blocker ? `${explanation}; gets no recipients while ${blocker}` : explanation,
  }));
}

/** Sums over a binary tree of weights: draw in proportion and zero a leaf in O(log p), with no rounding residue. */
class WeightTree {
  private readonly leaves: number;
  private readonly sums: Float64Array;

  constructor(weights: readonly number[]) {
    let leaves = 1;
    while (leaves < weights.length) leaves *= 2;
    this.leaves = leaves;
    this.sums = new Float64Array(2 * leaves);
    weights.forEach((w, i) => (this.sums[leaves + i] = w));
    for (let node = leaves - 1; node >= 1; node--) this.sums[node] = this.sums[2 * node]! + this.sums[2 * node + 1]!;
  }

  total(): number {
    return this.sums[1]!;
  }

  set(i: number, weight: number): void {
    let node = this.leaves + i;
    this.sums[node] = weight;
    // Recomputed from the children, not adjusted by the difference: a zeroed subtree sums to exactly 0.
    for (node >>= 1; node >= 1; node >>= 1) this.sums[node] = this.sums[2 * node]! + this.sums[2 * node + 1]!;
  }

  /** The leaf whose span of the cumulative weights holds `target` ∈ [0, total); never a zero-weight leaf. */
  find(target: number): number {
    let node = 1;
    while (node < this.leaves) {
      const left = this.sums[2 * node]!;
      if (target < left || this.sums[2 * node + 1]! <= 0) {
        node = 2 * node;
      } else {
        target -= left;
        node = 2 * node + 1;
      }
    }
    return node - this.leaves;
  }
}

function roundRobinPicker(size: number, start: number): Picker {
  let turn = ((Math.floor(start) % size) + size) % size;
  return {
    next() {
      const pos = turn;
      turn = turn + 1 === size ? 0 : turn + 1;
      return pos;
    },
    took() {},
    overflowing: false,
  };
}

function uniformPicker(size: number, random: RandomStream): Picker {
  return { next: () => Math.min(size - 1, Math.floor(random() * size)), took() {}, overflowing: false };
}

function cappedPicker(members: readonly Member[], random: RandomStream): Picker {
  let tree = new WeightTree(members.map((m) => (m.cap > 0 ? m.weight : 0)));
  const taken = new Float64Array(members.length);
  const picker = {
    overflowing: false,
    next: () => tree.find(random() * tree.total()),
    took(pos: number) {
      taken[pos]!++;
      if (picker.overflowing || taken[pos]! < members[pos]!.cap) return;
      tree.set(pos, 0);
      overflowIfFull();
    },
  };
  const overflowIfFull = () => {
    if (tree.total() > 0) return;
    picker.overflowing = true;
    tree = new WeightTree(members.map((m) => m.overflowWeight));
  };
  overflowIfFull();
  return picker;
}

const overflowReason = (c: DistributionCandidate) =>
  `every profile is at today's limit, so this waits for tomorrow on ${c.name} (the excess is spread by health score, ${clampScore(c.health.score)}/100)`;

/** The enterprise pool for a strategy, and why the others are left out of it. */
function enterprisePool(order: readonly DistributionCandidate[], sendable: readonly number[], strategy: Strategy) {
  const members: Member[] = [];
  const skipped: Array<{ at: number; reason: string }> = [];
  const uncapped = (at: number, reason: string): Member => ({ at, weight: 1, cap: Infinity, overflowWeight: 1, reason, overflowReason: reason });
  const p = sendable.length;
  switch (strategy) {
    case 'round_robin':
      for (const at of sendable) members.push(uncapped(at, `round-robin: ${order[at]!.name}'s turn (equal shares over ${p} profiles)`));
      break;
    case 'random': {
      const reason = `random: drawn uniformly from ${p} profiles`;
      for (const at of sendable) members.push(uncapped(at, reason));
      break;
    }
    case 'weighted':
      for (const at of sendable) {
        const c = order[at]!;
        const w = weightOf(c);
        const score = clampScore(c.health.score);
        if (w.source === 'manual' && w.weight <= 0) skipped.push({ at, reason: 'weight set to 0 by hand' });
        else if (w.source === 'derived' && score <= 0) skipped.push({ at, reason: 'health score 0, so its measured weight is 0' });
        else {
          members.push({
            at,
            weight: w.weight,
            cap: w.source === 'manual' ? Infinity : remainingOf(c),
            overflowWeight: score,
            reason: `weighted: drawn in proportion to its weight, ${w.explanation}`,
            overflowReason: overflowReason(c),
          });
        }
      }
      break;
    case 'smart': {
      const hasRoom = (at: number) => remainingOf(order[at]!) > 0 && clampScore(order[at]!.health.score) > 0;
      // Nobody with room left: everyone who can send takes part, already full, and shares the wait.
      const anyRoom = sendable.some(hasRoom);
      for (const at of sendable) {
        const c = order[at]!;
        const remaining = remainingOf(c);
        const score = clampScore(c.health.score);
        if (score <= 0) skipped.push({ at, reason: 'health score 0' });
        else if (remaining <= 0 && anyRoom) skipped.push({ at, reason: 'no capacity left today' });
        else {
          const weight = (remaining * score) / 100;
          members.push({
            at,
            weight,
            cap: remaining,
            overflowWeight: score,
            reason: `smart: drawn in proportion to healthy capacity left, ${fmt(remaining)} messages left today × health score ${score}/100 = ${fmt(weight)}`,
            overflowReason: overflowReason(c),
          });
        }
      }
      break;
    }
  }
  return { members, skipped };
}

/** Starter and pro: the one dedicated profile, and a note when the named one could not be used. */
function dedicatedPool(order: readonly DistributionCandidate[], blockers: ReadonlyArray<string | null>, sendable: readonly number[], input: DistributionInput) {
  const named = input.dedicatedProfileId ? order.findIndex((c) => c.profileId === input.dedicatedProfileId) : -1;
  const at = named >= 0 && blockers[named] === null ? named : sendable[0]!;
  const c = order[at]!;
  let note = '';
  if (input.dedicatedProfileId && named < 0) note = `; the chosen dedicated profile is not in this package, so ${c.name} sends instead`;
  else if (named >= 0 && named !== at) note = `; the chosen dedicated profile ${order[named]!.name} is ${blockers[named]}, so ${c.name}, the first that can send, sends instead`;
  const reason = `${input.tier} plan: sent by its dedicated profile, ${c.name}`;
  return {
    dedicated: at,
    members: [{ at, weight: 1, cap: Infinity, overflowWeight: 1, reason, overflowReason: reason }],
    skipped: sendable.filter((s) => s !== at).map((s) => ({ at: s, reason: `the ${input.tier} plan sends from one dedicated profile (${c.name})` })),
    explanation: `${input.tier} plan: one dedicated profile, ${c.name}${note}`,
  };
}

/** Chooses a profile for every recipient; see the module comment for the rules. */
export function distribute(input: DistributionInput): Distribution {
  const order = [...input.candidates].sort(byStableOrder);
  const indexOf = new Map(order.map((c, i) => [c.profileId, i]));
  const blockers = order.map(openChatBlocker);
  const sendable = order.flatMap((_, i) => (blockers[i] === null ? [i] : []));
  const dedicatedTier = input.tier !== 'enterprise';

  let members: Member[] = [];
  let poolSkips: Array<{ at: number; reason: string }> = [];
  let dedicated = -1;
  let explanation: string;
  if (sendable.length === 0) {
    explanation = order.length === 0 ? 'this package has no profiles' : 'no profile of this package can take open chat';
  } else if (dedicatedTier) {
    ({ members, skipped: poolSkips, dedicated, explanation } = dedicatedPool(order, blockers, sendable, input));
  } else {
    ({ members, skipped: poolSkips } = enterprisePool(order, sendable, input.strategy));
    explanation = `enterprise plan: ${STRATEGY_WORDS[input.strategy]} over ${members.length} of ${order.length} profiles`;
  }

  const skipReason = [...blockers];
  for (const s of poolSkips) skipReason[s.at] = s.reason;
  const skippedAt = order.flatMap((_, i) => (skipReason[i] === null ? [] : [i]));
  const skipped: SkippedProfile[] = skippedAt.map((i) => ({ profileId: order[i]!.profileId, name: order[i]!.name, reason: `skipped: ${skipReason[i]}` }));
  const noneReason =
    order.length === 0 ? 'this package has no profiles' : `no profile of this package can take open chat (${skippedAt.map((i) => `${order[i]!.name}: ${skipReason[i]}`).join('; ')})`;

  const picker: Picker | null =
    members.length === 0
      ? null
      : dedicatedTier || input.strategy === 'round_robin'
        ? roundRobinPicker(members.length, input.roundRobinStart ?? 0)
        : input.strategy === 'random'
          ? uniformPicker(members.length, input.random)
          : cappedPicker(members, input.random);
  const memberPos = new Int32Array(order.length).fill(-1);
  members.forEach((m, pos) => (memberPos[m.at] = pos));

  const stickyHolds = (at: number) => blockers[at] === null && (!dedicatedTier || at === dedicated);
  const keptReason = order.map((c) => `stays with ${c.name}, the profile this recipient already talks to`);
  // Reasons for recipients whose sticky profile could not keep them, built once per (sticky, phase, chosen).
  const outside = order.length;
  const fallbackPrefix = (sticky: number) =>
    sticky === outside
      ? 'was talking to a profile outside this package; '
      : blockers[sticky] !== null
        ? `was talking to ${order[sticky]!.name}, which is ${blockers[sticky]}; `
        : `was talking to ${order[sticky]!.name}, but the ${input.tier} plan sends from one dedicated profile; `;
  const fallbackReasons = new Map<number, string>();
  const fallbackReason = (sticky: number, overflow: boolean, pos: number, base: string) => {
    const key = (sticky * 2 + (overflow ? 1 : 0)) * members.length + pos;
    let reason = fallbackReasons.get(key);
    if (reason === undefined) fallbackReasons.set(key, (reason = fallbackPrefix(sticky) + base));
    return reason;
  };

  const assigned = new Float64Array(order.length);
  const reasonCounts = order.map(() => new Map<string, number>());
  const assignments: Assignment[] = [];
  let unassigned = 0;
  for (const recipient of input.recipients) {
    const sticky = recipient.stickyProfileId ? (indexOf.get(recipient.stickyProfileId) ?? outside) : -1;
    let at: number;
    let reason: string;
    if (sticky >= 0 && sticky < outside && stickyHolds(sticky)) {
      at = sticky;
      reason = keptReason[at]!;
      if (memberPos[at]! >= 0) picker!.took(memberPos[at]!);
    } else if (picker === null) {
      unassigned++;
      assignments.push({ key: recipient.key, profileId: null, reason: noneReason });
      continue;
    } else {
      const overflow = picker.overflowing;
      const pos = picker.next();
      picker.took(pos);
      const m = members[pos]!;
      at = m.at;
      const base = overflow ? m.overflowReason : m.reason;
      reason = sticky >= 0 ? fallbackReason(sticky, overflow, pos, base) : base;
    }
    assigned[at]!++;
    const counts = reasonCounts[at]!;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
    assignments.push({ key: recipient.key, profileId: order[at]!.profileId, reason });
  }

  const total = assignments.length;
  const profiles = order.map((c, i) => ({
    profileId: c.profileId,
    name: c.name,
    assigned: assigned[i]!,
    share: total === 0 ? 0 : assigned[i]! / total,
    beyondToday: Math.max(0, assigned[i]! - remainingOf(c)),
    reasons: [...reasonCounts[i]!].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
  }));
  return { strategy: input.strategy, tier: input.tier, explanation, assignments, profiles, skipped, unassigned };
}
