import { isDeepStrictEqual } from 'node:util';
import type { Container } from '../container.ts';
import { insertAudit, type Tx } from '../db/audit.repo.ts';
import { knownListIds } from '../db/lists.repo.ts';
import { countMatching, statsOfMatching, type MatchStats } from '../db/segment-sql.ts';
import * as repo from '../db/segments.repo.ts';
import type { SegmentRow } from '../db/segments.repo.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { listIdsOf, type SegmentGroup, type SegmentKind } from '../domain/segment-criteria.ts';
import type { Actor } from './actor.ts';

const segmentNotFound = () => notFound('SEGMENT_NOT_FOUND', 'No such segment in this workspace');
const nameTaken = (name: string) => conflict('SEGMENT_EXISTS', `A segment named "${name}" already exists`, { name });

/**
 * Lists named by the criteria must be this workspace's. Another workspace's list gets the same
 * answer as an id that never existed, so the answer reveals nothing.
 */
async function checkLists(db: Tx, workspaceId: string, criteria: SegmentGroup): Promise<void> {
  const ids = listIdsOf(criteria);
  const known = await knownListIds(db, workspaceId, ids);
  const unknown = ids.find((id) => !known.has(id));
  if (unknown) throw invalid('UNKNOWN_LIST', `The criteria name the list ${unknown}, which is not a list of this workspace`, { listId: unknown });
}

export async function listSegments(c: Container, actor: Actor, q: { cursor?: string | undefined; limit: number; search?: string | undefined }) {
  const rows = await repo.listSegments(c.db.orm, actor.workspaceId, { before: decodeCursor(q.cursor), limit: q.limit, search: q.search });
  return toPage(rows, q.limit);
}

/**
 * Counts now, in `db` (a request's transaction when the segment changes with it): a dynamic segment
 * by its criteria, a static one by re-taking its snapshot (`snapshot`) or by the one it has. The
 * count is cached on the segment for the list.
 */
async function countNow(db: Tx, workspaceId: string, s: SegmentRow, how: 'snapshot' | 'count'): Promise<{ row: SegmentRow; stats: MatchStats }> {
  const now = new Date();
  if (s.kind === 'static' && how === 'snapshot') return repo.takeSnapshot(db, workspaceId, s.id, s.criteria, now);
  const stats = s.kind === 'dynamic' ? await statsOfMatching(db, workspaceId, s.criteria, now) : await repo.snapshotStats(db, workspaceId, s.id, now);
  const row = await repo.recordCount(db, workspaceId, s.id, stats, now);
  if (!row) throw segmentNotFound();
  return { row, stats };
}

async function withStats(c: Container, actor: Actor, s: SegmentRow) {
  const { row, stats } = await c.db.orm.transaction((tx) => countNow(tx, actor.workspaceId, s, 'count'));
  return { ...row, stats };
}

export async function getSegment(c: Container, actor: Actor, id: string) {
  const s = await repo.getSegment(c.db.orm, actor.workspaceId, id);
  if (!s) throw segmentNotFound();
  return withStats(c, actor, s);
}

export async function createSegment(
  c: Container,
  actor: Actor,
  input: { name: string; description?: string | null | undefined; kind: SegmentKind; criteria: SegmentGroup },
) {
  return c.db.orm.transaction(async (tx) => {
    await checkLists(tx, actor.workspaceId, input.criteria);
    const row = await repo.createSegment(tx, actor.workspaceId, {
      name: input.name,
      description: input.description ?? null,
      kind: input.kind,
      criteria: input.criteria,
      createdBy: actor.userId,
    });
    if (row === 'name_taken') throw nameTaken(input.name);
    const counted = await countNow(tx, actor.workspaceId, row, 'snapshot');
    await insertAudit(tx, actor, {
      action: 'segment.create',
      entityType: 'segment',
      entityId: row.id,
      changes: { name: row.name, description: row.description, kind: row.kind, criteria: row.criteria, count: counted.stats.total },
    });
    return counted.row;
  });
}

/** Changing the criteria re-counts the segment (a static one re-takes its snapshot); an unchanged patch writes nothing. */
export async function updateSegment(
  c: Container,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; description?: string | null | undefined; criteria?: SegmentGroup | undefined },
) {
  return c.db.orm.transaction(async (tx) => {
    const cur = await repo.getSegment(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw segmentNotFound();
    const set: { name?: string; description?: string | null; criteria?: SegmentGroup } = {};
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (input.name !== undefined && input.name !== cur.name) set.name = input.name;
    if (input.description !== undefined && input.description !== cur.description) set.description = input.description;
    // Compared as values: jsonb stores keys in its own order.
    if (input.criteria !== undefined && !isDeepStrictEqual(input.criteria, cur.criteria)) {
      await checkLists(tx, actor.workspaceId, input.criteria);
      set.criteria = input.criteria;
    }
    for (const key of Object.keys(set) as Array<keyof typeof set>) changes[key] = { before: cur[key], after: set[key] };
    if (Object.keys(changes).length === 0) return cur;
    const row = await repo.updateSegment(tx, actor.workspaceId, id, set);
    if (row === 'name_taken') throw nameTaken(set.name!);
    if (!row) throw segmentNotFound();
    const counted = set.criteria ? await countNow(tx, actor.workspaceId, row, 'snapshot') : null;
    if (counted) changes.count = { before: cur.lastCount, after: counted.stats.total };
    await insertAudit(tx, actor, { action: 'segment.update', entityType: 'segment', entityId: id, changes });
    return counted ? counted.row : row;
  });
}

/** The snapshot goes with the segment; the contacts stay. */
export async function deleteSegment(c: Container, actor: Actor, id: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const row = await repo.deleteSegment(tx, actor.workspaceId, id);
    if (!row) throw segmentNotFound();
    await insertAudit(tx, actor, { action: 'segment.delete', entityType: 'segment', entityId: id, changes: { name: row.name, kind: row.kind } });
  });
}

/** Re-takes a static segment's snapshot with its criteria evaluated now. */
export async function refreshSegment(c: Container, actor: Actor, id: string) {
  return c.db.orm.transaction(async (tx) => {
    const cur = await repo.getSegment(tx, actor.workspaceId, id, { lock: true });
    if (!cur) throw segmentNotFound();
    if (cur.kind !== 'static') {
      throw invalid('SEGMENT_NOT_STATIC', 'Only static segments are refreshed: a dynamic segment is evaluated each time it is used');
    }
    const { row, stats } = await countNow(tx, actor.workspaceId, cur, 'snapshot');
    await insertAudit(tx, actor, {
      action: 'segment.refresh',
      entityType: 'segment',
      entityId: id,
      changes: { count: stats.total, previousCount: cur.lastCount },
    });
    return { ...row, stats };
  });
}

/**
 * The live count of the segment builder: one count and one `LIMIT` query (the newest matching
 * contacts), nothing stored.
 */
export async function previewSegment(c: Container, actor: Actor, input: { criteria: SegmentGroup; sampleSize: number }) {
  await checkLists(c.db.orm, actor.workspaceId, input.criteria);
  const now = new Date();
  const [count, sample] = await Promise.all([
    countMatching(c.db.orm, actor.workspaceId, input.criteria, now),
    input.sampleSize === 0
      ? []
      : repo.memberContacts(c.db.orm, actor.workspaceId, { kind: 'dynamic', criteria: input.criteria }, now, { limit: input.sampleSize }),
  ]);
  return { count, sample };
}

export async function segmentContacts(c: Container, actor: Actor, id: string, q: { cursor?: string | undefined; limit: number }) {
  const before = decodeCursor(q.cursor);
  const s = await repo.getSegment(c.db.orm, actor.workspaceId, id);
  if (!s) throw segmentNotFound();
  const rows = await repo.memberContacts(c.db.orm, actor.workspaceId, repo.membershipOf(s), new Date(), { before, limit: q.limit + 1 });
  return toPage(rows, q.limit);
}
