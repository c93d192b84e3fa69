import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { contacts, media, templateVersions, templates, users } from './schema.ts';
import type { TemplateType } from '../domain/template.ts';
import { escapeLike } from './like.ts';

const NAME_KEY = 'templates_workspace_name_key';

const creator = alias(users, 'creator');
const author = alias(users, 'author');

/** The media columns a template shows (its left join); the library's own row is media.repo's. */
const mediaColumns = {
  id: media.id,
  kind: media.kind,
  mimeType: media.mimeType,
  size: media.size,
  fileName: media.fileName,
  sha256: media.sha256,
  createdAt: media.createdAt,
};

/** A person's id and name, or null (made through an API key, or the person is gone). */
const person = (id: AnyPgColumn, name: AnyPgColumn) =>
  sql<{ id: string; name: string } | null>`CASE WHEN ${name} IS NULL THEN NULL ELSE json_build_object('id', ${id}, 'name', ${name}) END`;

/** What a version holds; every version row and the current one flattened into its template share it. */
const contentColumns = {
  type: templateVersions.type,
  body: templateVersions.body,
  mediaId: templateVersions.mediaId,
  fileName: templateVersions.fileName,
  variables: templateVersions.variables,
};

/** A template with its current version flattened in (what lists and the editor show). */
const templateColumns = {
  id: templates.id,
  name: templates.name,
  version: templateVersions.version,
  versionId: templateVersions.id,
  ...contentColumns,
  createdBy: person(templates.createdBy, creator.name),
  createdAt: templates.createdAt,
  updatedAt: templates.updatedAt,
  // Every media column is NOT NULL, so a null id means the left join found none.
  mediaRow: mediaColumns,
};

type SelectedTemplate = Awaited<ReturnType<typeof selectTemplates>>[number];
type TemplateMedia = SelectedTemplate['mediaRow'];

export type TemplateRow = Omit<SelectedTemplate, 'mediaRow'> & { media: TemplateMedia | null };

/** Live (not deleted) templates of the workspace matching `conds`, newest first. */
function selectTemplates(db: Orm | Tx, workspaceId: string, conds: SQL[], limit: number) {
  return db
    .select(templateColumns)
    .from(templates)
    .innerJoin(templateVersions, and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, templates.currentVersion)))
    .leftJoin(media, and(eq(media.id, templateVersions.mediaId), eq(media.workspaceId, workspaceId)))
    .leftJoin(creator, eq(creator.id, templates.createdBy))
    .where(and(eq(templates.workspaceId, workspaceId), isNull(templates.deletedAt), ...conds))
    .orderBy(desc(templates.id))
    .limit(limit);
}

function toRow({ mediaRow, ...t }: SelectedTemplate): TemplateRow {
  return { ...t, media: mediaRow?.id ? mediaRow : null };
}

/** Newest first; `limit + 1` rows so the caller knows whether another page exists. */
export async function listTemplates(
  db: Orm | Tx,
  workspaceId: string,
  opts: { limit: number; before?: string | undefined; search?: string | undefined; type?: TemplateType | undefined },
): Promise<TemplateRow[]> {
  const conds: SQL[] = [];
  if (opts.before) conds.push(lt(templates.id, opts.before));
  const search = opts.search?.trim();
  if (search) conds.push(sql`${templates.name} ILIKE ${`%${escapeLike(search)}%`}`);
  if (opts.type) conds.push(eq(templateVersions.type, opts.type));
  return (await selectTemplates(db, workspaceId, conds, opts.limit + 1)).map(toRow);
}

export async function getTemplate(db: Orm | Tx, workspaceId: string, id: string): Promise<TemplateRow | null> {
  const [row] = await selectTemplates(db, workspaceId, [eq(templates.id, id)], 1);
  return row ? toRow(row) : null;
}

/** The live template's current content, locked until the transaction ends so two edits cannot both make version n+1. */
export async function lockTemplate(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .select({
      id: templates.id,
      name: templates.name,
      version: templateVersions.version,
      ...contentColumns,
    })
    .from(templates)
    .innerJoin(templateVersions, and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, templates.currentVersion)))
    .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, id), isNull(templates.deletedAt)))
    .for('update', { of: templates })
    .limit(1);
  return row ?? null;
}

/** `'name_taken'` when a live template of the workspace has this name. */
export async function insertTemplate(tx: Tx, workspaceId: string, t: { name: string; createdBy: string | null }) {
  try {
    const [row] = await tx.insert(templates).values({ workspaceId, ...t }).returning({ id: templates.id });
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, NAME_KEY)) return 'name_taken' as const;
    throw err;
  }
}

export interface NewVersion {
  templateId: string;
  version: number;
  type: TemplateType;
  body: string;
  mediaId: string | null;
  fileName: string | null;
  variables: string[];
  authorId: string | null;
}

export async function insertVersion(tx: Tx, workspaceId: string, v: NewVersion) {
  const [row] = await tx.insert(templateVersions).values({ workspaceId, ...v }).returning({ id: templateVersions.id });
  return row!;
}

/** `'name_taken'` when another live template has the new name; null when there is no such live template. */
export async function updateTemplate(tx: Tx, workspaceId: string, id: string, set: { name?: string; currentVersion?: number }) {
  try {
    const [row] = await tx
      .update(templates)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, id), isNull(templates.deletedAt)))
      .returning({ id: templates.id });
    return row ?? null;
  } catch (err) {
    if (isUniqueViolation(err, NAME_KEY)) return 'name_taken' as const;
    throw err;
  }
}

/** Marks the template deleted; its versions stay for the campaigns that used them. */
export async function softDeleteTemplate(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .update(templates)
    .set({ deletedAt: sql`now()` })
    .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, id), isNull(templates.deletedAt)))
    .returning({ id: templates.id, name: templates.name, currentVersion: templates.currentVersion });
  return row ?? null;
}

/** Names of live templates that are `base` or `base <something>`: what a copy's " 2", " 3" … must avoid. */
export async function namesLike(db: Orm | Tx, workspaceId: string, base: string): Promise<string[]> {
  const rows = await db
    .select({ name: templates.name })
    .from(templates)
    .where(
      and(
        eq(templates.workspaceId, workspaceId),
        isNull(templates.deletedAt),
        or(eq(templates.name, base), sql`${templates.name} LIKE ${`${escapeLike(base)} %`}`),
      ),
    );
  return rows.map((r) => r.name);
}

const versionColumns = {
  id: templateVersions.id,
  version: templateVersions.version,
  ...contentColumns,
  author: person(templateVersions.authorId, author.name),
  createdAt: templateVersions.createdAt,
};

/** Versions of a live template, newest first, or a single one; none when the template is unknown or deleted. */
function selectVersions(db: Orm | Tx, workspaceId: string, templateId: string, version?: number) {
  return db
    .select(versionColumns)
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .leftJoin(author, eq(author.id, templateVersions.authorId))
    .where(
      and(
        eq(templateVersions.workspaceId, workspaceId),
        eq(templateVersions.templateId, templateId),
        isNull(templates.deletedAt),
        version === undefined ? undefined : eq(templateVersions.version, version),
      ),
    )
    .orderBy(desc(templateVersions.version));
}

export async function listVersions(db: Orm | Tx, workspaceId: string, templateId: string) {
  return selectVersions(db, workspaceId, templateId);
}

export async function getVersion(db: Orm | Tx, workspaceId: string, templateId: string, version: number) {
  const [row] = await selectVersions(db, workspaceId, templateId, version);
  return row ?? null;
}

/** How many of the newest contacts the sample contact looks at: bounded, so a preview costs the same at any size. */
const SAMPLE_CONTACTS = 500;

/**
 * The most common value of each key among the workspace's newest contacts (ties: the smallest),
 * so a sample contact reads like a real one. Keys nobody filled are absent.
 */
export async function commonFieldValues(db: Orm | Tx, workspaceId: string, keys: string[]): Promise<Record<string, string>> {
  if (keys.length === 0) return {};
  const rows = await db.execute<{ key: string; value: string }>(sql`
    SELECT DISTINCT ON (e.key) e.key, e.value
    FROM (SELECT ${contacts.fields} AS fields FROM ${contacts} WHERE ${contacts.workspaceId} = ${workspaceId}
          ORDER BY ${contacts.id} DESC LIMIT ${SAMPLE_CONTACTS}) AS recent,
         jsonb_each_text(recent.fields) AS e(key, value)
    WHERE e.key IN (${sql.join(
      keys.map((k) => sql`${k}`),
      sql`, `,
    )}) AND e.value <> ''
    GROUP BY e.key, e.value
    ORDER BY e.key, count(*) DESC, e.value`);
  return Object.fromEntries(rows.rows.map((r) => [r.key, r.value]));
}
