import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/domain/clock.ts';
import { systemClock } from '../src/system-clock.ts';
import { seededRandom } from '../src/domain/seeded-random.ts';
import { mergeSimulatorConfig, SIMULATOR_DEFAULTS, type SimulatorOverrides, type SimulatorProfileOverrides } from '../src/transports/simulator/config.ts';
import { SimulatorNetwork } from '../src/transports/simulator/network.ts';
import type { SimulatorTransport } from '../src/transports/simulator/simulator.transport.ts';
import { transportContract } from '../src/transports/transport.contract.ts';
import { TransportError, type OutboundMessage, type TransportEvent } from '../src/transports/transport.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5, 8);

/** A network where everything that is sent arrives and is read, and nothing fails by chance. */
const RELIABLE: SimulatorOverrides = {
  recipients: { missingShare: 0 },
  latency: { delivery: { medianMs: 1_000, spread: 0.3 }, read: { medianMs: 5_000, spread: 0.3 } },
  audience: { deliveryProbability: 1, readProbability: 1, replyProbability: 0 },
  errors: { transientProbability: 0, permanentProbability: 0, failedAfterAcceptProbability: 0 },
};
const reliable = (extra: SimulatorOverrides) => mergeSimulatorConfig(SIMULATOR_DEFAULTS, RELIABLE, extra);

transportContract('simulator', async () => {
  const clock = new VirtualClock(START);
  const network = new SimulatorNetwork({ seed: 'contract', clock, config: RELIABLE });
  const transport = network.transport('profile-1');
  await transport.start();
  return {
    transport,
    setRecipient: async (phone, onWhatsApp) => network.setRecipient(phone, onWhatsApp),
    receive: async (from, text) => transport.receive(from, text),
    advance: async (ms) => void clock.advanceBy(ms),
  };
});

interface Rig {
  clock: VirtualClock;
  network: SimulatorNetwork;
  transport: SimulatorTransport;
  events: TransportEvent[];
}

async function rig(config: SimulatorOverrides = {}, profile: SimulatorProfileOverrides = {}, seed = 'sim-test'): Promise<Rig> {
  const clock = new VirtualClock(START);
  const network = new SimulatorNetwork({ seed, clock, config });
  const transport = network.transport('p1', profile);
  const events: TransportEvent[] = [];
  transport.onEvent((e) => events.push(e));
  await transport.start();
  return { clock, network, transport, events };
}

const text = (to: string, body: string, id = `m-${to}-${body.length}`): OutboundMessage => ({ id, to, content: { type: 'text', text: body } });
const phone = (i: number) => `+62812${String(i).padStart(7, '0')}`;

/** Sends and records the outcome as data, so runs can be compared. */
async function attempt(t: SimulatorTransport, m: OutboundMessage): Promise<string> {
  try {
    return `ok ${(await t.send(m)).providerMessageId}`;
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    return `${e.kind} ${e.code}`;
  }
}

const VOCABULARY =
  'halo kak promo baru minggu ini ada diskon untuk produk pilihan kami silakan cek katalog terima kasih salam hangat dari tim toko jangan lupa mampir besok pagi siang sore malam harga spesial member'.split(' ');
const variedText = (random: () => number) => Array.from({ length: 12 }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]).join(' ');

describe('simulator: determinism', () => {
  /** A mixed day: two profiles, existing and missing numbers, replies, opt-outs, random errors. */
  async function day(seed: string): Promise<unknown[]> {
    const clock = new VirtualClock(START);
    const network = new SimulatorNetwork({
      seed,
      clock,
      config: { audience: { replyProbability: 0.5, optOutShare: 0.3 }, errors: { transientProbability: 0.05 }, recipients: { missingShare: 0.2 } },
    });
    const log: unknown[] = [];
    const profiles = ['a', 'b'].map((id) => network.transport(id));
    for (const p of profiles) {
      p.onEvent((e) => log.push([p.profileId, e]));
      await p.start();
    }
    for (let i = 0; i < 200; i++) {
      const p = profiles[i % 2]!;
      log.push([p.profileId, await attempt(p, text(phone(i), `message number ${i}`, `m${i}`))]);
      clock.advanceBy(3 * MINUTE);
    }
    clock.advanceBy(DAY);
    log.push(['network', network.inspect()]);
    return log;
  }

  it('gives identical events for the same seed and calls, and different ones for another seed', async () => {
    const first = await day('seed-1');
    expect(await day('seed-1')).toEqual(first);
    expect(await day('seed-2')).not.toEqual(first);
    const kinds = new Set(first.slice(0, -1).map((entry) => {
      const [, what] = entry as [string, string | TransportEvent];
      return typeof what === 'string' ? what.split(' ')[0] : what.type;
    }));
    expect(kinds).toEqual(new Set(['ok', 'recipient', 'transient', 'connection', 'status', 'inbound']));
  });

  it("keeps a profile's events the same whatever other profiles on the network do", async () => {
    async function run(withNeighbour: boolean): Promise<TransportEvent[]> {
      const clock = new VirtualClock(START);
      const network = new SimulatorNetwork({ seed: 'shared', clock, config: { audience: { replyProbability: 0.5 } } });
      const a = network.transport('a');
      const b = network.transport('b');
      const events: TransportEvent[] = [];
      a.onEvent((e) => events.push(e));
      await a.start();
      await b.start();
      for (let i = 0; i < 50; i++) {
        await attempt(a, text(phone(i), `hello ${i}`));
        if (withNeighbour) await attempt(b, text(phone(i + 1000), `neighbour ${i}`));
        clock.advanceBy(5 * MINUTE);
      }
      clock.advanceBy(DAY);
      return events;
    }
    expect(await run(true)).toEqual(await run(false));
  });
});

describe('simulator: recipients and errors', () => {
  it('decides per number from the seed who is on WhatsApp, about the configured share, the same for every profile', async () => {
    const { network } = await rig({ recipients: { missingShare: 0.1, missing: ['+6281111111111'], present: ['+6282222222222'] } });
    const missing = Array.from({ length: 10_000 }, (_, i) => network.isOnWhatsApp(phone(i))).filter((x) => !x).length;
    expect(missing).toBeGreaterThan(900);
    expect(missing).toBeLessThan(1100);
    expect(network.isOnWhatsApp('+6281111111111')).toBe(false);
    expect(network.isOnWhatsApp('+6282222222222')).toBe(true);
    const again = new SimulatorNetwork({ seed: 'sim-test', clock: new VirtualClock(), config: { recipients: { missingShare: 0.1 } } });
    expect(Array.from({ length: 500 }, (_, i) => again.isOnWhatsApp(phone(i)))).toEqual(Array.from({ length: 500 }, (_, i) => network.isOnWhatsApp(phone(i))));
  });

  it('can report a missing number as a failed status after accepting it, the way the Cloud API does', async () => {
    const { transport, network, clock, events } = await rig(reliable({ recipients: { missingFailsAs: 'status' } }));
    network.setRecipient(phone(1), false);
    const { providerMessageId } = await transport.send(text(phone(1), 'hi', 'm1'));
    clock.advanceBy(HOUR);
    const statuses = events.filter((e) => e.type === 'status' && e.providerMessageId === providerMessageId);
    expect(statuses.map((e) => e.type === 'status' && e.status)).toEqual(['sent', 'failed']);
    expect(statuses[1]).toMatchObject({ messageId: 'm1', error: { kind: 'recipient', code: 'not_on_whatsapp' } });
  });

  it('refuses sends faster than the rate limit, says when to retry, and accepts again after the window', async () => {
    const { transport, clock } = await rig(RELIABLE, { rateLimit: { maxSends: 5, windowMs: 10_000 }, ban: { enabled: false } });
    for (let i = 0; i < 5; i++) await transport.send(text(phone(i), `hello ${i}`));
    clock.advanceBy(4_000);
    const error = await transport.send(text(phone(9), 'one too many')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ kind: 'rate_limited', code: 'rate_limit_hit', retryAfterMs: 6_000 });
    clock.advanceBy(6_000);
    await expect(transport.send(text(phone(9), 'now it fits'))).resolves.toMatchObject({ providerMessageId: expect.stringMatching(/^sim\..+\.[0-9a-f]{8}$/) });
    expect(transport.inspect().counters.refused.rate_limited).toBe(1);
  });

  it('fails transient and permanent errors at their configured rates, and texts over 4,096 characters always', async () => {
    const { transport, clock } = await rig(reliable({ errors: { transientProbability: 0.1, permanentProbability: 0.05 } }), { ban: { enabled: false } });
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) {
      const o = (await attempt(transport, text(phone(i), 'hi'))).split(' ')[0]!;
      outcomes[o] = (outcomes[o] ?? 0) + 1;
      clock.advanceBy(2_000);
    }
    expect(outcomes.transient).toBeGreaterThan(150);
    expect(outcomes.transient).toBeLessThan(250);
    expect(outcomes.permanent).toBeGreaterThan(50);
    expect(outcomes.permanent).toBeLessThan(140);
    await expect(transport.send(text(phone(1), 'x'.repeat(4097)))).rejects.toMatchObject({ kind: 'permanent', code: 'text_too_long' });
  });

  it('refuses to send before start()', async () => {
    const network = new SimulatorNetwork({ seed: 1, clock: new VirtualClock() });
    await expect(network.transport('p').send(text(phone(1), 'hi'))).rejects.toMatchObject({ kind: 'profile', code: 'not_connected' });
  });

  it('waits for the accept latency on real time, and reports the message sent', async () => {
    const network = new SimulatorNetwork({ seed: 1, clock: systemClock, config: reliable({ latency: { accept: { medianMs: 20, spread: 0 } } }) });
    expect(network.delayAccept).toBe(true);
    const transport = network.transport('p');
    const events: TransportEvent[] = [];
    transport.onEvent((e) => events.push(e));
    await transport.start();
    const { providerMessageId } = await transport.send(text(phone(1), 'hi', 'real'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events).toContainEqual(expect.objectContaining({ type: 'status', status: 'sent', providerMessageId, messageId: 'real' }));
    await transport.stop();
  });

  it('rejects a second transport for one profile, and profile overrides of who is on WhatsApp', async () => {
    const { network } = await rig();
    expect(() => network.transport('p1')).toThrow(/already has a transport/);
    expect(() => network.transport('p2', { recipients: { missingShare: 1 } } as SimulatorProfileOverrides)).toThrow();
    expect(() => network.transport('p3', { ban: { warningAt: -1 } })).toThrow(/warningAt/);
  });
});

describe('simulator: replies and opt-outs', () => {
  it('sends replies as inbound events, opt-outs among them, at their configured share', async () => {
    const { transport, clock, events } = await rig(reliable({ audience: { replyProbability: 1, optOutShare: 0.3 } }), { ban: { enabled: false } });
    for (let i = 0; i < 300; i++) {
      await transport.send(text(phone(i), `hello ${i}`, `m${i}`));
      clock.advanceBy(30_000);
    }
    clock.advanceBy(2 * DAY);
    const inbound = events.filter((e): e is Extract<TransportEvent, { type: 'inbound' }> => e.type === 'inbound');
    expect(inbound).toHaveLength(300);
    const optOuts = inbound.filter((e) => SIMULATOR_DEFAULTS.audience.optOutReplies.includes(e.text));
    expect(optOuts.length).toBeGreaterThan(60);
    expect(optOuts.length).toBeLessThan(120);
    expect(optOuts.map((e) => e.text)).toEqual(expect.arrayContaining(['STOP', 'berhenti', 'unsubscribe']));
    expect(transport.inspect().counters).toMatchObject({ replies: 300, optOuts: optOuts.length });
    const readAt = new Map(events.flatMap((e) => (e.type === 'status' && e.status === 'read' ? [[e.messageId, e.at] as const] : [])));
    for (const e of inbound) expect(e.at).toBeGreaterThanOrEqual(readAt.get(`m${Number(e.from.slice(-7))}`)!);
  });

  it('never sends an opt-out when the share is 0', async () => {
    const { transport, clock, events } = await rig(reliable({ audience: { replyProbability: 1, optOutShare: 0 } }), { ban: { enabled: false } });
    for (let i = 0; i < 100; i++) {
      await transport.send(text(phone(i), `hello ${i}`));
      clock.advanceBy(30_000);
    }
    clock.advanceBy(2 * DAY);
    const inbound = events.filter((e) => e.type === 'inbound');
    expect(inbound).toHaveLength(100);
    expect(inbound.filter((e) => e.type === 'inbound' && SIMULATOR_DEFAULTS.audience.optOutReplies.includes(e.text))).toHaveLength(0);
  });

  it('lowers the risk when customers write', async () => {
    const { transport, clock } = await rig(RELIABLE);
    for (let i = 0; i < 40; i++) {
      await transport.send(text(phone(i), `hello there number ${'abcdefghij'[i % 10]}`));
      clock.advanceBy(MINUTE);
    }
    const before = transport.inspect().risk;
    transport.receive(phone(1), 'yes please');
    transport.receive(phone(2), 'tell me more');
    clock.advanceBy(0);
    expect(transport.inspect().risk).toBeCloseTo(before - 2 * SIMULATOR_DEFAULTS.ban.replyRelief, 6);
  });
});

describe('simulator: ban model through the transport', () => {
  it('warns then bans a naive blaster (identical text every 2 s to people who never answer) within an hour', async () => {
    const { transport, clock, events } = await rig(RELIABLE);
    const outcomes: string[] = [];
    for (let i = 0; i < 1800 && !transport.inspect().bannedAt; i++) {
      outcomes.push(await attempt(transport, text(phone(i), 'PROMO BESAR! Diskon 50% hari ini saja, kunjungi toko kami sekarang.')));
      clock.advanceBy(2_000);
    }
    const state = transport.inspect();
    expect(state.state).toBe('banned');
    expect(state.bannedAt! - START).toBeLessThan(HOUR);
    const warning = events.findIndex((e) => e.type === 'health' && e.signal === 'reach_out_timelock' && e.severity === 'warning');
    const ban = events.findIndex((e) => e.type === 'connection' && e.state === 'logged_out');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(ban).toBeGreaterThan(warning);
    expect((events[ban] as Extract<TransportEvent, { type: 'connection' }>).reason).toMatch(/^banned: risk reached 250/);
    expect(outcomes).toContain('profile 463');
    expect(outcomes.at(-1)).toBe('profile banned');
    await expect(transport.send(text(phone(99_999), 'anyone?'))).rejects.toMatchObject({ kind: 'profile', code: 'banned' });
  });

  it('keeps existing chats open during a warning and blocks new ones until it ends', async () => {
    const { transport, clock, events } = await rig(RELIABLE);
    transport.receive(phone(0), 'hello, I am a customer');
    clock.advanceBy(0);
    let i = 1;
    while (transport.inspect().state === 'healthy') {
      await attempt(transport, text(phone(i++), 'same text again and again, buy now'));
      clock.advanceBy(2_000);
    }
    const { timelockUntil } = transport.inspect();
    clock.advanceBy(60 * MINUTE);
    const newChat = await transport.send(text(phone(50_000), 'a new person')).catch((e: unknown) => e);
    expect(newChat).toMatchObject({ kind: 'profile', code: '463' });
    expect((newChat as TransportError).retryAfterMs).toBe(timelockUntil! - clock.now());
    await expect(transport.send(text(phone(0), 'your order is ready'))).resolves.toBeDefined();
    clock.advanceTo(timelockUntil!);
    expect(events.at(-1)).toMatchObject({ type: 'health', signal: 'reach_out_timelock_lifted', severity: 'info' });
    await expect(transport.send(text(phone(50_001), 'a new person, later'))).resolves.toBeDefined();
  });

  it('keeps a human-paced sender with varied texts at about 20 an hour healthy for a week', async () => {
    const { transport, clock, events } = await rig();
    const random = seededRandom('human');
    let maxRisk = 0;
    for (let i = 0; clock.now() < START + 7 * DAY; i++) {
      await attempt(transport, text(phone(i), variedText(random)));
      maxRisk = Math.max(maxRisk, transport.inspect().risk);
      clock.advanceBy(3 * MINUTE * (0.5 + random()));
    }
    const state = transport.inspect();
    expect(state.counters.attempts).toBeGreaterThan(3000);
    expect(state.state).toBe('healthy');
    expect(state.warnings).toBe(0);
    expect(maxRisk).toBeLessThan(SIMULATOR_DEFAULTS.ban.warningAt);
    expect(events.filter((e) => e.type === 'health' || (e.type === 'connection' && e.state !== 'connected'))).toEqual([]);
    expect(state.counters.replies).toBeGreaterThan(0);
  });

  it('keeps each profile ban state its own on a shared network', async () => {
    const clock = new VirtualClock(START);
    const network = new SimulatorNetwork({ seed: 'pool', clock, config: RELIABLE });
    const blaster = network.transport('blaster');
    const calm = network.transport('calm');
    await blaster.start();
    await calm.start();
    for (let i = 0; i < 200; i++) {
      await attempt(blaster, text(phone(i), 'identical blast'));
      if (i % 60 === 0) await attempt(calm, text(phone(i + 500), `a calm note ${'abcd'[i % 4]}`));
      clock.advanceBy(2_000);
    }
    expect(network.inspect().map((s) => [s.profileId, s.state])).toEqual([
      ['blaster', 'banned'],
      ['calm', 'healthy'],
    ]);
  });

  it('says so again when a banned profile starts', async () => {
    const { transport, clock, events } = await rig(RELIABLE);
    for (let i = 0; !transport.inspect().bannedAt; i++) {
      await attempt(transport, text(phone(i), 'identical blast'));
      clock.advanceBy(1_000);
    }
    await transport.stop();
    events.length = 0;
    await transport.start();
    clock.advanceBy(0);
    expect(events).toEqual([expect.objectContaining({ type: 'connection', state: 'logged_out', reason: expect.stringMatching(/^banned: /) })]);
    expect(transport.inspect().connected).toBe(false);
  });
});
