import { randomInt } from 'node:crypto';
import { getExampleNumber, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import type { Container } from '../container.ts';
import { insertAudit, type Tx } from '../db/audit.repo.ts';
import { getWorkspace } from '../db/auth.repo.ts';
import { getContact, listContactFields, type FieldValue } from '../db/contacts.repo.ts';
import { getMedia, type MediaRow } from '../db/media.repo.ts';
import * as repo from '../db/templates.repo.ts';
import type { TemplateRow } from '../db/templates.repo.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { FieldType } from '../domain/fields.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import { checkVariables, compileTemplate, parseTemplate, variableKeys, type ParsedTemplate, type TemplateType } from '../domain/template.ts';
import { asTemplateProblem, bodyRules, contentRules, effectiveFileName } from '../domain/template-rules.ts';
import type { Actor } from './actor.ts';
import { mediaUrl } from './media.service.ts';

const templateNotFound = () => notFound('TEMPLATE_NOT_FOUND', 'No such template in this workspace');
const nameTaken = (name: string) => conflict('TEMPLATE_EXISTS', `A template named "${name}" already exists`, { name });
const NAME_MAX = 120;

/** What a recipient always brings, before the workspace's custom fields. */
const BUILT_IN_VARIABLES = ['name', 'phone'];

async function availableVariables(db: Container['db']['orm'] | Tx, workspaceId: string) {
  const fields = await listContactFields(db, workspaceId);
  return { fields, keys: [...BUILT_IN_VARIABLES, ...fields.map((f) => f.key)] };
}

function toTemplate(row: TemplateRow, available: readonly string[]) {
  const { media, ...t } = row;
  return {
    ...t,
    media: media ? { ...media, url: mediaUrl(media.id) } : null,
    warnings: checkVariables(parseTemplate(row.body), available),
  };
}

/** Syntax errors block saving; the editor shows each at its line and column. */
function parseForSave(body: string): ParsedTemplate {
  const parsed = parseTemplate(body);
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!;
    throw invalid('TEMPLATE_INVALID', `The template has ${parsed.errors.length === 1 ? 'an error' : `${parsed.errors.length} errors`}: ${first.message} (line ${first.line}, column ${first.column})`, {
      errors: parsed.errors,
    });
  }
  return parsed;
}

/** Media of another workspace answers like an unknown id: its existence is not revealed. */
async function mediaOf(tx: Tx, workspaceId: string, mediaId: string | null): Promise<MediaRow | null> {
  if (mediaId === null) return null;
  const row = await getMedia(tx, workspaceId, mediaId);
  if (!row) throw invalid('MEDIA_NOT_FOUND', "No such media in this workspace's library", { mediaId });
  return row;
}

interface Content {
  type: TemplateType;
  body: string;
  mediaId: string | null;
  fileName: string | null;
}

/** The content as it will be stored, after the per-type rules; the file name of a document defaults to the media's. */
async function checkedContent(tx: Tx, workspaceId: string, c: Content): Promise<Content & { variables: string[] }> {
  const parsed = parseForSave(c.body);
  const media = await mediaOf(tx, workspaceId, c.mediaId);
  const fileName = effectiveFileName(c.type, c.fileName, media);
  const problems = contentRules({ type: c.type, body: c.body, media, fileName });
  if (problems.length > 0) {
    throw invalid('TEMPLATE_CONTENT_INVALID', problems.map((p) => p.message).join('; '), {
      problems: problems.map(({ code, field, message }) => ({ code, field, message })),
    });
  }
  return { ...c, fileName, variables: variableKeys(parsed) };
}

export async function listTemplates(
  c: Container,
  actor: Actor,
  q: { cursor?: string | undefined; limit: number; search?: string | undefined; type?: TemplateType | undefined },
) {
  const rows = await repo.listTemplates(c.db.orm, actor.workspaceId, { before: decodeCursor(q.cursor), limit: q.limit, search: q.search, type: q.type });
  const { keys } = await availableVariables(c.db.orm, actor.workspaceId);
  return toPage(
    rows.map((r) => toTemplate(r, keys)),
    q.limit,
  );
}

export async function getTemplate(c: Container, actor: Actor, id: string) {
  const row = await repo.getTemplate(c.db.orm, actor.workspaceId, id);
  if (!row) throw templateNotFound();
  return toTemplate(row, (await availableVariables(c.db.orm, actor.workspaceId)).keys);
}

/** A new template and its version 1, or nothing at all. */
async function insertWithFirstVersion(tx: Tx, actor: Actor, name: string, content: Content & { variables: string[] }) {
  const t = await repo.insertTemplate(tx, actor.workspaceId, { name, createdBy: actor.userId });
  if (t === 'name_taken') throw nameTaken(name);
  const v = await repo.insertVersion(tx, actor.workspaceId, { templateId: t.id, version: 1, authorId: actor.userId, ...content });
  return { templateId: t.id, versionId: v.id };
}

export async function createTemplate(
  c: Container,
  actor: Actor,
  input: { name: string; type: TemplateType; body: string; mediaId?: string | null | undefined; fileName?: string | null | undefined },
) {
  const id = await c.db.orm.transaction(async (tx) => {
    const content = await checkedContent(tx, actor.workspaceId, {
      type: input.type,
      body: input.body,
      mediaId: input.mediaId ?? null,
      fileName: input.fileName ?? null,
    });
    const made = await insertWithFirstVersion(tx, actor, input.name, content);
    await insertAudit(tx, actor, {
      action: 'template.create',
      entityType: 'template',
      entityId: made.templateId,
      changes: { name: input.name, type: content.type, body: content.body, mediaId: content.mediaId, fileName: content.fileName, version: 1, versionId: made.versionId },
    });
    return made.templateId;
  });
  return getTemplate(c, actor, id);
}

const CONTENT_KEYS = ['type', 'body', 'mediaId', 'fileName'] as const;

/**
 * Renaming changes the template; changing its content adds version n+1 (earlier versions never
 * change: campaigns keep the one they sent). An edit that changes nothing writes nothing.
 */
export async function updateTemplate(
  c: Container,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; type?: TemplateType | undefined; body?: string | undefined; mediaId?: string | null | undefined; fileName?: string | null | undefined },
) {
  await c.db.orm.transaction(async (tx) => {
    const cur = await repo.lockTemplate(tx, actor.workspaceId, id);
    if (!cur) throw templateNotFound();
    const type = input.type ?? cur.type;
    const mediaId = input.mediaId !== undefined ? input.mediaId : cur.mediaId;
    // A new file or type brings its own file name unless one is given with it.
    const keepsFileName = type === cur.type && mediaId === cur.mediaId;
    const fileName = input.fileName !== undefined ? input.fileName : keepsFileName ? cur.fileName : null;
    const wanted: Content = { type, body: input.body ?? cur.body, mediaId, fileName };

    const changes: Record<string, unknown> = {};
    const set: { name?: string; currentVersion?: number } = {};
    if (input.name !== undefined && input.name !== cur.name) {
      set.name = input.name;
      changes.name = { before: cur.name, after: input.name };
    }
    const next = CONTENT_KEYS.some((k) => wanted[k] !== cur[k]) ? await checkedContent(tx, actor.workspaceId, wanted) : null;
    // Checked content can still equal the current one: a document's cleared file name defaults back to the media's.
    if (next && CONTENT_KEYS.some((k) => next[k] !== cur[k])) {
      for (const k of CONTENT_KEYS) if (next[k] !== cur[k]) changes[k] = { before: cur[k], after: next[k] };
      set.currentVersion = cur.version + 1;
      const v = await repo.insertVersion(tx, actor.workspaceId, { templateId: id, version: set.currentVersion, authorId: actor.userId, ...next });
      changes.version = { before: cur.version, after: set.currentVersion };
      changes.versionId = v.id;
    }
    if (Object.keys(set).length === 0) return;
    const row = await repo.updateTemplate(tx, actor.workspaceId, id, set);
    if (row === 'name_taken') throw nameTaken(set.name!);
    if (!row) throw templateNotFound();
    await insertAudit(tx, actor, { action: 'template.update', entityType: 'template', entityId: id, changes });
  });
  return getTemplate(c, actor, id);
}

/** `base`, or `base 2`, `base 3` … whichever is free, kept within the name limit. */
function freeName(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` ${n}`;
    const name = base.slice(0, NAME_MAX - suffix.length).trimEnd() + suffix;
    if (!taken.has(name)) return name;
  }
}

/** A new template whose version 1 is the source's current content. */
export async function duplicateTemplate(c: Container, actor: Actor, id: string, input: { name?: string | undefined } | null | undefined) {
  const newId = await c.db.orm.transaction(async (tx) => {
    const src = await repo.lockTemplate(tx, actor.workspaceId, id);
    if (!src) throw templateNotFound();
    const base = input?.name ?? `${src.name.slice(0, NAME_MAX - ' (copy)'.length).trimEnd()} (copy)`;
    const name = freeName(base, new Set(await repo.namesLike(tx, actor.workspaceId, base)));
    const { type, body, mediaId, fileName, variables } = src;
    const made = await insertWithFirstVersion(tx, actor, name, { type, body, mediaId, fileName, variables });
    await insertAudit(tx, actor, {
      action: 'template.duplicate',
      entityType: 'template',
      entityId: made.templateId,
      changes: { name, sourceId: src.id, sourceName: src.name, sourceVersion: src.version, versionId: made.versionId },
    });
    return made.templateId;
  });
  return getTemplate(c, actor, newId);
}

/** The template leaves every list; its versions stay for the campaigns that sent them. */
export async function deleteTemplate(c: Container, actor: Actor, id: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const row = await repo.softDeleteTemplate(tx, actor.workspaceId, id);
    if (!row) throw templateNotFound();
    await insertAudit(tx, actor, { action: 'template.delete', entityType: 'template', entityId: id, changes: { name: row.name, version: row.currentVersion } });
  });
}

export async function listVersions(c: Container, actor: Actor, id: string) {
  const items = await repo.listVersions(c.db.orm, actor.workspaceId, id);
  // Every live template has a version 1, so none means no such template here.
  if (items.length === 0) throw templateNotFound();
  return { items };
}

export async function getVersion(c: Container, actor: Actor, id: string, version: number) {
  const row = await repo.getVersion(c.db.orm, actor.workspaceId, id, version);
  if (row) return row;
  if (!(await repo.getTemplate(c.db.orm, actor.workspaceId, id))) throw templateNotFound();
  throw notFound('TEMPLATE_VERSION_NOT_FOUND', `This template has no version ${version}`);
}

type Values = Record<string, FieldValue>;

/** Believable values for the sample contact, by field type: what most recent contacts have, else a placeholder. */
async function sampleValues(c: Container, workspaceId: string, fields: { key: string; label: string; type: FieldType }[]): Promise<Values> {
  const common = await repo.commonFieldValues(
    c.db.orm,
    workspaceId,
    fields.filter((f) => f.type === 'text').map((f) => f.key),
  );
  const today = new Date().toISOString().slice(0, 10);
  const byType: Record<FieldType, (f: { key: string; label: string }) => FieldValue> = {
    text: (f) => common[f.key] ?? `sample ${f.label}`,
    number: () => 42,
    date: () => today,
    boolean: () => true,
  };
  return Object.fromEntries(fields.map((f) => [f.key, byType[f.type](f)]));
}

/** A mobile number in the workspace's country that no one has: the format recipients there know. */
function samplePhone(country: string): string {
  return getExampleNumber(country as CountryCode, examples)?.number ?? '+12015550123';
}

const SAMPLE_NAME = 'Alex Sample';

export async function previewTemplate(
  c: Container,
  actor: Actor,
  input: { body: string; type: TemplateType; contactId?: string | undefined; seed?: string | number | undefined },
) {
  const ws = actor.workspaceId;
  const { fields, keys } = await availableVariables(c.db.orm, ws);
  let contact: { id: string | null; name: string | null; phone: string; values: Values };
  if (input.contactId) {
    const row = await getContact(c.db.orm, ws, input.contactId);
    if (!row) throw notFound('CONTACT_NOT_FOUND', 'No such contact in this workspace');
    contact = { id: row.id, name: row.name, phone: row.phone, values: row.fields };
  } else {
    const workspace = await getWorkspace(c.db.orm, ws);
    contact = { id: null, name: SAMPLE_NAME, phone: samplePhone(workspace!.defaultCountry), values: await sampleValues(c, ws, fields) };
  }
  const parsed = parseTemplate(input.body);
  const errors = [...parsed.errors, ...bodyRules(input.type, input.body).map((p) => asTemplateProblem(input.body, p))];
  const seed = input.seed ?? randomInt(2 ** 31);
  const result =
    parsed.errors.length === 0
      ? compileTemplate(parsed).render({ ...contact.values, name: contact.name, phone: contact.phone }, seededRandom(seed))
      : null;
  return {
    text: result?.ok && errors.length === 0 ? result.text : null,
    missing: result && !result.ok ? result.missing : [],
    errors,
    warnings: checkVariables(parsed, keys),
    spans: parsed.spans,
    variables: variableKeys(parsed),
    contact,
    seed,
  };
}
