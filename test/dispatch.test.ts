import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { newOwner, type Client, type Owner } from './support/api.ts';
import { eventually } from './fixtures/import-files.ts';
import { createSenders, FAST_NETWORK, textMessages, unpacedSettings } from './support/senders.ts';
import { enqueueMessages } from '../src/db/outbox.repo.ts';
import { kickDrain } from '../src/services/drains.ts';

/**
 * The dispatch engine end to end through the real queue, database and governor: messages in the
 * outbox are drained per profile through the simulator, their results and receipts recorded in
 * batches, and the hard limits hold.
 */
describe.each(modes)('dispatch (%s)', (mode) => {
  let h: Harness;
  let owner: Owner;
  let api: Client;
  beforeAll(async () => {
    h = await startHarness(mode);
    owner = await newOwner(h.app);
    api = owner.api;
  });
  afterAll(async () => h?.close());

  const senders = (settings: Record<string, unknown>, profiles = 1, network?: (i: number) => Record<string, unknown>) =>
    createSenders(api, settings, { profiles, seed: 'dispatch', ...(network ? { network } : {}) });

  async function queue(packageId: string, profileId: string, phones: string[]) {
    const rows = textMessages(packageId, profileId, phones);
    await enqueueMessages(h.c.db.orm, owner.workspaceId, rows);
    await kickDrain(h.c, owner.workspaceId, profileId);
    return rows.map((r) => r.id);
  }

  const statuses = async (ids: string[]) =>
    (await h.c.db.pool.query<{ id: string; status: string; reason: string | null; sent_at: Date | null }>('SELECT id, status, reason, sent_at FROM campaign_messages WHERE id = ANY($1) ORDER BY id', [ids])).rows;

  it('sends every queued message once and records delivery and reading', async () => {
    const { packageId, profileIds } = await senders(unpacedSettings(200));
    const phones = Array.from({ length: 40 }, (_, i) => `+62813${String(i).padStart(7, '0')}`);
    const ids = await queue(packageId, profileIds[0]!, [...phones, '+628119999999']);
    await eventually(async () => (await statuses(ids)).every((r) => r.status === 'read' || r.status === 'failed'), 30_000);
    const rows = await statuses(ids);
    expect(rows.filter((r) => r.status === 'read')).toHaveLength(40);
    const failed = rows.find((r) => r.status === 'failed')!;
    expect(failed.reason).toMatch(/not on WhatsApp/i);
    // Counted once each, in the profile's statistics.
    const { rows: stats } = await h.c.db.pool.query('SELECT sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(read)::int AS read, sum(failed)::int AS failed FROM profile_stats WHERE profile_id = $1', [profileIds[0]]);
    expect(stats[0]).toEqual({ sent: 40, delivered: 40, read: 40, failed: 1 });
  });

  it('never goes past the hourly limit, and says when and why the profile waits', async () => {
    const { packageId, profileIds } = await senders(unpacedSettings(200, { perHour: 5, per3Hours: 15, perDay: 50 }));
    const ids = await queue(packageId, profileIds[0]!, Array.from({ length: 8 }, (_, i) => `+62814${String(i).padStart(7, '0')}`));
    await eventually(async () => (await statuses(ids)).filter((r) => r.sent_at !== null).length === 5, 20_000);
    await eventually(async () => {
      const r = (await h.c.db.pool.query('SELECT next_send_at, wait_reason FROM profiles WHERE id = $1', [profileIds[0]])).rows[0];
      return /hourly limit reached \(5\/5\)/.test(r.wait_reason ?? '');
    }, 10_000);
    // The three the governor refused go back to the queue untried (written by the next ingest flush).
    await eventually(async () => (await statuses(ids)).filter((r) => r.status === 'queued').length === 3, 10_000);
    const after = await statuses(ids);
    expect(after.filter((r) => r.sent_at !== null)).toHaveLength(5);
    expect((await h.c.db.pool.query('SELECT max(attempts)::int AS n FROM campaign_messages WHERE id = ANY($1) AND sent_at IS NULL', [ids])).rows[0].n).toBe(0);
    const usage = await h.c.governor.usage(
      { profileId: profileIds[0]!, packageId, limits: { perHour: 5, per3Hours: 15, perDay: 50 }, packageDailyTotal: null, maxConcurrentSends: 10, activeHours: { start: '00:00', end: '00:00' }, timezone: 'UTC' },
      Date.now(),
    );
    expect(usage.hour).toBe(5);
  });

  it('a banned number stops at once: marked banned with the reason, alerted, and its queue fails over to a healthy profile', async () => {
    // The first profile's network bans it at its first send; the second is healthy.
    const banOnFirstSend = { ...FAST_NETWORK, ban: { enabled: true, warningAt: 1, banAt: 1, maxWarnings: 0 } };
    const { packageId, profileIds } = await senders(unpacedSettings(50), 2, (i) => (i === 0 ? banOnFirstSend : FAST_NETWORK));
    const [doomed, healthy] = profileIds as [string, string];
    const ids = await queue(packageId, doomed, Array.from({ length: 10 }, (_, i) => `+62815${String(i).padStart(7, '0')}`));
    // Every message left once. What the doomed number sent just before its ban may never be read:
    // a logged-out number gets no more receipts, as on WhatsApp.
    await eventually(async () => (await statuses(ids)).every((r) => ['sent', 'delivered', 'read'].includes(r.status)), 60_000);
    // What the doomed number sent before its ban stays its own; everything after went out through the other.
    const { rows: owners } = await h.c.db.pool.query('SELECT profile_id, count(*)::int AS n FROM campaign_messages WHERE id = ANY($1) GROUP BY 1', [ids]);
    const byOwner = Object.fromEntries(owners.map((r) => [r.profile_id, r.n]));
    expect(byOwner[healthy]).toBeGreaterThanOrEqual(5);
    expect((byOwner[doomed] ?? 0) + byOwner[healthy]).toBe(10);
    // The healthy number's receipts keep coming: all it sent is read.
    await eventually(async () => (await statuses(ids)).filter((r) => r.status === 'read').length >= byOwner[healthy], 10_000);
    const { rows: stats } = await h.c.db.pool.query('SELECT coalesce(sum(sent), 0)::int AS sent FROM profile_stats WHERE profile_id = $1', [doomed]);
    expect(stats[0].sent).toBe(byOwner[doomed] ?? 0);
    const { rows: profile } = await h.c.db.pool.query('SELECT status, status_reason, health_state FROM profiles WHERE id = $1', [doomed]);
    expect(profile[0]).toMatchObject({ status: 'banned', health_state: 'banned' });
    expect(profile[0].status_reason).toMatch(/logged the number out/);
    const { rows: alerts } = await h.c.db.pool.query('SELECT kind, message FROM alerts WHERE profile_id = $1 ORDER BY id', [doomed]);
    // The refused send may first make it risky (paused, its queue moved), the logout then banned.
    expect(alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(['profile.banned', 'profile.failover']));
    const log = await api('GET', `/api/v1/audit?entityType=profile&entityId=${doomed}`);
    expect((log.json().items as Array<{ action: string }>).map((e) => e.action)).toEqual(expect.arrayContaining(['profile.health', 'profile.ban', 'profile.failover']));
  });
});
