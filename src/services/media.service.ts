import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { uuidv7 } from 'uuidv7';
import type { Container } from '../container.ts';
import { insertAudit } from '../db/audit.repo.ts';
import * as repo from '../db/media.repo.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { conflict, notFound } from '../domain/errors.ts';
import {
  classifyMedia,
  mediaHeadBytes,
  mediaLimits,
  mediaTooLarge,
  parseByteRange,
  sniffTarget,
  type AcceptedMedia,
  type ByteRange,
  type MediaKind,
  type SniffedType,
} from '../domain/media.ts';
import { cleanFileName } from '../domain/files.ts';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.ts';
import type { Actor } from './actor.ts';
import type { Upload } from './upload.ts';

export interface MediaView {
  id: string;
  kind: MediaKind;
  mimeType: string;
  size: number;
  fileName: string;
  sha256: string;
  url: string;
  createdAt: Date;
}

/** Where the API serves a media's bytes. */
export const mediaUrl = (id: string) => `/api/v1/media/${id}/content`;

export function mediaView(row: repo.MediaRow): MediaView {
  return {
    id: row.id,
    kind: row.kind,
    mimeType: row.mimeType,
    size: row.size,
    fileName: row.fileName,
    sha256: row.sha256,
    url: mediaUrl(row.id),
    createdAt: row.createdAt,
  };
}

const mediaNotFound = () => notFound('MEDIA_NOT_FOUND', 'No such media in this workspace');

async function loadMedia(c: Container, actor: Actor, id: string): Promise<repo.MediaRow> {
  const row = await repo.getMedia(c.db.orm, actor.workspaceId, id);
  if (!row) throw mediaNotFound();
  return row;
}

/**
 * Enough of the start of a file for every signature we accept, including the entries of an Office
 * zip. Some files need more (the audio after a long ID3 tag, a video's `moov`): `mediaHeadBytes` says
 * how much, within a bound, so no file is ever held whole.
 */
const SNIFF_BYTES = 64 * 1024;

type Chunks = AsyncIterator<Buffer>;

async function readHead(source: Chunks): Promise<{ chunks: Buffer[]; head: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let wanted = SNIFF_BYTES;
  for (;;) {
    while (length < wanted) {
      const next = await source.next();
      if (next.done) return { chunks, head: Buffer.concat(chunks), complete: true };
      chunks.push(next.value);
      length += next.value.length;
    }
    const head = Buffer.concat(chunks);
    // What was read may reveal that more is needed (the next ID3 tag, the box after a padding one);
    // the answer at least doubles the head, so a file never takes more than a few passes.
    const more = mediaHeadBytes(head);
    if (more <= length) return { chunks, head, complete: false };
    wanted = more;
  }
}

/** A multipart file must be read to its end, or the request never completes. */
async function drain(source: Chunks): Promise<void> {
  while (!(await source.next()).done);
}

async function sniff(bytes: Uint8Array): Promise<SniffedType | undefined> {
  try {
    return await fileTypeFromBuffer(bytes);
  } catch {
    // A parser fed hostile bytes may give up: such a file is simply of no recognised type.
    return undefined;
  }
}

const writable = (body: PassThrough, settled: Promise<unknown>) =>
  Promise.race([
    settled,
    new Promise<void>((resolve) => {
      const done = () => {
        body.off('drain', done);
        body.off('close', done);
        resolve();
      };
      body.on('drain', done);
      body.on('close', done);
    }),
  ]);

/**
 * Streams the upload into the store while hashing and counting it. Past the limit the store's body
 * is destroyed at once (so it keeps nothing) and the rest is only counted, to tell the real size.
 */
async function storeWithinLimit(
  store: BlobStore,
  key: string,
  media: AcceptedMedia,
  head: Buffer[],
  rest: Chunks,
  truncated: () => boolean,
): Promise<{ size: number; sha256: string }> {
  const body = new PassThrough();
  let putSettled = false;
  const stored = store.put(key, body, { contentType: media.mimeType }).then(
    () => null,
    (err: unknown) => err,
  );
  void stored.then(() => (putSettled = true));
  const hash = createHash('sha256');
  let size = 0;
  const feed = async (chunk: Buffer) => {
    size += chunk.length;
    if (body.destroyed || putSettled) return;
    if (size > media.maxBytes) {
      body.destroy(new Error('over the size limit'));
      return;
    }
    hash.update(chunk);
    if (!body.write(chunk)) await writable(body, stored);
  };
  try {
    for (const chunk of head) await feed(chunk);
    for (let next = await rest.next(); !next.done; next = await rest.next()) await feed(next.value);
  } catch (err) {
    body.destroy(err as Error);
    await stored;
    throw err;
  }
  // Cut off by the multipart limit: what was kept is only the start of the file.
  if (truncated()) body.destroy(new Error('cut off by the upload limit'));
  else if (!body.destroyed) body.end();
  const failure = await stored;
  if (size > media.maxBytes || truncated()) throw mediaTooLarge(media, size, !truncated());
  if (failure) throw failure;
  return { size, sha256: hash.digest('hex') };
}

/**
 * Adds a file to the library: its type is read from its first bytes, its size checked against
 * WhatsApp's limit for that type while it streams into storage under `<workspace>/<id>`, then the
 * row is written. A refused or failed upload leaves neither a row nor a blob.
 */
export async function uploadMedia(c: Container, actor: Actor, upload: Upload): Promise<MediaView> {
  const source: Chunks = upload.stream[Symbol.asyncIterator]();
  const { chunks, head, complete } = await readHead(source);
  const fileName = cleanFileName(upload.fileName, 'file');
  let media: AcceptedMedia;
  try {
    media = classifyMedia({ fileName, sniffed: await sniff(sniffTarget(head)), head, complete });
  } catch (err) {
    await drain(source);
    throw err;
  }
  const id = uuidv7();
  const key = `${actor.workspaceId}/${id}`;
  const { size, sha256 } = await storeWithinLimit(c.storage, key, media, chunks, source, () => upload.stream.truncated === true);
  try {
    const row = await c.db.orm.transaction(async (tx) => {
      const created = await repo.insertMedia(tx, {
        id,
        workspaceId: actor.workspaceId,
        kind: media.kind,
        mimeType: media.mimeType,
        size,
        fileName,
        sha256,
        storageKey: key,
        createdBy: actor.userId,
      });
      await insertAudit(tx, actor, {
        action: 'media.upload',
        entityType: 'media',
        entityId: id,
        changes: { fileName, kind: media.kind, mimeType: media.mimeType, size, sha256 },
      });
      return created;
    });
    return mediaView(row);
  } catch (err) {
    await c.storage.delete(key);
    throw err;
  }
}

export async function listMedia(c: Container, actor: Actor, q: { cursor?: string | undefined; limit: number; kind?: MediaKind | undefined }) {
  const rows = await repo.listMedia(c.db.orm, actor.workspaceId, { before: decodeCursor(q.cursor), limit: q.limit, kind: q.kind });
  const page = toPage(rows, q.limit);
  return { items: page.items.map(mediaView), nextCursor: page.nextCursor };
}

export async function getMedia(c: Container, actor: Actor, id: string): Promise<MediaView> {
  return mediaView(await loadMedia(c, actor, id));
}

export function limits() {
  return { items: mediaLimits() };
}

export type MediaContent =
  | { media: MediaView; range: 'unsatisfiable' }
  | { media: MediaView; range: ByteRange | undefined; body: Readable };

/** The bytes of one media, or of the part of it a `Range` header asks for. */
export async function openContent(c: Container, actor: Actor, id: string, rangeHeader: string | undefined): Promise<MediaContent> {
  const row = await loadMedia(c, actor, id);
  const media = mediaView(row);
  const range = parseByteRange(rangeHeader, row.size);
  if (range === 'unsatisfiable') return { media, range };
  try {
    const { body } = await c.storage.get(row.storageKey, range);
    return { media, range, body };
  } catch (err) {
    if (!(err instanceof BlobNotFoundError)) throw err;
    c.log.error({ mediaId: id, key: row.storageKey, storage: c.storage.kind }, 'media row without its file in storage');
    throw notFound('MEDIA_CONTENT_NOT_FOUND', 'The file of this media is missing from storage: upload it again');
  }
}

function inUse(fileName: string, users: Awaited<ReturnType<typeof repo.templatesUsingMedia>>) {
  const live = users.filter((t) => !t.deletedAt).map((t) => `"${t.name}"`);
  const deleted = users.filter((t) => t.deletedAt).map((t) => `"${t.name}"`);
  const parts = [
    ...(live.length ? [`${live.length === 1 ? 'template' : 'templates'} ${live.join(', ')}`] : []),
    ...(deleted.length ? [`deleted ${deleted.length === 1 ? 'template' : 'templates'} ${deleted.join(', ')} (kept for the campaigns that sent it)`] : []),
  ];
  return conflict('MEDIA_IN_USE', `"${fileName}" is used by ${parts.join(' and ')}, so it cannot be deleted`, {
    templates: users.map((t) => ({ id: t.id, name: t.name, deleted: t.deletedAt !== null })),
  });
}

/**
 * Deletes the row (refused while any template version sends the file), then the blob. The row is
 * locked first, so a template cannot start using the file between the check and the delete.
 */
export async function deleteMedia(c: Container, actor: Actor, id: string): Promise<void> {
  const row = await c.db.orm.transaction(async (tx) => {
    const row = await repo.getMedia(tx, actor.workspaceId, id, { lock: true });
    if (!row) throw mediaNotFound();
    const users = await repo.templatesUsingMedia(tx, actor.workspaceId, id);
    if (users.length > 0) throw inUse(row.fileName, users);
    await repo.deleteMedia(tx, actor.workspaceId, id);
    await insertAudit(tx, actor, {
      action: 'media.delete',
      entityType: 'media',
      entityId: id,
      changes: { fileName: row.fileName, kind: row.kind, mimeType: row.mimeType, size: row.size, sha256: row.sha256 },
    });
    return row;
  });
  try {
    await c.storage.delete(row.storageKey);
  } catch (err) {
    // The media is gone for everyone; a blob left behind only costs space.
    c.log.warn({ err, key: row.storageKey }, 'media deleted but its file could not be removed from storage');
  }
}
