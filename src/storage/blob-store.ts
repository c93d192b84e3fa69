import type { Readable } from 'node:stream';
import type { ByteRange } from '../domain/media.ts';

/**
 * Where uploaded bytes live: the local disk (default) or an S3-compatible bucket. The media library
 * (`c.storage`) and contact-import uploads (`c.uploads`) store through this interface only, each in
 * its own folder or bucket prefix. Keys are `/`-separated names such as `<workspace>/<id>`; a store
 * never lets a key reach outside its own root or prefix.
 */
export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /**
   * Stores `body` under `key`, replacing any blob there. All or nothing: if the body fails (for
   * example the caller destroys it because a size limit was passed) or the store fails, it rejects and
   * no blob, not even part of one, is left under the key (a blob already there stays). `size`, when
   * known, lets S3 pick parts large enough for very big files.
   */
  put(key: string, body: Readable, opts: { contentType: string; size?: number }): Promise<void>;
  /**
   * The blob's bytes, or only those of `range` (inclusive, as in HTTP). `size` is the whole blob's
   * size either way. Throws BlobNotFoundError when there is no blob under the key.
   */
  get(key: string, range?: BlobRange): Promise<{ body: Readable; size: number }>;
  /** Removes the blob; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** An inclusive byte range, as in HTTP. */
export type BlobRange = ByteRange;

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No blob under "${key}"`);
    this.name = 'BlobNotFoundError';
  }
}

export class InvalidBlobKeyError extends Error {
  constructor(readonly key: string) {
    super(`Not a valid blob key: "${key}"`);
    this.name = 'InvalidBlobKeyError';
  }
}

// Segments start with a letter or digit, so `.`, `..` and hidden names can never appear.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Both stores accept the same keys, so a key that works on disk works on S3 and back. */
export function checkBlobKey(key: string): string {
  if (key.length === 0 || key.length > 512 || !key.split('/').every((s) => SEGMENT.test(s))) throw new InvalidBlobKeyError(key);
  return key;
}

/**
 * A body can fail before the store starts reading it (a caller destroying it past a size limit
 * while the store still creates folders): without a listener that 'error' would crash the process.
 * The failure still reaches the caller, through the pipeline that reads the body.
 */
export function holdBodyErrors(body: Readable): void {
  body.on('error', () => {});
}
