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
import { S3BlobStore, createS3Client, type S3Client } from './storage/s3.store.ts';
import type { Governor } from './governor/governor.ts';
import { MemoryGovernor } from './governor/memory.governor.ts';
import { RedisGovernor } from './governor/redis.governor.ts';
import { systemClock } from './system-clock.ts';
import { SimulatorNetwork } from './transports/simulator/network.ts';
import { TransportError } from './transports/transport.ts';
import type { TransportFactory } from './services/transport-hub.ts';

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
  /** The hard limits of open chat: in Redis when scaled (shared by every worker), else in this process. */
  governor: Governor;
  /** Opens a profile's transport (only this file knows the transport classes). */
  transportFactory: TransportFactory;
  /** Runs `fn` on close, after the queues stopped and before the database closes (last added, first run). */
  onClose(fn: () => Promise<void>): void;
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

/** The S3 client for FILE_STORAGE=s3 (loadConfig has checked the S3 settings are complete). */
function createS3ClientFor(config: Config): S3Client {
  return createS3Client({
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
  });
}

/**
 * The file store the configuration asks for, for media or for import uploads: on disk, each in its
 * own folder; on S3, one bucket with a prefix each. On S3 the store uses `s3Client` when given (the
 * caller destroys it) and otherwise a client of its own, which its close() destroys.
 */
export function createFileStore(config: Config, area: 'media' | 'uploads', s3Client?: S3Client): BlobStore {
  if (config.FILE_STORAGE === 'disk') return new DiskBlobStore(area === 'media' ? config.mediaDir : path.join(config.dataDir, 'uploads'));
  return new S3BlobStore({ client: s3Client ?? createS3ClientFor(config), ownsClient: !s3Client, bucket: config.S3_BUCKET!, prefix: `${area}/` });
}

/**
 * Transports by kind. The simulator gives each profile a network of its own, seeded by the
 * profile's seed or id, on real time; the Cloud API and WhatsApp Web transports come with their
 * own issue, and until then such a profile cannot connect.
 */
export const transportFactory: TransportFactory = (spec) => {
  if (spec.kind === 'simulator') {
    const config = spec.config as { seed?: string; overrides?: Record<string, unknown> };
    const network = new SimulatorNetwork({ seed: config.seed ?? spec.profileId, clock: systemClock, config: config.overrides });
    return network.transport(spec.profileId);
  }
  throw new TransportError('profile', 'transport_unavailable', `the ${spec.kind} transport is not available in this version of Chorus yet`);
};

/** The job queues the configuration asks for: on Redis when REDIS_URL is set, else on Postgres. */
export function createQueueSystem(config: Config, db: Database): QueueSystem {
  return config.REDIS_URL
    ? redisQueueSystem(config.REDIS_URL, config.QUEUE_PREFIX)
    : postgresQueueSystem(db.connection, config.QUEUE_PREFIX, () => pingDatabase(db));
}

export async function createContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const log = opts.logger ?? createLogger(config.LOG_LEVEL);
  const db = await openDatabase({
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    pgliteDir: opts.pgliteDir ?? path.join(config.dataDir, 'db'),
  });
  await migrateDatabase(db);
  const queues = createQueueSystem(config, db);
  const pubsub: PubSub = config.REDIS_URL ? new RedisPubSub(config.REDIS_URL) : new InProcessPubSub();
  const importWorkDir = path.join(config.dataDir, 'work', 'imports');
  fs.mkdirSync(importWorkDir, { recursive: true });
  const metrics = createMetrics();
  // On S3 both stores are prefixes of one bucket: one client serves them, destroyed once on close.
  const s3Client = config.FILE_STORAGE === 's3' ? createS3ClientFor(config) : undefined;
  const storage = createFileStore(config, 'media', s3Client);
  const uploads = createFileStore(config, 'uploads', s3Client);
  const governor: Governor = config.REDIS_URL ? new RedisGovernor({ redis: config.REDIS_URL, prefix: config.QUEUE_PREFIX }) : new MemoryGovernor();
  const closers: Array<() => Promise<void>> = [];
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
    governor,
    transportFactory,
    onClose(fn) {
      closers.push(fn);
    },
    async close() {
      await queues.close();
      for (const fn of closers.reverse()) await fn();
      await governor.close();
      await pubsub.close();
      await storage.close();
      await uploads.close();
      s3Client?.destroy();
      await db.close();
    },
  };
}
