import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { newOwner, otherWorkspace, type Client } from './support/api.ts';
import { eventually } from './fixtures/import-files.ts';
import { reliableNetwork, textMessages, unpacedSettings } from './support/senders.ts';
import { enqueueMessages } from '../src/db/outbox.repo.ts';
import { ZERO_COUNTS } from '../src/db/profile-stats.repo.ts';
import { kickDrain } from '../src/services/drains.ts';
import type { FlushReport } from '../src/services/event-ingest.ts';
import { publishActivity } from '../src/services/usage.service.ts';
import { workspaceChannel } from '../src/realtime/pubsub.ts';

const ANSWERING_NETWORK = reliableNetwork({ accept: 1, delivery: 5, read: 5, reply: 5 }, { replyProbability: 1 });

const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);

/**
 * Live usage through the real app, queue, governor and simulator: what the API reports for a
 * package is what its profiles really sent, received and may still send, with the state, the
 * caps in force and where every setting came from.
 */
describe.each(modes)('live usage (%s)', (mode) => {
  let h: Harness;
  let api: Client;
  let workspaceId: string;
  /** Sends 5 an hour with pacing off, all day: reaches its hourly limit with 3 messages left. */
  const busy = {} as { packageId: string; profileId: string; phones: string[] };
  /** A package whose own settings its profiles inherit: one warming up, one outside its active hours. */
  const quiet = {} as { packageId: string; warmId: string; nightId: string };

  async function profile(name: string, settings: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const res = await api('POST', '/api/v1/profiles', {
      name,
      phone: `+62812${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      transport: 'simulator',
      transportConfig: { seed: name, overrides: ANSWERING_NETWORK },
      settings,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  async function pkg(body: Record<string, unknown>, profileIds: string[]) {
    const res = await api('POST', '/api/v1/packages', body);
    expect(res.statusCode, res.body).toBe(201);
    const put = await api('PUT', `/api/v1/packages/${res.json().id}/profiles`, { profileIds });
    expect(put.statusCode, put.body).toBe(200);
    return res.json().id as string;
  }

  const usage = async (packageId: string) => {
    const res = await api('GET', `/api/v1/packages/${packageId}/usage`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    h = await startHarness(mode);
    const owner = await newOwner(h.app);
    api = owner.api;
    workspaceId = owner.workspaceId;

    busy.profileId = await profile('Busy', unpacedSettings(200, { perHour: 5, per3Hours: 15, perDay: 50 }));
    busy.packageId = await pkg({ name: 'Marketing', strategy: 'round_robin', dailyTotal: 100, maxConcurrentSends: 2 }, [busy.profileId]);
    busy.phones = Array.from({ length: 8 }, (_, i) => `+62813${String(i).padStart(7, '0')}`);
    await enqueueMessages(h.c.db.orm, workspaceId, textMessages(busy.packageId, busy.profileId, busy.phones));
    await kickDrain(h.c, workspaceId, busy.profileId);

    // Frozen from 2 h from now to 3 h from now, UTC: certainly outside its active hours.
    const now = Date.now();
    quiet.warmId = await profile('Warm', { activeHours: { start: '00:00', end: '00:00' }, warmup: { enabled: true, startPerDay: 20, growthPerDay: 10 } }, { warmup: true, weight: 3 });
    quiet.nightId = await profile('Night', { activeHours: { start: hhmm(now + 2 * 3_600_000), end: hhmm(now + 3 * 3_600_000) } });
    quiet.packageId = await pkg(
      { name: 'Support', settings: { limits: { perHour: 10, per3Hours: 30, perDay: 100 }, pacing: { jitter: 0.2 } }, strategy: 'weighted' },
      [quiet.warmId, quiet.nightId],
    );
  });
  afterAll(async () => h?.close());

  it('counts what a profile sent and received against its caps, and says it reached its hourly limit and when it sends next', async () => {
    await eventually(async () => {
      const p = (await usage(busy.packageId)).profiles[0];
      return p.windows.hour.sent === 5 && p.windows.hour.received === 5 && p.queued === 3 && /hourly limit reached/.test(p.nextSend.why ?? '');
    }, 30_000);
    const u = await usage(busy.packageId);
    const p = u.profiles[0];
    expect(p.windows.hour).toEqual({ sent: 5, cap: 5, delivered: 5, read: 5, replied: 5, failed: 0, received: 5 });
    expect(p.windows.threeHours).toMatchObject({ sent: 5, cap: 15, received: 5 });
    expect(p.windows.day).toMatchObject({ sent: 5, cap: 50, received: 5 });
    expect(p.state).toEqual({ state: 'limit_reached', label: 'Limit reached', reason: 'hourly limit reached (5/5): the next message waits for a slot to free up' });
    expect(p.queued).toBe(3);
    expect(u.queued).toBe(3);
    // The drain's own words: the governor's refusal, with the instant the first of the 5 sends leaves the hour.
    expect(p.nextSend.why).toMatch(/^hourly limit reached \(5\/5\); next slot at \d\d:\d\d:\d\d UTC$/);
    expect(new Date(p.nextSend.at).getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(p.caps).toEqual({ configured: { perHour: 5, per3Hours: 15, perDay: 50 }, inForce: { perHour: 5, per3Hours: 15, perDay: 50 }, reasons: [] });
    expect(p.health).toMatchObject({ score: 100, state: 'healthy' });
    expect(p.warmup).toBeNull();
    expect(u.day).toEqual({ sent: 5, cap: 100, words: "5 of 100 messages a day across all the package's profiles, counted over the last 24 h" });
    expect(u.seats).toMatchObject({ inUse: 0, max: 2 });
    expect(u.strategy).toBe('round_robin');

    expect(p.pacing).toMatchObject({ mode: 'off', ratePerSecond: 200 });
    expect(p.pacing.explanation.length).toBeGreaterThan(0);
    const param = (key: string) => p.parameters.find((x: { key: string }) => x.key === key);
    expect(param('limits.perHour')).toEqual({ key: 'limits.perHour', label: 'Per hour', value: 5, words: 'at most 5 open-chat messages in any hour', source: 'profile' });
    expect(param('pacing.mode')).toMatchObject({ value: 'off', source: 'profile' });
    expect(param('pacing.jitter')).toMatchObject({ value: 0.35, source: 'default' });
    expect(param('activeHours')).toMatchObject({ value: { start: '00:00', end: '00:00' }, words: 'the whole day', source: 'profile' });
    // Measured weight: 45 left today × health 100/100, the only profile so all the share.
    expect(p.weight).toMatchObject({ weight: 45, source: 'derived', share: 1 });
    expect(p.weight.explanation).toBe('measured: 45 messages left today × health score 100/100 = 45');
  });

  it('shows inherited settings with their source, the warm-up cap in force, the pacing decision and the weights', async () => {
    const u = await usage(quiet.packageId);
    expect(u.profiles.map((p: { name: string }) => p.name)).toEqual(['Warm', 'Night']);
    const [warm, night] = u.profiles;

    expect(warm.state).toEqual({ state: 'idle', label: 'Idle', reason: 'nothing queued: ready to send' });
    expect(warm.caps.configured).toEqual({ perHour: 10, per3Hours: 30, perDay: 100 });
    expect(warm.caps.inForce).toEqual({ perHour: 10, per3Hours: 20, perDay: 20 });
    expect(warm.caps.reasons).toEqual([
      'daily limit 20 instead of 100: warm-up day 1 of a new number (20 + 0 healthy days × 10)',
      'per 3 hours 20 instead of 30: no shorter window may allow more than the day',
    ]);
    expect(warm.windows.day).toMatchObject({ sent: 0, cap: 20 });
    expect(warm.warmup).toMatchObject({ day: 1, healthyDays: 0, perDay: 20, configuredPerDay: 100, limiting: true });

    const param = (key: string) => warm.parameters.find((x: { key: string }) => x.key === key);
    expect(param('limits.perDay')).toMatchObject({ value: 100, source: 'package' });
    expect(param('pacing.jitter')).toMatchObject({ value: 0.2, source: 'package', words: 'each gap is drawn between 80 % and 120 % of the base gap' });
    expect(param('warmup.startPerDay')).toMatchObject({ value: 20, source: 'profile' });
    expect(param('timezone')).toMatchObject({ value: 'UTC', source: 'default' });

    // Pacing from the configured limits, as the drain draws it: 100 a day over 24 active hours is the tightest.
    expect(warm.pacing.mode).toBe('human');
    expect(warm.pacing.base).toEqual({ seconds: 864, setBy: 'day', perLimit: { hour: 360, three_hours: 360, day: 864 } });
    expect(warm.pacing.rush).toMatchObject({ inRush: false, queueDepth: 0, threshold: 10, configured: 0.5 });
    expect(warm.pacing.pace).toMatchObject({ factor: 1, ratio: null });
    expect(warm.pacing.explanation[0]).toBe('base gap 864 s: 100 a day over 24 active hours is the tightest limit (10 an hour allows 360 s, 30 per 3 hours allows 360 s)');
    expect(warm.pacing.min).toBeLessThan(warm.pacing.max);

    expect(night.state.state).toBe('outside_active_hours');
    expect(night.state.label).toBe('Outside active hours');
    expect(night.state.reason).toMatch(/^outside active hours \(\d\d:\d\d–\d\d:\d\d UTC\); they start in (1 h 5\d min|2 h)$/);
    expect(night.warmup).toBeNull();

    // Weighted: Warm set by hand to 3; Night measured (100 left × 100/100), and it may take open chat outside its hours.
    expect(warm.weight).toMatchObject({ weight: 3, source: 'manual', explanation: 'set by hand to 3' });
    expect(night.weight).toMatchObject({ weight: 100, source: 'derived' });
    expect(warm.weight.share + night.weight.share).toBeCloseTo(1);
    expect(u.day).toMatchObject({ sent: 0, cap: null });
  });

  it('says a profile paused by hand is paused, and why', async () => {
    expect((await api('POST', `/api/v1/profiles/${quiet.nightId}/pause`, { reason: 'holiday' })).statusCode).toBe(200);
    const night = (await usage(quiet.packageId)).profiles[1];
    expect(night.state).toEqual({ state: 'paused', label: 'Paused', reason: 'Paused by hand: holiday' });
    expect(night.weight.share).toBe(0);
    expect((await api('POST', `/api/v1/profiles/${quiet.nightId}/resume`)).statusCode).toBe(200);
    expect((await usage(quiet.packageId)).profiles[1].state.state).toBe('outside_active_hours');
  });

  it('lists every package of the workspace with its profiles, without the detail panels', async () => {
    const res = await api('GET', '/api/v1/senders/usage');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.items.map((p: { name: string }) => p.name)).toEqual(['Support', 'Marketing']);
    expect(page.nextCursor).toBeNull();
    const marketing = page.items[1];
    expect(marketing.profiles[0]).toMatchObject({ name: 'Busy', windows: { hour: { sent: 5, cap: 5 } }, state: { state: 'limit_reached' }, queued: 3 });
    expect(marketing.profiles[0]).not.toHaveProperty('pacing');
    expect(marketing.profiles[0]).not.toHaveProperty('parameters');

    const first = (await api('GET', '/api/v1/senders/usage?limit=1')).json();
    expect(first.items.map((p: { name: string }) => p.name)).toEqual(['Support']);
    const second = (await api('GET', `/api/v1/senders/usage?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((p: { name: string }) => p.name)).toEqual(['Marketing']);
  });

  it("never shows another workspace's packages", async () => {
    const B = await otherWorkspace(h.app);
    for (const asB of [B.api, B.keyApi]) {
      const res = await asB('GET', `/api/v1/packages/${busy.packageId}/usage`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('PACKAGE_NOT_FOUND');
      expect((await asB('GET', '/api/v1/senders/usage')).json().items).toEqual([]);
    }
  });

  it('pushes the activity of several flushes as one notice per workspace, with the counts since the last one', async () => {
    // A workspace of its own: the real one's drains publish their activity on its channel meanwhile.
    const ws = uuidv7();
    const received: unknown[] = [];
    const other: unknown[] = [];
    const stop = await h.c.pubsub.subscribe(workspaceChannel(ws), (m) => {
      if ((m as { type: string }).type === 'senders.activity') received.push(m);
    });
    const stopOther = await h.c.pubsub.subscribe(workspaceChannel('other-workspace'), (m) => other.push(m));
    const report = (entries: Array<[string, string, Partial<typeof ZERO_COUNTS>]>): FlushReport => ({
      profiles: new Map(entries.map(([ws, profileId, counts]) => [profileId, { workspaceId: ws, profileId, counts: { ...ZERO_COUNTS, ...counts }, outcomes: [], signals: [] }])),
    });
    try {
      publishActivity(h.c, report([[ws, busy.profileId, { sent: 2, delivered: 1 }], ['other-workspace', 'p-other', { received: 1 }]]));
      publishActivity(h.c, report([[ws, busy.profileId, { sent: 1, read: 1 }], [ws, quiet.warmId, { received: 4 }]]));
      await eventually(() => received.length === 1 && other.length === 1);
      expect(received[0]).toEqual({
        type: 'senders.activity',
        profiles: [
          { profileId: busy.profileId, sent: 3, delivered: 1, read: 1, replied: 0, failed: 0, received: 0 },
          { profileId: quiet.warmId, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, received: 4 },
        ],
      });
      expect(other[0]).toEqual({ type: 'senders.activity', profiles: [{ profileId: 'p-other', sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, received: 1 }] });

      publishActivity(h.c, report([[ws, busy.profileId, { failed: 1 }]]));
      await eventually(() => received.length === 2);
      expect(received[1]).toEqual({ type: 'senders.activity', profiles: [{ profileId: busy.profileId, ...ZERO_COUNTS, failed: 1 }] });
    } finally {
      await stop();
      await stopOther();
    }
  });
});
