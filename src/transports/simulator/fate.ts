import type { RandomStream } from '../../domain/template.ts';
import type { SimulatorConfig } from './config.ts';

/**
 * What happens to one accepted message, drawn at once from its own random stream: when it is
 * sent, whether and when it is delivered (or reported failed), read and answered, and with what.
 * Every draw is taken whatever the branch, so a message's fate depends only on its stream and the
 * config, never on which branches earlier draws took.
 */

export interface Latency {
  medianMs: number;
  spread: number;
}

/** A log-normal wait: median × e^(spread × z), z standard normal (Box–Muller). */
export function drawLatency(random: RandomStream, l: Latency): number {
  const u1 = 1 - random();
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return l.medianMs * Math.exp(l.spread * z);
}

export interface Reply {
  at: number;
  text: string;
  optOut: boolean;
}

export type Fate =
  | { outcome: 'delivered'; sentAt: number; deliveredAt: number; readAt: number | null; reply: Reply | null }
  | { outcome: 'failed'; sentAt: number; failedAt: number; cause: 'not_on_whatsapp' | 'network' }
  /** Sent, never delivered: the phone is off or the app gone. */
  | { outcome: 'undelivered'; sentAt: number };

export function drawFate(random: RandomStream, config: SimulatorConfig, at: number, onWhatsApp: boolean): Fate {
  const { latency, audience, errors } = config;
  const sentAt = at + drawLatency(random, latency.accept);
  const lost = random() < errors.failedAfterAcceptProbability;
  const delivered = random() < audience.deliveryProbability;
  const deliveredAt = sentAt + drawLatency(random, latency.delivery);
  const read = random() < audience.readProbability;
  const readAt = deliveredAt + drawLatency(random, latency.read);
  const replied = random() < audience.replyProbability;
  const repliedAt = readAt + drawLatency(random, latency.reply);
  const optOut = random() < audience.optOutShare;
  const pick = random();

  if (!onWhatsApp) return { outcome: 'failed', sentAt, failedAt: deliveredAt, cause: 'not_on_whatsapp' };
  if (lost) return { outcome: 'failed', sentAt, failedAt: deliveredAt, cause: 'network' };
  if (!delivered) return { outcome: 'undelivered', sentAt };
  const texts = optOut ? audience.optOutReplies : audience.replies;
  return {
    outcome: 'delivered',
    sentAt,
    deliveredAt,
    readAt: read ? readAt : null,
    reply: read && replied ? { at: repliedAt, text: texts[Math.floor(pick * texts.length)]!, optOut } : null,
  };
}
