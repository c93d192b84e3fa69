import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { openDatabase, migrateDatabase, pingDatabase, type Database } from './db/client.ts';
import { InProcessPubSub, RedisPubSub, type PubSub } from './realtime/pubsub.ts';
import { postgresQueueSystem, redisQueueSystem, type QueueSystem } from './queue/queue-system.ts';
import { createMetrics, type Metrics } from './services/metrics.ts';
import type { BlobStore } from './storage/blob-store.ts';
import { DiskBlobStore } from './storage/disk.store.ts';
import { S3BlobStore } from './storage/s3.store.ts';

/**
 * Composition root: the one place that picks implementations from the configuration and wires
 * them together. Everything else receives what it needs through `Container`.
 */
export interface Container {
  config: Config;
  log: Logger;
  db: Database;
  queues: QueueSystem;
  pubsub: PubSub;
  metrics: Metrics;
  /** 32-byte key for secrets at rest (transport credentials, sessions). */
  secretKey: Buffer;
  /** Media library files: the disk under MEDIA_DIR, or an S3-compatible bucket (FILE_STORAGE). */
  storage: BlobStore;
  /** Contact-import uploads, where every API and worker process finds them (DATA_DIR/uploads or the bucket). */
  uploads: BlobStore;
  /** This process's working copies of import uploads (read twice and resumed, so kept on local disk). */
  importWorkDir: string;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Tests pass `memory://` to run on a throwaway PGlite. */
  pgliteDir?: string;
  logger?: Logger;
}

function loadSecretKey(config: Config): Buffer {
  if (config.SECRET_KEY) return Buffer.from(config.SECRET_KEY, 'hex');
  const file = path.join(config.dataDir, 'secret.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  const key = randomBytes(32);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

/**
 * The file store the configuration asks for, for media or for import uploads: on disk, each in its
 * own folder; on S3, one bucket with a prefix each (loadConfig has checked the S3 settings are complete).
 */
export function createFileStore(config: Config, area: 'media' | 'uploads'): BlobStore {
  if (config.FILE_STORAGE === 'disk') return new DiskBlobStore(area === 'media' ? config.mediaDir : path.join(config.dataDir, 'uploads'));
  return new S3BlobStore({
    bucket: config.S3_BUCKET!,
    prefix: `${area}/`,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
  });
}

export async function createContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const log = opts.logger ?? createLogger(config.LOG_LEVEL);
  const db = await openDatabase({
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    pgliteDir: opts.pgliteDir ?? path.join(config.dataDir, 'db'),
  });
  await migrateDatabase(db);
  const queues = config.REDIS_URL
    ? redisQueueSystem(config.REDIS_URL, config.QUEUE_PREFIX)
    : postgresQueueSystem(db.connection, config.QUEUE_PREFIX, () => pingDatabase(db));
  const pubsub: PubSub = config.REDIS_URL ? new RedisPubSub(config.REDIS_URL) : new InProcessPubSub();
  const importWorkDir = path.join(config.dataDir, 'work', 'imports');
  fs.mkdirSync(importWorkDir, { recursive: true });
  const metrics = createMetrics();
  const storage = createFileStore(config, 'media');
  const uploads = createFileStore(config, 'uploads');
  return {
    config,
    log,
    db,
    queues,
    pubsub,
    metrics,
    secretKey: loadSecretKey(config),
    storage,
    uploads,
    importWorkDir,
    async close() {
      await queues.close();
      await pubsub.close();
      await storage.close();
      await uploads.close();
      await db.close();
    },
  };
}
