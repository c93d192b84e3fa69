import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  mergeSimulatorConfig,
  SIMULATOR_DEFAULTS,
  simulatorConfigSchema,
  simulatorOverridesSchema,
  simulatorProfileOverridesSchema,
} from './config.ts';

describe('simulator config', () => {
  it('has defaults that pass its own schema', () => {
    expect(simulatorConfigSchema.parse(SIMULATOR_DEFAULTS)).toEqual(SIMULATOR_DEFAULTS);
  });

  it('lays overrides over the base at any depth, later layers winning, lists replaced whole', () => {
    const merged = mergeSimulatorConfig(
      SIMULATOR_DEFAULTS,
      { ban: { rate: { threshold: 8 } }, audience: { replies: ['ok'] } },
      undefined,
      { ban: { rate: { points: 2 } }, latency: { read: { medianMs: 1 } } },
    );
    expect(merged.ban.rate).toEqual({ ...SIMULATOR_DEFAULTS.ban.rate, threshold: 8, points: 2 });
    expect(merged.ban.burst).toEqual(SIMULATOR_DEFAULTS.ban.burst);
    expect(merged.audience.replies).toEqual(['ok']);
    expect(merged.latency.read).toEqual({ medianMs: 1, spread: SIMULATOR_DEFAULTS.latency.read.spread });
    expect(SIMULATOR_DEFAULTS.ban.rate.threshold).toBe(4);
  });

  it('rejects a bad value, naming the field', () => {
    try {
      mergeSimulatorConfig(SIMULATOR_DEFAULTS, { audience: { readProbability: 1.5 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZodError);
      expect((e as ZodError).issues[0]).toMatchObject({ path: ['audience', 'readProbability'], message: 'at most 1 (always)' });
    }
  });

  it('accepts any partial override, rejects unknown fields, and keeps who is on WhatsApp out of profile overrides', () => {
    expect(simulatorOverridesSchema.parse({ ban: { young: { days: 3 } } })).toEqual({ ban: { young: { days: 3 } } });
    expect(simulatorOverridesSchema.safeParse({ ban: { speed: 3 } }).success).toBe(false);
    expect(simulatorOverridesSchema.safeParse({ recipients: { missingShare: 0.5 } }).success).toBe(true);
    expect(simulatorProfileOverridesSchema.safeParse({ recipients: { missingShare: 0.5 } }).success).toBe(false);
    expect(simulatorProfileOverridesSchema.safeParse({ number: { ageDays: 1 } }).success).toBe(true);
  });

  it('describes every field in words', () => {
    const undescribed: string[] = [];
    const walk = (schema: unknown, path: string) => {
      const s = schema as { description?: string; shape?: Record<string, unknown> };
      if (!s.description) undescribed.push(path);
      if (s.shape) for (const [k, v] of Object.entries(s.shape)) walk(v, path ? `${path}.${k}` : k);
    };
    for (const [k, v] of Object.entries(simulatorConfigSchema.shape)) walk(v, k);
    expect(undescribed).toEqual([]);
  });
});
