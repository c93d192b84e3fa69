import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { signupOwner } from './support/api.ts';

describe.each(modes)('auth (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, { LOGIN_MAX_ATTEMPTS: '3' }, { workers: false });
  });
  afterAll(async () => h?.close());

  it('signs up an owner with a workspace and keeps the session in an httpOnly cookie', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'Maya@Example.com', password: 'long enough pw', name: 'Maya', workspaceName: 'Toko Maya' },
    });
    expect(res.statusCode).toBe(201);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/chorus_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    const me = await h.app.inject({ url: '/api/v1/me', headers: { cookie: cookie.split(';')[0]! } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ role: 'owner', user: { email: 'maya@example.com' }, workspace: { name: 'Toko Maya', defaultCountry: 'ID' } });
    expect(me.json().permissions).toContain('members:manage');
    expect(me.json().limits.importMaxBytes).toBe(h.c.config.IMPORT_MAX_BYTES);
  });

  it('stores passwords as Argon2id hashes', async () => {
    const s = await signupOwner(h.app);
    const { rows } = await h.c.db.pool.query('SELECT password_hash FROM users WHERE id = $1', [s.userId]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a second account with the same email', async () => {
    const s = await signupOwner(h.app);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: s.email.toUpperCase(), password: 'long enough pw', name: 'X', workspaceName: 'Y' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('EMAIL_TAKEN');
  });

  it('logs in, logs out, and the old cookie stops working', async () => {
    const s = await signupOwner(h.app);
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: s.email, password: 'correct horse battery' } });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await h.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    const after = await h.app.inject({ url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('answers a wrong password with 401 and rate-limits repeated attempts', async () => {
    const s = await signupOwner(h.app);
    const attempt = () =>
      h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: s.email, password: 'wrong password' } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await attempt()).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    const limited = await attempt();
    expect(limited.json().error.message).toMatch(/Too many attempts/);
  });

  it('rejects bad signup input with a precise message and writes nothing', async () => {
    const before = await h.c.db.pool.query('SELECT count(*)::int AS n FROM users');
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email: 'nope', password: 'short' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toMatch(/email/);
    const after = await h.c.db.pool.query('SELECT count(*)::int AS n FROM users');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('answers malformed JSON with 400, not a stack trace', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('reports readiness of the database and the queues', async () => {
    const res = await h.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(Object.values(res.json().checks)).toEqual(['ok', 'ok']);
  });

  it('serves the OpenAPI document generated from the route schemas', async () => {
    const res = await h.app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.paths['/api/v1/auth/signup'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
  });
});
