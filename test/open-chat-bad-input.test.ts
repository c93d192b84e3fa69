import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { cookieOf, createContact, newOwner, otherWorkspace, type Client } from './support/api.ts';
import * as files from './fixtures/media/files.ts';
import { uploadMedia } from './fixtures/media/upload.ts';

type Owner = Awaited<ReturnType<typeof newOwner>>;

/** A package whose one simulated profile can send (simulator numbers are connected at once). */
async function sendingPackage(api: Client): Promise<{ packageId: string; profileId: string }> {
  const p = await api('POST', '/api/v1/profiles', {
    name: `Sim ${uuidv7().slice(-6)}`,
    phone: `+62812${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    transport: 'simulator',
  });
  expect(p.statusCode, p.body).toBe(201);
  const pkg = await api('POST', '/api/v1/packages', { name: `Pkg ${uuidv7().slice(-6)}` });
  expect(pkg.statusCode, pkg.body).toBe(201);
  expect((await api('PUT', `/api/v1/packages/${pkg.json().id}/profiles`, { profileIds: [p.json().id] })).statusCode).toBe(200);
  return { packageId: pkg.json().id, profileId: p.json().id };
}

const TEXT = { type: 'text', text: 'Hello' };

/**
 * What POST /packages/{id}/messages/open refuses, and how: a request is refused whole only for
 * what concerns all of it (no recipients, too many, content that cannot be sent, a schedule in the
 * past, a package that cannot send); one recipient's problem only skips that recipient. A refused
 * request leaves nothing behind. Another workspace's package, template, media, contacts, requests
 * and messages answer exactly like ids that do not exist.
 */
describe.each(modes)('open chat, bad input and other workspaces (%s)', (mode) => {
  let h: Harness;
  let A: Owner;
  let packageId: string;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    A = await newOwner(h.app);
    ({ packageId } = await sendingPackage(A.api));
  });
  afterAll(async () => h?.close());

  const open = (body: unknown, as: Client = A.api, pkg = packageId) => as('POST', `/api/v1/packages/${pkg}/messages/open`, body);
  const requestsOf = async (workspaceId: string) =>
    (await h.c.db.pool.query<{ n: number }>('SELECT (SELECT count(*) FROM send_requests WHERE workspace_id = $1)::int + (SELECT count(*) FROM campaign_messages WHERE workspace_id = $1)::int AS n', [workspaceId])).rows[0]!.n;

  async function refused(body: unknown, status: number, code: string, message?: RegExp) {
    const before = await requestsOf(A.workspaceId);
    const res = await open(body);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code, res.body).toBe(code);
    if (message) expect(res.json().error.message).toMatch(message);
    expect(await requestsOf(A.workspaceId), 'a refused request writes nothing').toBe(before);
    return res.json().error;
  }

  it('refuses a request without recipients', async () => {
    await refused({ content: TEXT }, 400, 'NO_RECIPIENTS', /recipients.*contactIds/);
    await refused({ recipients: [], contactIds: [], content: TEXT }, 400, 'NO_RECIPIENTS');
  });

  it('refuses more than 10,000 recipients, counting phones and contacts together', async () => {
    const phones = Array.from({ length: 9_999 }, (_, i) => `+62813${String(i).padStart(7, '0')}`);
    const err = await refused({ recipients: phones, contactIds: [uuidv7(), uuidv7()], content: TEXT }, 400, 'TOO_MANY_RECIPIENTS', /At most 10,000 recipients per request .* this one has 10,001/);
    expect(err.details).toEqual({ max: 10_000, given: 10_001 });
  });

  it('refuses a schedule in the past or that is not a date', async () => {
    await refused({ recipients: ['+6281234567001'], content: TEXT, options: { scheduleAt: '2020-01-01T00:00:00Z' } }, 400, 'SCHEDULE_IN_PAST', /2020-01-01T00:00:00Z.*has already passed/);
    await refused({ recipients: ['+6281234567001'], content: TEXT, options: { scheduleAt: 'tomorrow' } }, 400, 'VALIDATION_FAILED', /options\.scheduleAt/);
  });

  it('refuses content it cannot send, naming what is wrong', async () => {
    const one = { recipients: ['+6281234567001'] };
    await refused({ ...one }, 400, 'VALIDATION_FAILED', /content/);
    await refused({ ...one, content: { type: 'fax', text: 'x' } }, 400, 'VALIDATION_FAILED', /content.type is one of text, template, media/);
    await refused({ ...one, content: { type: 'text', text: '   ' } }, 400, 'VALIDATION_FAILED', /content\.text/);
    await refused({ ...one, content: { type: 'text', text: 'x'.repeat(4097) } }, 400, 'VALIDATION_FAILED', /4,096/);
    await refused({ ...one, content: { type: 'media', mediaId: uuidv7(), caption: 'x'.repeat(1025) } }, 400, 'VALIDATION_FAILED', /1,024/);

    const templateId = uuidv7();
    const t = await refused({ ...one, content: { type: 'template', templateId } }, 400, 'TEMPLATE_NOT_FOUND', new RegExp(`No template ${templateId}`));
    expect(t.details).toEqual({ templateId });
    const made = await A.api('POST', '/api/v1/templates', { name: `T ${uuidv7().slice(-6)}`, body: 'Hi {{name}}' });
    await refused({ ...one, content: { type: 'template', templateId: made.json().id, version: 7 } }, 400, 'TEMPLATE_VERSION_NOT_FOUND', /has no version 7 \(its current one is 1\)/);

    const mediaId = uuidv7();
    const m = await refused({ ...one, content: { type: 'media', mediaId } }, 400, 'MEDIA_NOT_FOUND', new RegExp(`No media ${mediaId}`));
    expect(m.details).toEqual({ mediaId });
    const audio = await uploadMedia(h.app, cookieOf(A), 'note.mp3', files.mp3());
    expect(audio.statusCode, audio.body).toBe(201);
    await refused({ ...one, content: { type: 'media', mediaId: audio.json().id, caption: 'Listen' } }, 400, 'CAPTION_NOT_ALLOWED', /Audio messages have no caption/);
  });

  it('refuses unknown fields, a strategy it does not know and entries that are not phones or ids', async () => {
    await refused({ recipients: ['+6281234567001'], content: TEXT, options: { schedule_at: '2030-01-01T00:00:00Z' } }, 400, 'VALIDATION_FAILED', /schedule_at/);
    await refused({ recipients: ['+6281234567001'], content: TEXT, distribution: 'fastest' }, 400, 'VALIDATION_FAILED', /one of round_robin, random, weighted, smart/);
    await refused({ recipients: [{ phone: '+6281234567001' }], content: TEXT }, 400, 'VALIDATION_FAILED', /recipients/);
    await refused({ contactIds: ['ana'], content: TEXT }, 400, 'VALIDATION_FAILED', /contactIds/);
  });

  it('answers 404 for a package it does not have, and 409 with each profile\'s reason when none can send', async () => {
    const res = await open({ recipients: ['+6281234567001'], content: TEXT }, A.api, uuidv7());
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'PACKAGE_NOT_FOUND', message: 'No such package in this workspace' });

    const empty = await A.api('POST', '/api/v1/packages', { name: `Empty ${uuidv7().slice(-6)}` });
    const none = await open({ recipients: ['+6281234567001'], content: TEXT }, A.api, empty.json().id);
    expect(none.statusCode).toBe(409);
    expect(none.json().error).toMatchObject({ code: 'NO_SENDING_PROFILES', message: expect.stringMatching(/has no profiles: add at least one/) });

    const paused = await sendingPackage(A.api);
    expect((await A.api('POST', `/api/v1/profiles/${paused.profileId}/pause`, { reason: 'on holiday' })).statusCode).toBe(200);
    const res409 = await open({ recipients: ['+6281234567001'], content: TEXT }, A.api, paused.packageId);
    expect(res409.statusCode).toBe(409);
    const err = res409.json().error;
    expect(err.code).toBe('NO_SENDING_PROFILES');
    expect(err.message).toMatch(/No profile of package ".*" can send open chat now: Sim .*: the profile is paused \(Paused by hand: on holiday\)/);
    expect(err.details.profiles).toEqual([{ profileId: paused.profileId, name: expect.any(String), reason: 'the profile is paused (Paused by hand: on holiday)' }]);
  });

  it('skips numbers it cannot read instead of failing the request, and reports a request where everyone was skipped', async () => {
    const res = await open({ recipients: ['+6281234567001', 'abc', '', 123, '+1 555'], content: TEXT });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ status: 'queued', total: 5, queued: 1 });
    expect(body.skipped.map((s: { recipient: string }) => s.recipient)).toEqual(['abc', '', '123', '+1 555']);
    for (const s of body.skipped) expect(s).toEqual({ recipient: expect.any(String), phone: null, reason: expect.stringMatching(/phone/) });

    const all = await open({ recipients: ['abc'], content: TEXT });
    expect(all.statusCode).toBe(202);
    expect(all.json()).toMatchObject({ status: 'skipped', total: 1, queued: 0, estimatedCompletion: null, estimateExplanation: 'nothing was queued' });
    const tracked = await A.api('GET', `/api/v1/send-requests/${all.json().requestId}`);
    expect(tracked.json()).toMatchObject({ total: 1, messages: 0, notQueued: 1, status: 'completed' });
  });

  it('answers 400 for bad tracking queries and 404 for requests and messages it does not have', async () => {
    const sent = await open({ recipients: ['+6281234567002'], content: TEXT });
    const id = sent.json().requestId;
    expect((await A.api('GET', `/api/v1/send-requests/${id}/messages?cursor=nope`)).json().error.code).toBe('INVALID_CURSOR');
    expect((await A.api('GET', `/api/v1/send-requests/${id}/messages?status=lost`)).statusCode).toBe(400);
    expect((await A.api('GET', `/api/v1/send-requests/${id}/messages?limit=0`)).statusCode).toBe(400);
    expect((await A.api('GET', '/api/v1/send-requests/not-a-uuid')).statusCode).toBe(400);
    for (const url of [`/api/v1/send-requests/${uuidv7()}`, `/api/v1/send-requests/${uuidv7()}/messages`, `/api/v1/messages/${uuidv7()}`]) {
      expect((await A.api('GET', url)).statusCode, url).toBe(404);
    }
  });

  it("cannot use or see another workspace's package, template, media, contacts, requests or messages", async () => {
    const contact = await createContact(A.api, { phone: '+6281234567003', name: 'Ana', consent: true });
    const template = (await A.api('POST', '/api/v1/templates', { name: `Mine ${uuidv7().slice(-6)}`, body: 'Hi {{name}}' })).json();
    const media = (await uploadMedia(h.app, cookieOf(A), 'a.png', files.png())).json();
    const sent = (await open({ contactIds: [contact.id], content: TEXT })).json();
    const [message] = (await A.api('GET', `/api/v1/send-requests/${sent.requestId}/messages`)).json().items;

    const B = await otherWorkspace(h.app);
    const own = await sendingPackage(B.api);
    const unknown = uuidv7();
    const same = async (theirs: () => Promise<{ statusCode: number; body: string }>, nobody: () => Promise<{ statusCode: number; body: string }>, ids: [string, string]) => {
      const [a, b] = [await theirs(), await nobody()];
      expect(a.statusCode).toBe(b.statusCode);
      expect(a.body.replaceAll(ids[0], 'ID')).toBe(b.body.replaceAll(ids[1], 'ID'));
    };
    for (const as of [B.api, B.keyApi]) {
      await same(() => open({ recipients: ['+6281234567001'], content: TEXT }, as, packageId), () => open({ recipients: ['+6281234567001'], content: TEXT }, as, unknown), [packageId, unknown]);
      await same(
        () => open({ recipients: ['+6281234567001'], content: { type: 'template', templateId: template.id } }, as, own.packageId),
        () => open({ recipients: ['+6281234567001'], content: { type: 'template', templateId: unknown } }, as, own.packageId),
        [template.id, unknown],
      );
      await same(
        () => open({ recipients: ['+6281234567001'], content: { type: 'media', mediaId: media.id } }, as, own.packageId),
        () => open({ recipients: ['+6281234567001'], content: { type: 'media', mediaId: unknown } }, as, own.packageId),
        [media.id, unknown],
      );
      const viaContact = (await open({ contactIds: [contact.id], content: TEXT }, as, own.packageId)).json();
      expect(viaContact).toMatchObject({ status: 'skipped', queued: 0, skipped: [{ recipient: contact.id, phone: null, reason: 'no such contact in this workspace' }] });
      for (const [url, other] of [
        [`/api/v1/send-requests/${sent.requestId}`, `/api/v1/send-requests/${unknown}`],
        [`/api/v1/send-requests/${sent.requestId}/messages`, `/api/v1/send-requests/${unknown}/messages`],
        [`/api/v1/messages/${message.id}`, `/api/v1/messages/${unknown}`],
      ] as const) {
        await same(() => as('GET', url), () => as('GET', other), [url.includes(message.id) ? message.id : sent.requestId, unknown]);
        expect((await as('GET', url)).statusCode).toBe(404);
      }
    }
    const { rows } = await h.c.db.pool.query('SELECT count(*)::int AS n FROM campaign_messages WHERE workspace_id = $1', [B.workspaceId]);
    expect(rows[0].n, "nothing was queued for A's contact from B").toBe(0);
    expect((await A.api('GET', `/api/v1/messages/${message.id}`)).json()).toMatchObject({ phone: contact.phone, status: 'queued' });
  });
});
