import { expect } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Client } from './api.ts';

/** A simulated network that answers at once and never fails (one number, +628119999999, is not on WhatsApp): what is tested is Chorus. */
export const FAST_NETWORK = {
  recipients: { missingShare: 0, missing: ['+628119999999'] },
  latency: { accept: { medianMs: 1, spread: 0 }, delivery: { medianMs: 5, spread: 0 }, read: { medianMs: 5, spread: 0 }, reply: { medianMs: 5, spread: 0 } },
  audience: { deliveryProbability: 1, readProbability: 1, replyProbability: 0 },
  errors: { transientProbability: 0, permanentProbability: 0, failedAfterAcceptProbability: 0 },
  rateLimit: { maxSends: 100_000, windowMs: 1000 },
  ban: { enabled: false },
};

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
