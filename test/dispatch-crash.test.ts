import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';
import { client, cookieOf, signupOwner, type Client, type Session } from './support/api.ts';
import { chorus, type Proc } from './support/processes.ts';
import { eventually } from './fixtures/import-files.ts';
import { reliableNetwork, textMessages, unpacedSettings } from './support/senders.ts';
import { enqueueMessages, UNKNOWN_REASON } from '../src/db/outbox.repo.ts';
import { kickDrain } from '../src/services/drains.ts';

const NETWORK = reliableNetwork({ accept: 2, delivery: 5, read: 5, reply: 5 });

/**
 * A worker process is killed (SIGKILL, no chance to tidy up) while it sends; a new one takes over.
 * Every message must end sent exactly once, or settled with a reason — none lost, none queued or
 * held forever. The network never fails a send, so a message claimed twice would show as two
 * attempts: every message having at most one proves none was sent twice.
 */
describe('dispatch survives a worker killed mid-send (scaled)', () => {
  let h: Harness;
  let owner: Session;
  let api: Client;
  const workers: Proc[] = [];

  beforeAll(async () => {
    h = await startHarness('scaled', {}, { workers: false });
    owner = await signupOwner(h.app);
    api = client(h.app, cookieOf(owner));
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await h?.close();
  });

  const worker = () => {
    const cfg = h.c.config;
    const w = chorus(['worker'], {
      DATABASE_URL: cfg.DATABASE_URL!,
      REDIS_URL: cfg.REDIS_URL!,
      QUEUE_PREFIX: cfg.QUEUE_PREFIX,
      SECRET_KEY: cfg.SECRET_KEY!,
      DATA_DIR: h.dataDir,
      DISPATCH_LEASE_SECONDS: '8',
      LOG_LEVEL: 'warn',
    });
    workers.push(w);
    return w;
  };

  const counts = async (ids: string[]) => {
    const { rows } = await h.c.db.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM campaign_messages WHERE id = ANY($1) GROUP BY status', [ids]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  };

  it('every message ends sent once or settled with a reason after the crash', async () => {
    const settings = unpacedSettings(25, { perHour: 10_000, per3Hours: 30_000, perDay: 100_000 });
    const profileIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api('POST', '/api/v1/profiles', {
        name: `Crash ${i}`,
        phone: `+6281270000${i}0`,
        transport: 'simulator',
        transportConfig: { seed: `crash-${i}`, overrides: NETWORK },
        settings,
      });
      expect(res.statusCode, res.body).toBe(201);
      profileIds.push(res.json().id);
    }
    const pkg = await api('POST', '/api/v1/packages', { name: 'Crash test', maxConcurrentSends: 5 });
    const packageId = pkg.json().id as string;
    expect((await api('PUT', `/api/v1/packages/${packageId}/profiles`, { profileIds })).statusCode).toBe(200);

    const ids: string[] = [];
    for (const [p, profileId] of profileIds.entries()) {
      const phones = Array.from({ length: 150 }, (_, i) => `+628130${p}${String(i).padStart(5, '0')}`);
      const rows = textMessages(packageId, profileId, phones, (i) => `Offer ${i}`);
      await enqueueMessages(h.c.db.orm, owner.workspaceId, rows);
      ids.push(...rows.map((r) => r.id));
      await kickDrain(h.c, owner.workspaceId, profileId);
    }

    const first = worker();
    await eventually(async () => {
      const c = await counts(ids);
      return (c.read ?? 0) + (c.sent ?? 0) + (c.delivered ?? 0) >= 60;
    }, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const atCrash = await counts(ids);
    expect(atCrash.queued ?? 0).toBeGreaterThan(0);

    worker();
    await eventually(async () => {
      const c = await counts(ids);
      return (c.queued ?? 0) === 0 && (c.sending ?? 0) === 0;
    }, 120_000);
    // Receipts of what the second worker sent come in a moment later.
    await new Promise((r) => setTimeout(r, 2000));

    const { rows } = await h.c.db.pool.query<{ status: string; reason: string | null; attempts: number }>('SELECT status, reason, attempts FROM campaign_messages WHERE id = ANY($1)', [ids]);
    expect(rows).toHaveLength(300);
    for (const r of rows) {
      expect(r.attempts).toBeLessThanOrEqual(1);
      // `sent` or `delivered` without the rest: the dead worker recorded them, its network died before the next receipt.
      expect(['read', 'delivered', 'sent', 'unknown']).toContain(r.status);
      if (r.status === 'unknown') expect(r.reason).toBe(UNKNOWN_REASON);
    }
    // Only what the dead worker held when it died can be unknown: what it had claimed, and sends whose
    // results were still waiting for the next batched write. The new worker's own sends all settle.
    const unknown = rows.filter((r) => r.status === 'unknown').length;
    expect(unknown).toBeLessThanOrEqual(atCrash.sending ?? 0);
  }, 240_000);
});
