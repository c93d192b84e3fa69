import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { addMember, audit, client, cookieFrom, login, newOwner, PASSWORD } from './support/api.ts';

describe.each(modes)('members (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';

  it('adds a new person with an Argon2id password they can log in with, and audits it', async () => {
    const o = await newOwner(h.app);
    const res = await o.api('POST', '/api/v1/members', { email: 'Rina@Example.com', name: 'Rina', role: 'supervisor', password: 'rina password 1' });
    expect(res.statusCode).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ email: 'rina@example.com', name: 'Rina', role: 'supervisor' });
    const { rows } = await h.c.db.pool.query('SELECT password_hash FROM users WHERE id = $1', [m.userId]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const l = await login(h.app, 'rina@example.com', 'rina password 1');
    expect(l.statusCode).toBe(200);
    expect(l.json()).toMatchObject({ role: 'supervisor', workspace: { id: o.workspaceId } });
    const list = (await o.api('GET', '/api/v1/members')).json().items;
    expect(list.map((x: { email: string; role: string }) => [x.email, x.role])).toEqual([
      [o.email, 'owner'],
      ['rina@example.com', 'supervisor'],
    ]);
    const [entry] = await audit(o.api, '&entityType=member');
    expect(entry).toMatchObject({ action: 'member.add', entityId: m.userId, changes: { email: 'rina@example.com', role: 'supervisor', newAccount: true } });
  });

  it('adds an existing account with the role and ignores the password given', async () => {
    const other = await newOwner(h.app);
    const o = await newOwner(h.app);
    const res = await o.api('POST', '/api/v1/members', { email: other.email, name: 'Ignored', role: 'agent', password: 'attacker chosen' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ userId: other.userId, role: 'agent' });
    expect(res.json().name).not.toBe('Ignored');
    expect((await login(h.app, other.email, 'attacker chosen')).statusCode).toBe(401);
    const l = await login(h.app, other.email, PASSWORD);
    expect(l.statusCode).toBe(200);
    expect(l.json().workspaces.map((w: { id: string }) => w.id).sort()).toEqual([other.workspaceId, o.workspaceId].sort());
  });

  it('refuses to add a member twice (409 ALREADY_MEMBER) and a new email without name or password (400)', async () => {
    const o = await newOwner(h.app);
    const dup = await o.api('POST', '/api/v1/members', { email: o.email, role: 'agent' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ALREADY_MEMBER');
    const noPw = await o.api('POST', '/api/v1/members', { email: 'new@example.com', name: 'New', role: 'agent' });
    expect(noPw.statusCode).toBe(400);
    expect(noPw.json().error.message).toMatch(/password/);
    for (const body of [
      { email: 'not an email', name: 'x', role: 'agent', password: 'long enough' },
      { email: 'a@example.com', name: 'x', role: 'admin', password: 'long enough' },
      { email: 'a@example.com', name: 'x', role: 'agent', password: 'short' },
    ]) {
      expect((await o.api('POST', '/api/v1/members', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const { rows } = await h.c.db.pool.query("SELECT count(*)::int AS n FROM users WHERE email IN ('new@example.com', 'a@example.com')");
    expect(rows[0].n).toBe(0);
    expect((await o.api('GET', '/api/v1/members')).json().items).toHaveLength(1);
  });

  it('changes a role (audited before → after); the new role applies to live sessions at once', async () => {
    const o = await newOwner(h.app);
    const m = await addMember(h.app, o, 'agent');
    const as = client(h.app, { cookie: m.cookie });
    expect((await as('GET', '/api/v1/contacts')).statusCode).toBe(403);
    const res = await o.api('PATCH', `/api/v1/members/${m.userId}`, { role: 'supervisor' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ userId: m.userId, role: 'supervisor' });
    expect((await as('GET', '/api/v1/contacts')).statusCode).toBe(200);
    const [entry] = await audit(o.api, `&entityId=${m.userId}`);
    expect(entry).toMatchObject({ action: 'member.update', changes: { role: { before: 'agent', after: 'supervisor' } } });
  });

  it('never leaves a workspace without an owner (409 LAST_OWNER)', async () => {
    const o = await newOwner(h.app);
    const demote = await o.api('PATCH', `/api/v1/members/${o.userId}`, { role: 'supervisor' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('LAST_OWNER');
    const remove = await o.api('DELETE', `/api/v1/members/${o.userId}`);
    expect(remove.statusCode).toBe(409);
    expect(remove.json().error.code).toBe('LAST_OWNER');
    const second = await addMember(h.app, o, 'owner');
    expect((await o.api('PATCH', `/api/v1/members/${o.userId}`, { role: 'supervisor' })).statusCode).toBe(200);
    const as2 = client(h.app, { cookie: second.cookie });
    expect((await as2('DELETE', `/api/v1/members/${second.userId}`)).json().error.code).toBe('LAST_OWNER');
    const members = (await as2('GET', '/api/v1/members')).json().items;
    expect(members.filter((x: { role: string }) => x.role === 'owner')).toHaveLength(1);
  });

  it('removes a member: their sessions here end, their other workspaces keep theirs; audited', async () => {
    const elsewhere = await newOwner(h.app);
    const o = await newOwner(h.app);
    const added = await o.api('POST', '/api/v1/members', { email: elsewhere.email, role: 'supervisor' });
    expect(added.statusCode).toBe(201);
    const l = await login(h.app, elsewhere.email);
    const otherSession = cookieFrom(l);
    const switched = await client(h.app, { cookie: otherSession })('POST', '/api/v1/me/workspace', { workspaceId: o.workspaceId });
    expect(switched.statusCode).toBe(200);
    const res = await o.api('DELETE', `/api/v1/members/${elsewhere.userId}`);
    expect(res.statusCode).toBe(204);
    expect((await client(h.app, { cookie: otherSession })('GET', '/api/v1/me')).statusCode).toBe(401);
    const { rows } = await h.c.db.pool.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND workspace_id = $2', [elsewhere.userId, o.workspaceId]);
    expect(rows[0].n).toBe(0);
    const home = await elsewhere.api('GET', '/api/v1/me');
    expect(home.statusCode).toBe(200);
    expect(home.json().workspaces.map((w: { id: string }) => w.id)).toEqual([elsewhere.workspaceId]);
    expect((await o.api('GET', '/api/v1/members')).json().items).toHaveLength(1);
    const [entry] = await audit(o.api, `&entityId=${elsewhere.userId}`);
    expect(entry).toMatchObject({ action: 'member.remove', changes: { email: elsewhere.email, role: 'supervisor' } });
  });

  it('answers bad ids with 400 and non-members with 404', async () => {
    const o = await newOwner(h.app);
    expect((await o.api('PATCH', '/api/v1/members/me', { role: 'agent' })).statusCode).toBe(400);
    expect((await o.api('DELETE', '/api/v1/members/1')).statusCode).toBe(400);
    expect((await o.api('PATCH', `/api/v1/members/${o.userId}`, { role: 'king' })).statusCode).toBe(400);
    for (const [method, body] of [['PATCH', { role: 'agent' }], ['DELETE', undefined]] as const) {
      const res = await o.api(method, `/api/v1/members/${unknown}`, body);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('MEMBER_NOT_FOUND');
    }
  });
});
