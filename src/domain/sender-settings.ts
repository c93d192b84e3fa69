import { z } from 'zod';

/**
 * The settings that govern how a profile (one WhatsApp number) sends open-chat messages, and how
 * each one's effective value is decided (product.md §4): the profile's own override, else its
 * package's value, else the workspace default, else the built-in default below. Pure: the
 * services load the three layers and call `effectiveSettings`, which also says where each value
 * came from so the dashboard and API can show it in words.
 *
 * Reply chat is never governed by any of this.
 */

export const TRANSPORT_KINDS = ['cloud-api', 'whatsapp-web', 'simulator'] as const;
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

export const PROFILE_STATUSES = ['linking', 'connected', 'disconnected', 'paused', 'limited', 'banned'] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

export const HEALTH_STATES = ['healthy', 'warning', 'risky', 'paused', 'banned'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const STRATEGIES = ['round_robin', 'random', 'weighted', 'smart'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Hard caps per profile over sliding windows. */
export interface Limits {
  perHour: number;
  per3Hours: number;
  perDay: number;
}

/**
 * The daily window in which open chat may leave, in the profile's timezone, as "HH:MM" from
 * `start` (inclusive) to `end` (exclusive). `end` before `start` wraps past midnight
 * (05:00 → 01:00 is 20 hours). "00:00" → "00:00" is the whole day.
 */
export interface ActiveHours {
  start: string;
  end: string;
}

/**
 * Pacing (architecture.md, Pacing): how the gap between two open-chat messages of one profile is
 * drawn. `mode: 'off'` skips human pacing (Cloud API bulk): the profile sends as fast as its token
 * bucket allows, still under every hard limit.
 */
export interface PacingParams {
  mode: 'human' | 'off';
  /** Gaps are drawn between base × (1 − jitter) and base × (1 + jitter). */
  jitter: number;
  /** More than this many messages waiting for the profile is a rush hour. */
  rushThreshold: number;
  /** Gap factor in a rush hour (product default: twice as long). */
  rushFactor: number;
  /** Gap factor when few are waiting (product default: half as long). */
  calmFactor: number;
  /** The pace factor (sent in the last 2 h ÷ expected) is clamped to [paceMin, paceMax]. */
  paceMin: number;
  paceMax: number;
  /** No gap is ever shorter than this, whatever the factors say. */
  minGapSeconds: number;
  /** Token bucket of `mode: 'off'`: messages per second (Cloud API: 80 by default, 1,000 upgraded). */
  ratePerSecond: number;
}

/** New numbers start with a low daily cap that grows while they stay healthy (product.md §4). */
export interface WarmupPlan {
  enabled: boolean;
  /** Daily cap on the first day. */
  startPerDay: number;
  /** Added to the daily cap for each healthy day. */
  growthPerDay: number;
}

/** Settings of a package that are not per-profile values. */
export interface PackageRules {
  strategy: Strategy;
  /** Sends per day across all the package's profiles (null: no package-wide cap). */
  dailyTotal: number | null;
  /** How many of the package's profiles may be sending at the same moment. */
  maxConcurrentSends: number;
}

/** The per-profile values that layer: profile → package → workspace → built-in. */
export interface SenderValues {
  limits: Limits;
  activeHours: ActiveHours;
  timezone: string;
  pacing: PacingParams;
  warmup: WarmupPlan;
}

/** A layer sets any subset; what it leaves out comes from the layer below. */
export interface SenderLayer {
  limits?: Partial<Limits> | undefined;
  activeHours?: ActiveHours | undefined;
  timezone?: string | undefined;
  pacing?: Partial<PacingParams> | undefined;
  warmup?: Partial<WarmupPlan> | undefined;
}

export const BUILT_IN: SenderValues = {
  limits: { perHour: 20, per3Hours: 50, perDay: 120 },
  // 20 active hours and 4 frozen, the frozen ones in the small hours.
  activeHours: { start: '05:00', end: '01:00' },
  timezone: 'UTC',
  pacing: {
    mode: 'human',
    jitter: 0.35,
    rushThreshold: 10,
    rushFactor: 2,
    calmFactor: 0.5,
    paceMin: 0.5,
    paceMax: 2,
    minGapSeconds: 20,
    ratePerSecond: 80,
  },
  warmup: { enabled: false, startPerDay: 20, growthPerDay: 10 },
};

export const BUILT_IN_PACKAGE_RULES: PackageRules = { strategy: 'smart', dailyTotal: null, maxConcurrentSends: 3 };

/** The layers a setting may come from, the profile's override first. */
export const SETTING_SOURCES = ['profile', 'package', 'workspace', 'default'] as const;
export type SettingSource = (typeof SETTING_SOURCES)[number];

/** Every leaf path of SenderValues ("limits.perHour", "activeHours", "timezone", …) → where its value came from. */
export type Sources = Record<string, SettingSource>;

export interface EffectiveSettings {
  values: SenderValues;
  sources: Sources;
}

const LAYER_ORDER: Array<[SettingSource, 'profile' | 'pkg' | 'workspace']> = [
  ['profile', 'profile'],
  ['package', 'pkg'],
  ['workspace', 'workspace'],
];

/**
 * The effective values for one profile sending for one package (a profile in two packages may
 * have different effective values in each), and where each came from.
 */
export function effectiveSettings(layers: { profile?: SenderLayer; pkg?: SenderLayer; workspace?: SenderLayer }): EffectiveSettings {
  const sources: Sources = {};
  const pick = <T>(path: string, get: (l: SenderLayer) => T | undefined, fallback: T): T => {
    for (const [source, name] of LAYER_ORDER) {
      const layer = layers[name];
      const v = layer ? get(layer) : undefined;
      if (v !== undefined) {
        sources[path] = source;
        return v;
      }
    }
    sources[path] = 'default';
    return fallback;
  };
  const group = <K extends 'limits' | 'pacing' | 'warmup'>(key: K): SenderValues[K] => {
    const out = {} as Record<string, unknown>;
    for (const [field, fallback] of Object.entries(BUILT_IN[key])) {
      out[field] = pick(`${key}.${field}`, (l) => (l[key] as Record<string, unknown> | undefined)?.[field], fallback);
    }
    return out as unknown as SenderValues[K];
  };
  return {
    values: {
      limits: group('limits'),
      activeHours: pick('activeHours', (l) => l.activeHours, BUILT_IN.activeHours),
      timezone: pick('timezone', (l) => l.timezone, BUILT_IN.timezone),
      pacing: group('pacing'),
      warmup: group('warmup'),
    },
    sources,
  };
}

// ---- validation at the edge (the HTTP schemas reuse these) ----

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const activeHoursSchema = z
  .strictObject({
    start: z.string().regex(HHMM, 'a time like 08:00 (24-hour clock)'),
    end: z.string().regex(HHMM, 'a time like 22:00 (24-hour clock)'),
  })
  .refine((h) => h.start !== h.end || h.start === '00:00', {
    message: 'start and end are the same time, which leaves no active hours (use 00:00 to 00:00 for the whole day)',
    path: ['end'],
  });

const perWindow = (max: number) => z.number().int('a whole number').min(1, 'at least 1').max(max, `at most ${max.toLocaleString('en-US')}`);

export const limitsSchema = z.strictObject({
  perHour: perWindow(100_000),
  per3Hours: perWindow(300_000),
  perDay: perWindow(2_400_000),
});

/** Contradictions between limits, in words; [] when they agree (checked on the effective values). */
export function limitProblems(l: Limits): string[] {
  const problems: string[] = [];
  if (l.per3Hours < l.perHour) problems.push(`per 3 hours (${l.per3Hours}) is less than per hour (${l.perHour}): the hourly limit could never be reached`);
  if (l.perDay < l.per3Hours) problems.push(`per day (${l.perDay}) is less than per 3 hours (${l.per3Hours}): the 3-hour limit could never be reached`);
  if (l.per3Hours > 3 * l.perHour) problems.push(`per 3 hours (${l.per3Hours}) is more than 3 × per hour (${3 * l.perHour}): it could never be reached`);
  return problems;
}

export const pacingSchema = z.strictObject({
  mode: z.enum(['human', 'off']),
  jitter: z.number().min(0, 'zero or more').max(0.9, 'at most 0.9 (gaps of 10 % to 190 % of the base)'),
  rushThreshold: z.number().int('a whole number').min(0, 'zero or more').max(1_000_000),
  rushFactor: z.number().min(1, 'at least 1 (a rush hour never shortens gaps)').max(10, 'at most 10'),
  calmFactor: z.number().gt(0, 'more than 0').max(1, 'at most 1 (a calm hour never lengthens gaps)'),
  paceMin: z.number().gt(0, 'more than 0').max(1, 'at most 1'),
  paceMax: z.number().min(1, 'at least 1').max(10, 'at most 10'),
  minGapSeconds: z.number().min(0, 'zero or more').max(86_400, 'at most a day'),
  ratePerSecond: z.number().gt(0, 'more than 0').max(1000, 'at most 1,000 (the Cloud API upgraded throughput)'),
});

export const warmupSchema = z.strictObject({
  enabled: z.boolean(),
  startPerDay: perWindow(100_000),
  growthPerDay: z.number().int('a whole number').min(0, 'zero or more').max(100_000),
});

/** A timezone the runtime knows (IANA name such as Asia/Jakarta). */
export const timezoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA timezone such as Asia/Jakarta');

export const senderLayerSchema = z.strictObject({
  limits: limitsSchema.partial().optional(),
  activeHours: activeHoursSchema.optional(),
  timezone: timezoneSchema.optional(),
  pacing: pacingSchema.partial().optional(),
  warmup: warmupSchema.partial().optional(),
});

export const packageRulesSchema = z.strictObject({
  strategy: z.enum(STRATEGIES, { message: `one of ${STRATEGIES.join(', ')}` }),
  dailyTotal: perWindow(100_000_000).nullable(),
  maxConcurrentSends: z.number().int('a whole number').min(1, 'at least 1').max(10_000),
});

/** Minutes since midnight of an "HH:MM" time. */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Seconds of active time per day in a window ("05:00"→"01:00" = 72,000). */
export function activeSecondsPerDay(h: ActiveHours): number {
  const span = (minutesOf(h.end) - minutesOf(h.start) + 1440) % 1440;
  return (span === 0 ? 1440 : span) * 60;
}
