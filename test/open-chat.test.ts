import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, cookieOf, createContact, newOwner, type Client, type Owner } from './support/api.ts';
import { eventually, importFile } from './fixtures/import-files.ts';
import { createSenders, unpacedSettings } from './support/senders.ts';
import { systemClock } from '../src/system-clock.ts';
import { EventIngest } from '../src/services/event-ingest.ts';
import * as files from './fixtures/media/files.ts';
import { uploadMedia } from './fixtures/media/upload.ts';

/** Profiles that send as soon as a message is queued, all day: tests see results in milliseconds. */
const UNPACED = unpacedSettings(200);
/** Human pacing at the built-in limits, all day: a batch takes hours. */
const HUMAN = { pacing: { mode: 'human' }, limits: { perHour: 20, per3Hours: 50, perDay: 120 }, activeHours: { start: '00:00', end: '00:00' } };

interface Accepted {
  requestId: string;
  status: string;
  total: number;
  queued: number;
  skipped: Array<{ recipient: string; phone: string | null; reason: string }>;
  scheduledAt: string | null;
  explanation: string;
  distribution: Record<string, { name: string; count: number; reasons: Array<{ reason: string; count: number }> }>;
  estimatedCompletion: string | null;
  estimates: Record<string, { messages: number; firstAt: string | null; finishAt: string | null; explanation: string[] }>;
  estimateExplanation: string;
  limitsStatus: Record<string, { name: string; hourly: string; threeHours: string; daily: string; state: string; reason: string }>;
}

interface MessageJson {
  id: string;
  phone: string;
  contactId: string | null;
  profile: { id: string; name: string } | null;
  status: string;
  reason: string | null;
  content: Record<string, unknown> & { text?: string };
  notBefore: string;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
}

/**
 * Open chat through the API end to end (requirements 001, EXAMPLE 1): the request is checked,
 * spread over the package's profiles and queued, the real queue's drains send it through the
 * simulator, and the tracking routes follow every message.
 */
describe.each(modes)('open chat (%s)', (mode) => {
  let h: Harness;
  let owner: Owner;
  let api: Client;
  beforeAll(async () => {
    h = await startHarness(mode);
    owner = await newOwner(h.app);
    api = owner.api;
    // Spreading over the pool is the enterprise rule; starter and pro send from one dedicated profile (tested below).
    await h.c.db.pool.query("UPDATE workspaces SET plan = 'enterprise' WHERE id = $1", [owner.workspaceId]);
  });
  afterAll(async () => h?.close());

  const senders = (settings: Record<string, unknown>, profiles = 1, as: Client = api) => createSenders(as, settings, { profiles, seed: 'open-chat' });

  async function send(packageId: string, body: Record<string, unknown>, as: Client = api): Promise<Accepted> {
    const res = await as('POST', `/api/v1/packages/${packageId}/messages/open`, body);
    expect(res.statusCode, res.body).toBe(202);
    return res.json();
  }

  async function messagesOf(requestId: string): Promise<MessageJson[]> {
    const res = await api('GET', `/api/v1/send-requests/${requestId}/messages?limit=500`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }

  const byPhone = (ms: MessageJson[]) => new Map(ms.map((m) => [m.phone, m]));

  it('sends the 001 example: three numbers as people type them, one to each of three profiles, and tracks them to being read', async () => {
    const { packageId, profileIds } = await senders(UNPACED, 3);
    const before = Date.now();
    const res = await send(packageId, {
      recipients: ['0812-3400-0001', '+62 812 3400 0002', '6281234000003'],
      content: { type: 'text', text: 'Hello! Check out our new offers...' },
      distribution: 'round_robin',
    });
    expect(res).toMatchObject({ status: 'queued', total: 3, queued: 3, skipped: [], strategy: 'round_robin', strategySource: 'request' });
    expect(res.explanation).toBe('enterprise plan: round-robin over 3 of 3 profiles');
    expect(Object.keys(res.distribution).sort()).toEqual([...profileIds].sort());
    for (const id of profileIds) {
      expect(res.distribution[id]!.count).toBe(1);
      expect(res.limitsStatus[id]).toMatchObject({ hourly: expect.stringMatching(/^\d+\/1000$/), threeHours: expect.stringMatching(/^\d+\/3000$/), daily: expect.stringMatching(/^\d+\/10000$/), state: 'Active' });
      expect(res.estimates[id]!.messages).toBe(1);
    }
    expect(Date.parse(res.estimatedCompletion!)).toBeGreaterThanOrEqual(before);

    await eventually(async () => (await api('GET', `/api/v1/send-requests/${res.requestId}`)).json().progress.read === 3, 30_000);
    const tracked = (await api('GET', `/api/v1/send-requests/${res.requestId}`)).json();
    expect(tracked).toMatchObject({
      package: { id: packageId },
      strategy: 'round_robin',
      status: 'completed',
      total: 3,
      messages: 3,
      notQueued: 0,
      remaining: 0,
      byStatus: { read: 3 },
      progress: { sent: 3, delivered: 3, read: 3, replied: 0, failed: 0 },
      estimatedCompletion: res.estimatedCompletion,
    });
    expect(tracked.profiles.map((p: { profileId: string }) => p.profileId).sort()).toEqual([...profileIds].sort());

    const messages = await messagesOf(res.requestId);
    expect(messages.map((m) => m.phone).sort()).toEqual(['+6281234000001', '+6281234000002', '+6281234000003']);
    expect(new Set(messages.map((m) => m.profile!.id))).toEqual(new Set(profileIds));
    for (const m of messages) {
      expect(m).toMatchObject({ status: 'read', reason: null, content: { type: 'text', text: 'Hello! Check out our new offers...' } });
      expect(m.sentAt && m.deliveredAt && m.readAt).toBeTruthy();
    }
    const one = await api('GET', `/api/v1/messages/${messages[0]!.id}`);
    expect(one.json()).toEqual(messages[0]);

    const [entry] = await audit(api, `&entityType=send_request&entityId=${res.requestId}`);
    expect(entry).toMatchObject({ action: 'send_request.create', changes: { packageId, strategy: 'round_robin', total: 3, queued: 3, skipped: 0, content: { type: 'text' } } });
  });

  it("personalises a template for each contact from its fields, and skips whoever lacks a variable, saying which", async () => {
    const { packageId } = await senders(UNPACED, 1);
    const ana = await createContact(api, { phone: '+6281255500001', name: 'Ana', fields: { city: 'Bandung' }, consent: true });
    const budi = await createContact(api, { phone: '+6281255500002', name: 'Budi', fields: { city: 'Surabaya' }, consent: true });
    const citra = await createContact(api, { phone: '+6281255500003', name: 'Citra', consent: true });
    const t = await api('POST', '/api/v1/templates', { name: `Invite ${uuidv7().slice(-6)}`, type: 'text', body: '{Hi|Hello} {{name}}, see you in {{city}}!' });
    expect(t.statusCode, t.body).toBe(201);
    const templateId = t.json().id as string;

    const res = await send(packageId, { recipients: ['+6281255500009'], contactIds: [ana.id, budi.id, citra.id], content: { type: 'template', templateId } });
    expect(res).toMatchObject({ total: 4, queued: 2 });
    expect(res.skipped).toEqual([
      { recipient: '+6281255500009', phone: '+6281255500009', reason: 'missing variables "name", "city" (no fallback): +6281255500009 is not a contact, so only {{phone}} is known' },
      { recipient: citra.id, phone: '+6281255500003', reason: 'missing variable "city" (no fallback)' },
    ]);
    const sent = byPhone(await messagesOf(res.requestId));
    expect(sent.get(ana.phone)).toMatchObject({ contactId: ana.id, content: { type: 'text', text: expect.stringMatching(/^(Hi|Hello) Ana, see you in Bandung!$/) } });
    expect(sent.get(budi.phone)).toMatchObject({ contactId: budi.id, content: { type: 'text', text: expect.stringMatching(/^(Hi|Hello) Budi, see you in Surabaya!$/) } });

    // An earlier version is sent as it was written, when asked for.
    expect((await api('PATCH', `/api/v1/templates/${templateId}`, { body: 'Version two for {{name}}' })).statusCode).toBe(200);
    const v1 = await send(packageId, { contactIds: [ana.id], content: { type: 'template', templateId, version: 1 } });
    const v2 = await send(packageId, { contactIds: [ana.id], content: { type: 'template', templateId } });
    expect((await messagesOf(v1.requestId))[0]!.content.text).toMatch(/^(Hi|Hello) Ana, see you in Bandung!$/);
    expect((await messagesOf(v2.requestId))[0]!.content.text).toBe('Version two for Ana');
  });

  it('sends media from the library by its address in the library, with its caption', async () => {
    const { packageId } = await senders(UNPACED, 1);
    const up = await uploadMedia(h.app, cookieOf(owner), 'offer.png', files.png());
    expect(up.statusCode, up.body).toBe(201);
    const media = up.json();
    const res = await send(packageId, { recipients: ['+6281266600001'], content: { type: 'media', mediaId: media.id, caption: 'New stock' } });
    await eventually(async () => (await messagesOf(res.requestId))[0]!.status === 'read', 30_000);
    expect((await messagesOf(res.requestId))[0]!.content).toEqual({ type: 'media', kind: 'image', url: `/api/v1/media/${media.id}/content`, mimeType: 'image/png', caption: 'New stock' });
  });

  it('keeps a recipient who already talks to a profile with that profile, whatever the strategy', async () => {
    const { packageId, profileIds } = await senders(UNPACED, 2);
    const talker = profileIds[1]!;
    await h.c.db.pool.query('INSERT INTO conversation_routes (workspace_id, phone, profile_id) VALUES ($1, $2, $3)', [owner.workspaceId, '+6281277700001', talker]);
    const known = await createContact(api, { phone: '+6281277700002', name: 'Known', consent: true });
    await h.c.db.pool.query('UPDATE contacts SET sticky_profile_id = $2 WHERE id = $1', [known.id, talker]);

    for (const strategy of ['round_robin', 'random'] as const) {
      const res = await send(packageId, { recipients: ['+6281277700001', '+6281277700003', '+6281277700004'], contactIds: [known.id], content: { type: 'text', text: 'Hi again' }, distribution: strategy });
      const sent = byPhone(await messagesOf(res.requestId));
      expect(sent.get('+6281277700001')!.profile!.id).toBe(talker);
      expect(sent.get('+6281277700002')!.profile!.id).toBe(talker);
      const stays = res.distribution[talker]!.reasons.find((r) => r.reason.startsWith('stays with'));
      expect(stays).toEqual({ reason: `stays with ${res.distribution[talker]!.name}, the profile this recipient already talks to`, count: 2 });
    }
  });

  it('skips opted-out and unconsented contacts and collapses duplicates, each with its reason', async () => {
    const { packageId } = await senders(UNPACED, 1);
    const dewi = await createContact(api, { phone: '+6281288800001', name: 'Dewi', consent: true });
    const eko = await createContact(api, { phone: '+6281288800002', name: 'Eko', consent: false });
    const fajar = await createContact(api, { phone: '+6281288800003', name: 'Fajar', consent: true });
    expect((await api('POST', `/api/v1/contacts/${fajar.id}/opt-out`, { reason: 'asked by phone' })).statusCode).toBe(200);
    const unknown = uuidv7();

    const res = await send(packageId, {
      recipients: ['0812-8880-0001', '+6281288800001', '+62 812 8880 0002', 'not a phone'],
      contactIds: [dewi.id, fajar.id, unknown],
      content: { type: 'text', text: 'Sale' },
    });
    expect(res).toMatchObject({ status: 'queued', total: 7, queued: 1 });
    const today = new Date().toISOString().slice(0, 10);
    expect(res.skipped).toEqual([
      { recipient: '+6281288800001', phone: '+6281288800001', reason: 'duplicate: +6281288800001 is already in this request' },
      { recipient: '+62 812 8880 0002', phone: '+6281288800002', reason: 'no marketing consent on record: open chat is marketing, so a contact needs to have consented' },
      { recipient: 'not a phone', phone: null, reason: expect.stringMatching(/phone/) },
      { recipient: dewi.id, phone: '+6281288800001', reason: 'duplicate: +6281288800001 is already in this request' },
      { recipient: fajar.id, phone: '+6281288800003', reason: `opted out on ${today} (asked by phone): opted-out people never receive open chat` },
      { recipient: unknown, phone: null, reason: 'no such contact in this workspace' },
    ]);
    const messages = await messagesOf(res.requestId);
    expect(messages.map((m) => [m.phone, m.contactId])).toEqual([['+6281288800001', dewi.id]]);
    expect(messages.some((m) => m.phone === eko.phone || m.phone === fajar.phone)).toBe(false);
  });

  it('skips a typed number that replied "STOP" while it was not a contact, and one refused by WhatsApp for that reason', async () => {
    const { packageId, profileIds } = await senders(UNPACED, 1);
    const ingest = new EventIngest(h.c.db, systemClock);
    const ref = { workspaceId: owner.workspaceId, profileId: profileIds[0]! };
    ingest.event(ref, { type: 'inbound', providerMessageId: `in-${uuidv7()}`, from: '+6281277700001', text: 'STOP', at: Date.now() });
    ingest.optOut(ref, '+6281277700002', 'WhatsApp refused the message: the user stopped marketing messages');
    await ingest.close();

    const res = await send(packageId, { recipients: ['+6281277700001', '+6281277700002', '+6281277700003'], content: { type: 'text', text: 'Sale' } });
    const today = new Date().toISOString().slice(0, 10);
    expect(res.skipped).toEqual([
      { recipient: '+6281277700001', phone: '+6281277700001', reason: `opted out on ${today} (replied "STOP"): opted-out people never receive open chat` },
      {
        recipient: '+6281277700002',
        phone: '+6281277700002',
        reason: `opted out on ${today} (WhatsApp refused the message: the user stopped marketing messages): opted-out people never receive open chat`,
      },
    ]);
    expect((await messagesOf(res.requestId)).map((m) => m.phone)).toEqual(['+6281277700003']);
    // Becoming a contact (with consent) does not undo the number's own opt-out — created through the
    // API or by an import, the contact is opted out from the start — and a person opting the contact in does.
    const later = await createContact(api, { phone: '+6281277700001', name: 'Gita', consent: true });
    expect(later).toMatchObject({ optedOutAt: expect.any(String), optOutReason: 'replied "STOP"' });
    const imported = await importFile(h.app, cookieOf(owner), 'late.csv', 'phone,name,consent\n+6281277700002,Hadi,yes\n+6281277700004,Indah,yes\n');
    expect(imported.status).toBe('completed');
    const { rows: importedRows } = await h.c.db.pool.query('SELECT phone, opt_out_reason FROM contacts WHERE workspace_id = $1 AND phone = ANY($2) ORDER BY phone', [
      owner.workspaceId,
      ['+6281277700002', '+6281277700004'],
    ]);
    expect(importedRows).toEqual([
      { phone: '+6281277700002', opt_out_reason: 'WhatsApp refused the message: the user stopped marketing messages' },
      { phone: '+6281277700004', opt_out_reason: null },
    ]);
    expect((await send(packageId, { contactIds: [later.id], content: { type: 'text', text: 'Sale' } })).skipped).toEqual([
      { recipient: later.id, phone: '+6281277700001', reason: `opted out on ${today} (replied "STOP"): opted-out people never receive open chat` },
    ]);
    expect((await api('POST', `/api/v1/contacts/${later.id}/opt-in`)).statusCode).toBe(200);
    expect((await send(packageId, { contactIds: [later.id], content: { type: 'text', text: 'Sale' } })).skipped).toEqual([]);
    // Another workspace is not bound by this one's opt-outs.
    const other = await newOwner(h.app);
    const theirs = await senders(UNPACED, 1, other.api);
    expect((await send(theirs.packageId, { recipients: ['+6281277700001'], content: { type: 'text', text: 'Hi' } }, other.api)).skipped).toEqual([]);
  });

  it('a contact opted out by a person gets none of what was already queued for them', async () => {
    const { packageId } = await senders(UNPACED, 1);
    const jaya = await createContact(api, { phone: '+6281277700011', name: 'Jaya', consent: true });
    const res = await send(packageId, { contactIds: [jaya.id], content: { type: 'text', text: 'Tomorrow' }, options: { scheduleAt: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(res.queued).toBe(1);
    expect((await api('POST', `/api/v1/contacts/${jaya.id}/opt-out`, { reason: 'asked at the counter' })).statusCode).toBe(200);
    expect((await messagesOf(res.requestId)).map((m) => [m.status, m.reason])).toEqual([['skipped', 'the recipient opted out: asked at the counter']]);
  });

  it('sends nothing before scheduleAt', async () => {
    const { packageId, profileIds } = await senders(UNPACED, 1);
    const scheduleAt = new Date(Date.now() + 3000).toISOString();
    const res = await send(packageId, { recipients: ['+6281299900001', '+6281299900002'], content: { type: 'text', text: 'Later' }, options: { scheduleAt } });
    expect(res.scheduledAt).toBe(scheduleAt);
    expect(Date.parse(res.estimates[profileIds[0]!]!.firstAt!)).toBeGreaterThanOrEqual(Date.parse(scheduleAt));
    const queued = await messagesOf(res.requestId);
    expect(queued.map((m) => [m.status, m.notBefore])).toEqual([
      ['queued', scheduleAt],
      ['queued', scheduleAt],
    ]);
    await eventually(async () => (await messagesOf(res.requestId)).every((m) => m.status === 'read'), 30_000);
    for (const m of await messagesOf(res.requestId)) expect(Date.parse(m.sentAt!)).toBeGreaterThanOrEqual(Date.parse(scheduleAt));
  });

  it('estimates a later completion for a bigger batch, explains it, and stores it on the request', async () => {
    const small = await senders(HUMAN, 1);
    const big = await senders(HUMAN, 1);
    const phones = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `+62813${prefix}${String(i).padStart(4, '0')}`);
    const one = await send(small.packageId, { recipients: phones(1, '111'), content: { type: 'text', text: 'Hi' } });
    const thirty = await send(big.packageId, { recipients: phones(30, '222'), content: { type: 'text', text: 'Hi' } });
    expect(Date.parse(thirty.estimatedCompletion!)).toBeGreaterThan(Date.parse(one.estimatedCompletion!));
    const estimate = thirty.estimates[big.profileIds[0]!]!;
    expect(estimate.messages).toBe(30);
    expect(estimate.finishAt).toBe(thirty.estimatedCompletion);
    expect(estimate.explanation[0]).toMatch(/^30 messages: the last would leave in about /);
    // 30 messages at 20 an hour cannot all leave within an hour.
    expect(Date.parse(estimate.finishAt!) - Date.now()).toBeGreaterThan(3_600_000);
    expect(thirty.estimateExplanation).toMatch(/has the longest queue to work through: its last message should leave in about/);
    const tracked = (await api('GET', `/api/v1/send-requests/${thirty.requestId}`)).json();
    expect(tracked.estimatedCompletion).toBe(thirty.estimatedCompletion);
  });

  it('sends from one dedicated profile on the starter plan, and says so', async () => {
    const starter = await newOwner(h.app);
    const { packageId, profileIds } = await senders(UNPACED, 3, starter.api);
    const res = await send(packageId, { recipients: ['+6281244400001', '+6281244400002', '+6281244400003'], content: { type: 'text', text: 'Hi' } }, starter.api);
    const first = res.distribution[profileIds[0]!]!;
    expect(res.explanation).toBe(`starter plan: one dedicated profile, ${first.name}`);
    expect(first.count).toBe(3);
  });
});
