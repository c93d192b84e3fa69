import type { ActiveHours, Limits } from '../domain/sender-settings.ts';

/**
 * The governor owns the hard limits of open chat (architecture.md, Pacing and the governor):
 * sliding windows of 1 h, 3 h and 24 h per profile, the package's daily total across its
 * profiles, the package's max-concurrent-sends semaphore, and the profile's active hours. It
 * answers "send now" (a grant) or "not before T, because …". Two implementations pass one
 * contract suite (./governor.contract.ts): Redis (atomic Lua; many workers at once) and
 * in-memory (embedded mode and the simulator's virtual clock).
 *
 * A grant counts as a send from the moment it is given (so two workers can never both take the
 * last slot); `release(…, 'not_sent')` gives the slot back when the message did not leave.
 * All times are milliseconds since the epoch, passed in by the caller (the simulator's clock is
 * virtual).
 */

/** Everything the governor needs to decide for one profile sending for one package. */
export interface GovernorRule {
  profileId: string;
  packageId: string;
  /** Effective limits, warm-up and warnings already applied. */
  limits: Limits;
  /** Sends per 24 h across the package's profiles; null: none. */
  packageDailyTotal: number | null;
  /** Profiles of the package sending at the same moment. */
  maxConcurrentSends: number;
  activeHours: ActiveHours;
  timezone: string;
}

export type RefusalReason = 'outside_active_hours' | 'hour' | 'three_hours' | 'day' | 'package_day' | 'concurrency';

export interface Refusal {
  reason: RefusalReason;
  /** The earliest moment asking again can succeed (for `concurrency`: a short retry). */
  notBefore: number;
  /** In words, for the dashboard: "hourly limit reached (20/20); next slot at 14:32". */
  message: string;
}

export interface Grant {
  /** Identifies this send's slot and concurrency seat. */
  token: string;
  at: number;
}

export type Decision = { ok: true; grant: Grant } | { ok: false; refusal: Refusal };

/** Slots for sends one profile makes one after another, under one concurrency seat. */
export interface BatchGrant extends Grant {
  /** How many sends were granted: at least 1, at most the number asked for. */
  count: number;
}

export type BatchDecision =
  /** `rest`: why fewer than asked were granted and when asking again can succeed; null when all were. */
  | { ok: true; grant: BatchGrant; rest: Refusal | null }
  | { ok: false; refusal: Refusal };

export interface Usage {
  hour: number;
  threeHours: number;
  day: number;
  /** The package's sends in the last 24 h (all its profiles). */
  packageDay: number;
  /** Seats of the package's semaphore taken right now. */
  sendingNow: number;
}

export interface Governor {
  /**
   * A slot for one send, or why not. `seatMs` bounds how long the concurrency seat is held if
   * the caller dies before `release` (a lease).
   */
  acquire(rule: GovernorRule, now: number, seatMs?: number): Promise<Decision>;
  /** Frees the seat; `not_sent` also takes the send out of the windows. Releasing twice is harmless. */
  release(rule: GovernorRule, grant: Grant, outcome: 'sent' | 'not_sent', now: number): Promise<void>;
  /**
   * Slots for up to `count` sends that one profile makes one after another (pacing off), in one
   * atomic step: as many as every window has room for, each counted from `now`, all under one
   * concurrency seat — a profile going through its batch is one sender of the package, as with
   * `acquire`. Refused only when not even one send may go; when fewer than asked may, `rest` says
   * which limit stops the others and until when.
   */
  acquireBatch(rule: GovernorRule, now: number, count: number, seatMs?: number): Promise<BatchDecision>;
  /**
   * Ends a batch: the sends that left stay counted, at the instants they left (`sentAt`, oldest
   * first, at most the grant's count), so the windows hold the real send times; the other slots
   * are given back and the seat is freed. Releasing twice is harmless.
   */
  releaseBatch(rule: GovernorRule, grant: BatchGrant, sentAt: number[], now: number): Promise<void>;
  usage(rule: GovernorRule, now: number): Promise<Usage>;
  /**
   * The instants (ms, oldest first) of the profile's counted sends in the 24 h before `now`, or
   * only those after `since` when that is later: pacing's pace and the completion estimate read them.
   */
  sendTimes(rule: GovernorRule, now: number, since?: number): Promise<number[]>;
  /**
   * Rebuilds the windows from the sends PostgreSQL knows of (the reconciler on start): replaces
   * what the governor holds for these profiles and packages with exactly these sends.
   */
  restore(sends: Array<{ profileId: string; packageId: string; at: number }>, now: number): Promise<void>;
  /**
   * True for exactly one caller after the governor's state was lost — a new in-memory governor, a
   * Redis that restarted empty — who must then `restore` it. Workers starting while others run get
   * false: replacing live windows with what PostgreSQL knows would forget sends not recorded yet.
   */
  claimRestore(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Both implementations decide in batches; a single send is a batch of one. Extending this gives
 * `acquire` and `release` in those terms, the same in every governor.
 */
export abstract class BatchingGovernor {
  abstract acquireBatch(rule: GovernorRule, now: number, count: number, seatMs?: number): Promise<BatchDecision>;
  abstract releaseBatch(rule: GovernorRule, grant: BatchGrant, sentAt: number[], now: number): Promise<void>;

  async acquire(rule: GovernorRule, now: number, seatMs?: number): Promise<Decision> {
    const d = await this.acquireBatch(rule, now, 1, seatMs);
    return d.ok ? { ok: true, grant: { token: d.grant.token, at: d.grant.at } } : d;
  }

  async release(rule: GovernorRule, grant: Grant, outcome: 'sent' | 'not_sent', now: number): Promise<void> {
    await this.releaseBatch(rule, { ...grant, count: 1 }, outcome === 'sent' ? [grant.at] : [], now);
  }
}
