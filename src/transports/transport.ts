import type { TransportKind } from '../domain/sender-settings.ts';
import type { ConnectionEvent, HealthSignalEvent } from '../domain/health.ts';

/**
 * What the rest of Chorus knows of WhatsApp (architecture.md, Transports): one `Transport` per
 * connected profile, whichever way it is connected. Transports know `domain` and their SDK only:
 * they emit normalised events and never touch the database or queues. Every transport passes the
 * one contract suite in ./transport.contract.ts.
 */

export type MediaKind = 'image' | 'video' | 'document' | 'audio' | 'voice';

export type OutboundContent =
  | { type: 'text'; text: string }
  | { type: 'media'; kind: MediaKind; url: string; mimeType: string; fileName?: string; caption?: string }
  | { type: 'template'; name: string; language: string; parameters: string[] };

export interface OutboundMessage {
  /** Our id of the message (campaign_messages.id): the transport echoes it in its events. */
  id: string;
  /** E.164 phone of the recipient, '+' included. */
  to: string;
  content: OutboundContent;
}

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export type TransportEvent =
  /** A receipt for a message we sent. `at` is when it happened (ms since the epoch, on the transport's clock). */
  | { type: 'status'; providerMessageId: string; messageId: string | null; status: MessageStatus; at: number; error?: { kind: TransportErrorKind; code: string; message: string } }
  /** A customer wrote to the profile. */
  | { type: 'inbound'; providerMessageId: string; from: string; text: string; at: number }
  /** The connection changed: linked, lost, logged out (banned numbers are logged out). */
  | ConnectionEvent
  /**
   * A signal about the number's standing: WhatsApp Web's reach-out timelock (463), Cloud API quality
   * changes, spam/limit codes (names in HEALTH_SIGNAL_LABELS). `severity` says how much it weighs.
   */
  | HealthSignalEvent;

export type TransportEventHandler = (event: TransportEvent) => void;

/**
 * How the dispatcher must treat a failed send, whatever the transport:
 * - `rate_limited`: the number sends too fast; retry after `retryAfterMs` (slow down).
 * - `transient`: the network or WhatsApp hiccuped; retry with backoff.
 * - `permanent`: this message can never be sent as it is (bad content, unsupported type).
 * - `recipient`: this recipient only (not on WhatsApp, stopped marketing): do not retry; maybe opt out.
 * - `profile`: this number is in trouble (logged out, banned, quality): pause it, fail over its queue.
 */
export type TransportErrorKind = 'rate_limited' | 'transient' | 'permanent' | 'recipient' | 'profile';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    /** The provider's own code ("131026", "463", "not_on_whatsapp"…), for logs and the failure reason. */
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
    /** `recipient` errors where the person asked not to be messaged: the dispatcher records an opt-out. */
    readonly optOut = false,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface Transport {
  readonly kind: TransportKind;
  /** Resolves once WhatsApp accepted the message; rejects with a TransportError. */
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
  /** Several handlers may listen; events after stop() are not delivered. */
  onEvent(handler: TransportEventHandler): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
