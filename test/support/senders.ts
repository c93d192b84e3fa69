import { expect } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Client } from './api.ts';
import type { NewOutboxMessage } from '../../src/db/outbox.repo.ts';

/**
 * Simulator overrides for a network that never fails, bans or rate-limits and on which every
 * message is delivered and read: each step takes exactly its median (ms), and `replyProbability`
 * of the recipients answer (none asks to stop). What is tested is then Chorus, not the network's chances.
 */
export function reliableNetwork(
  ms: { accept: number; delivery: number; read: number; reply: number },
  opts: { replyProbability?: number; missing?: string[] } = {},
) {
  const step = (medianMs: number) => ({ medianMs, spread: 0 });
  return {
    recipients: { missingShare: 0, ...(opts.missing ? { missing: opts.missing } : {}) },
    latency: { accept: step(ms.accept), delivery: step(ms.delivery), read: step(ms.read), reply: step(ms.reply) },
    audience: { deliveryProbability: 1, readProbability: 1, replyProbability: opts.replyProbability ?? 0, optOutShare: 0 },
    errors: { transientProbability: 0, permanentProbability: 0, failedAfterAcceptProbability: 0 },
    rateLimit: { maxSends: 100_000, windowMs: 1000 },
    ban: { enabled: false },
  };
}

/** Answers at once (one number, +628119999999, is not on WhatsApp). */
export const FAST_NETWORK = reliableNetwork({ accept: 1, delivery: 5, read: 5, reply: 5 }, { missing: ['+628119999999'] });

/** Sender settings that send as soon as a message is queued, at most `ratePerSecond`, under these limits, all day. */
export const unpacedSettings = (ratePerSecond: number, limits = { perHour: 1000, per3Hours: 3000, perDay: 10000 }) => ({
  pacing: { mode: 'off' as const, ratePerSecond },
  limits,
  activeHours: { start: '00:00', end: '00:00' },
});

/**
 * Queued text messages of no request or campaign, one to each phone, for this package's profile:
 * message i says `text(i)`; `extra` (e.g. `notBefore`) goes into every row.
 */
export function textMessages(
  packageId: string,
  profileId: string,
  phones: string[],
  text: (i: number) => string = (i) => `Hello ${i}`,
  extra: Pick<NewOutboxMessage, 'notBefore'> = {},
): NewOutboxMessage[] {
  return phones.map((phone, i) => ({ id: uuidv7(), requestId: null, campaignId: null, packageId, profileId, contactId: null, phone, content: { type: 'text', text: text(i) }, ...extra }));
}

/**
 * Creates `profiles` simulator profiles with these settings and a round-robin package holding
 * them, through the API; `network(i)` gives profile i's simulator overrides.
 */
export async function createSenders(
  api: Client,
  settings: Record<string, unknown>,
  opts: { profiles?: number; seed: string; network?: (i: number) => Record<string, unknown> },
): Promise<{ packageId: string; profileIds: string[] }> {
  const ids: string[] = [];
  for (let i = 0; i < (opts.profiles ?? 1); i++) {
    const res = await api('POST', '/api/v1/profiles', {
      name: `Sim ${i + 1} ${uuidv7().slice(-6)}`,
      phone: `+62812${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      transport: 'simulator',
      transportConfig: { seed: `${opts.seed}-${i}`, overrides: opts.network?.(i) ?? FAST_NETWORK },
      settings,
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.push(res.json().id);
  }
  const pkg = await api('POST', '/api/v1/packages', { name: `Pkg ${uuidv7().slice(-6)}`, strategy: 'round_robin', maxConcurrentSends: 10 });
  expect(pkg.statusCode, pkg.body).toBe(201);
  const put = await api('PUT', `/api/v1/packages/${pkg.json().id}/profiles`, { profileIds: ids });
  expect(put.statusCode, put.body).toBe(200);
  return { packageId: pkg.json().id as string, profileIds: ids };
}
