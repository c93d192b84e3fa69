import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** Credentials as request headers: a session cookie or an API key. */
export type Creds = Record<string, string>;
export const cookieOf = (s: { cookie: string }): Creds => ({ cookie: s.cookie });
export const bearer = (key: string): Creds => ({ authorization: `Bearer ${key}` });

/** A small client bound to one set of credentials. */
export function client(app: FastifyInstance, creds: Creds) {
  return (method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> => {
    const opts: InjectOptions = { method, url, headers: { ...creds } };
    if (payload !== undefined) opts.payload = payload as InjectOptions['payload'];
    return app.inject(opts);
  };
}
export type Client = ReturnType<typeof client>;

export const PASSWORD = 'correct horse battery';

export interface Session {
  cookie: string;
  workspaceId: string;
  userId: string;
  email: string;
}

let counter = 0;

/** Signs up a fresh owner with a workspace and returns the session cookie. */
export async function signupOwner(app: FastifyInstance, overrides: Partial<{ email: string; workspaceName: string; defaultCountry: string }> = {}): Promise<Session> {
  counter += 1;
  const email = overrides.email ?? `owner${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: {
      email,
      password: PASSWORD,
      name: `Owner ${counter}`,
      workspaceName: overrides.workspaceName ?? `Workspace ${counter}`,
      ...(overrides.defaultCountry ? { defaultCountry: overrides.defaultCountry } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { user: { id: string }; workspace: { id: string } };
  return { cookie: cookieFrom(res), workspaceId: body.workspace.id, userId: body.user.id, email };
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  return (Array.isArray(set) ? set[0]! : set!).split(';')[0]!;
}

/** A new person added to the owner's workspace with a role, logged in. */
export async function addMember(app: FastifyInstance, owner: Session, role: 'owner' | 'supervisor' | 'agent') {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  const res = await client(app, cookieOf(owner))('POST', '/api/v1/members', { email, name: `A ${role}`, role, password: PASSWORD });
  if (res.statusCode !== 201) throw new Error(`adding a member failed: ${res.statusCode} ${res.body}`);
  const l = await login(app, email);
  if (l.statusCode !== 200) throw new Error(`member login failed: ${l.statusCode} ${l.body}`);
  return { userId: res.json().userId as string, email, cookie: cookieFrom(l) };
}

export async function createApiKey(app: FastifyInstance, owner: Session, role: 'owner' | 'supervisor' | 'agent', name = `${role} key`) {
  const res = await client(app, cookieOf(owner))('POST', '/api/v1/api-keys', { name, role });
  if (res.statusCode !== 201) throw new Error(`creating an API key failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; key: string; prefix: string; name: string; role: string };
}

/** A client authenticated by a new API key of `role` in the owner's workspace. */
export async function keyClient(app: FastifyInstance, owner: Session, role: 'owner' | 'supervisor' | 'agent', name?: string): Promise<Client> {
  return client(app, bearer((await createApiKey(app, owner, role, name)).key));
}

export type Owner = Session & { api: Client };

export async function newOwner(app: FastifyInstance, overrides: Parameters<typeof signupOwner>[1] = {}): Promise<Owner> {
  const s = await signupOwner(app, overrides);
  return { ...s, api: client(app, cookieOf(s)) };
}

/**
 * Another workspace, as the access tests attack with it: its owner (with a session client) and a
 * client for an owner API key of it named `keyName`.
 */
export async function otherWorkspace(app: FastifyInstance, overrides: Parameters<typeof signupOwner>[1] = {}, keyName?: string) {
  const owner = await newOwner(app, overrides);
  return { ...owner, keyApi: await keyClient(app, owner, 'owner', keyName) };
}

/** POST /api/v1/contacts; throws unless the contact was created. */
export async function createContact(api: Client, body: Record<string, unknown>) {
  const res = await api('POST', '/api/v1/contacts', body);
  if (res.statusCode !== 201) throw new Error(`creating a contact failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function audit(api: Client, query = ''): Promise<Array<Record<string, unknown> & { action: string; entityId: string | null; changes: Record<string, unknown> }>> {
  const res = await api('GET', `/api/v1/audit?limit=500${query}`);
  if (res.statusCode !== 200) throw new Error(`audit failed: ${res.statusCode} ${res.body}`);
  return res.json().items;
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Every route the app serves under /api/v1, read from fastify's own router (`printRoutes`), so a
 * route added tomorrow is in the list without anyone remembering to add it to a test.
 */
export function registeredApiRoutes(app: FastifyInstance): RegisteredRoute[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD' && path.startsWith('/api/v1/')) routes.push({ method, url: path });
    }
  }
  return routes;
}

export const routeKey = (r: RegisteredRoute) => `${r.method} ${r.url}`;

/** A route's URL with every `:param` replaced. */
export const fillParams = (url: string, value: string) => url.replace(/:[A-Za-z]+/g, value);
