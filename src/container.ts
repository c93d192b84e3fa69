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
  uploadsDir: string;
  /** Media library files: the disk under MEDIA_DIR, or an S3-compatible bucket (MEDIA_STORAGE). */
  storage: BlobStore;
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

/** The media store the configuration asks for (loadConfig has checked the S3 settings are complete). */
export function createMediaStorage(config: Config): BlobStore {
  if (config.MEDIA_STORAGE === 'disk') return new DiskBlobStore(config.mediaDir);
  return new S3BlobStore({
    bucket: config.S3_BUCKET!,
    prefix: 'media/',
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
  const uploadsDir = path.join(config.dataDir, 'uploads');
  fs.mkdirSync(uploadsDir, { recursive: true });
  const metrics = createMetrics();
  const storage = createMediaStorage(config);
  return {
    config,
    log,
    db,
    queues,
    pubsub,
    metrics,
    secretKey: loadSecretKey(config),
    uploadsDir,
    storage,
    async close() {
      await queues.close();
      await pubsub.close();
      await storage.close();
      await db.close();
    },
  };
}
