import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import {
  addMember,
  bearer,
  client,
  createApiKey,
  login,
  newOwner,
  otherWorkspace,
  PASSWORD,
  registeredApiRoutes,
  routeKey,
  type Client,
} from './support/api.ts';

/** The areas this file guards; every route in them must have a case below. */
const AREAS = /^\/api\/v1\/(workspace|members|api-keys|audit|contacts|lists)(\/|$)/;

/**
 * Routes with an id outside these areas, and the test that proves another workspace cannot reach
 * them. A new route with an id fails this file until it is covered here or listed there.
 */
const ISOLATION_TESTED_ELSEWHERE: Record<string, string> = {
  'GET /api/v1/imports/:id': 'test/imports-access.test.ts',
  'POST /api/v1/imports/:id/start': 'test/imports-access.test.ts',
  'GET /api/v1/imports/:id/rejections.csv': 'test/imports-access.test.ts',
  'GET /api/v1/templates/:id': 'test/templates-access.test.ts',
  'PATCH /api/v1/templates/:id': 'test/templates-access.test.ts',
  'DELETE /api/v1/templates/:id': 'test/templates-access.test.ts',
  'GET /api/v1/templates/:id/versions': 'test/templates-access.test.ts',
  'GET /api/v1/templates/:id/versions/:version': 'test/templates-access.test.ts',
  'POST /api/v1/templates/:id/duplicate': 'test/templates-access.test.ts',
  'GET /api/v1/media/:id': 'test/media-access.test.ts',
  'GET /api/v1/media/:id/content': 'test/media-access.test.ts',
  'DELETE /api/v1/media/:id': 'test/media-access.test.ts',
  'GET /api/v1/segments/:id': 'test/segments-access.test.ts',
  'PATCH /api/v1/segments/:id': 'test/segments-access.test.ts',
  'DELETE /api/v1/segments/:id': 'test/segments-access.test.ts',
  'POST /api/v1/segments/:id/refresh': 'test/segments-access.test.ts',
  'GET /api/v1/segments/:id/contacts': 'test/segments-access.test.ts',
  'GET /api/v1/profiles/:id': 'test/senders-access.test.ts',
  'PATCH /api/v1/profiles/:id': 'test/senders-access.test.ts',
  'DELETE /api/v1/profiles/:id': 'test/senders-access.test.ts',
  'POST /api/v1/profiles/:id/pause': 'test/senders-access.test.ts',
  'POST /api/v1/profiles/:id/resume': 'test/senders-access.test.ts',
  'GET /api/v1/packages/:id': 'test/senders-access.test.ts',
  'PATCH /api/v1/packages/:id': 'test/senders-access.test.ts',
  'DELETE /api/v1/packages/:id': 'test/senders-access.test.ts',
  'PUT /api/v1/packages/:id/profiles': 'test/senders-access.test.ts',
  'GET /api/v1/packages/:id/profiles/:profileId/settings': 'test/senders-access.test.ts',
  'GET /api/v1/packages/:id/usage': 'test/usage.test.ts',
  'POST /api/v1/packages/:id/messages/open': 'test/open-chat-bad-input.test.ts',
  'GET /api/v1/send-requests/:id': 'test/open-chat-bad-input.test.ts',
  'GET /api/v1/send-requests/:id/messages': 'test/open-chat-bad-input.test.ts',
  'GET /api/v1/messages/:id': 'test/open-chat-bad-input.test.ts',
};

describe.each(modes)('tenant isolation (%s)', (mode) => {
  let h: Harness;
  let A: Awaited<ReturnType<typeof newOwner>>;
  let asA: Client;
  /** A's things, made by A before B acts. */
  const a = {} as {
    contact: { id: string; phone: string; name: string };
    optedOut: { id: string };
    list: { id: string; name: string };
    member: { userId: string; email: string };
    /** An agent of A whom B adds to B: that user is then legitimately B's too, so no other case uses them. */
    joiner: { userId: string; email: string };
    key: { id: string; key: string };
  };
  let snapshotBefore: unknown;
  /** B's owner session and B's owner API key: each case runs with both. */
  const attackers: Array<[string, Client]> = [];
  let bListId: string;
  let bContactId: string;

  /** Everything of A that B might touch, as A sees it (lastUsedAt moves when A's key is used, so it is left out). */
  const snapshotOfA = async () => {
    const get = async (url: string) => {
      const res = await asA('GET', url);
      expect(res.statusCode, url).toBe(200);
      return res.json();
    };
    const keys = (await get('/api/v1/api-keys')).items.map((k: Record<string, unknown>) => ({ ...k, lastUsedAt: undefined }));
    return {
      workspace: await get('/api/v1/workspace'),
      members: await get('/api/v1/members'),
      keys,
      contacts: await get('/api/v1/contacts'),
      contact: await get(`/api/v1/contacts/${a.contact.id}`),
      fields: await get('/api/v1/contacts/fields'),
      lists: await get('/api/v1/lists'),
      listContacts: await get(`/api/v1/contacts?listId=${a.list.id}`),
      audit: await get('/api/v1/audit?limit=500'),
    };
  };

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    A = await newOwner(h.app, { workspaceName: 'Workspace A' });
    asA = A.api;
    const c = await asA('POST', '/api/v1/contacts', { phone: '+6281234567890', name: 'Alice of A', fields: { secret_a_field: 'a-only' }, labels: ['a-label'] });
    a.contact = c.json();
    a.optedOut = (await asA('POST', '/api/v1/contacts', { phone: '+6281234567899', name: 'Opted out of A' })).json();
    await asA('POST', `/api/v1/contacts/${a.optedOut.id}/opt-out`, { reason: 'asked' });
    a.list = (await asA('POST', '/api/v1/lists', { name: 'A customers' })).json();
    await asA('POST', `/api/v1/lists/${a.list.id}/members`, { contactIds: [a.contact.id] });
    a.member = await addMember(h.app, A, 'supervisor');
    a.joiner = await addMember(h.app, A, 'agent');
    a.key = await createApiKey(h.app, A, 'owner', 'A integration');

    const B = await otherWorkspace(h.app, { workspaceName: 'Workspace B' }, 'B integration');
    attackers.push(['B session', B.api], ['B API key', B.keyApi]);
    bContactId = (await B.api('POST', '/api/v1/contacts', { phone: '+6281111111111', name: 'Bob of B' })).json().id;
    bListId = (await B.api('POST', '/api/v1/lists', { name: 'B customers' })).json().id;
    snapshotBefore = await snapshotOfA();
  });
  afterAll(async () => h?.close());

  const expect404 = async (res: Awaited<ReturnType<Client>>, what: string) => {
    expect(res.statusCode, `${what}: ${res.body}`).toBe(404);
    expect(res.json().error.code, what).toMatch(/_NOT_FOUND$/);
  };
  const ids = (res: Awaited<ReturnType<Client>>) => (res.json().items as Array<Record<string, string>>).map((x) => x.id ?? x.userId ?? x.key);

  /** One case per route: B (session and API key) tries to read or change A's data through it. */
  const cases: Record<string, (b: Client, who: string) => Promise<void>> = {
    'GET /api/v1/workspace': async (b) => {
      const res = await b('GET', '/api/v1/workspace');
      expect(res.json().id).not.toBe(A.workspaceId);
      expect(res.json().name).not.toBe('Workspace A');
    },
    'PATCH /api/v1/workspace': async (b, who) => {
      const res = await b('PATCH', '/api/v1/workspace', { name: `Renamed by ${who}`, defaultCountry: 'US' });
      expect(res.statusCode).toBe(200);
      expect(res.json().id).not.toBe(A.workspaceId);
      expect((await asA('GET', '/api/v1/workspace')).json()).toMatchObject({ name: 'Workspace A', defaultCountry: 'ID' });
    },
    'GET /api/v1/members': async (b) => {
      const members = ids(await b('GET', '/api/v1/members'));
      expect(members).not.toContain(A.userId);
      expect(members).not.toContain(a.member.userId);
    },
    'POST /api/v1/members': async (b) => {
      // Adding a person of A to B is allowed (people may belong to several workspaces) but must not
      // change their role in A, their name or their password.
      const res = await b('POST', '/api/v1/members', { email: a.joiner.email, name: 'Hijack', role: 'owner', password: 'new password 123' });
      expect([201, 409]).toContain(res.statusCode);
      expect((await login(h.app, a.joiner.email, 'new password 123')).statusCode).toBe(401);
      const l = await login(h.app, a.joiner.email, PASSWORD);
      expect(l.statusCode).toBe(200);
      expect(l.json().workspaces).toContainEqual({ id: A.workspaceId, name: 'Workspace A', role: 'agent' });
    },
    'PATCH /api/v1/members/:userId': async (b) => {
      await expect404(await b('PATCH', `/api/v1/members/${a.member.userId}`, { role: 'agent' }), 'demote A member');
      await expect404(await b('PATCH', `/api/v1/members/${A.userId}`, { role: 'agent' }), 'demote A owner');
    },
    'DELETE /api/v1/members/:userId': async (b) => {
      await expect404(await b('DELETE', `/api/v1/members/${a.member.userId}`), 'remove A member');
      await expect404(await b('DELETE', `/api/v1/members/${A.userId}`), 'remove A owner');
      expect((await asA('GET', '/api/v1/me')).statusCode).toBe(200);
    },
    'GET /api/v1/api-keys': async (b) => {
      expect(ids(await b('GET', '/api/v1/api-keys'))).not.toContain(a.key.id);
    },
    'POST /api/v1/api-keys': async (b) => {
      const made = (await b('POST', '/api/v1/api-keys', { name: 'B made', role: 'owner' })).json();
      expect((await client(h.app, bearer(made.key))('GET', '/api/v1/workspace')).json().id).not.toBe(A.workspaceId);
      expect(ids(await asA('GET', '/api/v1/api-keys'))).not.toContain(made.id);
    },
    'DELETE /api/v1/api-keys/:id': async (b) => {
      await expect404(await b('DELETE', `/api/v1/api-keys/${a.key.id}`), 'revoke A key');
      const stillWorks = await client(h.app, bearer(a.key.key))('GET', '/api/v1/workspace');
      expect(stillWorks.statusCode).toBe(200);
      expect(stillWorks.json().id).toBe(A.workspaceId);
    },
    'GET /api/v1/audit': async (b) => {
      const aIds = [a.contact.id, a.optedOut.id, a.list.id, a.member.userId, a.key.id, A.workspaceId];
      const all = (await b('GET', '/api/v1/audit?limit=500')).json().items as Array<{ entityId: string; actorUserId: string | null }>;
      expect(all.length).toBeGreaterThan(0);
      for (const e of all) {
        expect(aIds).not.toContain(e.entityId);
        expect(e.actorUserId).not.toBe(A.userId);
      }
      for (const id of aIds) expect((await b('GET', `/api/v1/audit?entityId=${id}`)).json().items).toEqual([]);
    },
    'GET /api/v1/contacts': async (b) => {
      const queries = ['', 'search=Alice', 'search=081234567890', 'label=a-label', `listId=${a.list.id}`, 'field=secret_a_field&value=a-only', 'field=secret_a_field', 'optedOut=true', 'limit=500'];
      for (const q of queries) {
        const found = ids(await b('GET', `/api/v1/contacts?${q}`));
        expect(found, q).not.toContain(a.contact.id);
        expect(found, q).not.toContain(a.optedOut.id);
      }
    },
    'GET /api/v1/contacts/fields': async (b) => {
      expect(ids(await b('GET', '/api/v1/contacts/fields'))).not.toContain('secret_a_field');
    },
    'POST /api/v1/contacts': async (b, who) => {
      // The same phone is a different contact in B: no conflict that would reveal A has it.
      const res = await b('POST', '/api/v1/contacts', { phone: a.contact.phone, name: `B copy by ${who}` });
      expect([201, 409]).toContain(res.statusCode);
      if (res.statusCode === 409) expect(res.json().error.details.contactId).not.toBe(a.contact.id);
      else expect(res.json().id).not.toBe(a.contact.id);
    },
    'GET /api/v1/contacts/:id': async (b) => {
      await expect404(await b('GET', `/api/v1/contacts/${a.contact.id}`), 'read A contact');
    },
    'PATCH /api/v1/contacts/:id': async (b) => {
      await expect404(await b('PATCH', `/api/v1/contacts/${a.contact.id}`, { name: 'pwned', fields: { secret_a_field: null } }), 'patch A contact');
    },
    'DELETE /api/v1/contacts/:id': async (b) => {
      await expect404(await b('DELETE', `/api/v1/contacts/${a.contact.id}`), 'delete A contact');
    },
    'POST /api/v1/contacts/:id/opt-out': async (b) => {
      await expect404(await b('POST', `/api/v1/contacts/${a.contact.id}/opt-out`, { reason: 'B says so' }), 'opt out A contact');
    },
    'POST /api/v1/contacts/:id/opt-in': async (b) => {
      await expect404(await b('POST', `/api/v1/contacts/${a.optedOut.id}/opt-in`), 'opt in A contact');
    },
    'GET /api/v1/lists': async (b) => {
      expect(ids(await b('GET', '/api/v1/lists?limit=500'))).not.toContain(a.list.id);
    },
    'POST /api/v1/lists': async (b) => {
      const res = await b('POST', '/api/v1/lists', { name: a.list.name });
      expect([201, 409]).toContain(res.statusCode);
      expect(res.json().id).not.toBe(a.list.id);
    },
    'GET /api/v1/lists/:id': async (b) => {
      await expect404(await b('GET', `/api/v1/lists/${a.list.id}`), 'read A list');
    },
    'PATCH /api/v1/lists/:id': async (b) => {
      await expect404(await b('PATCH', `/api/v1/lists/${a.list.id}`, { name: 'pwned' }), 'rename A list');
    },
    'DELETE /api/v1/lists/:id': async (b) => {
      await expect404(await b('DELETE', `/api/v1/lists/${a.list.id}`), 'delete A list');
    },
    'POST /api/v1/lists/:id/members': async (b) => {
      await expect404(await b('POST', `/api/v1/lists/${a.list.id}/members`, { contactIds: [bContactId] }), 'add to A list');
      const res = await b('POST', `/api/v1/lists/${bListId}/members`, { contactIds: [a.contact.id, a.optedOut.id] });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ added: 0 });
      const { rows } = await h.c.db.pool.query('SELECT count(*)::int AS n FROM list_members WHERE list_id = $1 AND contact_id = ANY($2::uuid[])', [
        bListId,
        [a.contact.id, a.optedOut.id],
      ]);
      expect(rows[0].n).toBe(0);
    },
    'DELETE /api/v1/lists/:id/members': async (b) => {
      await expect404(await b('DELETE', `/api/v1/lists/${a.list.id}/members`, { contactIds: [a.contact.id] }), 'remove from A list');
      expect((await b('DELETE', `/api/v1/lists/${bListId}/members`, { contactIds: [a.contact.id] })).json()).toEqual({ removed: 0 });
    },
  };

  it('has a case for every route of its areas, and every route with an id is covered somewhere', () => {
    const registered = registeredApiRoutes(h.app).map(routeKey);
    expect(registered).toContain('GET /api/v1/contacts/:id');
    const uncovered = registered.filter((k) => AREAS.test(k.split(' ')[1]!) && !(k in cases));
    expect(uncovered, 'add a case for these routes to test/tenant-isolation.test.ts').toEqual([]);
    const withId = registered.filter((k) => /\/:/.test(k) && !(k in cases) && !(k in ISOLATION_TESTED_ELSEWHERE));
    expect(withId, 'routes with an id that no tenant-isolation test covers').toEqual([]);
    expect(Object.keys(cases).filter((k) => !registered.includes(k)), 'cases for routes that do not exist').toEqual([]);
  });

  it.each(Object.keys(cases))('B cannot read or change A through %s', async (route) => {
    for (const [who, b] of attackers) await cases[route]!(b, who);
  });

  it("leaves every piece of A's data exactly as it was", async () => {
    expect(await snapshotOfA()).toEqual(snapshotBefore);
    const contact = (await asA('GET', `/api/v1/contacts/${a.contact.id}`)).json();
    expect(contact).toMatchObject({ name: 'Alice of A', fields: { secret_a_field: 'a-only' }, optedOutAt: null });
    expect((await asA('GET', `/api/v1/contacts/${a.optedOut.id}`)).json().optedOutAt).not.toBeNull();
    expect((await asA('GET', `/api/v1/lists/${a.list.id}`)).json()).toMatchObject({ name: 'A customers', memberCount: 1 });
    const members = (await asA('GET', '/api/v1/members')).json().items;
    expect(members.find((m: { userId: string }) => m.userId === a.member.userId).role).toBe('supervisor');
    expect((await asA('GET', '/api/v1/api-keys')).json().items.find((k: { id: string }) => k.id === a.key.id).revokedAt).toBeNull();
  });
});
