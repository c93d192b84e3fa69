import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransportError, type MessageStatus, type OutboundMessage, type Transport, type TransportEvent } from './transport.ts';

/**
 * The one suite every transport passes (architecture.md, Transports), whatever it talks to: the
 * simulator, or the Cloud API and WhatsApp Web transports against their fakes. It only uses the
 * Transport interface plus the few levers below, which each transport's test provides.
 */
export interface TransportHarness {
  /** Started, with no handler yet. */
  transport: Transport;
  /** Makes `phone` a number on WhatsApp that receives and reads what it is sent, or a number not on WhatsApp. */
  setRecipient(phone: string, onWhatsApp: boolean): Promise<void>;
  /** Makes a customer write `text` to the profile from `from` (also called after stop(): it must not throw then). */
  receive(from: string, text: string): Promise<void>;
  /** Lets `ms` of the transport's time pass, delivering whatever falls due (a virtual clock, or a fake's queued webhooks). */
  advance(ms: number): Promise<void>;
  /** Frees what setup took (the suite stops the transport itself). */
  teardown?(): Promise<void>;
}

/** How much of the transport's time the suite lets pass, at most, waiting for one outcome. */
const PATIENCE_MS = 10 * 60_000;
const STEP_MS = 1_000;

let serial = 0;
const nextMessage = (to: string, text = 'Hello from the contract suite'): OutboundMessage => ({
  id: `contract-${++serial}`,
  to,
  content: { type: 'text', text },
});

export function transportContract(name: string, setup: () => Promise<TransportHarness>): void {
  describe(`transport contract: ${name}`, () => {
    let h: TransportHarness;
    let events: TransportEvent[];

    beforeEach(async () => {
      h = await setup();
      events = [];
      h.transport.onEvent((e) => events.push(e));
    });

    afterEach(async () => {
      await h.transport.stop();
      await h.teardown?.();
    });

    /** Advances the transport's time step by step until `done` holds; fails after PATIENCE_MS. */
    async function until(done: () => boolean, what: string): Promise<void> {
      for (let waited = 0; !done(); waited += STEP_MS) {
        if (waited >= PATIENCE_MS) throw new Error(`${name}: no ${what} within ${PATIENCE_MS / 60_000} minutes of transport time`);
        await h.advance(STEP_MS);
      }
    }

    const statusesOf = (providerMessageId: string) =>
      events.filter((e): e is Extract<TransportEvent, { type: 'status' }> => e.type === 'status' && e.providerMessageId === providerMessageId);

    /** The first time each status shows up, in order (transports may repeat a receipt). */
    const firstSeen = (providerMessageId: string): MessageStatus[] => [...new Set(statusesOf(providerMessageId).map((e) => e.status))];

    it('accepts a message to someone on WhatsApp and reports it sent, delivered and read, echoing our id', async () => {
      await h.setRecipient('+6281200000001', true);
      const message = nextMessage('+6281200000001');
      const { providerMessageId } = await h.transport.send(message);
      expect(providerMessageId).toEqual(expect.any(String));
      expect(providerMessageId.length).toBeGreaterThan(0);

      await until(() => firstSeen(providerMessageId).includes('read'), 'read receipt');
      expect(firstSeen(providerMessageId)).toEqual(['sent', 'delivered', 'read']);
      const statuses = statusesOf(providerMessageId);
      for (const e of statuses) expect(e.messageId).toBe(message.id);
      const firstAt = (s: MessageStatus) => statuses.find((e) => e.status === s)!.at;
      expect(firstAt('sent')).toBeLessThanOrEqual(firstAt('delivered'));
      expect(firstAt('delivered')).toBeLessThanOrEqual(firstAt('read'));
    });

    it('gives every accepted message its own provider id', async () => {
      await h.setRecipient('+6281200000002', true);
      const a = await h.transport.send(nextMessage('+6281200000002', 'first'));
      const b = await h.transport.send(nextMessage('+6281200000002', 'second'));
      expect(a.providerMessageId).not.toBe(b.providerMessageId);
    });

    it('fails a message to a number not on WhatsApp as a recipient error, at once or as a failed status', async () => {
      await h.setRecipient('+6281200000003', false);
      const message = nextMessage('+6281200000003');
      let error: unknown;
      let accepted: { providerMessageId: string } | undefined;
      try {
        accepted = await h.transport.send(message);
      } catch (e) {
        error = e;
      }
      if (accepted) {
        const id = accepted.providerMessageId;
        await until(() => firstSeen(id).includes('failed'), 'failed status');
        const failed = statusesOf(id).find((e) => e.status === 'failed')!;
        expect(failed.messageId).toBe(message.id);
        expect(failed.error?.kind).toBe('recipient');
        expect(failed.error?.code).toEqual(expect.any(String));
        expect(firstSeen(id)).not.toContain('delivered');
      } else {
        expect(error).toBeInstanceOf(TransportError);
        const te = error as TransportError;
        expect(te.kind).toBe('recipient');
        expect(te.code.length).toBeGreaterThan(0);
        expect(te.name).toBe('TransportError');
        expect(te.message.length).toBeGreaterThan(0);
      }
    });

    it('delivers every event to every handler, in the same order', async () => {
      const second: TransportEvent[] = [];
      h.transport.onEvent((e) => second.push(e));
      await h.setRecipient('+6281200000004', true);
      const { providerMessageId } = await h.transport.send(nextMessage('+6281200000004'));
      await until(() => firstSeen(providerMessageId).includes('read'), 'read receipt');
      expect(second).toEqual(events);
    });

    it('reports a message a customer writes as an inbound event', async () => {
      await h.setRecipient('+6281200000005', true);
      await h.receive('+6281200000005', 'Hi, is the shop open today?');
      const inbound = () => events.find((e) => e.type === 'inbound' && e.from === '+6281200000005');
      await until(() => inbound() !== undefined, 'inbound message');
      const e = inbound() as Extract<TransportEvent, { type: 'inbound' }>;
      expect(e.text).toBe('Hi, is the shop open today?');
      expect(e.providerMessageId.length).toBeGreaterThan(0);
      expect(e.at).toEqual(expect.any(Number));
    });

    it('delivers no event after stop(), even for messages still on their way', async () => {
      await h.setRecipient('+6281200000006', true);
      await h.transport.send(nextMessage('+6281200000006'));
      await h.transport.stop();
      const seen = events.length;
      await h.receive('+6281200000006', 'are you there?');
      for (let waited = 0; waited < PATIENCE_MS; waited += 60_000) await h.advance(60_000);
      expect(events.length).toBe(seen);
    });
  });
}
