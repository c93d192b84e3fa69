import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { addMember, audit, client, cookieOf, keyClient, newOwner, type Client } from './support/api.ts';
import { addMedia, type TemplateJson } from './support/templates.ts';

describe.each(modes)('template access (%s)', (mode) => {
  let h: Harness;
  let A: Awaited<ReturnType<typeof newOwner>>;
  let B: Awaited<ReturnType<typeof newOwner>>;
  /** A's things, made by A before anyone else acts. */
  let aTemplate: TemplateJson;
  let aContactId: string;
  let aMediaId: string;
  /** B's owner session and B's owner API key: every case runs with both. */
  const intruders: Array<[string, Client]> = [];

  /** Everything of A's template that an intruder might change. */
  const snapshotOfA = async () => ({
    template: (await A.api('GET', `/api/v1/templates/${aTemplate.id}`)).json(),
    versions: (await A.api('GET', `/api/v1/templates/${aTemplate.id}/versions`)).json(),
    list: (await A.api('GET', '/api/v1/templates')).json(),
  });

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    A = await newOwner(h.app);
    B = await newOwner(h.app);
    aMediaId = await addMedia(h, A.workspaceId, 'image', 'image/jpeg', 'a-secret.jpg');
    aContactId = (await A.api('POST', '/api/v1/contacts', { phone: '+6281234511111', name: 'Secret', fields: { city: 'Medan' } })).json().id;
    aTemplate = (await A.api('POST', '/api/v1/templates', { name: 'A promo', type: 'image', body: 'For {{name}}', mediaId: aMediaId })).json();
    intruders.push(['B owner session', B.api], ['B owner API key', await keyClient(h.app, B, 'owner')]);
  });
  afterAll(async () => h?.close());

  it("cannot read, change, delete, copy or list the versions of another workspace's template", async () => {
    const before = await snapshotOfA();
    const id = aTemplate.id;
    for (const [who, b] of intruders) {
      for (const [method, url, body] of [
        ['GET', `/api/v1/templates/${id}`, undefined],
        ['PATCH', `/api/v1/templates/${id}`, { name: 'Taken over', body: 'pwned' }],
        ['DELETE', `/api/v1/templates/${id}`, undefined],
        ['POST', `/api/v1/templates/${id}/duplicate`, { name: 'Stolen' }],
        ['GET', `/api/v1/templates/${id}/versions`, undefined],
        ['GET', `/api/v1/templates/${id}/versions/1`, undefined],
      ] as const) {
        const res = await b(method, url, body);
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(404);
        expect(res.json().error).toEqual({ code: 'TEMPLATE_NOT_FOUND', message: 'No such template in this workspace' });
      }
      const list = (await b('GET', '/api/v1/templates?search=promo')).json().items as TemplateJson[];
      expect(list.map((t) => t.id), who).not.toContain(id);
    }
    expect(await snapshotOfA()).toEqual(before);
    expect((await audit(A.api, '&entityType=template')).map((e) => e.action)).toEqual(['template.create']);
    expect((await audit(B.api, '&entityType=template')).map((e) => e.action)).toEqual([]);
  });

  it("cannot preview with another workspace's contact", async () => {
    for (const [who, b] of intruders) {
      const res = await b('POST', '/api/v1/templates/preview', { body: 'Hi {{name}} in {{city}}', contactId: aContactId });
      expect(res.statusCode, who).toBe(404);
      expect(res.json().error.code).toBe('CONTACT_NOT_FOUND');
      expect(res.body).not.toContain('Secret');
      expect(res.body).not.toContain('Medan');
    }
  });

  it("cannot attach another workspace's media, and learns nothing about it", async () => {
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    const own = (await B.api('POST', '/api/v1/templates', { name: 'B text', body: 'Hi' })).json() as TemplateJson;
    for (const [who, b] of intruders) {
      const answers = [];
      for (const mediaId of [aMediaId, unknown]) {
        const made = await b('POST', '/api/v1/templates', { name: `B image ${who}`, type: 'image', body: '', mediaId });
        const patched = await b('PATCH', `/api/v1/templates/${own.id}`, { type: 'image', body: '', mediaId });
        for (const res of [made, patched]) {
          expect(res.statusCode, who).toBe(400);
          expect(res.body).not.toContain('a-secret.jpg');
          answers.push(res.json().error);
        }
      }
      expect(answers[0]).toEqual({ code: 'MEDIA_NOT_FOUND', message: "No such media in this workspace's library", details: { mediaId: aMediaId } });
      // A's media and an id no one has answer alike.
      expect(answers[2]).toEqual({ ...answers[0], details: { mediaId: unknown } });
    }
    const list = (await B.api('GET', '/api/v1/templates')).json().items as TemplateJson[];
    expect(list.map((t) => [t.name, t.type, t.version])).toEqual([['B text', 'text', 1]]);
  });

  it('lets a supervisor read and preview but not write', async () => {
    const before = await snapshotOfA();
    const supervisors: Array<[string, Client]> = [
      ['supervisor session', client(h.app, cookieOf(await addMember(h.app, A, 'supervisor')))],
      ['supervisor key', await keyClient(h.app, A, 'supervisor')],
    ];
    for (const [who, s] of supervisors) {
      expect((await s('GET', '/api/v1/templates')).json().items.map((t: TemplateJson) => t.id), who).toEqual([aTemplate.id]);
      expect((await s('GET', `/api/v1/templates/${aTemplate.id}`)).json(), who).toEqual(before.template);
      expect((await s('GET', `/api/v1/templates/${aTemplate.id}/versions/1`)).statusCode, who).toBe(200);
      const preview = await s('POST', '/api/v1/templates/preview', { body: 'Hi {{name}} in {{city}}', contactId: aContactId });
      expect(preview.json().text, who).toBe('Hi Secret in Medan');
      for (const [method, url, body] of [
        ['POST', '/api/v1/templates', { name: 'Sup', body: 'x' }],
        ['PATCH', `/api/v1/templates/${aTemplate.id}`, { body: 'changed' }],
        ['DELETE', `/api/v1/templates/${aTemplate.id}`, undefined],
        ['POST', `/api/v1/templates/${aTemplate.id}/duplicate`, {}],
      ] as const) {
        const res = await s(method, url, body);
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
    expect(await snapshotOfA()).toEqual(before);
  });

  it('gives an agent nothing of templates', async () => {
    const agent = client(h.app, cookieOf(await addMember(h.app, A, 'agent')));
    for (const [method, url, body] of [
      ['GET', '/api/v1/templates', undefined],
      ['GET', `/api/v1/templates/${aTemplate.id}`, undefined],
      ['POST', '/api/v1/templates/preview', { body: 'Hi {{name}}', contactId: aContactId }],
    ] as const) {
      expect((await agent(method, url, body)).statusCode, url).toBe(403);
    }
  });
});
