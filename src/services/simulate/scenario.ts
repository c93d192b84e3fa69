import { z } from 'zod';
import {
  BUILT_IN_PACKAGE_RULES,
  effectiveSettings,
  limitProblems,
  packageRulesSchema,
  senderLayerSchema,
  type SenderLayer,
  type Strategy,
} from '../../domain/sender-settings.ts';
import { checkVariables, compileTemplate, parseTemplate, type CompiledTemplate } from '../../domain/template.ts';
import { simulatorOverridesSchema, simulatorProfileOverridesSchema, type SimulatorOverrides, type SimulatorProfileOverrides } from '../../transports/simulator/config.ts';

/**
 * What `chorus simulate` replays (docs/simulator.md, "Simulate"): a pool of profiles in one
 * package sending a campaign to generated recipients for some days, on a virtual clock. A
 * scenario file holds any subset of it; flags set the common knobs; everything left out is the
 * product's default (the built-in sender settings and package rules, the simulator's network).
 */

const DEFAULT_MESSAGE =
  "{Hi|Hello|Halo|Good {morning|day}} {{name | 'there'}}, {our new collection is in|new arrivals just landed|we have something new for you this week}. " +
  '{Take a look|Have a look|Drop by|Check it out} {before Sunday|this week|when you have a moment} and {get|enjoy} {10|15|20}% off {your next order|one item of your choice}. ' +
  '{Reply STOP to opt out.|Reply STOP if you would rather not hear from us.}';

const profileSchema = z.strictObject({
  name: z.string().trim().min(1, 'at least one character').max(100, 'at most 100 characters').optional().describe('default: "Sim 01", "Sim 02", …'),
  settings: senderLayerSchema.optional().describe("the profile's own overrides of limits, active hours, timezone, pacing and warm-up"),
  weight: z.number().positive('more than 0').max(1_000_000).nullable().optional().describe('share in weighted distribution; null or absent: measured'),
  warmup: z.boolean().optional().describe('the number starts its warm-up when the simulation starts'),
  simulator: simulatorProfileOverridesSchema.optional().describe("this number's own simulator settings, e.g. { number: { ageDays: 2 } } for a young number"),
});
type ProfileSpec = z.infer<typeof profileSchema>;

const packageSchema = z.strictObject({
  strategy: packageRulesSchema.shape.strategy.default(BUILT_IN_PACKAGE_RULES.strategy),
  dailyTotal: packageRulesSchema.shape.dailyTotal.default(BUILT_IN_PACKAGE_RULES.dailyTotal),
  maxConcurrentSends: packageRulesSchema.shape.maxConcurrentSends.default(BUILT_IN_PACKAGE_RULES.maxConcurrentSends),
  settings: senderLayerSchema.default({}).describe("the package's defaults for its profiles"),
});

const scenarioSchema = z.strictObject({
  seed: z.string().min(1, 'at least one character').max(200, 'at most 200 characters').default('chorus').describe('same seed, same report'),
  start: z.iso.datetime({ offset: true, message: 'an ISO date and time such as 2025-01-06T00:00:00Z' }).default('2025-01-06T00:00:00Z'),
  days: z.number().int('a whole number').min(1, 'at least 1').max(60, 'at most 60').default(7),
  recipients: z.number().int('a whole number').min(1, 'at least 1').max(1_000_000, 'at most 1,000,000').default(10_000),
  message: z.string().min(1, 'at least one character').max(4096, 'at most 4,096 characters').default(DEFAULT_MESSAGE).describe('a template: {{name}}, {{phone}} and {spin|tax}'),
  workspace: z.strictObject({ settings: senderLayerSchema.default({}) }).prefault({}),
  package: packageSchema.prefault({}),
  profiles: z
    .union([z.number().int('a whole number').min(1, 'at least 1').max(500, 'at most 500'), z.array(profileSchema).min(1, 'at least one profile').max(500, 'at most 500')])
    .default(20)
    .describe('how many profiles with the defaults, or each one described'),
  network: simulatorOverridesSchema.default({}).describe('the simulated network (docs/simulator.md, Settings)'),
  naive: z
    .strictObject({ delaySeconds: z.number().min(0.1, 'at least 0.1').max(86_400, 'at most a day').default(10) })
    .prefault({})
    .describe('the naive blaster it is compared with: one message per profile every delaySeconds'),
});

/** The common knobs as flags; each one set replaces the scenario's value. */
export interface ScenarioFlags {
  profiles?: number | undefined;
  days?: number | undefined;
  recipients?: number | undefined;
  strategy?: string | undefined;
  seed?: string | undefined;
  naiveDelay?: number | undefined;
}

export interface ResolvedProfile {
  index: number;
  name: string;
  settings: SenderLayer;
  weight: number | null;
  warmup: boolean;
  simulator: SimulatorProfileOverrides;
}

export interface Scenario {
  seed: string;
  start: number;
  days: number;
  recipients: number;
  message: string;
  template: CompiledTemplate;
  workspace: { settings: SenderLayer };
  package: { strategy: Strategy; dailyTotal: number | null; maxConcurrentSends: number; settings: SenderLayer };
  profiles: ResolvedProfile[];
  network: SimulatorOverrides;
  naive: { delaySeconds: number };
}

/** A scenario that cannot run, with every reason in words ("package.strategy: one of …"). */
export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`the scenario cannot run: ${problems.join('; ')}`);
    this.name = 'ScenarioError';
  }
}

/**
 * The scenario from a file's content (any subset) and the flags. `--profiles N` with a list of
 * profiles in the file repeats the list in order until there are N (profile i is entry i mod the
 * list's length), so a file can describe a mix and the flag scale it.
 */
export function resolveScenario(raw: unknown, flags: ScenarioFlags = {}): Scenario {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw new ScenarioError(['the scenario must be a JSON object']);
  const input: Record<string, unknown> = { ...((raw as Record<string, unknown> | undefined) ?? {}) };
  for (const key of ['days', 'recipients', 'seed'] as const) if (flags[key] !== undefined) input[key] = flags[key];
  if (flags.strategy !== undefined) input.package = { ...(input.package as object | undefined), strategy: flags.strategy };
  if (flags.naiveDelay !== undefined) input.naive = { ...(input.naive as object | undefined), delaySeconds: flags.naiveDelay };
  if (flags.profiles !== undefined) {
    const list = input.profiles;
    input.profiles = Array.isArray(list) && list.length > 0 ? Array.from({ length: flags.profiles }, (_, i) => list[i % list.length]) : flags.profiles;
  }
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) throw new ScenarioError(parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'scenario'}: ${i.message}`));
  const s = parsed.data;

  const problems: string[] = [];
  const template = parseTemplate(s.message);
  // Recipients are generated with a name and a phone only.
  for (const e of [...template.errors, ...checkVariables(template, ['name', 'phone'])]) problems.push(`message, line ${e.line} column ${e.column}: ${e.message}`);
  const specs: ProfileSpec[] = typeof s.profiles === 'number' ? Array.from({ length: s.profiles }, () => ({})) : s.profiles;
  const profiles = specs.map((p, index) => ({
    index,
    name: p.name ?? `Sim ${String(index + 1).padStart(2, '0')}`,
    settings: p.settings ?? {},
    weight: p.weight ?? null,
    warmup: p.warmup ?? false,
    simulator: p.simulator ?? {},
  }));
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.name)) problems.push(`profiles: two profiles are named "${p.name}" (a repeated list entry needs no name: the default names are numbered)`);
    names.add(p.name);
    const limits = effectiveSettings({ workspace: s.workspace.settings, pkg: s.package.settings, profile: p.settings }).values.limits;
    for (const problem of limitProblems(limits)) problems.push(`the limits of ${p.name} contradict each other: ${problem}`);
  }
  if (problems.length > 0) throw new ScenarioError(problems);

  return {
    seed: s.seed,
    start: Date.parse(s.start),
    days: s.days,
    recipients: s.recipients,
    message: s.message,
    template: compileTemplate(template),
    workspace: { settings: s.workspace.settings },
    package: { strategy: s.package.strategy, dailyTotal: s.package.dailyTotal, maxConcurrentSends: s.package.maxConcurrentSends, settings: s.package.settings },
    profiles,
    network: s.network,
    naive: s.naive,
  };
}
