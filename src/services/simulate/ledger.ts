import type { Clock } from '../../domain/clock.ts';
import { optOutKeyword } from '../../domain/opt-out.ts';
import { TransportError, type OutboundMessage, type Transport, type TransportErrorKind, type TransportEvent, type TransportEventHandler } from '../../transports/transport.ts';

/**
 * What one simulated run did, per profile: the instant of every send WhatsApp accepted and the
 * instants of what came back. Both runs (Chorus and the naive blaster) record through the same
 * ledger, so their reports are computed the same way.
 */

export const EVENT_KINDS = ['delivered', 'read', 'replied', 'optOuts', 'failed', 'warnings', 'bans'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface ProfileLog {
  /** Instants of the sends WhatsApp accepted, in order: what left, as the governor counts it. */
  sends: number[];
  /** Instants of every send asked of WhatsApp, accepted or refused. */
  attempts: number[];
  /** The refused ones, with the kind of refusal. */
  refusals: Array<{ at: number; kind: TransportErrorKind }>;
  /** Recipients whose message was accepted. */
  reached: Set<string>;
  events: Record<EventKind, number[]>;
}

export class Ledger {
  readonly profiles = new Map<string, ProfileLog>();

  constructor(private readonly clock: Clock) {}

  log(profileId: string): ProfileLog {
    let log = this.profiles.get(profileId);
    if (!log) {
      log = { sends: [], attempts: [], refusals: [], reached: new Set(), events: { delivered: [], read: [], replied: [], optOuts: [], failed: [], warnings: [], bans: [] } };
      this.profiles.set(profileId, log);
    }
    return log;
  }

  /** The transport, recording each send it accepts at the instant it was asked to send. */
  recording(profileId: string, transport: Transport): Transport {
    const log = this.log(profileId);
    const clock = this.clock;
    return {
      kind: transport.kind,
      async send(message: OutboundMessage) {
        const at = clock.now();
        log.attempts.push(at);
        let answer: { providerMessageId: string };
        try {
          answer = await transport.send(message);
        } catch (err) {
          if (err instanceof TransportError) log.refusals.push({ at, kind: err.kind });
          throw err;
        }
        log.sends.push(at);
        log.reached.add(message.to);
        return answer;
      },
      onEvent: (handler: TransportEventHandler) => transport.onEvent(handler),
      start: () => transport.start(),
      stop: () => transport.stop(),
    };
  }

  event(profileId: string, event: TransportEvent): void {
    const { events } = this.log(profileId);
    switch (event.type) {
      case 'status':
        if (event.status === 'delivered' || event.status === 'read' || event.status === 'failed') events[event.status].push(event.at);
        return;
      case 'inbound':
        events.replied.push(event.at);
        if (optOutKeyword(event.text) !== null) events.optOuts.push(event.at);
        return;
      case 'health':
        if (event.signal === 'reach_out_timelock') events.warnings.push(event.at);
        return;
      case 'connection':
        if (event.state === 'logged_out') events.bans.push(event.at);
        return;
    }
  }
}
