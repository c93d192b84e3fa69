import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { campaignMessages, packageProfiles, packages, profiles, workspaces } from './schema.ts';
import type { HealthState, ProfileStatus, SenderLayer, Strategy, TransportKind } from '../domain/sender-settings.ts';

// node-postgres has parsed the jsonb already; sql<T> only gives it its type.
const layerOf = (column: typeof profiles.settings | typeof packages.settings | typeof workspaces.senderDefaults) => sql<SenderLayer>`${column}`;

const profileColumns = {
  id: profiles.id,
  name: profiles.name,
  phone: profiles.phone,
  transport: profiles.transport,
  /** Sealed (src/services/secret-box.ts); only the service opens it. */
  sealedConfig: profiles.transportConfig,
  status: profiles.status,
  statusReason: profiles.statusReason,
  statusChangedAt: profiles.statusChangedAt,
  settings: layerOf(profiles.settings),
  weight: profiles.weight,
  warmupStartedAt: profiles.warmupStartedAt,
  healthState: profiles.healthState,
  healthScore: profiles.healthScore,
  healthReason: profiles.healthReason,
  healthCheckedAt: profiles.healthCheckedAt,
  createdAt: profiles.createdAt,
  updatedAt: profiles.updatedAt,
};

export interface ProfileRow {
  id: string;
  name: string;
  phone: string | null;
  transport: TransportKind;
  sealedConfig: string | null;
  status: ProfileStatus;
  statusReason: string | null;
  statusChangedAt: Date;
  settings: SenderLayer;
  weight: number | null;
  warmupStartedAt: Date | null;
  healthState: HealthState;
  healthScore: number;
  healthReason: string | null;
  healthCheckedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const packageColumns = {
  id: packages.id,
  name: packages.name,
  description: packages.description,
  settings: layerOf(packages.settings),
  strategy: packages.strategy,
  dailyTotal: packages.dailyTotal,
  maxConcurrentSends: packages.maxConcurrentSends,
  createdAt: packages.createdAt,
  updatedAt: packages.updatedAt,
};

export interface PackageRow {
  id: string;
  name: string;
  description: string | null;
  settings: SenderLayer;
  strategy: Strategy;
  dailyTotal: number | null;
  maxConcurrentSends: number;
  createdAt: Date;
  updatedAt: Date;
}

const memberCount = sql<number>`(SELECT count(*)::int FROM ${packageProfiles} WHERE ${packageProfiles.packageId} = ${packages.id})`;

// ---- workspace defaults ----

export async function getSenderDefaults(db: Orm | Tx, workspaceId: string): Promise<SenderLayer> {
  const [row] = await db.select({ layer: layerOf(workspaces.senderDefaults) }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row!.layer;
}

/**
 * The defaults, locking the workspace row until the transaction ends: other changes of sender
 * settings in the workspace wait. NO KEY UPDATE, so rows that merely reference the workspace can
 * still be written meanwhile.
 */
export async function lockSenderSettings(tx: Tx, workspaceId: string): Promise<SenderLayer> {
  const [row] = await tx
    .select({ layer: layerOf(workspaces.senderDefaults) })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .for('no key update');
  return row!.layer;
}

export async function setSenderDefaults(tx: Tx, workspaceId: string, layer: SenderLayer): Promise<void> {
  await tx.update(workspaces).set({ senderDefaults: layer }).where(eq(workspaces.id, workspaceId));
}

// ---- profiles ----

/** Newest first; `limit + 1` rows so the caller knows whether another page exists. */
export async function listProfiles(
  db: Orm | Tx,
  workspaceId: string,
  opts: { limit: number; before?: string | undefined; search?: string | undefined; status?: ProfileStatus | undefined },
): Promise<ProfileRow[]> {
  const conds: SQL[] = [eq(profiles.workspaceId, workspaceId)];
  if (opts.before) conds.push(lt(profiles.id, opts.before));
  if (opts.status) conds.push(eq(profiles.status, opts.status));
  // strpos, not LIKE: a search for "50%" means those characters.
  const search = opts.search?.trim();
  if (search) conds.push(sql`(strpos(lower(${profiles.name}), lower(${search})) > 0 OR strpos(coalesce(${profiles.phone}, ''), ${search}) > 0)`);
  return db
    .select(profileColumns)
    .from(profiles)
    .where(and(...conds))
    .orderBy(desc(profiles.id))
    .limit(opts.limit + 1);
}

/** With `lock`, the row is locked until the transaction ends. */
export async function getProfile(db: Orm | Tx, workspaceId: string, id: string, opts: { lock?: boolean } = {}): Promise<ProfileRow | null> {
  const q = db
    .select(profileColumns)
    .from(profiles)
    .where(and(eq(profiles.workspaceId, workspaceId), eq(profiles.id, id)))
    .limit(1);
  const [row] = opts.lock ? await q.for('update') : await q;
  return row ?? null;
}

export type ProfileConflict = 'name_taken' | 'phone_taken';

function profileConflict(err: unknown): ProfileConflict | null {
  if (isUniqueViolation(err, 'profiles_workspace_name_key')) return 'name_taken';
  if (isUniqueViolation(err, 'profiles_workspace_phone_key')) return 'phone_taken';
  return null;
}

export interface ProfileWrite {
  name?: string;
  phone?: string | null;
  sealedConfig?: string;
  status?: ProfileStatus;
  statusReason?: string | null;
  statusChangedAt?: Date;
  settings?: SenderLayer;
  weight?: number | null;
  warmupStartedAt?: Date | null;
  /** A person's resume starts the health judgement afresh (see resumeProfile). */
  healthState?: HealthState;
  healthReason?: string | null;
  failureStreak?: number;
  failureStreakSince?: Date | null;
}

const toColumns = ({ sealedConfig, ...rest }: ProfileWrite) => ({ ...rest, ...(sealedConfig !== undefined ? { transportConfig: sealedConfig } : {}) });

export async function createProfile(
  tx: Tx,
  workspaceId: string,
  p: ProfileWrite & { id: string; name: string; transport: TransportKind; sealedConfig: string; status: ProfileStatus },
): Promise<ProfileRow | ProfileConflict> {
  try {
    const [row] = await tx
      .insert(profiles)
      .values({ ...toColumns(p), id: p.id, workspaceId, name: p.name, transport: p.transport })
      .returning(profileColumns);
    return row!;
  } catch (err) {
    const conflict = profileConflict(err);
    if (conflict) return conflict;
    throw err;
  }
}

export async function updateProfile(tx: Tx, workspaceId: string, id: string, set: ProfileWrite): Promise<ProfileRow | null | ProfileConflict> {
  try {
    const [row] = await tx
      .update(profiles)
      .set({ ...toColumns(set), updatedAt: sql`now()` })
      .where(and(eq(profiles.workspaceId, workspaceId), eq(profiles.id, id)))
      .returning(profileColumns);
    return row ?? null;
  } catch (err) {
    const conflict = profileConflict(err);
    if (conflict) return conflict;
    throw err;
  }
}

/** Its memberships and sticky routes go with it (cascade). */
export async function deleteProfile(tx: Tx, workspaceId: string, id: string): Promise<ProfileRow | null> {
  const [row] = await tx
    .delete(profiles)
    .where(and(eq(profiles.workspaceId, workspaceId), eq(profiles.id, id)))
    .returning(profileColumns);
  return row ?? null;
}

/** Which of `ids` are profiles of the workspace. */
export async function knownProfileIds(db: Orm | Tx, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.workspaceId, workspaceId), inArray(profiles.id, ids)));
  return new Set(rows.map((r) => r.id));
}

/** Open-chat messages still waiting for (or being handed to) WhatsApp, of a profile or of a package. */
export async function openMessageCount(
  db: Orm | Tx,
  workspaceId: string,
  of: { profileId: string; packageId?: string } | { packageId: string },
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(campaignMessages)
    .where(
      and(
        eq(campaignMessages.workspaceId, workspaceId),
        'profileId' in of ? eq(campaignMessages.profileId, of.profileId) : undefined,
        of.packageId ? eq(campaignMessages.packageId, of.packageId) : undefined,
        inArray(campaignMessages.status, ['queued', 'sending']),
      ),
    );
  return row!.n;
}

// ---- packages ----

export async function listPackages(db: Orm | Tx, workspaceId: string, opts: { limit: number; before?: string | undefined; search?: string | undefined }) {
  const conds: SQL[] = [eq(packages.workspaceId, workspaceId)];
  if (opts.before) conds.push(lt(packages.id, opts.before));
  if (opts.search?.trim()) conds.push(sql`strpos(lower(${packages.name}), lower(${opts.search.trim()})) > 0`);
  return db
    .select({ ...packageColumns, memberCount })
    .from(packages)
    .where(and(...conds))
    .orderBy(desc(packages.id))
    .limit(opts.limit + 1);
}

export async function getPackage(db: Orm | Tx, workspaceId: string, id: string, opts: { lock?: boolean } = {}): Promise<PackageRow | null> {
  const q = db
    .select(packageColumns)
    .from(packages)
    .where(and(eq(packages.workspaceId, workspaceId), eq(packages.id, id)))
    .limit(1);
  const [row] = opts.lock ? await q.for('update') : await q;
  return row ?? null;
}

export interface PackageWrite {
  name?: string;
  description?: string | null;
  settings?: SenderLayer;
  strategy?: Strategy;
  dailyTotal?: number | null;
  maxConcurrentSends?: number;
}

export async function createPackage(tx: Tx, workspaceId: string, p: PackageWrite & { name: string }): Promise<PackageRow | 'name_taken'> {
  try {
    const [row] = await tx
      .insert(packages)
      .values({ ...p, workspaceId })
      .returning(packageColumns);
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, 'packages_workspace_name_key')) return 'name_taken';
    throw err;
  }
}

export async function updatePackage(tx: Tx, workspaceId: string, id: string, set: PackageWrite): Promise<PackageRow | null | 'name_taken'> {
  try {
    const [row] = await tx
      .update(packages)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(packages.workspaceId, workspaceId), eq(packages.id, id)))
      .returning(packageColumns);
    return row ?? null;
  } catch (err) {
    if (isUniqueViolation(err, 'packages_workspace_name_key')) return 'name_taken';
    throw err;
  }
}

/** Its memberships go with it (cascade); the profiles stay. */
export async function deletePackage(tx: Tx, workspaceId: string, id: string): Promise<PackageRow | null> {
  const [row] = await tx
    .delete(packages)
    .where(and(eq(packages.workspaceId, workspaceId), eq(packages.id, id)))
    .returning(packageColumns);
  return row ?? null;
}

/** A package's profiles in their order (position 0 first). */
export async function packageMembers(db: Orm | Tx, workspaceId: string, packageId: string): Promise<Array<ProfileRow & { position: number }>> {
  return db
    .select({ ...profileColumns, position: packageProfiles.position })
    .from(packageProfiles)
    .innerJoin(profiles, eq(profiles.id, packageProfiles.profileId))
    .where(and(eq(packageProfiles.workspaceId, workspaceId), eq(packageProfiles.packageId, packageId), eq(profiles.workspaceId, workspaceId)))
    .orderBy(asc(packageProfiles.position));
}

/** The packages a profile is in, by name. */
export async function packagesOfProfile(db: Orm | Tx, workspaceId: string, profileId: string) {
  return db
    .select({ id: packages.id, name: packages.name, position: packageProfiles.position })
    .from(packageProfiles)
    .innerJoin(packages, eq(packages.id, packageProfiles.packageId))
    .where(and(eq(packageProfiles.workspaceId, workspaceId), eq(packageProfiles.profileId, profileId), eq(packages.workspaceId, workspaceId)))
    .orderBy(asc(packages.name));
}

/** Replaces the membership: `profileIds` in order get positions 0, 1, 2… (checked to be the workspace's by the caller). */
export async function replaceMembers(tx: Tx, workspaceId: string, packageId: string, profileIds: string[]): Promise<void> {
  await tx.delete(packageProfiles).where(and(eq(packageProfiles.workspaceId, workspaceId), eq(packageProfiles.packageId, packageId)));
  if (profileIds.length === 0) return;
  await tx.insert(packageProfiles).values(profileIds.map((profileId, position) => ({ workspaceId, packageId, profileId, position })));
}

// ---- layers, for checking limits on effective values ----

export interface NamedLayer {
  id: string;
  name: string;
  settings: SenderLayer;
}

/**
 * The layers a change can affect: packages on their own (what a member without overrides gets) and
 * every membership pair — all of the workspace's, or only those of one package or one profile.
 */
export async function layersInScope(
  db: Orm | Tx,
  workspaceId: string,
  scope: 'workspace' | { packageId: string } | { profileId: string },
): Promise<{ packages: NamedLayer[]; pairs: Array<{ pkg: NamedLayer; profile: NamedLayer }> }> {
  const onlyPackage = typeof scope === 'object' && 'packageId' in scope ? scope.packageId : undefined;
  const onlyProfile = typeof scope === 'object' && 'profileId' in scope ? scope.profileId : undefined;
  const pkgLayer = { id: packages.id, name: packages.name, settings: layerOf(packages.settings) };
  const profileLayer = { id: profiles.id, name: profiles.name, settings: layerOf(profiles.settings) };
  const lone = onlyProfile
    ? []
    : await db
        .select(pkgLayer)
        .from(packages)
        .where(and(eq(packages.workspaceId, workspaceId), onlyPackage ? eq(packages.id, onlyPackage) : undefined))
        .orderBy(asc(packages.name));
  const pairs = await db
    .select({ pkg: pkgLayer, profile: profileLayer })
    .from(packageProfiles)
    .innerJoin(packages, eq(packages.id, packageProfiles.packageId))
    .innerJoin(profiles, eq(profiles.id, packageProfiles.profileId))
    .where(
      and(
        eq(packageProfiles.workspaceId, workspaceId),
        onlyPackage ? eq(packageProfiles.packageId, onlyPackage) : undefined,
        onlyProfile ? eq(packageProfiles.profileId, onlyProfile) : undefined,
      ),
    )
    .orderBy(asc(packages.name), asc(packageProfiles.position));
  return { packages: lone, pairs };
}
