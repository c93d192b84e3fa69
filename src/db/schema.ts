import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  bigint,
  real,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { FIELD_TYPES } from '../domain/fields.ts';
import { MEDIA_KINDS } from '../domain/media.ts';
import { TEMPLATE_TYPES } from '../domain/template.ts';
import { SEGMENT_KINDS } from '../domain/segment-criteria.ts';
import { HEALTH_STATES, PROFILE_STATUSES, STRATEGIES, TRANSPORT_KINDS, type SenderLayer } from '../domain/sender-settings.ts';
import { MESSAGE_STATUSES } from '../domain/outbox.ts';
import type { OutboundContent } from '../transports/transport.ts';

// Embedded mode shares one PGlite session whose search_path is `bullmq, public`: never name a table
// like one of BullMQ's (job, event, meta, metrics, scheduler, dedup, rate_limit, migration, relay_*…);
// test/schema.test.ts checks it.
const id = () => uuid('id').primaryKey().$defaultFn(uuidv7);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const workspaceRef = () =>
  uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  plan: text('plan', { enum: ['starter', 'pro', 'enterprise'] }).notNull().default('starter'),
  defaultCountry: text('default_country').notNull(),
  /** Workspace-wide defaults of the sender settings (src/domain/sender-settings.ts): the layer under packages. */
  senderDefaults: jsonb('sender_defaults').$type<SenderLayer>().notNull().default({}),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: workspaceRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'supervisor', 'agent'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a stolen database does not yield live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    role: text('role', { enum: ['owner', 'supervisor', 'agent'] }).notNull(),
    /** First characters of the key, shown in lists so owners can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash), index('api_keys_workspace_idx').on(t.workspaceId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    workspaceId: workspaceRef(),
    actorUserId: uuid('actor_user_id'),
    actorApiKeyId: uuid('actor_api_key_id'),
    /** e.g. contact.create, member.update, api_key.revoke */
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    changes: jsonb('changes').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_workspace_idx').on(t.workspaceId, t.id)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    workspaceId: workspaceRef(),
    phone: text('phone').notNull(),
    name: text('name'),
    fields: jsonb('fields').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    labels: text('labels').array().notNull().default(sql`'{}'::text[]`),
    workflowStatus: text('workflow_status'),
    consent: boolean('consent').notNull().default(false),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    consentSource: text('consent_source'),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
    optOutReason: text('opt_out_reason'),
    lastInteractionAt: timestamp('last_interaction_at', { withTimezone: true }),
    conversationCount: integer('conversation_count').notNull().default(0),
    rating: integer('rating'),
    stickyProfileId: uuid('sticky_profile_id'),
    /** The import that created the contact: lets a re-run of that import merge its own rows. */
    sourceImportId: uuid('source_import_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_workspace_phone_key').on(t.workspaceId, t.phone),
    index('contacts_workspace_id_idx').on(t.workspaceId, t.id),
    // Only labelled contacts: imports write thousands of unlabelled ones a second, and each empty
    // array would still cost a GIN entry (and pending-list clean-ups). Label filters say `labels <> '{}'`.
    index('contacts_labels_idx')
      .using('gin', t.labels)
      .where(sql`${t.labels} <> '{}'::text[]`),
    // Segments on "last interaction" (within the last N days, before, after): the few per cent of a
    // workspace that talked recently. Only contacts that ever interacted: imports write none, so
    // they do not pay for it (docs/benchmarks.md, "Segment counts").
    index('contacts_last_interaction_idx')
      .on(t.workspaceId, t.lastInteractionAt)
      .where(sql`${t.lastInteractionAt} IS NOT NULL`),
  ],
);

/** Custom contact fields a workspace knows, offered as template variables `{{key}}`. */
export const contactFields = pgTable(
  'contact_fields',
  {
    workspaceId: workspaceRef(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: FIELD_TYPES }).notNull().default('text'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

export const lists = pgTable(
  'lists',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('lists_workspace_name_key').on(t.workspaceId, t.name)],
);

/**
 * `workspace_id` on list members and rejected rows scopes queries; it is no foreign key because
 * the rows already go with their list or import (and so with the workspace), and a foreign key is
 * checked row by row: one more check on every row an import writes.
 */
const workspaceScope = () => uuid('workspace_id').notNull();

export const listMembers = pgTable(
  'list_members',
  {
    workspaceId: workspaceScope(),
    listId: uuid('list_id')
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.contactId] }), index('list_members_contact_idx').on(t.contactId)],
);

export const imports = pgTable(
  'imports',
  {
    id: id(),
    workspaceId: workspaceRef(),
    listId: uuid('list_id').references(() => lists.id, { onDelete: 'set null' }),
    fileName: text('file_name').notNull(),
    filePath: text('file_path').notNull(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull(),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    /** encoding, delimiter, header row, columns with guessed roles and variable keys */
    detected: jsonb('detected').$type<Record<string, unknown>>().notNull(),
    /** the user's confirmed mapping and options (existing contacts: update | skip) */
    mapping: jsonb('mapping').$type<Record<string, unknown>>(),
    status: text('status', {
      enum: ['uploaded', 'queued', 'running', 'completed', 'failed'],
    })
      .notNull()
      .default('uploaded'),
    rowsDone: integer('rows_done').notNull().default(0),
    bytesDone: bigint('bytes_done', { mode: 'number' }).notNull().default(0),
    imported: integer('imported').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    error: text('error'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('imports_workspace_idx').on(t.workspaceId, t.id)],
);

/** Rows an import did not take as they were, each with its reason; downloadable as CSV. */
export const importRejections = pgTable(
  'import_rejections',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    workspaceId: workspaceScope(),
    rowNumber: integer('row_number').notNull(),
    reason: text('reason').notNull(),
    raw: jsonb('raw').$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] })],
);

export const media = pgTable(
  'media',
  {
    id: id(),
    workspaceId: workspaceRef(),
    kind: text('kind', { enum: MEDIA_KINDS }).notNull(),
    /** The type the content really is (sniffed), never the one the uploader claimed. */
    mimeType: text('mime_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    /** Where the bytes are in the configured storage (disk or S3): `<workspace>/<id>`. */
    storageKey: text('storage_key').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('media_workspace_idx').on(t.workspaceId, t.id)],
);

/** A template is its name plus a chain of immutable versions; campaigns point at the version they used. */
export const templates = pgTable(
  'templates',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Deleting keeps the versions: campaigns that used one still show what they sent. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('templates_workspace_idx').on(t.workspaceId, t.id),
    uniqueIndex('templates_workspace_name_key').on(t.workspaceId, t.name).where(sql`${t.deletedAt} IS NULL`),
  ],
);

export const templateVersions = pgTable(
  'template_versions',
  {
    id: id(),
    workspaceId: workspaceRef(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    type: text('type', { enum: TEMPLATE_TYPES }).notNull(),
    /** The text, or the caption of a media message. */
    body: text('body').notNull(),
    mediaId: uuid('media_id').references(() => media.id, { onDelete: 'restrict' }),
    /** The file name a document is sent with. */
    fileName: text('file_name'),
    /** Variable keys the body uses, in order of first use (for the campaign review and the picker). */
    variables: text('variables').array().notNull().default(sql`'{}'::text[]`),
    authorId: uuid('author_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('template_versions_template_version_key').on(t.templateId, t.version),
    index('template_versions_media_idx').on(t.mediaId),
  ],
);

export const segments = pgTable(
  'segments',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    description: text('description'),
    kind: text('kind', { enum: SEGMENT_KINDS }).notNull(),
    /** Validated criteria (src/domain/segment-criteria.ts), compiled to SQL each time it is used. */
    criteria: jsonb('criteria').$type<Record<string, unknown>>().notNull(),
    /** The count when it was last taken (lists show it without recounting every segment). */
    lastCount: integer('last_count'),
    /** Of lastCount, those a marketing campaign can reach (consented, not opted out). */
    lastReachable: integer('last_reachable'),
    lastCountedAt: timestamp('last_counted_at', { withTimezone: true }),
    /** Static segments: when the membership was last (re)taken. */
    lastRefreshedAt: timestamp('last_refreshed_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('segments_workspace_idx').on(t.workspaceId, t.id),
    uniqueIndex('segments_workspace_name_key').on(t.workspaceId, t.name),
  ],
);

/** Frozen membership of a static segment (scoped like list_members: no per-row workspace FK). */
export const segmentMembers = pgTable(
  'segment_members',
  {
    workspaceId: workspaceScope(),
    segmentId: uuid('segment_id')
      .notNull()
      .references(() => segments.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.contactId] }), index('segment_members_contact_idx').on(t.contactId)],
);

/**
 * A profile is one WhatsApp number connected through a transport (product.md §4, §8). `settings`
 * holds only what this profile overrides (a SenderLayer); the rest comes from its package and the
 * workspace. Transport credentials are encrypted at rest (AES-256-GCM, SECRET_KEY).
 */
export const profiles = pgTable(
  'profiles',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    /** E.164; null while a WhatsApp Web profile is still being linked. */
    phone: text('phone'),
    transport: text('transport', { enum: TRANSPORT_KINDS }).notNull(),
    /** Encrypted JSON of the transport's configuration (tokens, simulator parameters…). */
    transportConfig: text('transport_config'),
    status: text('status', { enum: PROFILE_STATUSES }).notNull().default('disconnected'),
    /** Why the status is what it is, in words ("paused by Ana", "paused: 5 consecutive failures in 10 minutes"). */
    statusReason: text('status_reason'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
    settings: jsonb('settings').$type<SenderLayer>().notNull().default({}),
    /** Share in weighted distribution; null: derived from remaining capacity × health. */
    weight: real('weight'),
    /** When the number's warm-up began (null: not warming up). */
    warmupStartedAt: timestamp('warmup_started_at', { withTimezone: true }),
    healthState: text('health_state', { enum: HEALTH_STATES }).notNull().default('healthy'),
    healthScore: integer('health_score').notNull().default(100),
    healthReason: text('health_reason'),
    healthCheckedAt: timestamp('health_checked_at', { withTimezone: true }),
    /** Consecutive failed sends and when the streak began (health: "5 consecutive failures in 10 minutes"). */
    failureStreak: integer('failure_streak').notNull().default(0),
    failureStreakSince: timestamp('failure_streak_since', { withTimezone: true }),
    /** What its drain decided last: when it sends next (null: nothing to send) and why it waits, in words. */
    nextSendAt: timestamp('next_send_at', { withTimezone: true }),
    waitReason: text('wait_reason'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('profiles_workspace_idx').on(t.workspaceId, t.id),
    uniqueIndex('profiles_workspace_name_key').on(t.workspaceId, t.name),
    uniqueIndex('profiles_workspace_phone_key').on(t.workspaceId, t.phone).where(sql`${t.phone} IS NOT NULL`),
  ],
);

/** A named pool of profiles sharing settings (product.md §4); a profile may be in several. */
export const packages = pgTable(
  'packages',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    description: text('description'),
    /** The defaults this package gives its profiles (a SenderLayer). */
    settings: jsonb('settings').$type<SenderLayer>().notNull().default({}),
    strategy: text('strategy', { enum: STRATEGIES }).notNull().default('smart'),
    /** Sends per day across all the package's profiles; null: no package-wide cap. */
    dailyTotal: integer('daily_total'),
    maxConcurrentSends: integer('max_concurrent_sends').notNull().default(3),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('packages_workspace_idx').on(t.workspaceId, t.id), uniqueIndex('packages_workspace_name_key').on(t.workspaceId, t.name)],
);

export const packageProfiles = pgTable(
  'package_profiles',
  {
    workspaceId: workspaceRef(),
    packageId: uuid('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    /** Order in the package: round-robin and the starter/pro dedicated profile follow it. */
    position: integer('position').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.profileId] }), index('package_profiles_profile_idx').on(t.profileId)],
);

/** One open-chat API request (POST /packages/{id}/messages/open): its messages point at it. */
export const sendRequests = pgTable(
  'send_requests',
  {
    id: id(),
    workspaceId: workspaceRef(),
    packageId: uuid('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    strategy: text('strategy', { enum: STRATEGIES }).notNull(),
    total: integer('total').notNull(),
    /** What the pacing estimated when the request was taken. */
    estimatedCompletionAt: timestamp('estimated_completion_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('send_requests_workspace_idx').on(t.workspaceId, t.id)],
);

/**
 * The outbox (architecture.md, Dispatch): every open-chat message, campaign or API, with its
 * assigned profile and its state (src/domain/outbox.ts). Drains claim `queued` rows of their
 * profile with FOR UPDATE SKIP LOCKED and hold them under a lease while sending.
 */
export const campaignMessages = pgTable(
  'campaign_messages',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** Set for campaign messages (a later issue); null for API open-chat requests. */
    campaignId: uuid('campaign_id'),
    requestId: uuid('request_id').references(() => sendRequests.id, { onDelete: 'cascade' }),
    packageId: uuid('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** E.164 of the recipient. */
    phone: text('phone').notNull(),
    content: jsonb('content').$type<OutboundContent>().notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull().default('queued'),
    /** Why it failed, was skipped or is unknown, in words; and the provider's code. */
    reason: text('reason'),
    errorCode: text('error_code'),
    attempts: integer('attempts').notNull().default(0),
    /** A queued message is not claimed before this (retry backoff, scheduled sends). */
    notBefore: timestamp('not_before', { withTimezone: true }).notNull().defaultNow(),
    /** While `sending`: until when the claiming drain holds it, and which drain. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    providerMessageId: text('provider_message_id'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The drain's claim: a profile's queued messages in order.
    index('campaign_messages_claim_idx').on(t.profileId, t.notBefore, t.id).where(sql`${t.status} = 'queued'`),
    // The sweep: expired leases.
    index('campaign_messages_lease_idx').on(t.leaseUntil).where(sql`${t.status} = 'sending'`),
    uniqueIndex('campaign_messages_provider_key').on(t.providerMessageId).where(sql`${t.providerMessageId} IS NOT NULL`),
    index('campaign_messages_request_idx').on(t.requestId, t.id),
    index('campaign_messages_workspace_idx').on(t.workspaceId, t.id),
    // Reply tracking: the latest message a customer who writes back was sent.
    index('campaign_messages_phone_idx').on(t.workspaceId, t.phone, t.id),
  ],
);

/** Sticky routing: the profile each customer talks to (reply chat answers from it; open chat prefers it). */
export const conversationRoutes = pgTable(
  'conversation_routes',
  {
    workspaceId: workspaceRef(),
    phone: text('phone').notNull(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.phone] }), index('conversation_routes_profile_idx').on(t.profileId)],
);

/**
 * Phones that asked not to be messaged (a "STOP" reply; WhatsApp refusing a send for that reason),
 * contacts or not: the opt-out belongs to the number, so it holds for a typed number, a contact
 * created later, or one deleted and imported again. Opting a contact back in clears its phone here.
 */
export const phoneOptOuts = pgTable(
  'phone_opt_outs',
  {
    workspaceId: workspaceRef(),
    phone: text('phone').notNull(),
    reason: text('reason').notNull(),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.phone] })],
);

/**
 * Per profile and minute: what it sent and received and what came of it. Rolling health and live
 * usage (last hour, 3 hours, day) sum the last 60, 180 or 1,440 minutes; events are added in
 * batches. Rows older than two days are deleted by the sweep.
 */
export const profileStats = pgTable(
  'profile_stats',
  {
    workspaceId: workspaceScope(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    sent: integer('sent').notNull().default(0),
    delivered: integer('delivered').notNull().default(0),
    read: integer('read').notNull().default(0),
    replied: integer('replied').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    received: integer('received').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.minute] })],
);

/** What a profile's transport said about its standing (health and connection events): health reads the last day's. */
export const profileSignals = pgTable(
  'profile_signals',
  {
    id: id(),
    workspaceId: workspaceScope(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    /** The transport event as it came (src/domain/health.ts HealthEvent). */
    event: jsonb('event').$type<Record<string, unknown>>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('profile_signals_profile_idx').on(t.profileId, t.at)],
);

/** Automatic decisions people must see: a profile paused as risky, banned, failed over (dashboard + webhook). */
export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    workspaceId: workspaceRef(),
    profileId: uuid('profile_id').references(() => profiles.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    createdAt: createdAt(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  },
  (t) => [index('alerts_workspace_idx').on(t.workspaceId, t.id)],
);
