import { DAY_MS, HOUR_MS } from '../../domain/clock.ts';
import type { SimulatorConfig } from './config.ts';
import { sketchSimilarity, sketchText, type TextSketch } from './text-sketch.ts';

/**
 * How a simulated number gets warned and banned (product.md §8: punish fast, bursty, identical,
 * unanswered sending; whatsapp-facts.md B9 for what users report). Each send attempt adds risk
 * from five signals; risk halves every `riskHalfLifeMs` and drops with every message customers
 * send. Past `warningAt` the number gets a warning and may not start new chats for a while (like
 * WhatsApp Web's 463 reach-out timelock; each warning lasts twice the one before); reaching it
 * again after `maxWarnings`, or reaching `banAt` at all, bans it for good.
 *
 * No I/O, no clock, no randomness: time is an argument, so a week replays in milliseconds. Every
 * count is an exponentially fading counter or a bounded list, so a send costs the same after a
 * million sends as after ten.
 */

export type BanParams = SimulatorConfig['ban'];

export const RISK_SIGNALS = ['rate', 'burst', 'similar', 'unanswered', 'young'] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];
export type SignalPoints = Record<RiskSignal, number>;

const SIGNAL_WORDS: Record<RiskSignal, string> = {
  rate: 'many messages per minute',
  burst: 'bursts of sends within seconds',
  similar: 'near-identical texts',
  unanswered: 'messages to people who never answered',
  young: 'a young number sending a lot',
};


/** A count where each event fades: fully at once, e^-1 after one window. */
class FadingCount {
  value = 0;
  at = 0;
  constructor(readonly windowMs: number) {}

  add(at: number): number {
    this.value = this.valueAt(at) + 1;
    this.at = Math.max(this.at, at);
    return this.value;
  }

  valueAt(at: number): number {
    return this.value * Math.exp(-Math.max(0, at - this.at) / this.windowMs);
  }
}

interface TextCluster {
  sketch: TextSketch;
  count: FadingCount;
  lastAt: number;
}

export type BanChange =
  | { type: 'warned'; warning: number; timelockUntil: number; reason: string }
  | { type: 'banned'; reason: string };

export interface SendObservation {
  /** Risk this attempt added, by signal. */
  points: SignalPoints;
  /** Risk after the attempt. */
  risk: number;
  /** Set when this attempt crossed a line. */
  change: BanChange | null;
}

export interface BanState {
  state: 'healthy' | 'timelocked' | 'banned';
  risk: number;
  /** Current risk by signal (they add up to `risk`). */
  contributions: SignalPoints;
  warningAt: number;
  banAt: number;
  warnings: number;
  timelockUntil: number | null;
  bannedAt: number | null;
  banReason: string | null;
  /** The whole state in one sentence, for the simulate report and the dashboard. */
  summary: string;
}

const zeroPoints = (): SignalPoints => ({ rate: 0, burst: 0, similar: 0, unanswered: 0, young: 0 });

export class BanModel {
  readonly #p: BanParams;
  readonly #registeredAt: number;
  readonly #decayPerMs: number;
  #contrib = zeroPoints();
  #riskAt = 0;
  readonly #perMinute: FadingCount;
  readonly #burst: FadingCount;
  readonly #perDay = new FadingCount(DAY_MS);
  readonly #texts: TextCluster[] = [];
  readonly #answered = new Set<string>();
  #warnings = 0;
  #timelockUntil: number | null = null;
  #bannedAt: number | null = null;
  #banReason: string | null = null;

  /** `registeredAt`: when the number was created (its age drives the young-number signal). */
  constructor(params: BanParams, registeredAt: number) {
    this.#p = params;
    this.#registeredAt = registeredAt;
    this.#decayPerMs = Math.LN2 / params.riskHalfLifeMs;
    this.#perMinute = new FadingCount(params.rate.windowMs);
    this.#burst = new FadingCount(params.burst.windowMs);
  }

  get banned(): boolean {
    return this.#bannedAt !== null;
  }

  get banReason(): string | null {
    return this.#banReason;
  }

  /** Whether new chats are blocked at `at` by a warning. */
  timelocked(at: number): boolean {
    return this.#timelockUntil !== null && at < this.#timelockUntil;
  }

  get timelockUntil(): number | null {
    return this.#timelockUntil;
  }

  /** Whether `phone` ever wrote to the number (then it is an existing chat, not a new one). */
  hasAnswered(phone: string): boolean {
    return this.#answered.has(phone);
  }

  /**
   * One send attempt to `to` with `text` at `at` (a clock stepping back counts as no time passing).
   * Attempts refused for a warning still count: WhatsApp sees them, and ignoring a warning is how
   * numbers get banned.
   */
  observeSend(at: number, to: string, text: string): SendObservation {
    const p = this.#p;
    const points = zeroPoints();
    if (!p.enabled || this.banned) return { points, risk: this.riskAt(at), change: null };
    this.#decayTo(at);

    points.rate = Math.max(0, this.#perMinute.add(at) * (60_000 / p.rate.windowMs) - p.rate.threshold) * p.rate.points;
    points.burst = Math.max(0, this.#burst.add(at) - p.burst.threshold) * p.burst.points;
    points.similar = this.#similarCount(at, text) > p.similar.allowed ? p.similar.points : 0;
    points.unanswered = this.#answered.has(to) ? 0 : p.unanswered.points;
    points.young = this.#overYoungAllowance(at) ? p.young.points : 0;
    for (const s of RISK_SIGNALS) this.#contrib[s] += points[s];

    const risk = this.#sum();
    return { points, risk, change: this.#judge(at, risk) };
  }

  /** A customer wrote to the number (a reply or a first message): less risk, and an existing chat from now on. */
  observeReply(at: number, from: string): void {
    this.#answered.add(from);
    if (!this.#p.enabled || this.banned) return;
    this.#decayTo(at);
    const risk = this.#sum();
    if (risk <= 0) return;
    const keep = Math.max(0, risk - this.#p.replyRelief) / risk;
    for (const s of RISK_SIGNALS) this.#contrib[s] *= keep;
  }

  riskAt(at: number): number {
    return this.#sum() * this.#decayFactor(at);
  }

  inspect(at: number): BanState {
    const factor = this.#decayFactor(at);
    const contributions = zeroPoints();
    for (const s of RISK_SIGNALS) contributions[s] = this.#contrib[s] * factor;
    const risk = this.#sum() * factor;
    const state = this.banned ? 'banned' : this.timelocked(at) ? 'timelocked' : 'healthy';
    const p = this.#p;
    const head =
      state === 'banned'
        ? `Banned: ${this.#banReason}`
        : `Risk ${risk.toFixed(0)} (warning at ${p.warningAt}, ban at ${p.banAt})` +
          (state === 'timelocked' ? `; new chats blocked until ${new Date(this.#timelockUntil!).toISOString()}` : '') +
          (this.#warnings > 0 ? `; ${this.#warnings} of ${p.maxWarnings} warnings used` : '');
    const drivers = state === 'banned' ? '' : describeDrivers(contributions, risk);
    return {
      state,
      risk,
      contributions,
      warningAt: p.warningAt,
      banAt: p.banAt,
      warnings: this.#warnings,
      timelockUntil: this.#timelockUntil,
      bannedAt: this.#bannedAt,
      banReason: this.#banReason,
      summary: drivers ? `${head}; ${drivers}.` : `${head}.`,
    };
  }

  #judge(at: number, risk: number): BanChange | null {
    const p = this.#p;
    if (risk >= p.banAt) return this.#ban(at, `risk reached ${p.banAt} (${this.#why(risk)})`);
    if (risk < p.warningAt || this.timelocked(at)) return null;
    if (this.#warnings >= p.maxWarnings) return this.#ban(at, `risk reached the warning level ${p.warningAt} again after ${this.#warnings} warnings (${this.#why(risk)})`);
    this.#warnings++;
    const lock = p.timelockMs * 2 ** (this.#warnings - 1);
    this.#timelockUntil = at + lock;
    return {
      type: 'warned',
      warning: this.#warnings,
      timelockUntil: this.#timelockUntil,
      reason: `warning ${this.#warnings} of ${p.maxWarnings}: risk reached ${p.warningAt} (${this.#why(risk)}); no new chats for ${formatDuration(lock)}`,
    };
  }

  #why(risk: number): string {
    return `risk ${risk.toFixed(0)}, ${describeDrivers(this.#contrib, risk)}`;
  }

  #ban(at: number, reason: string): BanChange {
    this.#bannedAt = at;
    this.#banReason = reason;
    this.#timelockUntil = null;
    return { type: 'banned', reason };
  }

  /** How many recent texts (this one included) are near-identical to `text`. */
  #similarCount(at: number, text: string): number {
    const p = this.#p.similar;
    const sketch = sketchText(text);
    let best: TextCluster | null = null;
    let bestSimilarity = p.similarity;
    for (const c of this.#texts) {
      const s = sketchSimilarity(sketch, c.sketch);
      if (s >= bestSimilarity) {
        best = c;
        bestSimilarity = s;
        if (s === 1) break;
      }
    }
    if (!best) {
      best = { sketch, count: new FadingCount(p.windowMs), lastAt: at };
      if (this.#texts.length < p.memory) this.#texts.push(best);
      else {
        let oldest = 0;
        for (let i = 1; i < this.#texts.length; i++) if (this.#texts[i]!.lastAt < this.#texts[oldest]!.lastAt) oldest = i;
        this.#texts[oldest] = best;
      }
    }
    best.lastAt = at;
    return best.count.add(at);
  }

  /** A young number's allowance grows by `growth` a day: 20, 36, 65, … with the defaults. */
  #overYoungAllowance(at: number): boolean {
    const sentToday = this.#perDay.add(at);
    const ageDays = (at - this.#registeredAt) / DAY_MS;
    const y = this.#p.young;
    return ageDays < y.days && sentToday > y.startPerDay * y.growth ** Math.max(0, ageDays);
  }

  #decayFactor(at: number): number {
    const elapsed = at - this.#riskAt;
    return elapsed > 0 ? Math.exp(-elapsed * this.#decayPerMs) : 1;
  }

  #decayTo(at: number): void {
    const factor = this.#decayFactor(at);
    for (const s of RISK_SIGNALS) this.#contrib[s] *= factor;
    this.#riskAt = Math.max(this.#riskAt, at);
  }

  #sum(): number {
    const c = this.#contrib;
    return c.rate + c.burst + c.similar + c.unanswered + c.young;
  }
}

/** "mostly near-identical texts (62 %), bursts of sends within seconds (30 %)": the signals worth naming. */
function describeDrivers(contributions: SignalPoints, risk: number): string {
  if (risk < 0.5) return 'no recent risky sending';
  const named = RISK_SIGNALS.map((s) => ({ s, share: contributions[s] / risk }))
    .filter((x) => x.share >= 0.05)
    .sort((a, b) => b.share - a.share)
    .map((x) => `${SIGNAL_WORDS[x.s]} (${Math.round(x.share * 100)} %)`);
  return `mostly ${named.join(', ')}`;
}

function formatDuration(ms: number): string {
  const hours = ms / HOUR_MS;
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} days`;
  if (hours >= 1) return `${Number(hours.toFixed(1))} h`;
  return `${Math.round(ms / 60_000)} min`;
}
