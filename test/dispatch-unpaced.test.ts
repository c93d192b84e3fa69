import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startHarness, type Harness } from './support/harness.ts';
import { textMessages, unpacedSettings } from './support/senders.ts';
import { insertWorkspace } from '../src/db/auth.repo.ts';
import { contacts } from '../src/db/schema.ts';
import { enqueueMessages } from '../src/db/outbox.repo.ts';
import { systemClock } from '../src/system-clock.ts';
import { MemoryGovernor } from '../src/governor/memory.governor.ts';
import { systemActor } from '../src/services/actor.ts';
import { drainProfile, governorRule, type DispatchEnv } from '../src/services/dispatch.service.ts';
import { EventIngest } from '../src/services/event-ingest.ts';
import { createPackage, createProfile, loadPackageForSending, setPackageProfiles } from '../src/services/senders.service.ts';
import { TransportHub } from '../src/services/transport-hub.ts';
import { TransportError, type OutboundMessage, type Transport } from '../src/transports/transport.ts';

/**
 * Pacing off, one drain step against a scripted transport: sends of a batch start under the rate
 * without waiting for each other, the governor grants the batch at once and keeps only the sends
 * that left, and a number WhatsApp refuses mid-batch gets none of the rest.
 */
describe('unpaced drain', () => {
  let h: Harness;
  let workspaceId: string;
  beforeAll(async () => {
    h = await startHarness('embedded', {}, { workers: false });
    workspaceId = (await h.c.db.orm.transaction((tx) => insertWorkspace(tx, { name: 'W', defaultCountry: 'ID' }))).id;
  });
  afterAll(async () => h?.close());

  /** A transport whose every send is answered by `answer(message, index)`; it records what it was asked and how many were in flight at most. */
  function scripted(answer: (m: OutboundMessage, i: number) => Promise<{ providerMessageId: string }>) {
    const seen: string[] = [];
    let inFlight = 0;
    const stats = { seen, maxInFlight: 0 };
    const transport: Transport = {
      kind: 'simulator',
      async send(m) {
        const i = seen.push(m.id) - 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
        try {
          return await answer(m, i);
        } finally {
          inFlight--;
        }
      },
      onEvent: () => undefined,
      start: async () => undefined,
      stop: async () => undefined,
    };
    return { transport, stats };
  }

  async function setUp(ratePerSecond: number, count: number, transport: Transport, notBefore?: Date) {
    const actor = systemActor(workspaceId);
    const profile = await createProfile(h.c, actor, {
      name: `Unpaced ${uuidv7().slice(-6)}`,
      transport: 'simulator',
      transportConfig: {},
      settings: unpacedSettings(ratePerSecond),
    });
    const pkg = await createPackage(h.c, actor, { name: `Pkg ${uuidv7().slice(-6)}`, maxConcurrentSends: 5 });
    await setPackageProfiles(h.c, actor, pkg.id, [profile.id]);
    const phones = Array.from({ length: count }, (_, i) => `+62813000${String(i).padStart(4, '0')}`);
    const messages = textMessages(pkg.id, profile.id, phones, (i) => `hi ${i}`, notBefore ? { notBefore: notBefore.getTime() } : {});
    await enqueueMessages(h.c.db.orm, workspaceId, messages);
    const ids = messages.map((m) => m.id);
    const governor = new MemoryGovernor();
    const ingest = new EventIngest(h.c.db, systemClock);
    const env: DispatchEnv = {
      db: h.c.db,
      secretKey: h.c.secretKey,
      governor,
      ingest,
      transports: new TransportHub(() => transport, () => undefined),
      clock: systemClock,
      owner: 'unpaced-test',
      leaseMs: 60_000,
      sendTimeoutMs: 10_000,
      contextTtlMs: 60_000,
    };
    const loaded = (await loadPackageForSending(h.c.db.orm, h.c.secretKey, workspaceId, pkg.id))!;
    const { rule } = governorRule(loaded, loaded.profiles[0]!, Date.now());
    return { env, ids, profileId: profile.id, rule };
  }

  const rows = async (ids: string[]) =>
    new Map(
      (await h.c.db.pool.query<{ id: string; status: string; attempts: number; not_before: Date }>('SELECT id, status, attempts, not_before FROM campaign_messages WHERE id = ANY($1)', [ids])).rows.map((r) => [r.id, r]),
    );

  it('starts the sends of a batch without waiting for the answers, and the governor counts exactly those that left', async () => {
    const answers = scripted((m) => new Promise((resolve) => setTimeout(() => resolve({ providerMessageId: `p-${m.id}` }), 50)));
    const { env, ids, profileId, rule } = await setUp(1000, 5, answers.transport);
    const outcome = await drainProfile(env, workspaceId, profileId);
    await env.ingest.flush();
    expect(outcome).toMatchObject({ next: 'at', sent: 5 });
    // A bucket of 10 at 1,000 a second: all five went out before the first answer came back.
    expect(answers.stats.maxInFlight).toBe(5);
    expect(answers.stats.seen.sort()).toEqual([...ids].sort());
    expect([...(await rows(ids)).values()].map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['sent', 1]));
    expect(await env.governor.usage(rule, Date.now())).toMatchObject({ hour: 5, sendingNow: 0 });
  });

  it('a number refused mid-batch gets none of the rest: they go back to the queue untried and their slots are given back', async () => {
    // 50 a second (a bucket of one): the second send starts 20 ms after the first, and is refused.
    const answers = scripted(async (m, i) => {
      if (i === 1) throw new TransportError('profile', 'banned', 'the number was logged out');
      return { providerMessageId: `p-${m.id}` };
    });
    const { env, ids, profileId, rule } = await setUp(50, 5, answers.transport);
    const before = Date.now();
    const outcome = await drainProfile(env, workspaceId, profileId);
    await env.ingest.flush();
    expect(outcome).toMatchObject({ next: 'at', sent: 1, why: 'WhatsApp refused the number; waiting before trying again' });
    expect(answers.stats.seen).toEqual(ids.slice(0, 2));
    const after = await rows(ids);
    expect(after.get(ids[0]!)).toMatchObject({ status: 'sent', attempts: 1 });
    // The refused one and the three never tried wait about a minute; none of them counts as an attempt.
    for (const id of ids.slice(1)) {
      const r = after.get(id)!;
      expect(r).toMatchObject({ status: 'queued', attempts: 0 });
      expect(r.not_before.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    }
    expect(await env.governor.usage(rule, Date.now())).toMatchObject({ hour: 1, sendingNow: 0 });
  });

  it('a number whose connection cannot start costs no slot and no attempt, and says why it waits', async () => {
    const broken = scripted(async () => ({ providerMessageId: 'never' }));
    broken.transport.start = async () => {
      throw new Error('session expired, scan the QR code again');
    };
    const { env, ids, profileId, rule } = await setUp(1000, 3, broken.transport);
    const before = Date.now();
    const outcome = await drainProfile(env, workspaceId, profileId);
    expect(outcome).toMatchObject({ next: 'at', sent: 0, why: 'its connection to WhatsApp could not start: session expired, scan the QR code again' });
    expect((outcome as { at: number }).at).toBeGreaterThanOrEqual(before + 60_000);
    expect(broken.stats.seen).toEqual([]);
    expect([...(await rows(ids)).values()].map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['queued', 0]));
    expect(await env.governor.usage(rule, Date.now())).toMatchObject({ hour: 0, sendingNow: 0 });
  });

  it('looks again within 30 s while the next message is scheduled later, so a message queued meanwhile does not wait for it', async () => {
    const answers = scripted(async (m) => ({ providerMessageId: `p-${m.id}` }));
    const tomorrow = new Date(Date.now() + 86_400_000);
    const { env, profileId } = await setUp(1000, 1, answers.transport, tomorrow);
    const before = Date.now();
    const outcome = await drainProfile(env, workspaceId, profileId);
    expect(outcome).toMatchObject({ next: 'at', sent: 0, why: `the next message is scheduled or waiting for a retry until ${tomorrow.toISOString()}` });
    const at = (outcome as { at: number }).at;
    expect(at).toBeGreaterThan(before);
    expect(at).toBeLessThanOrEqual(Date.now() + 30_000);
    // People are shown when it will really send.
    expect(outcome).toMatchObject({ showAt: tomorrow.getTime() });
  });

  it('gives the claimed messages back untried when the governor fails (Redis unreachable), instead of stranding them', async () => {
    const answers = scripted(async (m) => ({ providerMessageId: `p-${m.id}` }));
    const { env, ids, profileId } = await setUp(1000, 4, answers.transport);
    const broken = Object.create(env.governor) as typeof env.governor;
    broken.acquireBatch = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    };
    await expect(drainProfile({ ...env, governor: broken }, workspaceId, profileId)).rejects.toThrow(/ECONNREFUSED/);
    expect(answers.stats.seen).toEqual([]);
    expect([...(await rows(ids)).values()].map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['queued', 0]));
  });

  it('WhatsApp saying the recipient asked not to be messaged opts the contact out; being told to slow down costs no attempt', async () => {
    const answers = scripted(async (m, i) => {
      if (i === 0) throw new TransportError('recipient', '131050', 'the user stopped marketing messages', undefined, true);
      if (i === 1) throw new TransportError('rate_limited', '131056', 'too many messages to this recipient', 5_000);
      return { providerMessageId: `p-${m.id}` };
    });
    const { env, ids, profileId } = await setUp(1000, 3, answers.transport);
    const phone = '+628130000000';
    await h.c.db.orm.insert(contacts).values({ workspaceId, phone, name: 'Ayu' }).onConflictDoNothing();
    await drainProfile(env, workspaceId, profileId);
    await env.ingest.flush();
    const after = await rows(ids);
    expect(after.get(ids[0]!)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(after.get(ids[1]!)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(after.get(ids[2]!)).toMatchObject({ status: 'sent', attempts: 1 });
    const { rows: contact } = await h.c.db.pool.query('SELECT opted_out_at, opt_out_reason FROM contacts WHERE workspace_id = $1 AND phone = $2', [workspaceId, phone]);
    expect(contact[0].opted_out_at).not.toBeNull();
    expect(contact[0].opt_out_reason).toBe('WhatsApp refused the message: the user stopped marketing messages');
  });
});
