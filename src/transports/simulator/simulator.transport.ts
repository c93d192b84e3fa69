import { DAY_MS, type Clock } from '../../domain/clock.ts';
import { seededRandom } from '../../domain/seeded-random.ts';
import { TEXT_MAX } from '../../domain/template-rules.ts';
import {
  TransportError,
  type OutboundContent,
  type OutboundMessage,
  type Transport,
  type TransportErrorKind,
  type TransportEvent,
  type TransportEventHandler,
} from '../transport.ts';
import { BanModel, type BanState } from './ban-model.ts';
import type { SimulatorConfig } from './config.ts';
import { drawFate, type Fate } from './fate.ts';
import { SendWindow } from './send-window.ts';

/** What a profile's transport needs from the network it lives in (./network.ts). */
export interface SimulatorWorld {
  readonly clock: Clock;
  readonly seed: string;
  /** Whether send() waits for the accept latency (real time) or resolves at once (virtual time). */
  readonly delayAccept: boolean;
  isOnWhatsApp(phone: string): boolean;
}

export interface SimulatorCounters {
  /** Every call of send(). */
  attempts: number;
  accepted: number;
  /** Sends rejected, by the kind of error. */
  refused: Record<TransportErrorKind, number>;
  delivered: number;
  read: number;
  /** Accepted messages later reported failed. */
  failed: number;
  /** Replies to our messages, and how many of them asked to stop. */
  replies: number;
  optOuts: number;
  /** Messages customers started (injected with receive()). */
  inbound: number;
}

export interface SimulatorProfileState extends BanState {
  profileId: string;
  connected: boolean;
  counters: SimulatorCounters;
}


function textOf(content: OutboundContent): string {
  if (content.type === 'text') return content.text;
  if (content.type === 'media') return content.caption ?? content.url;
  return [content.name, ...content.parameters].join(' ');
}

/**
 * One simulated profile (number) on a shared network. Each message's fate is drawn from a stream
 * seeded by (network seed, profile, attempt number), so the same calls on the same clock give the
 * same events whatever the other profiles do. Events are scheduled on the clock, one step at a
 * time (sent → delivered → read → reply), so pending work stays at one timer per message in
 * flight.
 */
export class SimulatorTransport implements Transport {
  readonly kind = 'simulator' as const;
  readonly #world: SimulatorWorld;
  readonly #config: SimulatorConfig;
  readonly #ban: BanModel;
  readonly #window: SendWindow;
  readonly #handlers: TransportEventHandler[] = [];
  readonly #timers = new Set<() => void>();
  readonly #tag: string;
  #running = false;
  #attempt = 0;
  #serial = 0;
  readonly #counters: SimulatorCounters = {
    attempts: 0,
    accepted: 0,
    refused: { rate_limited: 0, transient: 0, permanent: 0, recipient: 0, profile: 0 },
    delivered: 0,
    read: 0,
    failed: 0,
    replies: 0,
    optOuts: 0,
    inbound: 0,
  };

  constructor(
    world: SimulatorWorld,
    readonly profileId: string,
    config: SimulatorConfig,
  ) {
    this.#world = world;
    this.#config = config;
    this.#ban = new BanModel(config.ban, world.clock.now() - config.number.ageDays * DAY_MS);
    this.#window = new SendWindow(config.rateLimit.maxSends, config.rateLimit.windowMs);
    this.#tag = Math.floor(seededRandom(`${world.seed}:profile:${profileId}`)() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  }

  get config(): SimulatorConfig {
    return this.#config;
  }

  onEvent(handler: TransportEventHandler): void {
    this.#handlers.push(handler);
  }

  async start(): Promise<void> {
    this.#running = true;
    const at = this.#world.clock.now();
    const banReason = this.#ban.banReason;
    this.#schedule(at, () =>
      this.#emit(
        banReason !== null
          ? { type: 'connection', state: 'logged_out', reason: `banned: ${banReason}`, at }
          : { type: 'connection', state: 'connected', reason: 'simulated number linked', at },
      ),
    );
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelAll();
  }

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    const clock = this.#world.clock;
    const now = clock.now();
    const attempt = this.#attempt++;
    this.#counters.attempts++;
    if (!this.#running) throw this.#refuse('profile', 'not_connected', 'the simulated profile is not started');
    if (this.#ban.banned) throw this.#refuse('profile', 'banned', `the simulated number is banned: ${this.#ban.banReason}`);
    if (message.content.type === 'text' && message.content.text.length > TEXT_MAX) {
      throw this.#refuse('permanent', 'text_too_long', `text of ${message.content.text.length} characters; WhatsApp allows ${TEXT_MAX}`);
    }
    const wait = this.#window.take(now);
    if (wait > 0) {
      const { maxSends, windowMs } = this.#config.rateLimit;
      throw this.#refuse('rate_limited', 'rate_limit_hit', `more than ${maxSends} sends within ${windowMs / 1000} s`, wait);
    }

    const seen = this.#ban.observeSend(now, message.to, textOf(message.content));
    if (seen.change?.type === 'banned') {
      this.#onBanned(now, seen.change.reason);
      throw this.#refuse('profile', 'banned', `the simulated number was banned: ${seen.change.reason}`);
    }
    if (seen.change?.type === 'warned') this.#onWarned(now, seen.change.reason, seen.change.timelockUntil);
    if (this.#ban.timelocked(now) && !this.#ban.hasAnswered(message.to)) {
      const until = this.#ban.timelockUntil!;
      throw this.#refuse('profile', '463', `reach-out timelock: no new chats until ${new Date(until).toISOString()}`, until - now);
    }

    const onWhatsApp = this.#world.isOnWhatsApp(message.to);
    if (!onWhatsApp && this.#config.recipients.missingFailsAs === 'rejection') {
      throw this.#refuse('recipient', 'not_on_whatsapp', `${message.to} is not on WhatsApp`);
    }
    const random = seededRandom(`${this.#world.seed}:${this.profileId}:${attempt}`);
    const { errors } = this.#config;
    if (random() < errors.transientProbability) throw this.#refuse('transient', 'sim_transient', 'the simulated network hiccuped; try again');
    if (random() < errors.permanentProbability) throw this.#refuse('permanent', 'sim_permanent', 'the simulated network refused this message');

    this.#counters.accepted++;
    const providerMessageId = this.#nextId(message.id);
    const fate = drawFate(random, this.#config, now, onWhatsApp);
    this.#schedule(fate.sentAt, () => {
      this.#emit({ type: 'status', providerMessageId, messageId: message.id, status: 'sent', at: fate.sentAt });
      this.#follow(providerMessageId, message, fate);
    });
    if (this.#world.delayAccept) await new Promise<void>((resolve) => clock.setTimer(fate.sentAt, resolve));
    return { providerMessageId };
  }

  /** A customer writes to this profile now (not a reply to anything we sent). */
  receive(from: string, text: string): void {
    const at = this.#world.clock.now();
    this.#schedule(at, () => {
      if (this.#ban.banned) return;
      this.#counters.inbound++;
      this.#ban.observeReply(at, from);
      this.#emit({ type: 'inbound', providerMessageId: this.#nextId(), from, text, at });
    });
  }

  inspect(): SimulatorProfileState {
    return {
      profileId: this.profileId,
      connected: this.#running && !this.#ban.banned,
      counters: { ...this.#counters, refused: { ...this.#counters.refused } },
      ...this.#ban.inspect(this.#world.clock.now()),
    };
  }

  #refuse(kind: TransportErrorKind, code: string, text: string, retryAfterMs?: number): TransportError {
    this.#counters.refused[kind]++;
    return new TransportError(kind, code, text, retryAfterMs);
  }

  #follow(providerMessageId: string, message: OutboundMessage, fate: Fate): void {
    if (fate.outcome === 'failed') {
      const { failedAt } = fate;
      const error =
        fate.cause === 'not_on_whatsapp'
          ? { kind: 'recipient' as const, code: 'not_on_whatsapp', message: `${message.to} is not on WhatsApp` }
          : { kind: 'transient' as const, code: 'sim_delivery_failed', message: 'the simulated network lost the message' };
      this.#schedule(failedAt, () => {
        this.#counters.failed++;
        this.#emit({ type: 'status', providerMessageId, messageId: message.id, status: 'failed', at: failedAt, error });
      });
      return;
    }
    if (fate.outcome === 'undelivered') return;
    const { deliveredAt, readAt, reply } = fate;
    this.#schedule(deliveredAt, () => {
      this.#counters.delivered++;
      this.#emit({ type: 'status', providerMessageId, messageId: message.id, status: 'delivered', at: deliveredAt });
      if (readAt === null) return;
      this.#schedule(readAt, () => {
        this.#counters.read++;
        this.#emit({ type: 'status', providerMessageId, messageId: message.id, status: 'read', at: readAt });
        if (!reply) return;
        this.#schedule(reply.at, () => {
          this.#counters.replies++;
          if (reply.optOut) this.#counters.optOuts++;
          this.#ban.observeReply(reply.at, message.to);
          this.#emit({ type: 'inbound', providerMessageId: this.#nextId(), from: message.to, text: reply.text, at: reply.at });
        });
      });
    });
  }

  #onWarned(at: number, reason: string, until: number): void {
    this.#schedule(at, () => this.#emit({ type: 'health', signal: 'reach_out_timelock', severity: 'warning', detail: reason, at }));
    this.#schedule(until, () =>
      this.#emit({ type: 'health', signal: 'reach_out_timelock_lifted', severity: 'info', detail: 'new chats are allowed again', at: until }),
    );
  }

  /** A banned number is logged out: nothing it sent reports back any more. */
  #onBanned(at: number, reason: string): void {
    this.#cancelAll();
    this.#schedule(at, () => this.#emit({ type: 'connection', state: 'logged_out', reason: `banned: ${reason}`, at }));
  }

  /**
   * Like WhatsApp's, ids are unique everywhere: a send's carries our message id, so a worker that
   * restarts with the same seed (its counter back at 0) never repeats one already stored.
   */
  #nextId(messageId?: string): string {
    const serial = (this.#serial++).toString(16).padStart(8, '0');
    return messageId ? `sim.${messageId}.${serial}` : `sim.${this.#tag}${serial}`;
  }

  #schedule(at: number, fn: () => void): void {
    const cancel = this.#world.clock.setTimer(at, () => {
      this.#timers.delete(cancel);
      fn();
    });
    this.#timers.add(cancel);
  }

  #cancelAll(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }

  #emit(event: TransportEvent): void {
    if (!this.#running) return;
    for (const handler of this.#handlers) handler(event);
  }
}
