import type { Tx } from '../db/audit.repo.ts';
import type { Database } from '../db/client.ts';
import { databaseUnreachable } from '../db/pg-errors.ts';
import { applyReceipts, recordResults, type Receipt, type SendResult } from '../db/outbox.repo.ts';
import { optOutPhones, recordInbound, type InboundRow } from '../db/inbound.repo.ts';
import { addStats, ZERO_COUNTS, type StatCounts, type StatDelta } from '../db/profile-stats.repo.ts';
import { optOutKeyword } from '../domain/opt-out.ts';
import { receiptRank } from '../domain/outbox.ts';
import type { TransportEvent } from '../transports/transport.ts';

/**
 * Batches everything that comes back from sending — the drains' results and the transports'
 * receipts and inbound messages — into a few set-based statements every `intervalMs` (or sooner
 * when `maxBatch` items wait): architecture.md, Dispatch step 3. One statement per kind per batch,
 * never one per message: that is what lets a pool of fast numbers go past a few thousand a second.
 *
 * Results are written before receipts, so a receipt that overtook its send's result still finds
 * the row sent; both statements are also correct in either order (statuses only move forward).
 */

export interface ProfileRef {
  workspaceId: string;
  profileId: string;
}

/** What a flush did, per profile: the health and usage services look at these. */
export interface FlushReport {
  /** Per profile: sends that left, sends that failed (in order), inbound messages and other events. */
  profiles: Map<string, ProfileActivity>;
}

export interface ProfileActivity extends ProfileRef {
  counts: StatCounts;
  /** Outcomes of this flush's sends, oldest first: true = left, false = failed. */
  outcomes: Array<{ ok: boolean; at: number }>;
  /** Connection and health signals from the transport. */
  signals: Array<Extract<TransportEvent, { type: 'connection' | 'health' }>>;
}

interface Pending {
  results: Array<{ owner: string; ref: ProfileRef; result: SendResult }>;
  receipts: Array<{ ref: ProfileRef; receipt: Receipt }>;
  inbound: Array<InboundRow & { text: string }>;
  signals: Array<{ ref: ProfileRef; event: Extract<TransportEvent, { type: 'connection' | 'health' }> }>;
  /** Recipients WhatsApp says asked not to be messaged (a send refused for that reason). */
  optOuts: Array<{ workspaceId: string; phone: string; reason: string }>;
}

export interface IngestOptions {
  /** How long the first item of a batch may wait for others before the batch is written. */
  intervalMs: number;
  /** A batch this big is written without waiting for the interval. */
  maxBatch: number;
  /** Told when a batch could not be written after every retry (the database is down), or a listener failed. */
  onError?: (err: unknown) => void;
}

/**
 * A batch the database refuses is retried this many times, waiting 0.1, 0.2, 0.4… s; while the
 * database cannot be reached at all, it is retried for as long as that lasts, every 5 s at most.
 */
const WRITE_ATTEMPTS = 6;
const MAX_RETRY_WAIT_MS = 5_000;

const empty = (): Pending => ({ results: [], receipts: [], inbound: [], signals: [], optOuts: [] });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Appends `later` to `earlier` in place, keeping the order of each kind; returns `earlier`. */
function append(earlier: Pending, later: Pending): Pending {
  for (const r of later.results) earlier.results.push(r);
  for (const r of later.receipts) earlier.receipts.push(r);
  for (const m of later.inbound) earlier.inbound.push(m);
  for (const s of later.signals) earlier.signals.push(s);
  for (const o of later.optOuts) earlier.optOuts.push(o);
  return earlier;
}

export class EventIngest {
  private pending = empty();
  private timer: NodeJS.Timeout | null = null;
  /** What flushes cut off while a write was in flight, merged into the next write; and when that write is done. */
  private cut: Pending | null = null;
  private cutWritten = deferred();
  /** The write loop, while it runs: one write at a time, in order. */
  private writing: Promise<void> | null = null;
  private readonly listeners = new Set<(report: FlushReport) => Promise<void> | void>();
  private closing = false;

  constructor(
    private readonly db: Database,
    private readonly clock: { now(): number },
    private readonly opts: IngestOptions = { intervalMs: 20, maxBatch: 1000 },
  ) {}

  /** Called after every flush with what it wrote. */
  onFlush(listener: (report: FlushReport) => Promise<void> | void): void {
    this.listeners.add(listener);
  }

  result(owner: string, ref: ProfileRef, result: SendResult): void {
    this.pending.results.push({ owner, ref, result });
    this.schedule();
  }

  /** A recipient who asked not to be messaged: opted out like a "STOP" reply, with this reason. */
  optOut(ref: ProfileRef, phone: string, reason: string): void {
    this.pending.optOuts.push({ workspaceId: ref.workspaceId, phone, reason });
    this.schedule();
  }

  event(ref: ProfileRef, event: TransportEvent): void {
    switch (event.type) {
      case 'status':
        this.pending.receipts.push({
          ref,
          receipt: {
            workspaceId: ref.workspaceId,
            profileId: ref.profileId,
            messageId: event.messageId,
            providerMessageId: event.providerMessageId,
            status: event.status,
            at: event.at,
            reason: event.error?.message ?? null,
            code: event.error?.code ?? null,
          },
        });
        break;
      case 'inbound':
        this.pending.inbound.push({ workspaceId: ref.workspaceId, profileId: ref.profileId, phone: event.from, at: event.at, text: event.text });
        break;
      default:
        this.pending.signals.push({ ref, event });
    }
    this.schedule();
  }

  private size(): number {
    const p = this.pending;
    return p.results.length + p.receipts.length + p.inbound.length + p.signals.length + p.optOuts.length;
  }

  private schedule(): void {
    if (this.size() >= this.opts.maxBatch) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.opts.intervalMs);
  }

  /**
   * Writes what is pending; resolves when it (and any flush before it) is written and its
   * listeners have run. The batches flushed while a write is in flight are written together
   * when it ends, as one: under load the batches grow instead of queueing up, so the statements
   * and the listeners' work per flush are spread over more messages and the writes keep up with
   * the sends.
   */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.cut = this.cut ? append(this.cut, this.pending) : this.pending;
    this.pending = empty();
    const done = this.cutWritten.promise;
    this.writing ??= this.writeLoop();
    return done;
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.cut) {
        const batch = this.cut;
        const written = this.cutWritten;
        this.cut = null;
        this.cutWritten = deferred();
        try {
          await this.writeWithRetries(batch);
        } finally {
          written.resolve();
        }
      }
    } finally {
      this.writing = null;
    }
  }

  /**
   * A batch the database refuses is retried with backoff; one it cannot reach waits for it (results
   * are the only record of what left). If a batch still fails (or the process is closing), what it
   * carried is not lost for good: sends left `sending` are settled by the lease sweep (never
   * re-sent), and the next receipt of each message moves it on.
   */
  private async writeWithRetries(batch: Pending): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let report: FlushReport | null;
      try {
        report = await this.write(batch);
      } catch (err) {
        const waitForDatabase = databaseUnreachable(err) && !this.closing;
        if (attempt >= WRITE_ATTEMPTS) {
          this.opts.onError?.(err);
          if (!waitForDatabase) return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RETRY_WAIT_MS, 100 * 2 ** (attempt - 1))));
        continue;
      }
      // A listener's failure (health, usage) is reported, never a reason to write the batch again.
      if (report) {
        for (const listener of this.listeners) {
          try {
            await listener(report);
          } catch (err) {
            this.opts.onError?.(err);
          }
        }
      }
      return;
    }
  }

  /**
   * One transaction per batch: the messages' states and the statistics counted from them are seen
   * together, and a batch written again after a failure starts from nothing written (a receipt
   * applied by a failed attempt would otherwise not be counted by the next).
   */
  private async write(batch: Pending): Promise<FlushReport | null> {
    if (batch.results.length + batch.receipts.length + batch.inbound.length + batch.signals.length + batch.optOuts.length === 0) return null;
    return this.db.orm.transaction((tx) => this.writeIn(tx, batch));
  }

  private async writeIn(tx: Tx, batch: Pending): Promise<FlushReport> {
    const report: FlushReport = { profiles: new Map() };
    const activity = (ref: ProfileRef): ProfileActivity => {
      let a = report.profiles.get(ref.profileId);
      if (!a) {
        a = { ...ref, counts: { ...ZERO_COUNTS }, outcomes: [], signals: [] };
        report.profiles.set(ref.profileId, a);
      }
      return a;
    };
    const deltas = new Map<string, StatDelta>();
    const count = (ref: ProfileRef, at: number, field: keyof StatCounts) => {
      const minute = Math.floor(at / 60_000);
      const key = `${ref.profileId}:${minute}`;
      let d = deltas.get(key);
      if (!d) {
        d = { ...ref, at: minute * 60_000, ...ZERO_COUNTS };
        deltas.set(key, d);
      }
      d[field]++;
      activity(ref).counts[field]++;
    };

    const byOwner = new Map<string, SendResult[]>();
    for (const { owner, ref, result } of batch.results) {
      const mine = byOwner.get(owner);
      if (mine) mine.push(result);
      else byOwner.set(owner, [result]);
      if (result.outcome === 'sent') {
        count(ref, result.at, 'sent');
        activity(ref).outcomes.push({ ok: true, at: result.at });
      } else if (result.outcome === 'failed') {
        count(ref, result.at, 'failed');
        activity(ref).outcomes.push({ ok: false, at: result.at });
      }
    }
    for (const [owner, results] of byOwner) await recordResults(tx, owner, results);

    if (batch.receipts.length > 0) {
      // One receipt per message and reporting profile, the furthest along (a batch may hold "delivered"
      // and "read" of one message; a receipt another profile reports must not hide the sender's).
      const furthest = new Map<string, { ref: ProfileRef; receipt: Receipt }>();
      for (const r of batch.receipts) {
        const key = `${r.ref.profileId}:${r.receipt.messageId ?? r.receipt.providerMessageId}`;
        const cur = furthest.get(key);
        if (!cur || receiptRank(r.receipt.status) > receiptRank(cur.receipt.status)) furthest.set(key, r);
      }
      const refs = new Map([...furthest.values()].map((r) => [r.ref.profileId, r.ref]));
      const applied = await applyReceipts(tx, [...furthest.values()].map((r) => r.receipt));
      const at = new Map([...furthest.values()].map((r) => [r.receipt.messageId ?? r.receipt.providerMessageId, r.receipt.at]));
      for (const a of applied) {
        const ref = (a.profileId && refs.get(a.profileId)) || { workspaceId: a.workspaceId, profileId: a.profileId ?? '' };
        if (!ref.profileId) continue;
        const when = at.get(a.id) ?? this.clock.now();
        // Each step counted once: a jump from sent to read counts a delivery too.
        if (a.status === 'failed') {
          count(ref, when, 'failed');
          activity(ref).outcomes.push({ ok: false, at: when });
          continue;
        }
        const reached = (s: string) => receiptRank(a.status) >= receiptRank(s) && receiptRank(a.previous) < receiptRank(s);
        if (reached('delivered')) count(ref, when, 'delivered');
        if (reached('read')) count(ref, when, 'read');
        if (reached('replied')) count(ref, when, 'replied');
      }
    }

    if (batch.inbound.length > 0) {
      for (const m of batch.inbound) count(m, m.at, 'received');
      const replied = await recordInbound(tx, batch.inbound);
      for (const r of replied) if (r.profileId) count({ workspaceId: r.workspaceId, profileId: r.profileId }, this.clock.now(), 'replied');
    }

    // Per workspace, each reason once with all its phones.
    const optOuts = new Map<string, Map<string, string[]>>();
    const optOut = (workspaceId: string, phone: string, reason: string) => {
      const reasons = optOuts.get(workspaceId) ?? new Map<string, string[]>();
      reasons.set(reason, [...(reasons.get(reason) ?? []), phone]);
      optOuts.set(workspaceId, reasons);
    };
    for (const m of batch.inbound) {
      const keyword = optOutKeyword(m.text);
      if (keyword) optOut(m.workspaceId, m.phone, `replied "${keyword}"`);
    }
    for (const o of batch.optOuts) optOut(o.workspaceId, o.phone, o.reason);
    for (const [workspaceId, reasons] of optOuts) {
      for (const [reason, phones] of reasons) await optOutPhones(tx, workspaceId, phones, reason, this.clock.now());
    }

    for (const { ref, event } of batch.signals) activity(ref).signals.push(event);
    await addStats(tx, [...deltas.values()]);
    return report;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.flush();
  }
}
