import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { contactColumns, type ContactRow } from './contacts.repo.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { contacts, segmentMembers, segments } from './schema.ts';
import { matchStatsColumns, segmentFilter, type MatchStats } from './segment-sql.ts';
import type { SegmentGroup, SegmentKind } from '../domain/segment-criteria.ts';

const columns = {
  id: segments.id,
  name: segments.name,
  description: segments.description,
  kind: segments.kind,
  // node-postgres has parsed the jsonb already; this only gives it its type.
  criteria: sql<SegmentGroup>`${segments.criteria}`,
  lastCount: segments.lastCount,
  lastReachable: segments.lastReachable,
  lastCountedAt: segments.lastCountedAt,
  lastRefreshedAt: segments.lastRefreshedAt,
  createdAt: segments.createdAt,
  updatedAt: segments.updatedAt,
};

export interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  kind: SegmentKind;
  criteria: SegmentGroup;
  lastCount: number | null;
  lastReachable: number | null;
  lastCountedAt: Date | null;
  lastRefreshedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who is in a segment: a dynamic one is its criteria evaluated now, a static one its snapshot. */
export type Membership = { kind: 'dynamic'; criteria: SegmentGroup } | { kind: 'static'; segmentId: string };

export const membershipOf = (s: Pick<SegmentRow, 'id' | 'kind' | 'criteria'>): Membership =>
  s.kind === 'static' ? { kind: 'static', segmentId: s.id } : { kind: 'dynamic', criteria: s.criteria };

/** Boolean SQL over "contacts", scoped to the workspace either way. */
function memberFilter(workspaceId: string, m: Membership, now: Date): SQL {
  if (m.kind === 'dynamic') return segmentFilter(workspaceId, m.criteria, now);
  // A semi-join on the snapshot's primary key: the planner drives it from segment_members for a
  // small segment and from contacts for a large one.
  return and(
    eq(contacts.workspaceId, workspaceId),
    inArray(
      contacts.id,
      sql`(SELECT ${segmentMembers.contactId} FROM ${segmentMembers} WHERE ${segmentMembers.workspaceId} = ${workspaceId} AND ${segmentMembers.segmentId} = ${m.segmentId})`,
    ),
  )!;
}

/** Newest first; `limit + 1` rows so the caller knows whether another page exists. Shows the cached count. */
export async function listSegments(db: Orm | Tx, workspaceId: string, opts: { limit: number; before?: string | undefined; search?: string | undefined }) {
  const conds = [eq(segments.workspaceId, workspaceId)];
  if (opts.before) conds.push(lt(segments.id, opts.before));
  // strpos, not LIKE: a search for "50%_off" means those characters.
  if (opts.search?.trim()) conds.push(sql`strpos(lower(${segments.name}), lower(${opts.search.trim()})) > 0`);
  const rows = await db
    .select(columns)
    .from(segments)
    .where(and(...conds))
    .orderBy(desc(segments.id))
    .limit(opts.limit + 1);
  return rows;
}

/** With `lock`, the row is locked until the transaction ends (snapshots of one segment never interleave). */
export async function getSegment(db: Orm | Tx, workspaceId: string, id: string, opts: { lock?: boolean } = {}): Promise<SegmentRow | null> {
  const q = db
    .select(columns)
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)))
    .limit(1);
  const [row] = opts.lock ? await q.for('update') : await q;
  return row ?? null;
}

/** `'name_taken'` when the workspace has another segment with this name. */
export async function createSegment(
  tx: Tx,
  workspaceId: string,
  s: { name: string; description: string | null; kind: SegmentKind; criteria: SegmentGroup; createdBy: string | null },
): Promise<SegmentRow | 'name_taken'> {
  try {
    const [row] = await tx
      .insert(segments)
      .values({ workspaceId, ...s, criteria: s.criteria as unknown as Record<string, unknown> })
      .returning(columns);
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, 'segments_workspace_name_key')) return 'name_taken';
    throw err;
  }
}

export async function updateSegment(
  tx: Tx,
  workspaceId: string,
  id: string,
  set: { name?: string; description?: string | null; criteria?: SegmentGroup },
): Promise<SegmentRow | null | 'name_taken'> {
  const { criteria, ...rest } = set;
  try {
    const [row] = await tx
      .update(segments)
      .set({ ...rest, ...(criteria ? { criteria: criteria as unknown as Record<string, unknown> } : {}), updatedAt: sql`now()` })
      .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)))
      .returning(columns);
    return row ?? null;
  } catch (err) {
    if (isUniqueViolation(err, 'segments_workspace_name_key')) return 'name_taken';
    throw err;
  }
}

/** The snapshot goes with it (cascade); the contacts stay. */
export async function deleteSegment(tx: Tx, workspaceId: string, id: string): Promise<SegmentRow | null> {
  const [row] = await tx
    .delete(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)))
    .returning(columns);
  return row ?? null;
}

/** Caches the counts so lists of segments can show them without recounting each one. */
export async function recordCount(
  db: Orm | Tx,
  workspaceId: string,
  id: string,
  stats: Pick<MatchStats, 'total' | 'reachable'>,
  at: Date,
): Promise<SegmentRow | null> {
  const [row] = await db
    .update(segments)
    .set({ lastCount: stats.total, lastReachable: stats.reachable, lastCountedAt: at })
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)))
    .returning(columns);
  return row ?? null;
}

/**
 * Freezes a static segment's membership: the old snapshot is deleted and the new one written by one
 * `INSERT … SELECT` in the database (no contact id passes through Node). Run it in the transaction
 * that locked the segment. Returns the segment with its new counts and the snapshot's statistics
 * (`stats.total` is the number of members).
 */
export async function takeSnapshot(
  tx: Tx,
  workspaceId: string,
  id: string,
  criteria: SegmentGroup,
  now: Date,
): Promise<{ row: SegmentRow; stats: MatchStats }> {
  await tx.delete(segmentMembers).where(and(eq(segmentMembers.workspaceId, workspaceId), eq(segmentMembers.segmentId, id)));
  await tx.insert(segmentMembers).select(
    tx
      .select({ workspaceId: contacts.workspaceId, segmentId: sql<string>`${id}::uuid`.as('segment_id'), contactId: contacts.id })
      .from(contacts)
      .where(segmentFilter(workspaceId, criteria, now)),
  );
  const stats = await snapshotStats(tx, workspaceId, id, now);
  const [row] = await tx
    .update(segments)
    .set({ lastCount: stats.total, lastReachable: stats.reachable, lastCountedAt: now, lastRefreshedAt: now })
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)))
    .returning(columns);
  return { row: row!, stats };
}

/**
 * Statistics of a static segment's snapshot, with the definitions of `statsOfMatching` (reachable =
 * consented and not opted out; interacted = last interaction within 30 days of `now`).
 */
export async function snapshotStats(db: Orm | Tx, workspaceId: string, id: string, now: Date): Promise<MatchStats> {
  const [row] = await db
    .select(matchStatsColumns(now))
    .from(segmentMembers)
    .innerJoin(contacts, eq(contacts.id, segmentMembers.contactId))
    .where(and(eq(segmentMembers.workspaceId, workspaceId), eq(segmentMembers.segmentId, id), eq(contacts.workspaceId, workspaceId)));
  return row!;
}

/** Members newest first, as GET /contacts shows them; fetch `limit + 1` to know whether a page follows. */
export async function memberContacts(
  db: Orm | Tx,
  workspaceId: string,
  m: Membership,
  now: Date,
  opts: { limit: number; before?: string | undefined },
): Promise<ContactRow[]> {
  const conds = [memberFilter(workspaceId, m, now)];
  if (opts.before) conds.push(lt(contacts.id, opts.before));
  return db
    .select(contactColumns)
    .from(contacts)
    .where(and(...conds))
    .orderBy(desc(contacts.id))
    .limit(opts.limit);
}
