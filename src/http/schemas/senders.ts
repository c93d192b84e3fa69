import { z } from 'zod';
import {
  activeHoursSchema,
  HEALTH_STATES,
  limitsSchema,
  pacingSchema,
  packageRulesSchema,
  PROFILE_STATUSES,
  senderLayerSchema,
  STRATEGIES,
  TRANSPORT_KINDS,
  warmupSchema,
} from '../../domain/sender-settings.ts';
import { transportConfigSchemas } from '../../domain/transport-config.ts';
import { cursorQuery, idParam, page, withoutNul } from './common.ts';

export type { SenderLayer, SenderValues, PackageRules } from '../../domain/sender-settings.ts';

// PostgreSQL cannot store U+0000 in text or jsonb: refused here rather than failing there.
const name = withoutNul(z.string().trim().min(1, 'a name').max(120, 'at most 120 characters'));
const description = withoutNul(z.string().trim().max(500, 'at most 500 characters')).nullable().transform((d) => d || null);
const search = withoutNul(z.string().max(200)).optional();
const phone = z
  .string({ error: (iss) => (iss.input === undefined ? 'required: the phone number of this WhatsApp number' : 'a phone number, as text') })
  .max(64, 'at most 64 characters')
  .describe("The number's phone in any common notation; stored as E.164 using the workspace country when it has no country code");
const weight = z
  .number()
  .gt(0, 'more than 0 (null derives it from remaining capacity × health)')
  .max(1_000_000, 'at most 1,000,000')
  .nullable()
  .describe('Share in weighted distribution; null: derived from remaining capacity × health');
const warmup = z.boolean().describe('true starts the warm-up now (its daily cap starts low and grows while it stays healthy); false ends it');
const settings = senderLayerSchema.describe("What this layer sets; everything left out comes from the layer below (profile → package → workspace → built-in)");

// ---- effective settings ----

export const senderValues = z.object({
  limits: limitsSchema,
  activeHours: activeHoursSchema,
  timezone: z.string(),
  pacing: pacingSchema,
  warmup: warmupSchema,
});

export const effectiveView = z.object({
  values: senderValues,
  sources: z
    .record(z.string(), z.string())
    .describe('For each value ("limits.perHour", "activeHours", "pacing.jitter", …) the layer it comes from: profile override, package default, workspace default or built-in default'),
  problems: z.array(z.string()).describe('Limits that contradict each other, in words'),
});
export type EffectiveView = z.output<typeof effectiveView>;

// ---- workspace defaults ----

export const senderDefaults = z.object({
  settings: senderLayerSchema,
  effective: effectiveView.describe('The workspace defaults over the built-in ones: what a profile gets when neither it nor its package sets a value'),
  builtIn: senderValues,
  builtInPackageRules: packageRulesSchema,
});
export type SenderDefaults = z.output<typeof senderDefaults>;

// ---- profiles ----

export const profileSummary = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  transport: z.enum(TRANSPORT_KINDS),
  status: z.enum(PROFILE_STATUSES),
  statusReason: z.string().nullable(),
  healthState: z.enum(HEALTH_STATES),
  healthScore: z.number().int(),
  weight: z.number().nullable(),
  warmupStartedAt: z.date().nullable(),
});

export const profile = profileSummary.extend({
  transportConfig: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('The configuration with every secret masked ("••••1a2b"); null when it cannot be read (see transportConfigProblem)'),
  hasSecrets: z.boolean(),
  transportConfigProblem: z.string().nullable(),
  statusChangedAt: z.date(),
  settings: senderLayerSchema,
  healthReason: z.string().nullable(),
  healthCheckedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Profile = z.output<typeof profile>;

export const profileDetail = profile.extend({
  packages: z.array(z.object({ id: z.string(), name: z.string(), position: z.number().int() })),
  effectiveSettings: effectiveView.describe('Its own settings over the workspace defaults; in a package, see the package'),
});
export type ProfileDetail = z.output<typeof profileDetail>;

export const profilesPage = page(profile);
export const profilesQuery = cursorQuery.extend({
  search: search.describe('In the name or the phone'),
  status: z.enum(PROFILE_STATUSES, { error: `one of ${PROFILE_STATUSES.join(', ')}` }).optional(),
});

const common = {
  name,
  settings: settings.optional(),
  weight: weight.optional(),
  warmup: warmup.optional(),
};

export const profileCreate = z.discriminatedUnion(
  'transport',
  [
    z.strictObject({ ...common, transport: z.literal('cloud-api'), phone, transportConfig: transportConfigSchemas['cloud-api'] }),
    z.strictObject({
      ...common,
      transport: z.literal('whatsapp-web'),
      phone: phone.nullable().optional().describe('Learned when the number is linked by QR code'),
      transportConfig: transportConfigSchemas['whatsapp-web'].default({}),
    }),
    z.strictObject({ ...common, transport: z.literal('simulator'), phone, transportConfig: transportConfigSchemas.simulator.default({}) }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? `one of ${TRANSPORT_KINDS.join(', ')}` : undefined) },
);
export type ProfileCreate = z.input<typeof profileCreate>;

export const profilePatch = z.strictObject({
  name: name.optional(),
  phone: phone.optional(),
  transportConfig: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Merged into the saved configuration and checked against the profile's transport; null removes an optional field"),
  settings: settings.optional().describe('Replaces the profile overrides'),
  weight: weight.optional(),
  warmup: warmup.optional(),
});
export type ProfilePatch = z.input<typeof profilePatch>;

export const profilePauseBody = z.strictObject({ reason: withoutNul(z.string().trim().min(1, 'a reason, or leave it out').max(500, 'at most 500 characters')).optional() }).nullish();

// ---- packages ----

export const packageItem = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  settings: senderLayerSchema,
  strategy: z.enum(STRATEGIES),
  dailyTotal: z.number().int().nullable(),
  maxConcurrentSends: z.number().int(),
  memberCount: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type PackageItem = z.output<typeof packageItem>;

export const packageDetail = packageItem.extend({
  profiles: z.array(
    z.object({
      position: z.number().int(),
      profile: profileSummary,
      effectiveSettings: effectiveView.describe('How this profile sends for this package'),
    }),
  ),
});
export type PackageDetail = z.output<typeof packageDetail>;

export const packagesPage = page(packageItem);
export const packagesQuery = cursorQuery.extend({ search });

const rules = packageRulesSchema.shape;

export const packageCreate = z.strictObject({
  name,
  description: description.optional(),
  settings: settings.optional(),
  strategy: rules.strategy.optional().describe('How open chat is spread over the profiles; smart by default'),
  dailyTotal: rules.dailyTotal.optional().describe("Sends per day across all the package's profiles; null: no package-wide cap"),
  maxConcurrentSends: rules.maxConcurrentSends.optional().describe("How many of the package's profiles may be sending at the same moment"),
});
export type PackageCreate = z.input<typeof packageCreate>;

export const packagePatch = packageCreate.partial();
export type PackagePatch = z.input<typeof packagePatch>;

export const packageProfilesBody = z.strictObject({
  profileIds: z
    .array(z.string().uuid('profile ids are UUIDs'))
    .max(1000, 'at most 1,000 profiles in a package')
    .refine((ids) => new Set(ids).size === ids.length, 'a profile is listed twice')
    .describe('The whole membership, in order'),
});

export const memberParams = idParam.extend({ profileId: z.string().uuid('an id (UUID)') });

export const memberSettings = effectiveView.extend({
  package: z.object({ id: z.string(), name: z.string() }),
  profile: z.object({ id: z.string(), name: z.string() }),
});
export type MemberSettings = z.output<typeof memberSettings>;
