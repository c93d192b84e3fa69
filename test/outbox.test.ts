import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { textMessages } from './support/senders.ts';
import { packages, profiles, workspaces } from '../src/db/schema.ts';
import { optOutPhones } from '../src/db/inbound.repo.ts';
import { queuedByProfileAndPackage } from '../src/db/usage.repo.ts';
import {
  UNKNOWN_REASON,
  applyReceipts,
  claimMessages,
  enqueueMessages,
  expireLeases,
  claimNext,
  reassignQueued,
  recentSends,
  recordResults,
  releaseClaims,
} from '../src/db/outbox.repo.ts';

/** The outbox's set-based statements, on both databases: claims, results, receipts, leases. */
describe.each(modes)('outbox statements (%s)', (mode) => {
  let h: Harness;
  let ws: string;
  let pkg: string;
  let p1: string;
  let p2: string;
  const T0 = Date.parse('2026-11-22T10:00:00Z');

  const statusOf = async (ids: string[]) =>
    (await h.c.db.pool.query('SELECT id, status, reason, attempts, provider_message_id, profile_id FROM campaign_messages WHERE id = ANY($1) ORDER BY id', [ids])).rows;

  const enqueue = async (n: number, profileId = p1, notBefore = T0) => {
    const phones = Array.from({ length: n }, (_, i) => `+62811000${i}`);
    const rows = textMessages(pkg, profileId, phones, (i) => `hi ${i}`, { notBefore });
    await enqueueMessages(h.c.db.orm, ws, rows);
    return rows.map((r) => r.id);
  };

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    const orm = h.c.db.orm;
    ws = (await orm.insert(workspaces).values({ name: 'W', defaultCountry: 'ID' }).returning())[0]!.id;
    pkg = (await orm.insert(packages).values({ workspaceId: ws, name: 'P' }).returning())[0]!.id;
    [p1, p2] = (await orm.insert(profiles).values([{ workspaceId: ws, name: 'one', transport: 'simulator' }, { workspaceId: ws, name: 'two', transport: 'simulator' }]).returning()).map((r) => r.id) as [string, string];
  });
  afterAll(async () => h?.close());

  it('claims a profile\'s due messages oldest first, once, under a lease', async () => {
    const ids = await enqueue(5);
    const later = await enqueue(1, p1, T0 + 60_000);
    const other = await enqueue(2, p2);
    const a = await claimMessages(h.c.db.orm, ws, p1, { limit: 3, owner: 'a', leaseMs: 30_000, now: T0 });
    expect(a.map((m) => m.id)).toEqual(ids.slice(0, 3));
    expect(a[0]).toMatchObject({ profileId: p1, packageId: pkg, content: { type: 'text', text: 'hi 0' }, attempts: 1 });
    // A second drain gets the rest of what is due, never the same rows, nor what is not due yet.
    const b = await claimMessages(h.c.db.orm, ws, p1, { limit: 10, owner: 'b', leaseMs: 30_000, now: T0 });
    expect(b.map((m) => m.id)).toEqual(ids.slice(3));
    expect(await claimMessages(h.c.db.orm, ws, p1, { limit: 10, owner: 'c', leaseMs: 30_000, now: T0 })).toEqual([]);
    expect(await queuedByProfileAndPackage(h.c.db.orm, ws, [p2])).toEqual([{ profileId: p2, packageId: pkg, queued: 2 }]);
    // The paced drain's claim: the next due message, the queue counted only as far as asked, and when the earliest is due.
    expect(await claimNext(h.c.db.orm, ws, p1, { owner: 'n', leaseMs: 30_000, now: T0, countUpTo: 10 })).toEqual({ message: null, queued: 1, earliestAt: T0 + 60_000 });
    const next = await claimNext(h.c.db.orm, ws, p2, { owner: 'n', leaseMs: 30_000, now: T0, countUpTo: 1 });
    expect(next).toMatchObject({ message: { id: other[0], packageId: pkg, attempts: 1 }, queued: 1 });
    // Given back untried, as it was; only by the one who holds it.
    await releaseClaims(h.c.db.orm, 'someone else', [other[0]!]);
    expect((await statusOf([other[0]!]))[0]).toMatchObject({ status: 'sending', attempts: 1 });
    await releaseClaims(h.c.db.orm, 'n', [other[0]!]);
    expect((await statusOf([other[0]!]))[0]).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await claimNext(h.c.db.orm, ws, p2, { owner: 'n', leaseMs: 30_000, now: T0, countUpTo: 10 })).queued).toBe(2);
    await releaseClaims(h.c.db.orm, 'n', [other[0]!]);
    // Another workspace never claims these.
    const foreign = (await h.c.db.orm.insert(workspaces).values({ name: 'X', defaultCountry: 'ID' }).returning())[0]!.id;
    expect(await claimMessages(h.c.db.orm, foreign, p2, { limit: 10, owner: 'x', leaseMs: 1000, now: T0 })).toEqual([]);

    // Results: only the owner records; a re-queue goes back with its reason, a failure stays failed.
    const [m0, m1, m2] = a;
    expect(await recordResults(h.c.db.orm, 'b', [{ id: m0!.id, outcome: 'sent', providerMessageId: 'x', at: T0 }])).toBe(0);
    const n = await recordResults(h.c.db.orm, 'a', [
      { id: m0!.id, outcome: 'sent', providerMessageId: `sim.${m0!.id}`, at: T0 + 1 },
      { id: m1!.id, outcome: 'requeue', notBefore: T0 + 30_000, reason: 'network hiccup', code: 'transient' },
      { id: m2!.id, outcome: 'failed', reason: 'not on WhatsApp', code: 'not_on_whatsapp', at: T0 + 2 },
    ]);
    expect(n).toBe(3);
    expect(await statusOf([m0!.id, m1!.id, m2!.id])).toEqual([
      { id: m0!.id, status: 'sent', reason: null, attempts: 1, provider_message_id: `sim.${m0!.id}`, profile_id: p1 },
      { id: m1!.id, status: 'queued', reason: 'network hiccup', attempts: 1, provider_message_id: null, profile_id: p1 },
      { id: m2!.id, status: 'failed', reason: 'not on WhatsApp', attempts: 1, provider_message_id: null, profile_id: p1 },
    ]);
    expect(await queuedByProfileAndPackage(h.c.db.orm, ws, [p1])).toEqual([{ profileId: p1, packageId: pkg, queued: 2 }]);
    void later;
    void other;
  });

  it('skips instead of re-queueing a message whose number opted out while it was claimed', async () => {
    const ids = await enqueue(2, p2, T0);
    const claimed = await claimMessages(h.c.db.orm, ws, p2, { limit: 10, owner: 'o', leaseMs: 30_000, now: T0 + 1 });
    expect(claimed.map((m) => m.id).sort()).toEqual(expect.arrayContaining(ids));
    const phones = claimed.filter((m) => ids.includes(m.id)).map((m) => m.phone);
    await optOutPhones(h.c.db.orm, ws, phones, 'replied "STOP"', T0 + 2);
    await releaseClaims(h.c.db.orm, 'o', [ids[0]!]);
    await recordResults(h.c.db.orm, 'o', [{ id: ids[1]!, outcome: 'requeue', notBefore: T0 + 60_000, reason: 'network hiccup', code: 'transient' }]);
    const rows = await statusOf(ids);
    expect(rows.map((r) => [r.status, r.reason])).toEqual(ids.map(() => ['skipped', 'the recipient opted out while the message waited']));
    // Other messages still in the queue were not held: the rest of p2's claimed ones are given back as they were.
    await releaseClaims(h.c.db.orm, 'o', claimed.filter((m) => !ids.includes(m.id)).map((m) => m.id));
  });

  it('moves receipts forward only, by our id or the provider id, and reports what changed', async () => {
    const [id] = await enqueue(1);
    const [c] = await claimMessages(h.c.db.orm, ws, p1, { limit: 1, owner: 'r', leaseMs: 30_000, now: T0 + 120_000 });
    expect(c!.id).toBe(id);
    await recordResults(h.c.db.orm, 'r', [{ id: id!, outcome: 'sent', providerMessageId: 'prov-1', at: T0 }]);
    // Only the profile that sent it moves it: a receipt reported by another profile or workspace changes nothing.
    const foreign = (await h.c.db.orm.insert(workspaces).values({ name: 'Y', defaultCountry: 'ID' }).returning())[0]!.id;
    for (const [workspaceId, profileId] of [[ws, p2], [foreign, p1]] as const) {
      expect(await applyReceipts(h.c.db.orm, [{ workspaceId, profileId, messageId: id!, providerMessageId: 'prov-1', status: 'read', at: T0 + 4000 }])).toEqual([]);
      expect(await applyReceipts(h.c.db.orm, [{ workspaceId, profileId, messageId: null, providerMessageId: 'prov-1', status: 'read', at: T0 + 4000 }])).toEqual([]);
    }
    const read = await applyReceipts(h.c.db.orm, [{ workspaceId: ws, profileId: p1, messageId: null, providerMessageId: 'prov-1', status: 'read', at: T0 + 5000 }]);
    expect(read).toEqual([{ id, workspaceId: ws, profileId: p1, status: 'read', previous: 'sent' }]);
    // A late "delivered" and a "failed" after delivery change nothing.
    expect(await applyReceipts(h.c.db.orm, [{ workspaceId: ws, profileId: p1, messageId: id!, providerMessageId: 'prov-1', status: 'delivered', at: T0 + 6000 }])).toEqual([]);
    expect(await applyReceipts(h.c.db.orm, [{ workspaceId: ws, profileId: p1, messageId: id!, providerMessageId: 'prov-1', status: 'failed', at: T0 + 7000, reason: 'x' }])).toEqual([]);
    const [row] = (await h.c.db.pool.query('SELECT status, delivered_at, read_at FROM campaign_messages WHERE id = $1', [id])).rows;
    expect(row.status).toBe('read');
    // Reading implies delivery: both times are set.
    expect(new Date(row.delivered_at).getTime()).toBe(T0 + 5000);
    expect(new Date(row.read_at).getTime()).toBe(T0 + 5000);
  });

  it('marks expired leases unknown, and a late result still records the truth', async () => {
    const [id] = await enqueue(1);
    await claimMessages(h.c.db.orm, ws, p1, { limit: 1, owner: 'dead', leaseMs: 1000, now: T0 + 200_000 });
    // (The earlier test left leases that ended long ago: they expire here, ours not yet.)
    expect((await expireLeases(h.c.db.orm, T0 + 200_500)).map((e) => e.id)).not.toContain(id);
    const expired = await expireLeases(h.c.db.orm, T0 + 202_000);
    expect(expired.map((e) => e.id)).toContain(id);
    expect((await statusOf([id!]))[0]).toMatchObject({ status: 'unknown', reason: UNKNOWN_REASON });
    // The dead owner cannot re-queue it (that could send twice)…
    expect(await recordResults(h.c.db.orm, 'dead', [{ id: id!, outcome: 'requeue', notBefore: 0, reason: null, code: null }])).toBe(0);
    // …but if it did send it, that is recorded.
    expect(await recordResults(h.c.db.orm, 'dead', [{ id: id!, outcome: 'sent', providerMessageId: 'prov-late', at: T0 }])).toBe(1);
    expect((await statusOf([id!]))[0]).toMatchObject({ status: 'sent', reason: null });
  });

  it('reassigns queued messages within the workspace only, and lists recent sends for the reconciler', async () => {
    const ids = await enqueue(3, p2);
    expect(await reassignQueued(h.c.db.orm, ws, ids.map((id) => ({ id, profileId: p1 })))).toBe(3);
    const foreign = (await h.c.db.orm.insert(workspaces).values({ name: 'Y', defaultCountry: 'ID' }).returning())[0]!.id;
    expect(await reassignQueued(h.c.db.orm, foreign, ids.map((id) => ({ id, profileId: p2 })))).toBe(0);
    expect((await statusOf(ids)).every((r) => r.profile_id === p1)).toBe(true);
    const sends = await recentSends(h.c.db.orm, T0 - 1);
    expect(sends.filter((s) => s.profileId === p1).length).toBeGreaterThanOrEqual(2);
  });
});
