import { z } from 'zod';

/**
 * Every knob of the simulated WhatsApp network (docs/simulator.md explains each in words). A
 * workspace sets overrides for its network, a profile for its own number; `mergeSimulatorConfig`
 * lays them over the defaults. Probabilities are in [0, 1]; durations in milliseconds.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const probability = (what: string) => z.number().min(0, 'zero or more').max(1, 'at most 1 (always)').describe(what);
const duration = (what: string) => z.number().min(0, 'zero or more').max(365 * 24 * HOUR, 'at most a year').describe(what);
/** Windows and half-lives divide time, so they cannot be zero. */
const span = (what: string) => z.number().gt(0, 'more than 0').max(365 * 24 * HOUR, 'at most a year').describe(what);
const points = (what: string) => z.number().min(0, 'zero or more').max(1_000_000).describe(what);

const latencySchema = (what: string) =>
  z
    .strictObject({
      medianMs: duration('half of the waits are shorter than this, half longer'),
      spread: z
        .number()
        .min(0, 'zero or more')
        .max(5, 'at most 5')
        .describe('how much waits vary: 0 means always the median; with 1, one wait in ten is under 0.28 times the median and one in ten over 3.6 times'),
    })
    .describe(what);

/** The shape of a window-based risk signal: past `threshold` within the window, each send adds `points` per unit over. */
const signalSchema = (what: string, threshold: string) =>
  z
    .strictObject({
      windowMs: span('how long a send keeps counting: fully at once, about a third after one window, a twentieth after three'),
      threshold: z.number().min(0, 'zero or more').describe(threshold),
      points: points('risk added by each send, for each unit over the threshold'),
    })
    .describe(what);

export const simulatorConfigSchema = z.strictObject({
  recipients: z
    .strictObject({
      missingShare: probability('share of phone numbers that are not on WhatsApp (decided per number from the seed)'),
      missing: z.array(z.string()).describe('numbers that are never on WhatsApp'),
      present: z.array(z.string()).describe('numbers that are always on WhatsApp'),
      missingFailsAs: z
        .enum(['rejection', 'status'])
        .describe('rejection: the send fails at once (WhatsApp Web checks first); status: it is accepted and then reported failed (Cloud API)'),
    })
    .describe('who is on WhatsApp (a fact of the network: profile overrides cannot change it)'),
  latency: z
    .strictObject({
      accept: latencySchema('from send to WhatsApp accepting the message (the "sent" receipt)'),
      delivery: latencySchema('from sent to delivered on the phone'),
      read: latencySchema('from delivered to read'),
      reply: latencySchema('from read to the reply arriving'),
    })
    .describe('how long each step takes: log-normal waits (most are near the median, a few much longer)'),
  audience: z
    .strictObject({
      deliveryProbability: probability('chance a message reaches the phone (the rest stay "sent": phone off, app gone)'),
      readProbability: probability('chance a delivered message is read'),
      replyProbability: probability('chance a read message gets a reply'),
      optOutShare: probability('share of replies that ask to stop'),
      replies: z.array(z.string()).min(1, 'at least one reply').describe('replies people send, picked at random'),
      optOutReplies: z.array(z.string()).min(1, 'at least one opt-out reply').describe('replies that ask to stop, picked at random'),
    })
    .describe('how the people messaged behave'),
  errors: z
    .strictObject({
      transientProbability: probability('chance a send fails with a passing error (retry later)'),
      permanentProbability: probability('chance a send fails with an error that retrying cannot fix'),
      failedAfterAcceptProbability: probability('chance an accepted message is later reported failed instead of delivered'),
    })
    .describe('random failures'),
  rateLimit: z
    .strictObject({
      maxSends: z.number().int('a whole number').min(1, 'at least 1').max(100_000).describe('sends allowed within the window; one more is refused as too fast'),
      windowMs: span('the short window the sends are counted in'),
    })
    .describe('the number sending faster than WhatsApp accepts'),
  ban: z
    .strictObject({
      enabled: z.boolean().describe('off: the number never gets warned or banned'),
      riskHalfLifeMs: span('risk halves after this long without new risk'),
      warningAt: points('risk at which the number gets a warning (WhatsApp stops it from starting new chats for a while)'),
      banAt: points('risk at which the number is banned (logged out for good)'),
      maxWarnings: z.number().int('a whole number').min(0, 'zero or more').max(100).describe('warnings a number survives; reaching the warning level once more bans it'),
      timelockMs: duration('how long the first warning blocks new chats; each later warning doubles it'),
      replyRelief: points('risk taken off by each message a customer sends the number'),
      rate: signalSchema('sending many messages per minute', 'messages per minute that carry no risk'),
      burst: signalSchema('several sends within seconds', 'sends within the window that carry no risk'),
      similar: z
        .strictObject({
          windowMs: span('how long a text keeps counting as recently sent (fading like the other windows)'),
          similarity: probability('how alike two texts must be to count as the same (1: identical after ignoring case, punctuation and digits)'),
          allowed: z.number().min(0, 'zero or more').describe('near-identical texts within the window that carry no risk'),
          points: points('risk added by each further near-identical text'),
          memory: z.number().int('a whole number').min(1, 'at least 1').max(1000).describe('how many different recent texts are remembered for the comparison'),
        })
        .describe('sending the same text again and again'),
      unanswered: z
        .strictObject({ points: points('risk added by each message to someone who never wrote to the number') })
        .describe('messaging people who never answered'),
      young: z
        .strictObject({
          days: z.number().min(0, 'zero or more').max(3650).describe('a number younger than this many days is young'),
          startPerDay: z.number().min(0, 'zero or more').describe('messages a day a brand-new number may send without risk'),
          growth: z.number().min(1, 'at least 1').max(10).describe('that allowance is multiplied by this for every day of age'),
          points: points('risk added by each message over the allowance'),
        })
        .describe('a young number sending a lot'),
    })
    .describe('the ban model: how risk builds up and fades, and when it warns or bans'),
  number: z
    .strictObject({ ageDays: z.number().min(0, 'zero or more').max(36_500).describe('how old the number is when the simulation starts') })
    .describe('the simulated number itself'),
});

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Any subset of the config, at any depth (a workspace's or a profile's overrides). */
export type SimulatorOverrides = DeepPartial<SimulatorConfig>;
/** A profile's overrides: who is on WhatsApp is the network's to say. */
export type SimulatorProfileOverrides = Omit<SimulatorOverrides, 'recipients'>;

/** Every object optional at every depth; lists and values keep their rules. */
function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([k, v]) => [k, deepPartial(v).optional()]));
    return z.strictObject(shape);
  }
  return schema;
}

export const simulatorOverridesSchema = deepPartial(simulatorConfigSchema) as z.ZodType<SimulatorOverrides>;
export const simulatorProfileOverridesSchema = (simulatorOverridesSchema as unknown as z.ZodObject).omit({ recipients: true }) as unknown as z.ZodType<SimulatorProfileOverrides>;

export const SIMULATOR_DEFAULTS: SimulatorConfig = {
  recipients: { missingShare: 0.05, missing: [], present: [], missingFailsAs: 'rejection' },
  latency: {
    accept: { medianMs: 150, spread: 0.4 },
    delivery: { medianMs: 2_500, spread: 1 },
    read: { medianMs: 20 * MINUTE, spread: 1.5 },
    reply: { medianMs: 3 * MINUTE, spread: 1.2 },
  },
  audience: {
    deliveryProbability: 0.97,
    readProbability: 0.7,
    replyProbability: 0.1,
    optOutShare: 0.15,
    replies: [
      'Thanks!',
      'Ok',
      'Who is this?',
      'Interested, tell me more',
      'How much is it?',
      'Terima kasih',
      'Berapa harganya?',
      'Nanti saya cek',
      '👍',
    ],
    optOutReplies: ['STOP', 'stop', 'berhenti', 'unsubscribe', 'Please stop messaging me', 'BERHENTI'],
  },
  errors: { transientProbability: 0.002, permanentProbability: 0.0005, failedAfterAcceptProbability: 0.002 },
  rateLimit: { maxSends: 10, windowMs: 10_000 },
  ban: {
    enabled: true,
    riskHalfLifeMs: 6 * HOUR,
    warningAt: 100,
    banAt: 250,
    maxWarnings: 2,
    timelockMs: 24 * HOUR,
    replyRelief: 5,
    rate: { windowMs: MINUTE, threshold: 4, points: 0.5 },
    burst: { windowMs: 10_000, threshold: 3, points: 2 },
    similar: { windowMs: HOUR, similarity: 0.8, allowed: 3, points: 0.5, memory: 32 },
    unanswered: { points: 0.4 },
    young: { days: 7, startPerDay: 20, growth: 1.8, points: 2 },
  },
  number: { ageDays: 30 },
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeInto(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = mergeInto(base[k], v);
  return out;
}

/**
 * `base` with each layer of overrides laid over it in turn (objects merge key by key, lists are
 * replaced whole), checked against the schema: throws a ZodError naming the bad field.
 */
export function mergeSimulatorConfig(base: SimulatorConfig, ...layers: Array<SimulatorOverrides | undefined>): SimulatorConfig {
  const merged = layers.reduce<unknown>((acc, layer) => mergeInto(acc, layer), base);
  return simulatorConfigSchema.parse(merged);
}
