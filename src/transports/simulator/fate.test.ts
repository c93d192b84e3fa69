import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../domain/seeded-random.ts';
import { mergeSimulatorConfig, SIMULATOR_DEFAULTS, type SimulatorOverrides } from './config.ts';
import { drawFate, drawLatency } from './fate.ts';

const config = (o: SimulatorOverrides) => mergeSimulatorConfig(SIMULATOR_DEFAULTS, o);

describe('drawLatency', () => {
  it('has the configured median, and is the median exactly when the spread is 0', () => {
    const random = seededRandom('latency');
    const waits = Array.from({ length: 20_001 }, () => drawLatency(random, { medianMs: 1_000, spread: 1 })).sort((a, b) => a - b);
    expect(waits[10_000]!).toBeGreaterThan(950);
    expect(waits[10_000]!).toBeLessThan(1_050);
    // One in ten waits is over e^1.2816 ≈ 3.6 times the median with spread 1.
    expect(waits[18_000]!).toBeGreaterThan(3_300);
    expect(waits[18_000]!).toBeLessThan(3_900);
    expect(drawLatency(random, { medianMs: 250, spread: 0 })).toBe(250);
  });
});

describe('drawFate', () => {
  const always = config({ audience: { deliveryProbability: 1, readProbability: 1, replyProbability: 1, optOutShare: 0 }, errors: { failedAfterAcceptProbability: 0 } });

  it('moves a message through sent, delivered, read and reply, in time order', () => {
    const random = seededRandom('fate');
    for (let i = 0; i < 200; i++) {
      const fate = drawFate(random, always, 1_000, true);
      if (fate.outcome !== 'delivered') throw new Error(`expected delivered, got ${fate.outcome}`);
      expect(fate.sentAt).toBeGreaterThanOrEqual(1_000);
      expect(fate.deliveredAt).toBeGreaterThanOrEqual(fate.sentAt);
      expect(fate.readAt!).toBeGreaterThanOrEqual(fate.deliveredAt);
      expect(fate.reply!.at).toBeGreaterThanOrEqual(fate.readAt!);
      expect(always.audience.replies).toContain(fate.reply!.text);
      expect(fate.reply!.optOut).toBe(false);
    }
  });

  it('fails a message to a number not on WhatsApp, and one the network loses', () => {
    expect(drawFate(seededRandom(1), always, 0, false)).toMatchObject({ outcome: 'failed', cause: 'not_on_whatsapp' });
    const lossy = config({ errors: { failedAfterAcceptProbability: 1 } });
    expect(drawFate(seededRandom(1), lossy, 0, true)).toMatchObject({ outcome: 'failed', cause: 'network' });
  });

  it('leaves a message sent when it is never delivered, and unread or unanswered by chance', () => {
    expect(drawFate(seededRandom(2), config({ audience: { deliveryProbability: 0 } }), 0, true)).toMatchObject({ outcome: 'undelivered' });
    expect(drawFate(seededRandom(2), config({ audience: { deliveryProbability: 1, readProbability: 0 } }), 0, true)).toMatchObject({ readAt: null, reply: null });
    const optOut = drawFate(seededRandom(3), config({ audience: { deliveryProbability: 1, readProbability: 1, replyProbability: 1, optOutShare: 1 } }), 0, true);
    expect(optOut).toMatchObject({ reply: { optOut: true } });
    if (optOut.outcome === 'delivered') expect(SIMULATOR_DEFAULTS.audience.optOutReplies).toContain(optOut.reply!.text);
  });

  it('draws the same timings whichever way the branches go (one stream, fixed order of draws)', () => {
    const a = drawFate(seededRandom('same'), always, 0, true);
    const b = drawFate(seededRandom('same'), config({ audience: { readProbability: 1, replyProbability: 0 } }), 0, true);
    expect(b.sentAt).toBe(a.sentAt);
    if (a.outcome === 'delivered' && b.outcome === 'delivered') {
      expect(b.deliveredAt).toBe(a.deliveredAt);
      expect(b.readAt).toBe(a.readAt);
    }
  });
});
