import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createFileStore } from '../src/container.ts';
import { BlobNotFoundError, InvalidBlobKeyError, type BlobStore } from '../src/storage/blob-store.ts';
import { DiskBlobStore } from '../src/storage/disk.store.ts';
import { S3BlobStore, createS3Client } from '../src/storage/s3.store.ts';
import { startS3, type LocalS3 } from './support/s3.ts';

/** A body delivered in several chunks, like an upload arriving over the network. */
const chunked = (data: Buffer, size = 64 * 1024) =>
  Readable.from((function* () {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  })());

/** A body that sends `bytes` bytes and then fails, as when an upload goes over its limit. */
const failingAfter = (bytes: number) =>
  Readable.from((async function* () {
    const chunk = randomBytes(64 * 1024);
    for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk;
    throw new Error('the upload went over its limit');
  })());

interface StoreUnderTest {
  store: BlobStore;
  /** Every blob the store holds, as keys (read behind the store's back). */
  blobs(): string[];
  close(): Promise<void>;
}

const walk = (dir: string): string[] =>
  fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];

async function diskStore(): Promise<StoreUnderTest> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-disk-store-'));
  return {
    store: new DiskBlobStore(root),
    blobs: () => walk(root).map((f) => f.split(path.sep).join('/')).sort(),
    close: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

async function s3Store(): Promise<StoreUnderTest> {
  const s3 = await startS3();
  const client = createS3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
  });
  const store = new S3BlobStore({ client, ownsClient: true, bucket: s3.bucket, prefix: 'media/' });
  return {
    store,
    blobs: () => s3.keys(),
    async close() {
      await store.close();
      await s3.close();
    },
  };
}

/** One contract, every implementation: what the media library (and later imports) rely on. */
describe.each([
  ['disk', diskStore],
  ['s3', s3Store],
] as const)('BlobStore contract (%s)', (_name, make) => {
  let t: StoreUnderTest;
  beforeAll(async () => {
    t = await make();
  });
  afterAll(async () => t?.close());

  const key = () => `ws-${randomBytes(4).toString('hex')}/${randomBytes(8).toString('hex')}`;

  it('gives back exactly the bytes it was given, with or without a known size', async () => {
    for (const known of [true, false]) {
      const k = key();
      const data = randomBytes(300 * 1024 + 7);
      await t.store.put(k, chunked(data), { contentType: 'image/png', ...(known ? { size: data.length } : {}) });
      const got = await t.store.get(k);
      expect(got.size).toBe(data.length);
      expect((await buffer(got.body)).equals(data)).toBe(true);
      expect(await t.store.exists(k)).toBe(true);
    }
  });

  it('streams a large body of unknown length (several S3 parts) intact', async () => {
    const k = key();
    const data = randomBytes(11 * 1024 * 1024 + 3);
    await t.store.put(k, chunked(data, 1024 * 1024), { contentType: 'video/mp4' });
    const got = await t.store.get(k);
    expect(got.size).toBe(data.length);
    expect((await buffer(got.body)).equals(data)).toBe(true);
  });

  it('serves an inclusive byte range and still reports the whole size', async () => {
    const k = key();
    const data = randomBytes(10_000);
    await t.store.put(k, chunked(data, 1000), { contentType: 'video/mp4', size: data.length });
    const part = await t.store.get(k, { start: 100, end: 4099 });
    expect(part.size).toBe(10_000);
    expect((await buffer(part.body)).equals(data.subarray(100, 4100))).toBe(true);
    const tail = await t.store.get(k, { start: 9_999, end: 9_999 });
    expect((await buffer(tail.body)).equals(data.subarray(9_999))).toBe(true);
  });

  it('replaces a blob put again under the same key', async () => {
    const k = key();
    await t.store.put(k, Readable.from([Buffer.from('first version')]), { contentType: 'text/plain' });
    await t.store.put(k, Readable.from([Buffer.from('second')]), { contentType: 'text/plain' });
    expect((await buffer((await t.store.get(k)).body)).toString()).toBe('second');
  });

  it('leaves nothing when the body fails, small or large', async () => {
    const before = t.blobs();
    for (const [bytes, size] of [[100 * 1024, undefined], [7 * 1024 * 1024, undefined], [100 * 1024, 200 * 1024]] as const) {
      const k = key();
      // Past one S3 part the multipart upload is aborted, which s3rver answers 405: the error may be that.
      await expect(t.store.put(k, failingAfter(bytes), { contentType: 'image/png', ...(size ? { size } : {}) })).rejects.toThrow();
      expect(await t.store.exists(k)).toBe(false);
      await expect(t.store.get(k)).rejects.toBeInstanceOf(BlobNotFoundError);
    }
    expect(t.blobs()).toEqual(before);
  });

  it('rejects, without crashing the process, a body that fails before the store reads it', async () => {
    const k = key();
    const body = new PassThrough();
    const putting = t.store.put(k, body, { contentType: 'image/png' });
    body.destroy(new Error('refused before reading'));
    await expect(putting).rejects.toThrow();
    expect(await t.store.exists(k)).toBe(false);
  });

  it('keeps the old blob when replacing it fails', async () => {
    const k = key();
    await t.store.put(k, Readable.from([Buffer.from('kept')]), { contentType: 'text/plain' });
    await expect(t.store.put(k, failingAfter(10), { contentType: 'text/plain' })).rejects.toThrow();
    expect((await buffer((await t.store.get(k)).body)).toString()).toBe('kept');
  });

  it('deletes, idempotently, and then says the blob is not found', async () => {
    const k = key();
    await t.store.put(k, Readable.from([Buffer.from('bye')]), { contentType: 'text/plain' });
    await t.store.delete(k);
    await t.store.delete(k);
    expect(await t.store.exists(k)).toBe(false);
    const err = await t.store.get(k).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobNotFoundError);
    expect((err as BlobNotFoundError).key).toBe(k);
  });

  it('keeps keys apart: a key is never a prefix match of another', async () => {
    const base = key();
    await t.store.put(`${base}a`, Readable.from([Buffer.from('A')]), { contentType: 'text/plain' });
    expect(await t.store.exists(base)).toBe(false);
    await expect(t.store.get(base)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it.each(['../escape', 'ws/../../etc/passwd', '/absolute', 'a//b', '.hidden/x', 'a/.tmp', '', 'a/b/', 'a\\b', 'sp ace'])(
    'refuses the key %j on every operation',
    async (bad) => {
      await expect(t.store.put(bad, Readable.from([Buffer.from('x')]), { contentType: 'text/plain' })).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(t.store.get(bad)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(t.store.exists(bad)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(t.store.delete(bad)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    },
  );
});

describe('disk store', () => {
  it('writes under its root only, through a temporary file renamed into place', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-disk-root-'));
    const store = new DiskBlobStore(path.join(parent, 'media'));
    await store.put('ws/one', Readable.from([Buffer.from('1')]), { contentType: 'text/plain' });
    await expect(store.put('ws/two', failingAfter(1000), { contentType: 'text/plain' })).rejects.toThrow();
    expect(walk(parent).sort()).toEqual([path.join('media', 'ws', 'one')]);
    fs.rmSync(parent, { recursive: true, force: true });
  });
});

describe('s3 store', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => s3?.close());

  it('keeps its objects under its prefix, so one bucket can serve several stores', async () => {
    const client = createS3Client({ region: 'us-east-1', endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true });
    const media = new S3BlobStore({ client, bucket: s3.bucket, prefix: 'media/' });
    const uploads = new S3BlobStore({ client, bucket: s3.bucket, prefix: 'uploads/' });
    await media.put('ws/1', Readable.from([Buffer.from('m')]), { contentType: 'text/plain' });
    await uploads.put('ws/1', Readable.from([Buffer.from('u')]), { contentType: 'text/csv' });
    expect(s3.keys()).toEqual(['media/ws/1', 'uploads/ws/1']);
    expect((await buffer((await uploads.get('ws/1')).body)).toString()).toBe('u');
    await media.close();
    await uploads.close();
    client.destroy();
  });

  it('signs its requests, and reports a refusal as an error rather than a missing blob', async () => {
    const client = createS3Client({ region: 'us-east-1', endpoint: s3.endpoint, accessKeyId: 'NOT-A-KEY', secretAccessKey: 'x', forcePathStyle: true });
    const store = new S3BlobStore({ client, ownsClient: true, bucket: s3.bucket });
    await expect(store.put('ws/x', Readable.from([Buffer.from('x')]), { contentType: 'text/plain' })).rejects.toThrow(/Access Key Id/);
    await expect(store.exists('ws/x')).rejects.toThrow();
    await expect(store.get('ws/x')).rejects.not.toBeInstanceOf(BlobNotFoundError);
    expect(s3.keys()).not.toContain('media/ws/x');
    await store.close();
  });
});

describe('file storage configuration', () => {
  it('stores media on disk under DATA_DIR/media by default, or MEDIA_DIR; import uploads under DATA_DIR/uploads', () => {
    const config = loadConfig({ DATA_DIR: '/srv/chorus' });
    const store = createFileStore(config, 'media');
    expect(store).toBeInstanceOf(DiskBlobStore);
    expect((store as DiskBlobStore).root).toBe(path.resolve('/srv/chorus/media'));
    expect((createFileStore(config, 'uploads') as DiskBlobStore).root).toBe(path.resolve('/srv/chorus/uploads'));
    expect((createFileStore(loadConfig({ MEDIA_DIR: '/mnt/media' }), 'media') as DiskBlobStore).root).toBe('/mnt/media');
  });

  it('stores in S3 when FILE_STORAGE=s3 with a bucket and keys', async () => {
    const store = createFileStore(
      loadConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' }),
      'uploads',
    );
    expect(store.kind).toBe('s3');
    await store.close();
  });

  it('refuses to start with FILE_STORAGE=s3 but no bucket or keys, naming what is missing', () => {
    expect(() => loadConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'b' })).toThrow(ConfigError);
    expect(() => loadConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'b' })).toThrow(/FILE_STORAGE=s3 needs S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ FILE_STORAGE: 's3', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 's' })).toThrow(/needs S3_BUCKET:/);
    expect(() => loadConfig({ FILE_STORAGE: 'ftp' })).toThrow(/FILE_STORAGE/);
    expect(() => loadConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'i', S3_SECRET_ACCESS_KEY: 's', S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
  });
});
