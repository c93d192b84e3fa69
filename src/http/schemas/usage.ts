import { z } from 'zod';
import { SENDER_STATES } from '../../domain/sender-state.ts';
import { LIMIT_WINDOWS } from '../../domain/pacing.ts';
import { HEALTH_STATES, limitsSchema, PROFILE_STATUSES, SETTING_SOURCES, STRATEGIES, TRANSPORT_KINDS } from '../../domain/sender-settings.ts';
import { cursorQuery } from './common.ts';

const count = z.number().int();
const seconds = z.number();
const sentences = z.array(z.string()).describe('The decision in sentences, in the order it was made');

export const usageWindow = z.object({
  sent: count.describe("Open-chat sends the governor counts in this sliding window (the exact window it enforces)"),
  cap: count.describe('The cap in force over this window, warm-up and warnings applied'),
  received: count.describe('Messages customers sent to this number'),
  delivered: count,
  read: count,
  replied: count,
  failed: count,
});

export const senderStateView = z.object({
  state: z.enum(SENDER_STATES),
  label: z.string().describe('Active, Limit reached, Paused, Outside active hours, Banned, Not connected or Idle'),
  reason: z.string(),
});

const warmupView = z.object({
  startedAt: z.date(),
  day: count.describe('Day of the warm-up, 1 on the first'),
  healthyDays: count,
  perDay: count.describe("Today's daily cap"),
  configuredPerDay: count.describe('The daily limit the warm-up grows towards'),
  limiting: z.boolean().describe("Whether today's cap is below the configured daily limit"),
  reason: z.string(),
});

export const profileUsage = z.object({
  profileId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  transport: z.enum(TRANSPORT_KINDS),
  position: count,
  status: z.enum(PROFILE_STATUSES),
  statusReason: z.string().nullable(),
  state: senderStateView,
  windows: z.object({ hour: usageWindow, threeHours: usageWindow, day: usageWindow }).describe('The last hour, 3 hours and 24 hours'),
  caps: z.object({
    configured: limitsSchema.describe('The effective limits as set (profile → package → workspace → built-in)'),
    inForce: limitsSchema.describe('What the governor enforces now'),
    reasons: z.array(z.string()).describe('Why the limits in force differ from the configured ones (warm-up, warning state); empty when they do not'),
  }),
  queued: count.describe('Open-chat messages of this package waiting for the profile'),
  nextSend: z.object({
    at: z.date().nullable().describe('When the profile sends next; null: nothing to send'),
    why: z.string().nullable().describe('Why it waits until then, as its drain decided'),
  }),
  health: z.object({ score: count, state: z.enum(HEALTH_STATES), sentence: z.string().nullable() }),
  warmup: warmupView.nullable().describe('Null when the number is not warming up'),
});
export type ProfileUsage = z.output<typeof profileUsage>;

const humanGap = z.object({
  mode: z.literal('human'),
  base: z.object({
    seconds,
    setBy: z.enum(LIMIT_WINDOWS).describe('The tightest limit, whose even spread over the active hours gives the longest gap'),
    perLimit: z.object({ hour: seconds, three_hours: seconds, day: seconds }).describe('The even-spread gap each limit alone would give'),
  }),
  offsets: z.object({ profile: z.number(), package: z.number() }).describe('How much longer than the base this profile and package run, as fractions of the base'),
  min: seconds,
  max: seconds,
  draw: seconds,
  rush: z.object({ factor: z.number(), configured: z.number(), inRush: z.boolean(), queueDepth: count, atLeast: z.boolean(), threshold: count }),
  pace: z.object({ factor: z.number(), ratio: z.number().nullable(), sent2h: count, expected2h: z.number(), clamped: z.boolean() }),
  factor: z.number().describe('rush × pace, after the limit floor'),
  limitFloor: z.object({ seconds, applied: z.boolean() }),
  minGap: z.object({ seconds, applied: z.boolean() }),
  gapSeconds: seconds,
  explanation: sentences,
});

const unpacedGap = z.object({ mode: z.literal('off'), ratePerSecond: z.number(), gapSeconds: seconds, explanation: sentences });

export const settingParameter = z.object({
  key: z.string().describe('Its path in the settings: limits.perHour, activeHours, pacing.jitter, …'),
  label: z.string(),
  value: z.unknown(),
  words: z.string().describe('The value in a sentence'),
  source: z.enum(SETTING_SOURCES).describe("The layer it comes from: the profile's override, the package, the workspace defaults or the built-in default"),
});

export const profileUsageDetail = profileUsage.extend({
  pacing: z
    .discriminatedUnion('mode', [humanGap, unpacedGap])
    .describe('The gap pacing would draw after a send made now (queue depth and the last 2 h of sends as they are), with every intermediate value'),
  parameters: z.array(settingParameter).describe('Every per-profile setting with its effective value and where it comes from'),
  weight: z.object({
    weight: z.number(),
    source: z.enum(['manual', 'derived']),
    share: z.number().describe("Of the weighted strategy's draws, with every profile's current weight"),
    explanation: z.string(),
  }),
});
export type ProfileUsageDetail = z.output<typeof profileUsageDetail>;

const packageUsageFields = {
  packageId: z.string(),
  name: z.string(),
  strategy: z.enum(STRATEGIES),
  day: z.object({ sent: count, cap: count.nullable(), words: z.string() }).describe("The package's sends of the last 24 h against its daily total (cap null: none)"),
  seats: z.object({ inUse: count, max: count, words: z.string() }).describe('Profiles sending at this moment against max concurrent sends'),
  queued: count,
};

export const packageUsage = z.object({ ...packageUsageFields, profiles: z.array(profileUsage) });
export type PackageUsage = z.output<typeof packageUsage>;

export const packageUsageDetail = z.object({ at: z.date().describe('The moment the numbers are of'), ...packageUsageFields, profiles: z.array(profileUsageDetail) });
export type PackageUsageDetail = z.output<typeof packageUsageDetail>;

export const sendersUsagePage = z.object({ at: z.date(), items: z.array(packageUsage), nextCursor: z.string().nullable() });
export type SendersUsagePage = z.output<typeof sendersUsagePage>;
// Each package costs a few queries: a smaller page than the other lists.
export const sendersUsageQuery = cursorQuery.extend({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/** Pushed on `/api/v1/ws` after a send's result or receipts: counts since the previous notice, per profile. */
export const sendersActivityNotice = z.object({
  type: z.literal('senders.activity'),
  profiles: z.array(z.object({ profileId: z.string(), sent: count, delivered: count, read: count, replied: count, failed: count, received: count })),
});
export type SendersActivityNotice = z.output<typeof sendersActivityNotice>;

/** Pushed on `/api/v1/ws` after each drain step of a profile. */
export const profileWaitNotice = z.object({
  type: z.literal('profile.wait'),
  profileId: z.string(),
  nextSendAt: z.number().nullable().describe('ms since the epoch; null: nothing to send'),
  why: z.string(),
});
export type ProfileWaitNotice = z.output<typeof profileWaitNotice>;
