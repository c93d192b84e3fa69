import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Permission, type Role } from '../src/domain/roles.ts';
import { modes, startHarness, type Harness } from './support/harness.ts';
import {
  addMember,
  bearer,
  client,
  cookieOf,
  createApiKey,
  fillParams,
  newOwner,
  registeredApiRoutes,
  routeKey,
  type Creds,
  type RegisteredRoute,
} from './support/api.ts';

const PUBLIC = new Set(['POST /api/v1/auth/signup', 'POST /api/v1/auth/login', 'POST /api/v1/auth/logout']);

/** What an agent may reach: who they are, their workspace and the media library (to send files in chats). Chat routes join this list when they come. */
const AGENT_ALLOWED = new Set([
  'GET /api/v1/me',
  'POST /api/v1/me/workspace',
  'GET /api/v1/workspace',
  'GET /api/v1/ws',
  'GET /api/v1/media',
  'GET /api/v1/media/limits',
  'GET /api/v1/media/:id',
  'GET /api/v1/media/:id/content',
]);

/** The permission each route of these areas must enforce (brief: per-route permissions from roles.ts). */
const PERMISSION: Record<string, Permission> = {
  'GET /api/v1/me': 'workspace:read',
  'POST /api/v1/me/workspace': 'workspace:read',
  'GET /api/v1/workspace': 'workspace:read',
  'PATCH /api/v1/workspace': 'workspace:manage',
  'GET /api/v1/members': 'members:read',
  'POST /api/v1/members': 'members:manage',
  'PATCH /api/v1/members/:userId': 'members:manage',
  'DELETE /api/v1/members/:userId': 'members:manage',
  'GET /api/v1/api-keys': 'api_keys:manage',
  'POST /api/v1/api-keys': 'api_keys:manage',
  'DELETE /api/v1/api-keys/:id': 'api_keys:manage',
  'GET /api/v1/audit': 'audit:read',
  'GET /api/v1/contacts': 'contacts:read',
  'GET /api/v1/contacts/fields': 'contacts:read',
  'GET /api/v1/contacts/:id': 'contacts:read',
  'POST /api/v1/contacts': 'contacts:write',
  'PATCH /api/v1/contacts/:id': 'contacts:write',
  'DELETE /api/v1/contacts/:id': 'contacts:write',
  'POST /api/v1/contacts/:id/opt-out': 'contacts:consent',
  'POST /api/v1/contacts/:id/opt-in': 'contacts:consent',
  'GET /api/v1/lists': 'lists:read',
  'GET /api/v1/lists/:id': 'lists:read',
  'POST /api/v1/lists': 'lists:write',
  'PATCH /api/v1/lists/:id': 'lists:write',
  'DELETE /api/v1/lists/:id': 'lists:write',
  'POST /api/v1/lists/:id/members': 'lists:write',
  'DELETE /api/v1/lists/:id/members': 'lists:write',
  'GET /api/v1/templates': 'templates:read',
  'POST /api/v1/templates': 'templates:write',
  'POST /api/v1/templates/preview': 'templates:read',
  'GET /api/v1/templates/:id': 'templates:read',
  'PATCH /api/v1/templates/:id': 'templates:write',
  'DELETE /api/v1/templates/:id': 'templates:write',
  'GET /api/v1/templates/:id/versions': 'templates:read',
  'GET /api/v1/templates/:id/versions/:version': 'templates:read',
  'POST /api/v1/templates/:id/duplicate': 'templates:write',
  'GET /api/v1/media': 'media:read',
  'GET /api/v1/media/limits': 'media:read',
  'POST /api/v1/media': 'media:write',
  'GET /api/v1/media/:id': 'media:read',
  'GET /api/v1/media/:id/content': 'media:read',
  'DELETE /api/v1/media/:id': 'media:write',
  'GET /api/v1/segments': 'segments:read',
  'POST /api/v1/segments': 'segments:write',
  'POST /api/v1/segments/preview': 'segments:read',
  'GET /api/v1/segments/:id': 'segments:read',
  'PATCH /api/v1/segments/:id': 'segments:write',
  'DELETE /api/v1/segments/:id': 'segments:write',
  'POST /api/v1/segments/:id/refresh': 'segments:write',
  'GET /api/v1/segments/:id/contacts': 'segments:read',
  'GET /api/v1/senders/defaults': 'senders:read',
  'PUT /api/v1/senders/defaults': 'senders:write',
  'GET /api/v1/profiles': 'senders:read',
  'POST /api/v1/profiles': 'senders:write',
  'GET /api/v1/profiles/:id': 'senders:read',
  'PATCH /api/v1/profiles/:id': 'senders:write',
  'DELETE /api/v1/profiles/:id': 'senders:write',
  'POST /api/v1/profiles/:id/pause': 'senders:write',
  'POST /api/v1/profiles/:id/resume': 'senders:write',
  'GET /api/v1/packages': 'senders:read',
  'POST /api/v1/packages': 'senders:write',
  'GET /api/v1/packages/:id': 'senders:read',
  'PATCH /api/v1/packages/:id': 'senders:write',
  'DELETE /api/v1/packages/:id': 'senders:write',
  'PUT /api/v1/packages/:id/profiles': 'senders:write',
  'GET /api/v1/packages/:id/profiles/:profileId/settings': 'senders:read',
  'GET /api/v1/packages/:id/usage': 'senders:read',
  'GET /api/v1/senders/usage': 'senders:read',
  'POST /api/v1/packages/:id/messages/open': 'messages:send',
  'GET /api/v1/send-requests/:id': 'messages:read',
  'GET /api/v1/send-requests/:id/messages': 'messages:read',
  'GET /api/v1/messages/:id': 'messages:read',
};
const AREAS = /^\/api\/v1\/(me|workspace|members|api-keys|audit|contacts|lists|templates|media|segments|senders|profiles|packages|send-requests|messages)(\/|$)/;

describe.each(modes)('roles (%s)', (mode) => {
  let h: Harness;
  let routes: RegisteredRoute[];
  const creds: Partial<Record<`${Role} ${'session' | 'key'}`, Creds>> = {};

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    routes = registeredApiRoutes(h.app);
    const o = await newOwner(h.app);
    creds['owner session'] = cookieOf(o);
    for (const role of ['owner', 'supervisor', 'agent'] as const) {
      if (role !== 'owner') creds[`${role} session`] = cookieOf(await addMember(h.app, o, role));
      creds[`${role} key`] = bearer((await createApiKey(h.app, o, role)).key);
    }
  });
  afterAll(async () => h?.close());

  // Requests carry no body: the role check comes before input validation, so the answer is about the role alone.
  const call = (creds: Creds, r: RegisteredRoute) => client(h.app, creds)(r.method as 'GET', fillParams(r.url, randomUUID()));

  it('reads the routes from the app itself', () => {
    const keys = routes.map(routeKey);
    for (const k of ['GET /api/v1/contacts/:id', 'DELETE /api/v1/lists/:id/members', 'PATCH /api/v1/members/:userId', 'POST /api/v1/auth/login']) {
      expect(keys).toContain(k);
    }
  });

  it('knows the permission of every route in its areas', () => {
    const missing = routes.map(routeKey).filter((k) => AREAS.test(k.split(' ')[1]!) && !(k in PERMISSION));
    expect(missing, 'add these routes to PERMISSION in test/roles.test.ts').toEqual([]);
  });

  it('answers 401 without credentials (or with unknown ones) on every /api/v1 route except signup, login and logout', async () => {
    for (const r of routes) {
      const key = routeKey(r);
      if (PUBLIC.has(key)) {
        expect((await call({}, r)).statusCode, key).not.toBe(401);
        continue;
      }
      const none = await call({}, r);
      expect(none.statusCode, key).toBe(401);
      expect(none.json().error.code, key).toBe('UNAUTHENTICATED');
      expect((await call({ cookie: 'chorus_session=forged' }, r)).statusCode, key).toBe(401);
      const badKey = await call(bearer('chk_forged'), r);
      expect(badKey.statusCode, key).toBe(401);
      expect(badKey.json().error.code, key).toBe('INVALID_API_KEY');
    }
  });

  it('gives an agent (session or key) 403 everywhere but its own profile and workspace', async () => {
    for (const who of ['agent session', 'agent key'] as const) {
      for (const r of routes) {
        const key = routeKey(r);
        if (PUBLIC.has(key)) continue;
        const res = await call(creds[who]!, r);
        if (AGENT_ALLOWED.has(key)) expect([401, 403], `${who} ${key}`).not.toContain(res.statusCode);
        else expect(res.statusCode, `${who} ${key}`).toBe(403);
      }
    }
  });

  it('enforces the permission table for every role, by session and by API key', async () => {
    for (const [who, c] of Object.entries(creds)) {
      const role = who.split(' ')[0] as Role;
      for (const r of routes) {
        const perm = PERMISSION[routeKey(r)];
        if (!perm) continue;
        const res = await call(c, r);
        if (can(role, perm)) expect([401, 403], `${who} ${routeKey(r)}`).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, `${who} ${routeKey(r)}`).toBe(403);
          expect(res.json().error.code).toBe('FORBIDDEN');
        }
      }
    }
  });

  it('lets a supervisor read contacts but not create, change or delete them', async () => {
    const owner = client(h.app, creds['owner session']!);
    const sup = client(h.app, creds['supervisor session']!);
    const c = (await owner('POST', '/api/v1/contacts', { phone: '+6281234567890', name: 'Kept' })).json();
    expect((await sup('GET', '/api/v1/contacts')).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
    expect((await sup('GET', `/api/v1/contacts/${c.id}`)).statusCode).toBe(200);
    expect((await sup('POST', '/api/v1/contacts', { phone: '+6281234567891' })).statusCode).toBe(403);
    expect((await sup('PATCH', `/api/v1/contacts/${c.id}`, { name: 'Changed' })).statusCode).toBe(403);
    expect((await sup('DELETE', `/api/v1/contacts/${c.id}`)).statusCode).toBe(403);
    expect((await sup('POST', `/api/v1/contacts/${c.id}/opt-out`, {})).statusCode).toBe(403);
    expect((await owner('GET', `/api/v1/contacts/${c.id}`)).json()).toMatchObject({ name: 'Kept', optedOutAt: null });
    expect((await owner('GET', '/api/v1/contacts')).json().items).toHaveLength(1);
  });

  it('gives an agent 403 on contacts, lists and members, with valid input too', async () => {
    const agent = client(h.app, creds['agent session']!);
    for (const [method, url, body] of [
      ['GET', '/api/v1/contacts', undefined],
      ['POST', '/api/v1/contacts', { phone: '+6281234567892' }],
      ['GET', '/api/v1/lists', undefined],
      ['POST', '/api/v1/lists', { name: 'agent list' }],
      ['GET', '/api/v1/members', undefined],
      ['POST', '/api/v1/members', { email: 'x@example.com', name: 'X', role: 'owner', password: 'long enough pw' }],
    ] as const) {
      const res = await agent(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.message).toMatch(/agent/);
    }
    const owner = client(h.app, creds['owner session']!);
    expect((await owner('GET', '/api/v1/lists')).json().items).toEqual([]);
    expect((await owner('GET', '/api/v1/members')).json().items.map((m: { email: string }) => m.email)).not.toContain('x@example.com');
  });
});
