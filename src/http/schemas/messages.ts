import { z } from 'zod';
import { MESSAGE_STATUSES } from '../../domain/outbox.ts';
import { STRATEGIES } from '../../domain/sender-settings.ts';
import { CAPTION_MAX, TEXT_MAX } from '../../domain/template-rules.ts';
import { cursorQuery, page, withoutNul } from './common.ts';

// PostgreSQL cannot store U+0000 in text or jsonb: refused here rather than failing there.
const uuid = (what: string) => z.string().uuid(`${what} (a UUID)`);

// ---- sending open chat ----

export const openChatContent = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('text'),
      text: withoutNul(z.string().trim().min(1, 'a message').max(TEXT_MAX, `at most ${TEXT_MAX.toLocaleString('en-US')} characters`)).describe('Sent as it is, to everyone'),
    }),
    z.strictObject({
      type: z.literal('template'),
      templateId: uuid('a template id'),
      version: z.number().int().min(1).optional().describe('The version to send; the current one when left out'),
    }),
    z.strictObject({
      type: z.literal('media'),
      mediaId: uuid('a media id from the library'),
      caption: withoutNul(z.string().max(CAPTION_MAX, `at most ${CAPTION_MAX.toLocaleString('en-US')} characters`)).optional().describe('Images, videos and documents only'),
    }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? 'content.type is one of text, template, media' : undefined) },
);

export const openChatBody = z
  .strictObject({
    recipients: z
      .array(z.union([z.string().max(200, 'at most 200 characters'), z.number()], { error: 'a phone number, as text' }))
      .optional()
      .describe('Phone numbers as people type them, read with the workspace country when they have no +country code; a number that cannot be read is skipped with the reason, not the whole request'),
    contactIds: z.array(uuid('a contact id')).optional().describe('Contacts of the workspace; one that is not found is skipped with the reason'),
    content: openChatContent,
    distribution: z
      .enum(STRATEGIES, { error: `one of ${STRATEGIES.join(', ')}` })
      .optional()
      .describe("How recipients are spread over the package's profiles; the package's own strategy when left out"),
    options: z
      .strictObject({
        scheduleAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 date and time with its offset, such as 2030-02-10T10:00:00Z' }).optional().describe('Nothing leaves before this instant'),
      })
      .optional(),
  })
  .describe('At most 10,000 recipients (recipients and contactIds together) per request');
export type OpenChatBody = z.output<typeof openChatBody>;

const count = z.number().int();
const iso = z.string().describe('ISO 8601');

const skippedRecipient = z.object({
  recipient: z.string().describe('The entry as it was given: the phone as typed, or the contact id'),
  phone: z.string().nullable().describe('Its E.164 phone, when it could be read'),
  reason: z.string(),
});

const profileEstimate = z.object({
  name: z.string(),
  messages: count.describe("Its queued messages, this request's and those already waiting"),
  firstAt: iso.nullable(),
  finishAt: iso.nullable(),
  explanation: z.array(z.string()),
});

export const limitsStatus = z.object({
  name: z.string(),
  hourly: z.string().describe('"sent in the last hour/limit", e.g. "45/50"'),
  threeHours: z.string(),
  daily: z.string(),
  state: z.string().describe('Active, Idle, Limit reached, Outside active hours, Paused, Not connected, Banned'),
  reason: z.string().describe('Why it is in that state, in words'),
  adjustments: z.array(z.string()).describe('Why the caps are lower than the configured limits (warm-up, warning state); empty when they are not'),
});

export const openChatAccepted = z.object({
  requestId: z.string(),
  status: z.enum(['queued', 'skipped']).describe('skipped: every recipient was skipped (see skipped)'),
  total: count.describe('Entries given (recipients and contactIds); total = queued + skipped.length'),
  queued: count,
  skipped: z.array(skippedRecipient),
  scheduledAt: iso.nullable(),
  strategy: z.enum(STRATEGIES),
  strategySource: z.enum(['request', 'package']),
  explanation: z.string().describe('How the recipients were spread, in one sentence'),
  distribution: z.record(
    z.string(),
    z.object({ name: z.string(), count, reasons: z.array(z.object({ reason: z.string(), count })) }),
  ),
  profilesLeftOut: z.array(z.object({ profileId: z.string(), name: z.string(), reason: z.string() })),
  estimatedCompletion: iso.nullable().describe('When the last message should leave: the latest of the profiles taking part'),
  estimates: z.record(z.string(), profileEstimate),
  estimateExplanation: z.string(),
  limitsStatus: z.record(z.string(), limitsStatus),
});
export type OpenChatAccepted = z.output<typeof openChatAccepted>;

// ---- tracking ----

const byStatus = z.partialRecord(z.enum(MESSAGE_STATUSES), count).describe('Messages by their current status (statuses with none are left out)');
const progress = z
  .object({ sent: count, delivered: count, read: count, replied: count, failed: count })
  .describe('How many reached each step so far: a read message counts as sent and delivered too');

export const sendRequest = z.object({
  id: z.string(),
  package: z.object({ id: z.string(), name: z.string() }),
  strategy: z.enum(STRATEGIES),
  status: z.enum(['in_progress', 'completed']).describe('completed: nothing is queued or being sent any more'),
  total: count.describe('Entries the request was given'),
  messages: count.describe('Messages queued by it; the rest were skipped when it was made (listed in its 202 response)'),
  notQueued: count,
  remaining: count.describe('Queued or being sent'),
  byStatus,
  progress,
  profiles: z.array(z.object({ profileId: z.string().nullable(), name: z.string().nullable(), byStatus, progress })),
  estimatedCompletion: z.date().nullable().describe('As estimated when the request was taken'),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.date(),
});

const outboundContent = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('media'),
    kind: z.string(),
    url: z.string().describe("The library's address of the file (GET it with media:read)"),
    mimeType: z.string(),
    fileName: z.string().optional(),
    caption: z.string().optional(),
  }),
  z.object({ type: z.literal('template'), name: z.string(), language: z.string(), parameters: z.array(z.string()) }),
]);

export const message = z.object({
  id: z.string(),
  requestId: z.string().nullable(),
  campaignId: z.string().nullable(),
  packageId: z.string(),
  profile: z.object({ id: z.string(), name: z.string() }).nullable(),
  contactId: z.string().nullable(),
  phone: z.string(),
  content: outboundContent,
  status: z.enum(MESSAGE_STATUSES),
  reason: z.string().nullable().describe('Why it failed, was skipped, is unknown or is waiting for a retry'),
  errorCode: z.string().nullable(),
  attempts: count,
  notBefore: z.date().describe('Not sent before this instant (schedule or retry)'),
  queuedAt: z.date(),
  sentAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
  readAt: z.date().nullable(),
  repliedAt: z.date().nullable(),
  failedAt: z.date().nullable(),
  updatedAt: z.date(),
});
export type MessageDto = z.output<typeof message>;

export const messagesPage = page(message);
export const requestMessagesQuery = cursorQuery.extend({
  status: z.enum(MESSAGE_STATUSES, { error: `one of ${MESSAGE_STATUSES.join(', ')}` }).optional(),
  profileId: uuid('a profile id').optional(),
});
