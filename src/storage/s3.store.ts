import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobNotFoundError, checkBlobKey, holdBodyErrors, type BlobRange, type BlobStore } from './blob-store.ts';

export type { S3Client };

export interface S3ClientOptions {
  region: string;
  /** For S3-compatible services (MinIO, Cloudflare R2, …); unset = AWS. */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO and most self-hosted servers). */
  forcePathStyle: boolean;
}

/** A client for S3BlobStore; several stores on one bucket (one prefix each) can share it. */
export function createS3Client(opts: S3ClientOptions): S3Client {
  return new S3Client({
    region: opts.region,
    forcePathStyle: opts.forcePathStyle,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    // The SDK's default sends stream bodies aws-chunked with a trailing CRC, which several
    // S3-compatible servers store verbatim instead of decoding; we keep our own sha256 anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key (`media/`), so one bucket can hold other stores' blobs too. */
  prefix?: string;
  /**
   * close() destroys the client too: for a store given a client of its own. A client shared by
   * several stores is left open, for whoever created it to destroy once.
   */
  ownsClient?: boolean;
}

/** S3's smallest part and most parts per upload: a known size picks parts big enough to fit. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

const isMissing = (err: unknown) => {
  const name = (err as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

/** Blobs as objects in an S3-compatible bucket. An object appears only once its upload completed. */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly ownsClient: boolean;

  constructor(opts: S3StoreOptions) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ?? '';
    this.ownsClient = opts.ownsClient ?? false;
  }

  private objectKey(key: string): string {
    return this.prefix + checkBlobKey(key);
  }

  async put(key: string, body: Readable, opts: { contentType: string; size?: number }): Promise<void> {
    // Always through lib-storage's Upload, never a streamed PutObject: a PutObject whose body fails
    // midway can leave a truncated object on some S3-compatible servers. Upload sends a small body as
    // one PutObject only once it has all of it, and a large one as a multipart upload that is
    // completed only at the end (and aborted on failure).
    holdBodyErrors(body);
    const partSize = Math.max(MIN_PART_BYTES, Math.ceil((opts.size ?? 0) / MAX_PARTS));
    await new Upload({ client: this.client, partSize, params: { Bucket: this.bucket, Key: this.objectKey(key), Body: body, ContentType: opts.contentType } }).done();
  }

  async get(key: string, range?: BlobRange): Promise<{ body: Readable; size: number }> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      const size = range ? Number(/\/(\d+)$/.exec(res.ContentRange ?? '')?.[1]) : (res.ContentLength ?? 0);
      return { body: res.Body as Readable, size };
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}
