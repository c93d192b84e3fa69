import { isDeepStrictEqual } from 'node:util';
import { toE164 } from './workspace-phone.ts';
import { uuidv7 } from 'uuidv7';
import type { Container } from '../container.ts';
import { insertAudit, type Tx } from '../db/audit.repo.ts';
import type { Orm } from '../db/client.ts';
import * as repo from '../db/senders.repo.ts';
import type { NamedLayer, PackageRow, ProfileRow, ProfileWrite } from '../db/senders.repo.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import {
  BUILT_IN,
  BUILT_IN_PACKAGE_RULES,
  effectiveSettings,
  limitProblems,
  type EffectiveSettings,
  type PackageRules,
  type ProfileStatus,
  type SenderLayer,
  type SenderValues,
  type SettingSource,
  type Strategy,
  type TransportKind,
} from '../domain/sender-settings.ts';
import { maskTransportConfig, transportConfigSchemas, type TransportConfig } from '../domain/transport-config.ts';
import type { Actor } from './actor.ts';
import { openSecret, sealSecret, SecretBoxError } from './secret-box.ts';

const profileNotFound = () => notFound('PROFILE_NOT_FOUND', 'No such profile in this workspace');
const packageNotFound = () => notFound('PACKAGE_NOT_FOUND', 'No such package in this workspace');

function profileConflict(kind: repo.ProfileConflict, p: { name?: string | undefined; phone?: string | null | undefined }) {
  return kind === 'name_taken'
    ? conflict('PROFILE_EXISTS', `A profile named "${p.name}" already exists`, { name: p.name })
    : conflict('PROFILE_PHONE_TAKEN', `Another profile already sends from ${p.phone}`, { phone: p.phone });
}
const packageNameTaken = (name: string) => conflict('PACKAGE_EXISTS', `A package named "${name}" already exists`, { name });

// ---- effective settings, in words ----

const SOURCE_WORDS = {
  profile: 'profile override',
  package: 'package default',
  workspace: 'workspace default',
  default: 'built-in default',
} as const satisfies Record<SettingSource, string>;
type SourceWords = (typeof SOURCE_WORDS)[SettingSource];

/** Effective values as the API shows them: where each came from in words, and any contradiction between the limits. */
interface EffectiveView {
  values: SenderValues;
  sources: Record<string, SourceWords>;
  problems: string[];
}

function explain(e: EffectiveSettings): EffectiveView {
  const sources = Object.fromEntries(Object.entries(e.sources).map(([path, s]) => [path, SOURCE_WORDS[s]]));
  return { values: e.values, sources, problems: limitProblems(e.values.limits) };
}

const layersOf = (workspace: SenderLayer, pkg?: { settings: SenderLayer } | null, profile?: { settings: SenderLayer } | null) =>
  effectiveSettings({ workspace, ...(pkg ? { pkg: pkg.settings } : {}), ...(profile ? { profile: profile.settings } : {}) });

interface Contradiction {
  package: { id: string; name: string } | null;
  profile: { id: string; name: string } | null;
  problems: string[];
  limits: Record<'perHour' | 'per3Hours' | 'perDay', { value: number; source: SourceWords }>;
}

const LIMIT_WORDS = { perHour: 'per hour', per3Hours: 'per 3 hours', perDay: 'per day' } as const;

function whereOf(c: Contradiction): string {
  if (c.package && c.profile) return `profile "${c.profile.name}" in package "${c.package.name}"`;
  if (c.package) return `package "${c.package.name}" (for its profiles that set no limits of their own)`;
  return 'the workspace defaults';
}

function describeContradiction(c: Contradiction): string {
  const from = (Object.keys(LIMIT_WORDS) as Array<keyof typeof LIMIT_WORDS>)
    .map((k) => `${LIMIT_WORDS[k]} ${c.limits[k].value} (${c.limits[k].source})`)
    .join(', ');
  return `The limits contradict each other for ${whereOf(c)}: ${c.problems.join('; ')}. The values in force: ${from}`;
}

/**
 * Refuses a change that leaves contradictory limits anywhere it reaches. Run after the write, in its
 * transaction: the check sees the new state, and throwing rolls the write back. Checked on the
 * effective values, so a package's perHour of 100 over a workspace's per3Hours of 50 is caught
 * even though neither layer is wrong on its own. Contexts that send open chat are checked: the
 * workspace defaults (a member without overrides of a package without settings), each package
 * over them, and each profile in each of its packages — not a profile outside any package, which
 * sends no open chat (its detail still lists such problems).
 *
 * Every change that reaches it first takes `repo.lockSenderSettings`, so changes in one workspace
 * are checked one after another: a profile raising its perHour while its package lowers per3Hours
 * cannot both pass, each against the other's old value.
 */
async function assertLimitsAgree(tx: Tx, workspaceId: string, scope: 'workspace' | { packageId: string } | { profileId: string }): Promise<void> {
  const workspace = await repo.getSenderDefaults(tx, workspaceId);
  const { packages, pairs } = await repo.layersInScope(tx, workspaceId, scope);
  const cases: Array<{ pkg: NamedLayer | null; profile: NamedLayer | null }> = [
    ...(scope === 'workspace' ? [{ pkg: null, profile: null }] : []),
    ...packages.map((pkg) => ({ pkg, profile: null })),
    ...pairs,
  ];
  const found: Contradiction[] = [];
  for (const { pkg, profile } of cases) {
    const e = layersOf(workspace, pkg, profile);
    const problems = limitProblems(e.values.limits);
    if (problems.length === 0) continue;
    const limit = (k: keyof typeof LIMIT_WORDS) => ({ value: e.values.limits[k], source: SOURCE_WORDS[e.sources[`limits.${k}`]!] });
    found.push({
      package: pkg && { id: pkg.id, name: pkg.name },
      profile: profile && { id: profile.id, name: profile.name },
      problems,
      limits: { perHour: limit('perHour'), per3Hours: limit('per3Hours'), perDay: limit('perDay') },
    });
  }
  if (found.length === 0) return;
  const more = found.length > 1 ? ` (and ${found.length - 1} more in details)` : '';
  throw invalid('LIMITS_CONTRADICT', describeContradiction(found[0]!) + more, { contradictions: found.slice(0, 50) });
}

// ---- transport configuration ----

/** Bound into each ciphertext, so a sealed configuration only opens on its own profile. */
const bindingOf = (profileId: string) => `profiles/${profileId}`;

function checkedConfig(kind: TransportKind, raw: unknown): TransportConfig {
  const result = transportConfigSchemas[kind].safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: ['transportConfig', ...i.path].join('.'), message: i.message }));
  throw invalid('INVALID_TRANSPORT_CONFIG', `${issues[0]!.path}: ${issues[0]!.message}`, issues);
}

/** The stored configuration, or why it cannot be read (the server's SECRET_KEY changed since it was saved). */
function openConfig(secretKey: Buffer, p: Pick<ProfileRow, 'id' | 'transport' | 'sealedConfig'>): { config: TransportConfig | null; problem: string | null } {
  if (p.sealedConfig === null) return { config: null, problem: 'no configuration is saved: enter it again' };
  try {
    return { config: JSON.parse(openSecret(secretKey, p.sealedConfig, bindingOf(p.id))) as TransportConfig, problem: null };
  } catch (err) {
    if (!(err instanceof SecretBoxError)) throw err;
    return { config: null, problem: "the saved configuration cannot be read with this server's SECRET_KEY: enter it again" };
  }
}

/** A profile's transport configuration as stored: encrypted and bound to the profile. */
export const sealTransportConfig = (secretKey: Buffer, profileId: string, config: TransportConfig) => sealSecret(secretKey, JSON.stringify(config), bindingOf(profileId));

// ---- views ----

/** A profile as the API shows it: secrets masked, never the stored ciphertext. */
function profileView(secretKey: Buffer, p: ProfileRow) {
  const { sealedConfig: _sealed, ...rest } = p;
  const { config, problem } = openConfig(secretKey, p);
  const masked = config ? maskTransportConfig(p.transport, config) : { transportConfig: null, hasSecrets: false };
  return { ...rest, ...masked, transportConfigProblem: problem };
}

const profileSummary = (p: ProfileRow) => ({
  id: p.id,
  name: p.name,
  phone: p.phone,
  transport: p.transport,
  status: p.status,
  statusReason: p.statusReason,
  healthState: p.healthState,
  healthScore: p.healthScore,
  weight: p.weight,
  warmupStartedAt: p.warmupStartedAt,
});

const rulesOf = (p: PackageRow): PackageRules => ({ strategy: p.strategy, dailyTotal: p.dailyTotal, maxConcurrentSends: p.maxConcurrentSends });

/** Field-by-field before/after of what actually changes (jsonb settings compared as values). */
function diff<T extends object, K extends keyof T>(
  cur: T,
  wanted: Partial<Pick<T, K>>,
): { set: Partial<Pick<T, K>>; changes: Record<string, { before: unknown; after: unknown }> } {
  const set: Partial<Pick<T, K>> = {};
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(wanted) as K[]) {
    const after = wanted[key];
    if (after === undefined || isDeepStrictEqual(after, cur[key])) continue;
    set[key] = after;
    changes[key as string] = { before: cur[key], after };
  }
  return { set, changes };
}

// ---- workspace defaults ----

async function defaultsView(db: Orm | Tx, workspaceId: string) {
  const settings = await repo.getSenderDefaults(db, workspaceId);
  return { settings, effective: explain(effectiveSettings({ workspace: settings })), builtIn: BUILT_IN, builtInPackageRules: BUILT_IN_PACKAGE_RULES };
}

export async function getSenderDefaults(c: Container, actor: Actor) {
  return defaultsView(c.db.orm, actor.workspaceId);
}

/** Replaces the workspace layer; refused when any profile, package or pair would be left with contradictory limits. */
export async function setSenderDefaults(c: Container, actor: Actor, settings: SenderLayer) {
  return c.db.orm.transaction(async (tx) => {
    const before = await repo.lockSenderSettings(tx, actor.workspaceId);
    if (!isDeepStrictEqual(before, settings)) {
      await repo.setSenderDefaults(tx, actor.workspaceId, settings);
      await assertLimitsAgree(tx, actor.workspaceId, 'workspace');
      await insertAudit(tx, actor, {
        action: 'senders.defaults.update',
        entityType: 'workspace',
        entityId: actor.workspaceId,
        changes: { settings: { before, after: settings } },
      });
    }
    return defaultsView(tx, actor.workspaceId);
  });
}

// ---- profiles ----

/** Simulated numbers are online at once; the others wait for their transport to connect them. */
function connectionOnStart(kind: TransportKind): { status: ProfileStatus; statusReason: string | null } {
  return kind === 'simulator' ? { status: 'connected', statusReason: null } : { status: 'disconnected', statusReason: 'Not connected yet' };
}

export async function listProfiles(
  c: Container,
  actor: Actor,
  q: { cursor?: string | undefined; limit: number; search?: string | undefined; status?: ProfileStatus | undefined },
) {
  const rows = await repo.listProfiles(c.db.orm, actor.workspaceId, { before: decodeCursor(q.cursor), limit: q.limit, search: q.search, status: q.status });
  const page = toPage(rows, q.limit);
  return { items: page.items.map((p) => profileView(c.secretKey, p)), nextCursor: page.nextCursor };
}

/** One profile with the packages it is in and its own effective settings (its overrides over the workspace defaults). */
export async function getProfile(c: Container, actor: Actor, id: string) {
  const p = await repo.getProfile(c.db.orm, actor.workspaceId, id);
  if (!p) throw profileNotFound();
  const packages = await repo.packagesOfProfile(c.db.orm, actor.workspaceId, id);
  const workspace = await repo.getSenderDefaults(c.db.orm, actor.workspaceId);
  return { ...profileView(c.secretKey, p), packages, effectiveSettings: explain(layersOf(workspace, null, p)) };
}

export interface ProfileInput {
  name: string;
  transport: TransportKind;
  transportConfig: unknown;
  phone?: string | null | undefined;
  settings?: SenderLayer | undefined;
  weight?: number | null | undefined;
  /** Starts the number's warm-up now. */
  warmup?: boolean | undefined;
}

export async function createProfile(c: Container, actor: Actor, input: ProfileInput) {
  const config = checkedConfig(input.transport, input.transportConfig);
  return c.db.orm.transaction(async (tx) => {
    const id = uuidv7();
    const phone = input.phone ? await toE164(tx, actor.workspaceId, input.phone) : null;
    const row = await repo.createProfile(tx, actor.workspaceId, {
      id,
      name: input.name,
      phone,
      transport: input.transport,
      sealedConfig: sealTransportConfig(c.secretKey, id, config),
      ...connectionOnStart(input.transport),
      statusChangedAt: new Date(),
      settings: input.settings ?? {},
      weight: input.weight ?? null,
      warmupStartedAt: input.warmup ? new Date() : null,
    });
    if (typeof row === 'string') throw profileConflict(row, { name: input.name, phone });
    await insertAudit(tx, actor, {
      action: 'profile.create',
      entityType: 'profile',
      entityId: id,
      changes: {
        name: row.name,
        phone: row.phone,
        transport: row.transport,
        transportConfig: 'set',
        status: row.status,
        settings: row.settings,
        weight: row.weight,
        warmupStartedAt: row.warmupStartedAt,
      },
    });
    return profileView(c.secretKey, row);
  });
}

export interface ProfilePatch {
  name?: string | undefined;
  phone?: string | undefined;
  /** Merged into the saved configuration; null removes an optional field. */
  transportConfig?: Record<string, unknown> | undefined;
  settings?: SenderLayer | undefined;
  weight?: number | null | undefined;
  /** true starts the warm-up now (a running one keeps its start); false ends it. */
  warmup?: boolean | undefined;
}

/** An unchanged patch writes nothing; the transport stays as created. */
export async function updateProfile(c: Container, actor: Actor, id: string, input: ProfilePatch) {
  return c.db.orm.transaction(async (tx) => {
    await repo.lockSenderSettings(tx, actor.workspaceId);
    const cur = await repo.getProfile(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw profileNotFound();
    const wanted: Partial<Pick<ProfileRow, 'name' | 'phone' | 'settings' | 'weight' | 'warmupStartedAt'>> = {};
    if (input.name !== undefined) wanted.name = input.name;
    if (input.phone !== undefined) wanted.phone = await toE164(tx, actor.workspaceId, input.phone);
    if (input.settings !== undefined) wanted.settings = input.settings;
    if (input.weight !== undefined) wanted.weight = input.weight;
    if (input.warmup !== undefined) wanted.warmupStartedAt = input.warmup ? (cur.warmupStartedAt ?? new Date()) : null;
    const { set, changes: diffed } = diff(cur, wanted);
    const changes: Record<string, unknown> = diffed;
    const write: ProfileWrite = { ...set };
    if (input.transportConfig !== undefined) {
      const { config } = openConfig(c.secretKey, cur);
      const merged = Object.fromEntries(Object.entries({ ...config, ...input.transportConfig }).filter(([, v]) => v !== null));
      const next = checkedConfig(cur.transport, merged);
      if (!isDeepStrictEqual(next, config)) {
        write.sealedConfig = sealTransportConfig(c.secretKey, id, next);
        // Secrets never reach the audit log, not even masked.
        changes.transportConfig = 'changed';
      }
    }
    if (Object.keys(changes).length === 0) return profileView(c.secretKey, cur);
    const row = await repo.updateProfile(tx, actor.workspaceId, id, write);
    if (typeof row === 'string') throw profileConflict(row, { name: write.name, phone: write.phone });
    if (!row) throw profileNotFound();
    if (set.settings) await assertLimitsAgree(tx, actor.workspaceId, { profileId: id });
    await insertAudit(tx, actor, { action: 'profile.update', entityType: 'profile', entityId: id, changes });
    return profileView(c.secretKey, row);
  });
}

/** A profile or package cannot be deleted while its open-chat messages wait: they would be stranded. */
function stillSending(code: string, what: string, open: number) {
  return conflict(code, `${what} still has ${open} message${open === 1 ? '' : 's'} queued or being sent: wait until they are sent or cancel them before deleting it`, {
    queued: open,
  });
}

/**
 * Refused while open-chat messages wait for the profile: deleting it would leave them without a
 * sender. The row lock makes a concurrent assignment of new messages to it wait for the answer.
 */
export async function deleteProfile(c: Container, actor: Actor, id: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const cur = await repo.getProfile(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw profileNotFound();
    const open = await repo.openMessageCount(tx, actor.workspaceId, { profileId: id });
    if (open > 0) throw stillSending('PROFILE_HAS_QUEUED_MESSAGES', `Profile "${cur.name}"`, open);
    await repo.deleteProfile(tx, actor.workspaceId, id);
    await insertAudit(tx, actor, {
      action: 'profile.delete',
      entityType: 'profile',
      entityId: id,
      changes: { name: cur.name, phone: cur.phone, transport: cur.transport },
    });
  });
}

/** Stops open chat from this number until someone resumes it; reply chat is not affected. Pausing a paused profile changes nothing. */
export async function pauseProfile(c: Container, actor: Actor, id: string, reason?: string | undefined) {
  return c.db.orm.transaction(async (tx) => {
    const cur = await repo.getProfile(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw profileNotFound();
    if (cur.status === 'paused') return profileView(c.secretKey, cur);
    if (cur.status === 'banned') throw conflict('PROFILE_BANNED', `Profile "${cur.name}" is banned: there is nothing to pause`);
    const statusReason = reason ? `Paused by hand: ${reason}` : 'Paused by hand';
    const row = (await repo.updateProfile(tx, actor.workspaceId, id, { status: 'paused', statusReason, statusChangedAt: new Date() })) as ProfileRow;
    await insertAudit(tx, actor, {
      action: 'profile.pause',
      entityType: 'profile',
      entityId: id,
      changes: { status: { before: cur.status, after: 'paused' }, reason: reason ?? null },
    });
    return profileView(c.secretKey, row);
  });
}

/** Only a paused profile resumes; it comes back as a newly added one of its transport would (simulated: connected). */
export async function resumeProfile(c: Container, actor: Actor, id: string) {
  return c.db.orm.transaction(async (tx) => {
    const cur = await repo.getProfile(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw profileNotFound();
    if (cur.status !== 'paused') throw conflict('PROFILE_NOT_PAUSED', `Profile "${cur.name}" is ${cur.status}, not paused: there is nothing to resume`, { status: cur.status });
    const next = connectionOnStart(cur.transport);
    // A person decided the number may send again: the failures and the state that stopped it are
    // behind it (a paused profile sends nothing, so no new result would ever clear them), and the
    // next results judge it afresh.
    const row = (await repo.updateProfile(tx, actor.workspaceId, id, {
      ...next,
      statusChangedAt: new Date(),
      healthState: 'healthy',
      healthReason: 'resumed by a person; judged again from its next sends',
      failureStreak: 0,
      failureStreakSince: null,
    })) as ProfileRow;
    await insertAudit(tx, actor, {
      action: 'profile.resume',
      entityType: 'profile',
      entityId: id,
      changes: {
        status: { before: cur.status, after: next.status },
        previousReason: cur.statusReason,
        ...(cur.healthState !== 'healthy' ? { healthState: { before: cur.healthState, after: 'healthy' } } : {}),
      },
    });
    return profileView(c.secretKey, row);
  });
}

// ---- packages ----

export async function listPackages(c: Container, actor: Actor, q: { cursor?: string | undefined; limit: number; search?: string | undefined }) {
  const rows = await repo.listPackages(c.db.orm, actor.workspaceId, { before: decodeCursor(q.cursor), limit: q.limit, search: q.search });
  return toPage(rows, q.limit);
}

/** A package with its profiles in order, each with its effective settings in this package. */
async function packageDetail(db: Orm | Tx, workspaceId: string, p: PackageRow) {
  const members = await repo.packageMembers(db, workspaceId, p.id);
  const workspace = await repo.getSenderDefaults(db, workspaceId);
  return {
    ...p,
    memberCount: members.length,
    profiles: members.map((m) => ({ position: m.position, profile: profileSummary(m), effectiveSettings: explain(layersOf(workspace, p, m)) })),
  };
}

export async function getPackage(c: Container, actor: Actor, id: string) {
  const p = await repo.getPackage(c.db.orm, actor.workspaceId, id);
  if (!p) throw packageNotFound();
  return packageDetail(c.db.orm, actor.workspaceId, p);
}

export interface PackageInput {
  name: string;
  description?: string | null | undefined;
  settings?: SenderLayer | undefined;
  strategy?: Strategy | undefined;
  dailyTotal?: number | null | undefined;
  maxConcurrentSends?: number | undefined;
}

export async function createPackage(c: Container, actor: Actor, input: PackageInput) {
  return c.db.orm.transaction(async (tx) => {
    await repo.lockSenderSettings(tx, actor.workspaceId);
    const row = await repo.createPackage(tx, actor.workspaceId, {
      name: input.name,
      description: input.description ?? null,
      settings: input.settings ?? {},
      strategy: input.strategy ?? BUILT_IN_PACKAGE_RULES.strategy,
      dailyTotal: input.dailyTotal === undefined ? BUILT_IN_PACKAGE_RULES.dailyTotal : input.dailyTotal,
      maxConcurrentSends: input.maxConcurrentSends ?? BUILT_IN_PACKAGE_RULES.maxConcurrentSends,
    });
    if (row === 'name_taken') throw packageNameTaken(input.name);
    await assertLimitsAgree(tx, actor.workspaceId, { packageId: row.id });
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = row;
    await insertAudit(tx, actor, { action: 'package.create', entityType: 'package', entityId: row.id, changes: fields });
    return packageDetail(tx, actor.workspaceId, row);
  });
}

export async function updatePackage(c: Container, actor: Actor, id: string, input: Partial<PackageInput>) {
  return c.db.orm.transaction(async (tx) => {
    await repo.lockSenderSettings(tx, actor.workspaceId);
    const cur = await repo.getPackage(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw packageNotFound();
    const { set, changes } = diff<PackageRow, keyof repo.PackageWrite>(cur, input);
    if (Object.keys(changes).length > 0) {
      const row = await repo.updatePackage(tx, actor.workspaceId, id, set);
      if (row === 'name_taken') throw packageNameTaken(set.name!);
      if (!row) throw packageNotFound();
      if (set.settings) await assertLimitsAgree(tx, actor.workspaceId, { packageId: id });
      await insertAudit(tx, actor, { action: 'package.update', entityType: 'package', entityId: id, changes });
      return packageDetail(tx, actor.workspaceId, row);
    }
    return packageDetail(tx, actor.workspaceId, cur);
  });
}

/** Refused while its open-chat messages wait (they would go with it); its profiles stay. */
export async function deletePackage(c: Container, actor: Actor, id: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const cur = await repo.getPackage(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw packageNotFound();
    const open = await repo.openMessageCount(tx, actor.workspaceId, { packageId: id });
    if (open > 0) throw stillSending('PACKAGE_HAS_QUEUED_MESSAGES', `Package "${cur.name}"`, open);
    const members = await repo.packageMembers(tx, actor.workspaceId, id);
    await repo.deletePackage(tx, actor.workspaceId, id);
    await insertAudit(tx, actor, {
      action: 'package.delete',
      entityType: 'package',
      entityId: id,
      changes: { name: cur.name, profileIds: members.map((m) => m.id) },
    });
  });
}

/**
 * Replaces the package's profiles with `profileIds`, in that order (round-robin and the dedicated
 * profile of starter and pro campaigns follow it). An id that is not a profile of this workspace —
 * another workspace's included — is refused the same way as one that never existed.
 */
export async function setPackageProfiles(c: Container, actor: Actor, id: string, profileIds: string[]) {
  return c.db.orm.transaction(async (tx) => {
    await repo.lockSenderSettings(tx, actor.workspaceId);
    const cur = await repo.getPackage(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw packageNotFound();
    const known = await repo.knownProfileIds(tx, actor.workspaceId, profileIds);
    const unknown = profileIds.filter((p) => !known.has(p));
    if (unknown.length > 0) {
      throw invalid('UNKNOWN_PROFILE', `${unknown[0]} is not a profile of this workspace${unknown.length > 1 ? ` (nor are ${unknown.length - 1} more)` : ''}`, {
        profileIds: unknown,
      });
    }
    const before = (await repo.packageMembers(tx, actor.workspaceId, id)).map((m) => m.id);
    // A profile leaving the package would strand the messages it holds for it (only members send them).
    for (const removed of before.filter((p) => !profileIds.includes(p))) {
      const open = await repo.openMessageCount(tx, actor.workspaceId, { profileId: removed, packageId: id });
      if (open > 0) {
        throw conflict('PROFILE_HAS_MESSAGES', `A profile being removed still holds ${open} queued or sending message${open === 1 ? '' : 's'} of this package: pause it first (its queue moves to the other profiles) or wait until they are sent`, {
          profileId: removed,
          messages: open,
        });
      }
    }
    if (!isDeepStrictEqual(before, profileIds)) {
      await repo.replaceMembers(tx, actor.workspaceId, id, profileIds);
      await assertLimitsAgree(tx, actor.workspaceId, { packageId: id });
      await insertAudit(tx, actor, { action: 'package.profiles', entityType: 'package', entityId: id, changes: { profileIds: { before, after: profileIds } } });
    }
    return packageDetail(tx, actor.workspaceId, cur);
  });
}

/** How one profile sends for one package: each value, where it came from in words, and any contradiction. */
export async function memberSettings(c: Container, actor: Actor, packageId: string, profileId: string) {
  const pkg = await repo.getPackage(c.db.orm, actor.workspaceId, packageId);
  if (!pkg) throw packageNotFound();
  const member = (await repo.packageMembers(c.db.orm, actor.workspaceId, packageId)).find((m) => m.id === profileId);
  if (!member) throw notFound('PACKAGE_MEMBER_NOT_FOUND', 'This package has no such profile');
  const workspace = await repo.getSenderDefaults(c.db.orm, actor.workspaceId);
  return {
    package: { id: pkg.id, name: pkg.name },
    profile: { id: member.id, name: member.name },
    ...explain(layersOf(workspace, pkg, member)),
  };
}

// ---- for the dispatch engine ----

export interface SendingProfile {
  id: string;
  name: string;
  phone: string | null;
  transport: TransportKind;
  /** Order in the package (0 first). */
  position: number;
  status: ProfileStatus;
  statusReason: string | null;
  healthState: ProfileRow['healthState'];
  healthScore: number;
  healthReason: string | null;
  weight: number | null;
  warmupStartedAt: Date | null;
  /** Decrypted; null when it cannot be read (see `transportConfigProblem`): such a profile cannot send. */
  transportConfig: TransportConfig | null;
  transportConfigProblem: string | null;
  /** Its effective values in this package, with the source of each. */
  settings: EffectiveSettings;
  /** Contradictions between its effective limits, in words (none after a validated change). */
  problems: string[];
}

export interface PackageForSending {
  id: string;
  name: string;
  rules: PackageRules;
  profiles: SendingProfile[];
}

/**
 * A package as the dispatch engine needs it: its rules and each profile in order with its state,
 * decrypted transport configuration and effective settings. Null when the workspace has no such
 * package. Three queries, whatever the size of the package.
 */
export async function loadPackageForSending(db: Orm | Tx, secretKey: Buffer, workspaceId: string, packageId: string): Promise<PackageForSending | null> {
  const pkg = await repo.getPackage(db, workspaceId, packageId);
  if (!pkg) return null;
  const members = await repo.packageMembers(db, workspaceId, packageId);
  const workspace = await repo.getSenderDefaults(db, workspaceId);
  return {
    id: pkg.id,
    name: pkg.name,
    rules: rulesOf(pkg),
    profiles: members.map((m) => {
      const settings = layersOf(workspace, pkg, m);
      const { config, problem } = openConfig(secretKey, m);
      return {
        id: m.id,
        name: m.name,
        phone: m.phone,
        transport: m.transport,
        position: m.position,
        status: m.status,
        statusReason: m.statusReason,
        healthState: m.healthState,
        healthScore: m.healthScore,
        healthReason: m.healthReason,
        weight: m.weight,
        warmupStartedAt: m.warmupStartedAt,
        transportConfig: config,
        transportConfigProblem: problem,
        settings,
        problems: limitProblems(settings.values.limits),
      };
    }),
  };
}
