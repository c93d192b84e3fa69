import { z } from 'zod';
import path from 'node:path';

/**
 * Every setting Chorus reads from the environment. With none set, Chorus runs embedded:
 * PGlite under ./data/db, BullMQ on that PGlite, in-process pub/sub, one process.
 * The README's configuration table is generated from the same descriptions (keep them in sync).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  SECRET_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'SECRET_KEY must be 64 hex characters (32 bytes)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'DEFAULT_COUNTRY must be an ISO 3166 alpha-2 code such as ID or US')
    .default('ID'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 14),
  COOKIE_SECURE: bool.default(false),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  DISPATCH_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  QUEUE_PREFIX: z.string().default('chorus'),
  FILE_STORAGE: z.enum(['disk', 's3']).default('disk'),
  MEDIA_DIR: z.string().optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  /** embedded = PGlite + BullMQ on PGlite + in-process pub/sub; scaled = PostgreSQL + Redis. */
  mode: 'embedded' | 'scaled';
  dataDir: string;
  /** Where the disk media store keeps its files (MEDIA_DIR, or DATA_DIR/media). */
  mediaDir: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means unset, as in most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  if (raw.REDIS_URL && !raw.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  REDIS_URL needs DATABASE_URL: the scaled mode runs on PostgreSQL and Redis together');
  }
  if (raw.FILE_STORAGE === 's3') {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !raw[k]);
    if (missing.length > 0) {
      throw new ConfigError(`Invalid configuration:\n  FILE_STORAGE=s3 needs ${missing.join(', ')}: the bucket and the access key files are stored with`);
    }
  }
  return {
    ...raw,
    mode: raw.DATABASE_URL && raw.REDIS_URL ? 'scaled' : 'embedded',
    dataDir: path.resolve(raw.DATA_DIR),
    mediaDir: path.resolve(raw.MEDIA_DIR ?? path.join(raw.DATA_DIR, 'media')),
  };
}

/** Plain-words descriptions for the README table and `chorus config`. */
export const configDocs: Record<keyof RawConfig, string> = {
  PORT: 'HTTP port of the API and dashboard',
  HOST: 'Interface the HTTP server binds to',
  DATA_DIR: 'Where embedded data lives: PGlite database (db/), uploads, media, generated secret key',
  DATABASE_URL: 'PostgreSQL server URL; unset = embedded PGlite under DATA_DIR/db',
  REDIS_URL: 'Redis URL (needs DATABASE_URL); unset = BullMQ on PostgreSQL and in-process pub/sub, single process',
  SECRET_KEY: '32-byte hex key that encrypts secrets at rest; unset = generated once into DATA_DIR/secret.key',
  LOG_LEVEL: 'pino log level',
  IMPORT_MAX_BYTES: 'Largest contact file accepted for import, in bytes',
  DEFAULT_COUNTRY: 'Default phone country of new workspaces (ISO alpha-2), used for numbers without +country code',
  SESSION_TTL_HOURS: 'How long a dashboard login lasts',
  COOKIE_SECURE: 'Mark the session cookie Secure (set true behind HTTPS)',
  LOGIN_MAX_ATTEMPTS: 'Login attempts allowed per email and client address within LOGIN_WINDOW_SECONDS',
  LOGIN_WINDOW_SECONDS: 'Window of the login rate limit',
  WORKER_CONCURRENCY: 'Jobs a worker process runs at once per queue',
  DISPATCH_LEASE_SECONDS: 'How long a message being sent is held for its worker; if the worker dies, it is marked unknown (never re-sent) after this',
  QUEUE_PREFIX: 'Prefix of the BullMQ queues (use a {hash-tag} for Redis Cluster)',
  FILE_STORAGE: 'Where uploaded files (media library, contact imports) are kept: disk (MEDIA_DIR, DATA_DIR/uploads) or s3 (an S3-compatible bucket, S3_* settings; needed to run API and workers on several machines)',
  MEDIA_DIR: 'Folder of the disk media store; unset = DATA_DIR/media',
  S3_ENDPOINT: 'S3-compatible endpoint URL (MinIO, Cloudflare R2, …); unset = AWS S3',
  S3_REGION: 'Region of the S3 bucket',
  S3_BUCKET: 'Bucket the files are kept in (objects under media/ and uploads/); needed when FILE_STORAGE=s3',
  S3_ACCESS_KEY_ID: 'Access key id for the bucket; needed when FILE_STORAGE=s3',
  S3_SECRET_ACCESS_KEY: 'Secret access key for the bucket; needed when FILE_STORAGE=s3',
  S3_FORCE_PATH_STYLE: 'Address the bucket as endpoint/bucket instead of bucket.endpoint (MinIO and most self-hosted servers)',
};
