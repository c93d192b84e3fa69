import { uuidv7 } from 'uuidv7';
import type { Container } from '../container.ts';
import { insertAudit, type Tx } from '../db/audit.repo.ts';
import { getWorkspace } from '../db/auth.repo.ts';
import { getMedia, type MediaRow } from '../db/media.repo.ts';
import { enqueueMessages, type NewOutboxMessage } from '../db/outbox.repo.ts';
import * as repo from '../db/send-requests.repo.ts';
import type { SendingContact } from '../db/send-requests.repo.ts';
import { getTemplate, getVersion } from '../db/templates.repo.ts';
import { queuedByProfileAndPackage } from '../db/usage.repo.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { distribute } from '../domain/distribution.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { MessageState } from '../domain/outbox.ts';
import { durationWords, estimateCompletion, type CompletionEstimate } from '../domain/pacing.ts';
import { normalizePhone } from '../domain/phone.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import { senderState } from '../domain/sender-state.ts';
import type { Strategy } from '../domain/sender-settings.ts';
import { compileTemplate, parseTemplate, type CompiledTemplate, type TemplateType, type TemplateValues } from '../domain/template.ts';
import { bodyRules } from '../domain/template-rules.ts';
import type { GovernorRule, Usage } from '../governor/governor.ts';
import type { MediaKind, OutboundContent } from '../transports/transport.ts';
import type { Actor } from './actor.ts';
import { blockedReason, distributionCandidate, governorRule } from './dispatch.service.ts';
import { kickDrain } from './drains.ts';
import { mediaUrl } from './media.service.ts';
import { loadPackageForSending, type PackageForSending, type SendingProfile } from './senders.service.ts';

/**
 * Open chat through the API (product.md §4 "Open chat", requirements 001 EXAMPLE 1): a business
 * sends one message to many people through a package. The request is taken in one transaction —
 * recipients resolved and checked, the content rendered per recipient, the recipients spread over
 * the package's profiles, the messages queued in the outbox — and the profiles' drains are kicked
 * after it commits. Everything decided on the way comes back in words: who was skipped and why,
 * which profile got whom and why, when it should all have left, and each profile's live usage.
 *
 * Who is skipped (never the whole request for one bad recipient):
 * - a phone that cannot be read, a contact id the workspace does not have, a duplicate;
 * - a contact who opted out (opted-out people never receive open chat) or has no marketing
 *   consent on record (open chat is marketing). A phone typed in `recipients` that is a contact is
 *   that contact; one that is not has no record that could refuse it: the caller who typed it
 *   vouches for its consent;
 * - for a template, a recipient missing a variable without a fallback, or whose rendered message
 *   breaks WhatsApp's rules (too long, empty).
 */

const MAX_RECIPIENTS = 10_000;

export type OpenChatContent =
  | { type: 'text'; text: string }
  | { type: 'template'; templateId: string; version?: number | undefined }
  | { type: 'media'; mediaId: string; caption?: string | undefined };

export interface OpenChatInput {
  recipients?: Array<string | number> | undefined;
  contactIds?: string[] | undefined;
  content: OpenChatContent;
  distribution?: Strategy | undefined;
  options?: { scheduleAt?: string | undefined } | undefined;
}

interface Target {
  /** As given: the phone as typed, or the contact id. */
  recipient: string;
  phone: string;
  contact: SendingContact | null;
}

interface Skip {
  recipient: string;
  phone: string | null;
  reason: string;
}

type Composed = { ok: true; content: OutboundContent } | { ok: false; reason: string };

// ---- content ----

/** The transport's kind for a template type that carries media (every type but text). */
const TEMPLATE_MEDIA_KIND: Record<Exclude<TemplateType, 'text'>, MediaKind> = { image: 'image', video: 'video', document: 'document', audio: 'audio', voice: 'voice' };

/**
 * Media leaves as the library's own address of the file (`/api/v1/media/{id}/content`, the same
 * the dashboard and the template view show), with its type and name: the message keeps pointing at
 * the one stored copy, whichever store holds it, and nothing is made public. Both real transports
 * hand WhatsApp the bytes rather than a link (Cloud API uploads them for a media id; WhatsApp Web
 * sends a buffer), reading them from the store by this id; the simulator only records it.
 */
function mediaContent(m: MediaRow, kind: MediaKind, fileName: string | null, caption: string): OutboundContent {
  return {
    type: 'media',
    kind,
    url: mediaUrl(m.id),
    mimeType: m.mimeType,
    ...(fileName ? { fileName } : {}),
    ...(caption ? { caption } : {}),
  };
}

/** What a template sees of a recipient: a contact's fields, name and phone; a number alone only its phone. */
const valuesOf = (t: Target): TemplateValues => (t.contact ? { ...t.contact.fields, name: t.contact.name, phone: t.contact.phone } : { phone: t.phone });

function templateComposer(requestId: string, type: TemplateType, compiled: CompiledTemplate, media: MediaRow | null, fileName: string | null) {
  return (t: Target): Composed => {
    // Seeded per request and recipient: the same request always renders the same spintax choices.
    const result = compiled.render(valuesOf(t), seededRandom(`open-chat:${requestId}:${t.phone}`));
    if (!result.ok) return { ok: false, reason: t.contact ? result.reason : `${result.reason}: ${t.phone} is not a contact, so only {{phone}} is known` };
    const broken = bodyRules(type, result.text)[0];
    if (broken) return { ok: false, reason: `the message rendered for this recipient breaks a rule: ${broken.message}` };
    return { ok: true, content: type === 'text' ? { type: 'text', text: result.text } : mediaContent(media!, TEMPLATE_MEDIA_KIND[type], fileName, result.text) };
  };
}

/** Checks the content once (400 naming a template or media the workspace does not have) and returns how to build each recipient's message. */
async function composerFor(tx: Tx, workspaceId: string, requestId: string, content: OpenChatContent): Promise<{ compose: (t: Target) => Composed; summary: Record<string, unknown> }> {
  switch (content.type) {
    case 'text': {
      const same: Composed = { ok: true, content: { type: 'text', text: content.text } };
      return { compose: () => same, summary: { type: 'text', length: content.text.length } };
    }
    case 'media': {
      const m = await getMedia(tx, workspaceId, content.mediaId);
      if (!m) throw invalid('MEDIA_NOT_FOUND', `No media ${content.mediaId} in this workspace's library`, { mediaId: content.mediaId });
      if (m.kind === 'sticker') throw invalid('MEDIA_NOT_SENDABLE', `"${m.fileName}" is a sticker; open chat sends images, videos, documents and audio`, { mediaId: m.id });
      const caption = content.caption ?? '';
      const broken = bodyRules(m.kind, caption)[0];
      if (broken) throw invalid(broken.code, broken.message, { field: 'content.caption' });
      const same: Composed = { ok: true, content: mediaContent(m, m.kind, m.kind === 'document' ? m.fileName : null, caption) };
      return { compose: () => same, summary: { type: 'media', mediaId: m.id, kind: m.kind } };
    }
    case 'template': {
      const { templateId } = content;
      const current = await getTemplate(tx, workspaceId, templateId);
      if (!current) throw invalid('TEMPLATE_NOT_FOUND', `No template ${templateId} in this workspace`, { templateId });
      const version = content.version ?? current.version;
      const v = await getVersion(tx, workspaceId, templateId, version);
      if (!v) throw invalid('TEMPLATE_VERSION_NOT_FOUND', `Template "${current.name}" has no version ${version} (its current one is ${current.version})`, { templateId, version });
      const media = v.mediaId ? await getMedia(tx, workspaceId, v.mediaId) : null;
      if (v.type !== 'text' && !media) throw invalid('TEMPLATE_MEDIA_MISSING', `Version ${version} of template "${current.name}" has no media to send`, { templateId, version });
      // A saved version always parses (saving refuses syntax errors).
      const compiled = compileTemplate(parseTemplate(v.body));
      return {
        compose: templateComposer(requestId, v.type, compiled, media, v.fileName),
        summary: { type: 'template', templateId, name: current.name, version, versionId: v.id },
      };
    }
  }
}

// ---- recipients ----

const optedOutReason = (at: Date | null, why: string | null) =>
  `opted out${at ? ` on ${at.toISOString().slice(0, 10)}` : ''}${why ? ` (${why})` : ''}: opted-out people never receive open chat`;
const NO_CONSENT = 'no marketing consent on record: open chat is marketing, so a contact needs to have consented';

/**
 * Every entry becomes a target or a skip, in the order given (recipients, then contactIds): the
 * first entry for a phone wins and later ones are reported as duplicates.
 */
async function resolveRecipients(tx: Tx, workspaceId: string, country: string, input: OpenChatInput): Promise<{ targets: Target[]; skipped: Skip[] }> {
  const typed = (input.recipients ?? []).map((raw) => ({ recipient: String(raw), phone: normalizePhone(raw, country) }));
  const ids = input.contactIds ?? [];
  const contacts = await repo.contactsForSending(tx, workspaceId, { ids, phones: typed.flatMap((t) => (t.phone.ok ? [t.phone.e164] : [])) });
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const byPhone = new Map(contacts.map((c) => [c.phone, c]));
  // A number that said "STOP" stays opted out, contact or not (phone_opt_outs).
  const numbers = await repo.optedOutPhones(tx, workspaceId, [...typed.flatMap((t) => (t.phone.ok ? [t.phone.e164] : [])), ...contacts.map((c) => c.phone)]);

  const targets: Target[] = [];
  const skipped: Skip[] = [];
  const seen = new Set<string>();
  const take = (recipient: string, phone: string, contact: SendingContact | null) => {
    const reason = seen.has(phone)
      ? `duplicate: ${phone} is already in this request`
      : contact?.optedOutAt
        ? optedOutReason(contact.optedOutAt, contact.optOutReason)
        : numbers.has(phone)
          ? optedOutReason(numbers.get(phone)!.at, numbers.get(phone)!.reason)
          : contact && !contact.consent
          ? NO_CONSENT
          : null;
    seen.add(phone);
    if (reason) skipped.push({ recipient, phone, reason });
    else targets.push({ recipient, phone, contact });
  };
  for (const t of typed) {
    if (!t.phone.ok) skipped.push({ recipient: t.recipient, phone: null, reason: t.phone.reason });
    else take(t.recipient, t.phone.e164, byPhone.get(t.phone.e164) ?? null);
  }
  for (const id of ids) {
    const contact = byId.get(id);
    if (!contact) skipped.push({ recipient: id, phone: null, reason: 'no such contact in this workspace' });
    else take(id, contact.phone, contact);
  }
  return { targets, skipped };
}

// ---- profiles ----

interface ProfileNow {
  me: SendingProfile;
  rule: GovernorRule;
  /** Why it cannot send open chat now, or null. */
  blocked: string | null;
  /** Warm-up and warning adjustments of its limits, in words. */
  adjustments: string[];
  usage: Usage;
}

async function profilesNow(c: Container, pkg: PackageForSending, now: number): Promise<ProfileNow[]> {
  return Promise.all(
    pkg.profiles.map(async (me) => {
      const { rule, sending, reasons } = governorRule(pkg, me, now);
      const blocked = blockedReason(me) ?? (sending ? null : reasons.join('; '));
      return { me, rule, blocked, adjustments: sending ? reasons : [], usage: await c.governor.usage(rule, now) };
    }),
  );
}

/**
 * The live line of the requirements' UI ("Profile 1: 45/50 hourly | 320/500 daily | ● Active"):
 * sends in each window against the cap in force, and the state the Senders page shows, with why.
 */
function limitsStatus(p: ProfileNow, pkg: PackageForSending, queued: number, now: number) {
  const { me, rule, usage } = p;
  const { limits } = rule;
  const state = senderState({
    now,
    status: me.status,
    statusReason: me.statusReason,
    health: { state: me.healthState, sentence: me.healthReason },
    transportProblem: me.transportConfig === null ? me.transportConfigProblem : null,
    activeHours: me.settings.values.activeHours,
    timezone: me.settings.values.timezone,
    windows: {
      hour: { sent: usage.hour, cap: limits.perHour },
      threeHours: { sent: usage.threeHours, cap: limits.per3Hours },
      day: { sent: usage.day, cap: limits.perDay },
    },
    packageDay: { sent: usage.packageDay, cap: pkg.rules.dailyTotal },
    queued,
  });
  return {
    name: me.name,
    hourly: `${usage.hour}/${limits.perHour}`,
    threeHours: `${usage.threeHours}/${limits.per3Hours}`,
    daily: `${usage.day}/${limits.perDay}`,
    state: state.label,
    reason: state.reason,
    adjustments: p.adjustments,
  };
}

function noSendingProfiles(pkg: PackageForSending, profiles: ProfileNow[]) {
  if (profiles.length === 0) return conflict('NO_SENDING_PROFILES', `Package "${pkg.name}" has no profiles: add at least one before sending`, { profiles: [] });
  const reasons = profiles.map((p) => ({ profileId: p.me.id, name: p.me.name, reason: p.blocked! }));
  return conflict(
    'NO_SENDING_PROFILES',
    `No profile of package "${pkg.name}" can send open chat now: ${reasons.map((r) => `${r.name}: ${r.reason}`).join('; ')}`,
    { profiles: reasons },
  );
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// ---- sending ----

export async function sendOpenChat(c: Container, actor: Actor, packageId: string, input: OpenChatInput) {
  const now = Date.now();
  const ws = actor.workspaceId;
  const total = (input.recipients?.length ?? 0) + (input.contactIds?.length ?? 0);
  if (total === 0) throw invalid('NO_RECIPIENTS', 'No recipients: give phone numbers in recipients and/or contacts in contactIds');
  if (total > MAX_RECIPIENTS) {
    throw invalid('TOO_MANY_RECIPIENTS', `At most ${MAX_RECIPIENTS.toLocaleString('en-US')} recipients per request (recipients and contactIds together); this one has ${total.toLocaleString('en-US')}: split it into several requests`, {
      max: MAX_RECIPIENTS,
      given: total,
    });
  }
  const scheduleAtText = input.options?.scheduleAt;
  const scheduleAt = scheduleAtText === undefined ? null : Date.parse(scheduleAtText);
  if (scheduleAt !== null && scheduleAt <= now) {
    throw invalid('SCHEDULE_IN_PAST', `options.scheduleAt (${scheduleAtText}) has already passed; it is now ${new Date(now).toISOString()}`, { scheduleAt: scheduleAtText });
  }
  const notBefore = scheduleAt ?? now;
  const requestId = uuidv7();

  const result = await c.db.orm.transaction(async (tx) => {
    const pkg = await loadPackageForSending(tx, c.secretKey, ws, packageId);
    if (!pkg) throw notFound('PACKAGE_NOT_FOUND', 'No such package in this workspace');
    const workspace = (await getWorkspace(tx, ws))!;
    const { compose, summary } = await composerFor(tx, ws, requestId, input.content);
    const profiles = await profilesNow(c, pkg, now);
    if (profiles.every((p) => p.blocked)) throw noSendingProfiles(pkg, profiles);

    const { targets, skipped } = await resolveRecipients(tx, ws, workspace.defaultCountry, input);
    const ready: Array<{ target: Target; content: OutboundContent }> = [];
    for (const target of targets) {
      const composed = compose(target);
      if (composed.ok) ready.push({ target, content: composed.content });
      else skipped.push({ recipient: target.recipient, phone: target.phone, reason: composed.reason });
    }

    const routes = await repo.conversationProfiles(
      tx,
      ws,
      ready.map((r) => r.target.phone),
    );
    const strategy = input.distribution ?? pkg.rules.strategy;
    const distribution = distribute({
      candidates: profiles.map((p) => distributionCandidate(p.me, p.rule, p.usage)),
      recipients: ready.map(({ target }) => ({ key: target.phone, stickyProfileId: routes.get(target.phone) ?? target.contact?.stickyProfileId ?? null })),
      strategy,
      tier: workspace.plan,
      random: seededRandom(`distribution:${requestId}`),
      // Drawn per request, so a stream of one-recipient requests does not always start on the first profile.
      roundRobinStart: Math.floor(seededRandom(`round-robin:${requestId}`)() * pkg.profiles.length),
    });

    const rows: NewOutboxMessage[] = [];
    distribution.assignments.forEach((a, i) => {
      const { target, content } = ready[i]!;
      if (a.profileId === null) skipped.push({ recipient: target.recipient, phone: target.phone, reason: a.reason });
      else rows.push({ id: uuidv7(), requestId, campaignId: null, packageId: pkg.id, profileId: a.profileId, contactId: target.contact?.id ?? null, phone: target.phone, content, notBefore });
    });

    const assigned = new Map(distribution.profiles.filter((p) => p.assigned > 0).map((p) => [p.profileId, p.assigned]));
    const estimating = profiles.filter((p) => assigned.has(p.me.id));
    const [queued, recentSends] = await Promise.all([
      queuedByProfileAndPackage(tx, ws, profiles.map((p) => p.me.id)),
      Promise.all(estimating.map((p) => c.governor.sendTimes(p.rule, now))),
    ]);
    const waiting = new Map<string, number>();
    for (const q of queued) waiting.set(q.profileId, (waiting.get(q.profileId) ?? 0) + q.queued);
    const queuedFor = (id: string) => (waiting.get(id) ?? 0) + (assigned.get(id) ?? 0);
    const estimates = new Map<string, CompletionEstimate>();
    estimating.forEach((p, i) => {
      estimates.set(
        p.me.id,
        estimateCompletion({
          settings: { ...p.me.settings.values, limits: p.rule.limits },
          queued: queuedFor(p.me.id),
          now: notBefore,
          recentSends: recentSends[i]!,
        }),
      );
    });
    let last: { id: string; finishAt: number } | null = null;
    for (const [id, e] of estimates) if (e.finishAt !== null && (!last || e.finishAt > last.finishAt)) last = { id, finishAt: e.finishAt };

    await repo.insertSendRequest(tx, ws, {
      id: requestId,
      packageId: pkg.id,
      strategy,
      total,
      estimatedCompletionAt: last ? new Date(last.finishAt) : null,
      createdBy: actor.userId,
    });
    await enqueueMessages(tx, ws, rows);
    await insertAudit(tx, actor, {
      action: 'send_request.create',
      entityType: 'send_request',
      entityId: requestId,
      changes: { packageId: pkg.id, packageName: pkg.name, strategy, content: summary, total, queued: rows.length, skipped: skipped.length, scheduleAt: iso(scheduleAt) },
    });

    const nameOf = new Map(profiles.map((p) => [p.me.id, p.me.name]));
    const estimateExplanation = last
      ? `${nameOf.get(last.id)} has the longest queue to work through: its last message should leave in about ${durationWords((last.finishAt - now) / 1000)}${scheduleAt !== null ? ', counting from the scheduled time' : ''}`
      : 'nothing was queued';
    return {
      requestId,
      status: rows.length > 0 ? ('queued' as const) : ('skipped' as const),
      total,
      queued: rows.length,
      skipped,
      scheduledAt: iso(scheduleAt),
      strategy,
      strategySource: input.distribution ? ('request' as const) : ('package' as const),
      explanation: distribution.explanation,
      distribution: Object.fromEntries(distribution.profiles.map((p) => [p.profileId, { name: p.name, count: p.assigned, reasons: p.reasons }])),
      profilesLeftOut: distribution.skipped,
      estimatedCompletion: last ? iso(last.finishAt) : null,
      estimates: Object.fromEntries(
        [...estimates].map(([id, e]) => [id, { name: nameOf.get(id)!, messages: e.messages, firstAt: iso(e.firstAt), finishAt: iso(e.finishAt), explanation: e.explanation }]),
      ),
      estimateExplanation,
      limitsStatus: Object.fromEntries(profiles.map((p) => [p.me.id, limitsStatus(p, pkg, queuedFor(p.me.id), now)])),
    };
  });

  for (const profileId of Object.keys(result.estimates)) await kickDrain(c, ws, profileId);
  return result;
}

// ---- tracking ----

const requestNotFound = () => notFound('SEND_REQUEST_NOT_FOUND', 'No such send request in this workspace');

export async function getSendRequest(c: Container, actor: Actor, id: string) {
  const r = await repo.getSendRequest(c.db.orm, actor.workspaceId, id);
  if (!r) throw requestNotFound();
  const { profiles } = await repo.requestCounts(c.db.orm, actor.workspaceId, id);
  const byStatus: Partial<Record<MessageState, number>> = {};
  const progress = { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 };
  for (const p of profiles) {
    for (const [s, n] of Object.entries(p.byStatus) as Array<[MessageState, number]>) byStatus[s] = (byStatus[s] ?? 0) + n;
    for (const k of Object.keys(progress) as Array<keyof typeof progress>) progress[k] += p.progress[k];
  }
  const messages = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const remaining = (byStatus.queued ?? 0) + (byStatus.sending ?? 0);
  return {
    id: r.id,
    package: { id: r.packageId, name: r.packageName },
    strategy: r.strategy,
    status: remaining > 0 ? ('in_progress' as const) : ('completed' as const),
    total: r.total,
    messages,
    notQueued: r.total - messages,
    remaining,
    byStatus,
    progress,
    profiles,
    estimatedCompletion: r.estimatedCompletionAt,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

export async function listRequestMessages(
  c: Container,
  actor: Actor,
  id: string,
  q: { cursor?: string | undefined; limit: number; status?: MessageState | undefined; profileId?: string | undefined },
) {
  if (!(await repo.getSendRequest(c.db.orm, actor.workspaceId, id))) throw requestNotFound();
  const rows = await repo.listRequestMessages(c.db.orm, actor.workspaceId, id, { limit: q.limit, after: decodeCursor(q.cursor), status: q.status, profileId: q.profileId });
  return toPage(rows, q.limit);
}

export async function getMessage(c: Container, actor: Actor, id: string) {
  const m = await repo.getMessage(c.db.orm, actor.workspaceId, id);
  if (!m) throw notFound('MESSAGE_NOT_FOUND', 'No such message in this workspace');
  return m;
}
