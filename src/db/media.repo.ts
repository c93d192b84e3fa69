import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { MediaKind } from '../domain/media.ts';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { media, templates, templateVersions } from './schema.ts';

export type MediaRow = typeof media.$inferSelect;

export async function insertMedia(tx: Tx, row: typeof media.$inferInsert): Promise<MediaRow> {
  const [created] = await tx.insert(media).values(row).returning();
  return created!;
}

/** `lock` holds the row until the transaction ends, so no template version can start using it meanwhile. */
export async function getMedia(db: Orm | Tx, workspaceId: string, mediaId: string, opts: { lock?: boolean } = {}): Promise<MediaRow | null> {
  const q = db
    .select()
    .from(media)
    .where(and(eq(media.workspaceId, workspaceId), eq(media.id, mediaId)))
    .limit(1);
  const [row] = opts.lock ? await q.for('update') : await q;
  return row ?? null;
}

/** Newest first; `limit + 1` rows so the caller knows whether another page exists. */
export async function listMedia(db: Orm | Tx, workspaceId: string, opts: { limit: number; before?: string | undefined; kind?: MediaKind | undefined }) {
  const conds = [eq(media.workspaceId, workspaceId)];
  if (opts.before) conds.push(lt(media.id, opts.before));
  if (opts.kind) conds.push(eq(media.kind, opts.kind));
  return db
    .select()
    .from(media)
    .where(and(...conds))
    .orderBy(desc(media.id))
    .limit(opts.limit + 1);
}

/** Templates with a version that sends this media (deleted templates too: their versions keep it). */
export async function templatesUsingMedia(db: Orm | Tx, workspaceId: string, mediaId: string) {
  return db
    .select({ id: templates.id, name: templates.name, deletedAt: templates.deletedAt })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .where(and(eq(templateVersions.workspaceId, workspaceId), eq(templateVersions.mediaId, mediaId)))
    .groupBy(templates.id)
    .orderBy(asc(templates.name), asc(templates.id));
}

export async function deleteMedia(tx: Tx, workspaceId: string, mediaId: string): Promise<MediaRow | null> {
  const [row] = await tx
    .delete(media)
    .where(and(eq(media.workspaceId, workspaceId), eq(media.id, mediaId)))
    .returning();
  return row ?? null;
}
