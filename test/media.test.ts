import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templates, templateVersions } from '../src/db/schema.ts';
import { modes, rowCount, startHarness, type Harness } from './support/harness.ts';
import { audit, cookieOf, newOwner } from './support/api.ts';
import { startS3, type LocalS3 } from './support/s3.ts';
import * as files from './fixtures/media/files.ts';
import * as tracks from './fixtures/media/tracks.ts';
import { mediaFiles, uploadLarge, uploadMedia } from './fixtures/media/upload.ts';
import { multipart } from './fixtures/import-files.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface MediaJson {
  id: string;
  kind: string;
  mimeType: string;
  size: number;
  fileName: string;
  sha256: string;
  url: string;
  createdAt: string;
}

/** Each kind WhatsApp takes, from real bytes: the content decides, so names without a known extension change nothing. */
const KINDS: Array<[string, string, string, () => Buffer]> = [
  ['photo.png', 'image', 'image/png', () => files.png()],
  ['IMG_0001', 'image', 'image/jpeg', () => files.jpeg()],
  ['clip.mp4', 'video', 'video/mp4', () => files.mp4()],
  ['clip.3gp', 'video', 'video/3gpp', () => files.threeGp()],
  ['recording.bin', 'video', 'video/mp4', () => files.mp4()],
  ['song.mp3', 'audio', 'audio/mpeg', () => files.mp3()],
  ['voice.aac', 'audio', 'audio/aac', () => files.aac()],
  ['voice.amr', 'audio', 'audio/amr', () => files.amr()],
  ['voice.m4a', 'audio', 'audio/mp4', () => files.m4a()],
  ['voice.ogg', 'audio', 'audio/ogg', () => files.oggOpus()],
  ['price list.pdf', 'document', 'application/pdf', () => files.pdf()],
  ['letter.docx', 'document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', () => files.docx()],
  ['sheet.xlsx', 'document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', () => files.xlsx()],
  ['deck.pptx', 'document', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', () => files.pptx()],
  ['old letter.doc', 'document', 'application/msword', () => files.cfb()],
  ['old sheet.xls', 'document', 'application/vnd.ms-excel', () => files.cfb()],
  ['notes.txt', 'document', 'text/plain', () => files.text()],
  ['sticker.webp', 'sticker', 'image/webp', () => files.webp()],
  ['moving.webp', 'sticker', 'image/webp', () => files.animatedWebp(400 * 1024)],
  // What the codec and ID3 checks must still take: real-looking files with long heads.
  ['h264 aac.mp4', 'video', 'video/mp4', () => tracks.movie({ video: 'avc1', audio: 'mp4a' })],
  ['silent.mp4', 'video', 'video/mp4', () => tracks.movie({ video: 'avc3', largeMdat: true })],
  ['long h264.mp4', 'video', 'video/mp4', () => tracks.movie({ video: 'avc1', audio: 'mp4a', samples: 40_000, freeBytes: 50 * 1024 })],
  ['camera.mp4', 'video', 'video/mp4', () => tracks.movie({ video: 'avc1', audio: 'mp4a', moovAtEnd: true, mdatBytes: 200 * 1024 })],
  ['h264 aac.3gp', 'video', 'video/3gpp', () => tracks.threeGpMovie({ video: 'avc1', audio: 'mp4a' })],
  ['aac.m4a', 'audio', 'audio/mp4', () => tracks.m4aMovie('mp4a')],
  ['with cover.mp3', 'audio', 'audio/mpeg', () => tracks.mp3WithCover(300 * 1024)],
  ['with cover and footer.mp3', 'audio', 'audio/mpeg', () => tracks.mp3WithCover(1024 * 1024, { footer: true })],
  ['tagged.aac', 'audio', 'audio/aac', () => Buffer.concat([tracks.id3Tag([['TIT2', Buffer.from('\u0003Promo', 'latin1')]]), tracks.adtsFrames()])],
  ['padded.mp3', 'audio', 'audio/mpeg', () => Buffer.concat([tracks.id3Tag([['TIT2', Buffer.from('\u0003Promo', 'latin1')]]), Buffer.alloc(1000), tracks.mpegFrames()])],
  ['with chapters.mp4', 'video', 'video/mp4', () => tracks.movie({ video: 'avc1', audio: 'mp4a', chapterImages: {} })],
];

describe.each(modes)('media library (%s)', (mode) => {
  let h: Harness;
  let owner: Awaited<ReturnType<typeof newOwner>>;
  const headers = () => cookieOf(owner);
  const upload = async (name: string, content: Buffer) => {
    const res = await uploadMedia(h.app, headers(), name, content);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as MediaJson;
  };

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    owner = await newOwner(h.app);
  });
  afterAll(async () => h?.close());

  it.each(KINDS)('takes %s as %s (%s) from its content', async (name, kind, mimeType, build) => {
    const content = build();
    const item = await upload(name, content);
    expect(item).toMatchObject({ kind, mimeType, size: content.length, fileName: name, sha256: sha256(content), url: `/api/v1/media/${item.id}/content` });
    expect(mediaFiles(h)).toContain(`${owner.workspaceId}/${item.id}`);
    const got = await owner.api('GET', `/api/v1/media/${item.id}`);
    expect(got.json()).toEqual(item);
  });

  // Each empty box asks to read on for the next header: sent a piece at a time, such a file once
  // took a pass over the head for each piece, each pass walking every box again (over a minute).
  it('reads a file of countless empty boxes, sent in small pieces, without walking it again and again', { timeout: 15_000 }, async () => {
    const content = tracks.emptyBoxes(262_000);
    const body = multipart('boxes.mp4', content);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...headers(), ...body.headers }, payload: tracks.inPieces(body.payload, 1024) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'video', mimeType: 'video/mp4', size: content.length });
  });

  it('serves the exact bytes back with their type and headers that keep them inert', async () => {
    const content = files.pdf();
    const item = await upload("Promo Juli ☀ (final) 'v2'.pdf", content);
    const res = await owner.api('GET', item.url);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(content)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(content.length),
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
      'accept-ranges': 'bytes',
    });
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="Promo Juli _ (final) 'v2'.pdf"; filename*=UTF-8''Promo%20Juli%20%E2%98%80%20%28final%29%20%27v2%27.pdf`,
    );

    const text = await upload('notes.txt', files.text());
    const served = await owner.api('GET', text.url);
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(served.body).toBe(files.text().toString('utf8'));
  });

  it('serves a byte range of a video, and refuses one outside the file', async () => {
    const content = files.mp4(200_000);
    for (let i = 100; i < content.length; i++) content[i] = i % 251;
    const item = await upload('seek.mp4', content);
    const part = await h.app.inject({ url: item.url, headers: { ...headers(), range: 'bytes=1000-1999' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${content.length}`);
    expect(part.headers['content-length']).toBe('1000');
    expect(part.rawPayload.equals(content.subarray(1000, 2000))).toBe(true);
    const tail = await h.app.inject({ url: item.url, headers: { ...headers(), range: 'bytes=-10' } });
    expect(tail.rawPayload.equals(content.subarray(content.length - 10))).toBe(true);
    const outside = await h.app.inject({ url: item.url, headers: { ...headers(), range: `bytes=${content.length}-` } });
    expect(outside.statusCode).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${content.length}`);
    expect(outside.json().error.code).toBe('RANGE_NOT_SATISFIABLE');
  });

  it('lists newest first, by kind, page by page', async () => {
    const o = await newOwner(h.app);
    const up = async (name: string, content: Buffer) => {
      const res = await uploadMedia(h.app, cookieOf(o), name, content);
      return (res.json() as MediaJson).id;
    };
    const image1 = await up('a.png', files.png());
    const doc = await up('b.pdf', files.pdf());
    const image2 = await up('c.jpg', files.jpeg());
    const all = (await o.api('GET', '/api/v1/media')).json();
    expect(all.items.map((m: MediaJson) => m.id)).toEqual([image2, doc, image1]);
    expect(all.nextCursor).toBeNull();
    const images = (await o.api('GET', '/api/v1/media?kind=image&limit=1')).json();
    expect(images.items.map((m: MediaJson) => m.id)).toEqual([image2]);
    const next = (await o.api('GET', `/api/v1/media?kind=image&limit=1&cursor=${images.nextCursor}`)).json();
    expect(next).toEqual({ items: [expect.objectContaining({ id: image1 })], nextCursor: null });
    expect((await o.api('GET', '/api/v1/media?kind=gif')).statusCode).toBe(400);
  });

  it('tells the upload hint what each kind takes, in words', async () => {
    const res = await owner.api('GET', '/api/v1/media/limits');
    expect(res.statusCode).toBe(200);
    const byKind = Object.fromEntries(res.json().items.map((i: { kind: string }) => [i.kind, i]));
    expect(Object.keys(byKind)).toEqual(['image', 'video', 'audio', 'document', 'sticker']);
    expect(byKind.image).toMatchObject({ mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024, description: 'JPEG or PNG images, at most 5 MB' });
    expect(byKind.sticker.description).toBe('WebP stickers, at most 100 KB (500 KB when animated)');
  });

  it('deletes the row and then the file, and audits both the upload and the delete', async () => {
    const content = files.png();
    const item = await upload('gone.png', content);
    const del = await owner.api('DELETE', `/api/v1/media/${item.id}`);
    expect(del.statusCode).toBe(204);
    expect((await owner.api('GET', `/api/v1/media/${item.id}`)).json().error.code).toBe('MEDIA_NOT_FOUND');
    expect((await owner.api('GET', item.url)).statusCode).toBe(404);
    expect(mediaFiles(h)).not.toContain(`${owner.workspaceId}/${item.id}`);
    expect((await owner.api('DELETE', `/api/v1/media/${item.id}`)).statusCode).toBe(404);

    const entries = (await audit(owner.api)).filter((e) => e.entityId === item.id);
    expect(entries.map((e) => e.action)).toEqual(['media.delete', 'media.upload']);
    expect(entries[1]!.changes).toEqual({ fileName: 'gone.png', kind: 'image', mimeType: 'image/png', size: content.length, sha256: sha256(content) });
    expect(entries[0]!.changes).toMatchObject({ fileName: 'gone.png', kind: 'image' });
  });

  it('refuses to delete a file a template sends, naming the templates', async () => {
    const item = await upload('banner.png', files.png());
    const orm = h.c.db.orm;
    const [promo] = await orm.insert(templates).values({ workspaceId: owner.workspaceId, name: 'July promo' }).returning();
    const [old] = await orm.insert(templates).values({ workspaceId: owner.workspaceId, name: 'Old promo', deletedAt: new Date() }).returning();
    for (const [t, version] of [[promo!, 1], [promo!, 2], [old!, 1]] as const) {
      await orm.insert(templateVersions).values({ workspaceId: owner.workspaceId, templateId: t.id, version, type: 'image', body: 'Hi', mediaId: item.id });
    }
    const res = await owner.api('DELETE', `/api/v1/media/${item.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({
      code: 'MEDIA_IN_USE',
      message: '"banner.png" is used by template "July promo" and deleted template "Old promo" (kept for the campaigns that sent it), so it cannot be deleted',
      details: {
        templates: [
          { id: promo!.id, name: 'July promo', deleted: false },
          { id: old!.id, name: 'Old promo', deleted: true },
        ],
      },
    });
    expect((await owner.api('GET', item.url)).statusCode).toBe(200);
    expect(mediaFiles(h)).toContain(`${owner.workspaceId}/${item.id}`);
    expect((await audit(owner.api)).filter((e) => e.action === 'media.delete' && e.entityId === item.id)).toEqual([]);

    await h.c.db.pool.query('DELETE FROM templates WHERE id = ANY($1)', [[promo!.id, old!.id]]);
    expect((await owner.api('DELETE', `/api/v1/media/${item.id}`)).statusCode).toBe(204);
  });

  it('stores an upload of exactly the limit', async () => {
    const before = await rowCount(h, 'media', owner.workspaceId);
    const res = await uploadLarge(h.app, headers(), 'big.png', files.png(5 * 1024 * 1024), 5 * 1024 * 1024);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'image', size: 5 * 1024 * 1024 });
    expect(await rowCount(h, 'media', owner.workspaceId)).toBe(before + 1);
  });
});

describe('media library on S3 (FILE_STORAGE=s3)', () => {
  let s3: LocalS3;
  let h: Harness;
  let owner: Awaited<ReturnType<typeof newOwner>>;

  beforeAll(async () => {
    s3 = await startS3();
    h = await startHarness('embedded', s3.env, { workers: false });
    owner = await newOwner(h.app);
  });
  afterAll(async () => {
    await h?.close();
    await s3?.close();
  });

  it('uploads into the bucket under media/<workspace>/<id>, serves it back and deletes it', async () => {
    expect(h.c.storage.kind).toBe('s3');
    const content = files.mp4(300_000);
    const up = await uploadMedia(h.app, cookieOf(owner), 'clip.mp4', content);
    expect(up.statusCode, up.body).toBe(201);
    const item = up.json() as MediaJson;
    expect(s3.keys()).toEqual([`media/${owner.workspaceId}/${item.id}`]);
    expect(mediaFiles(h)).toEqual([]);

    const res = await owner.api('GET', item.url);
    expect(res.rawPayload.equals(content)).toBe(true);
    expect(res.headers['content-type']).toBe('video/mp4');
    const part = await h.app.inject({ url: item.url, headers: { ...cookieOf(owner), range: 'bytes=10-19' } });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(content.subarray(10, 20))).toBe(true);

    expect((await owner.api('DELETE', `/api/v1/media/${item.id}`)).statusCode).toBe(204);
    expect(s3.keys()).toEqual([]);
  });

  it('keeps nothing in the bucket when a file is over its limit', async () => {
    const res = await uploadLarge(h.app, cookieOf(owner), 'huge.png', files.png(), 6 * 1024 * 1024);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('MEDIA_TOO_LARGE');
    expect(s3.keys()).toEqual([]);
    expect(await rowCount(h, 'media', owner.workspaceId)).toBe(0);
  });
});
