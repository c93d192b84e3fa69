import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, checkBlobKey, holdBodyErrors, type BlobRange, type BlobStore } from './blob-store.ts';

const isMissing = (err: unknown) => (err as { code?: string }).code === 'ENOENT';

/**
 * Blobs as files under one root directory, `<root>/<key>`. A blob is written to `<root>/.tmp` and
 * renamed into place, so a reader never sees half a file; keys cannot start a segment with a dot, so
 * no key reaches `.tmp` or outside the root.
 */
export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk';
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private fileOf(key: string): string {
    return path.join(this.root, ...checkBlobKey(key).split('/'));
  }

  async put(key: string, body: Readable, _opts: { contentType: string; size?: number }): Promise<void> {
    holdBodyErrors(body);
    const file = this.fileOf(key);
    const tmpDir = path.join(this.root, '.tmp');
    await fsp.mkdir(tmpDir, { recursive: true });
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    try {
      await pipeline(body, fs.createWriteStream(tmp, { flags: 'wx' }));
      await fsp.rename(tmp, file);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string, range?: BlobRange): Promise<{ body: Readable; size: number }> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.fileOf(key), 'r');
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(key);
      throw err;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new BlobNotFoundError(key);
      return { body: handle.createReadStream(range ? { start: range.start, end: range.end } : {}), size: stat.size };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await fsp.unlink(this.fileOf(key));
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fsp.stat(this.fileOf(key))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async close(): Promise<void> {}
}
