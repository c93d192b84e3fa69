import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, newOwner, type Client } from './support/api.ts';
import { loadPackageForSending } from '../src/services/senders.service.ts';
import { openSecret } from '../src/services/secret-box.ts';

type Owner = Awaited<ReturnType<typeof newOwner>>;

const TOKEN = 'EAAGtopsecretaccesstoken0000000001a2b';
const APP_SECRET = 'appsecret-0123456789abcdef-9f8e';
const cloudConfig = { phoneNumberId: '109876543210987', accessToken: TOKEN, appSecret: APP_SECRET, wabaId: '2233445566' };

describe.each(modes)('senders (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  let phone = 0;
  const nextPhone = () => `+62812300${String(++phone).padStart(5, '0')}`;
  const ok = async (api: Client, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown, status = 200) => {
    const res = await api(method, url, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const simulator = (api: Client, name: string, extra: Record<string, unknown> = {}) =>
    ok(api, 'POST', '/api/v1/profiles', { name, transport: 'simulator', phone: nextPhone(), ...extra }, 201);
  const newPackage = (api: Client, body: Record<string, unknown>) => ok(api, 'POST', '/api/v1/packages', body, 201);
  /** Open-chat messages of the outbox, put there as the dispatch engine will. */
  const queue = async (o: Owner, packageId: string, profileId: string, status: string) => {
    await h.c.db.pool.query(
      `INSERT INTO campaign_messages (id, workspace_id, package_id, profile_id, phone, content, status)
       VALUES (gen_random_uuid(), $1, $2, $3, '+6281299999999', '{"type":"text","text":"hi"}', $4)`,
      [o.workspaceId, packageId, profileId, status],
    );
  };

  it('keeps workspace defaults and says where each effective value comes from', async () => {
    const o = await newOwner(h.app);
    const initial = await ok(o.api, 'GET', '/api/v1/senders/defaults');
    expect(initial.settings).toEqual({});
    expect(initial.effective.values.limits).toEqual({ perHour: 20, per3Hours: 50, perDay: 120 });
    expect(new Set(Object.values(initial.effective.sources))).toEqual(new Set(['built-in default']));
    expect(initial.builtInPackageRules).toEqual({ strategy: 'smart', dailyTotal: null, maxConcurrentSends: 3 });

    const layer = { limits: { perDay: 200 }, timezone: 'Asia/Jakarta', activeHours: { start: '08:00', end: '22:00' } };
    const put = await ok(o.api, 'PUT', '/api/v1/senders/defaults', layer);
    expect(put.settings).toEqual(layer);
    expect(put.effective.values).toMatchObject({ limits: { perHour: 20, per3Hours: 50, perDay: 200 }, timezone: 'Asia/Jakarta' });
    expect(put.effective.sources).toMatchObject({
      'limits.perDay': 'workspace default',
      'limits.perHour': 'built-in default',
      activeHours: 'workspace default',
      timezone: 'workspace default',
      'pacing.jitter': 'built-in default',
    });
    expect(put.effective.problems).toEqual([]);
    expect(await ok(o.api, 'GET', '/api/v1/senders/defaults')).toEqual(put);

    await ok(o.api, 'PUT', '/api/v1/senders/defaults', layer);
    const entries = await audit(o.api, '&entityType=workspace');
    expect(entries.filter((e) => e.action === 'senders.defaults.update')).toEqual([
      expect.objectContaining({ entityId: o.workspaceId, changes: { settings: { before: {}, after: layer } } }),
    ]);
  });

  it('creates, lists, reads, changes and deletes profiles, auditing each change', async () => {
    const o = await newOwner(h.app);
    const made = await ok(
      o.api,
      'POST',
      '/api/v1/profiles',
      { name: ' Sales 1 ', transport: 'simulator', phone: '0812-3456-7001', transportConfig: { seed: 'demo' }, weight: 2, warmup: true, settings: { limits: { perHour: 15 } } },
      201,
    );
    expect(made).toMatchObject({
      name: 'Sales 1',
      phone: '+6281234567001',
      transport: 'simulator',
      transportConfig: { seed: 'demo' },
      hasSecrets: false,
      transportConfigProblem: null,
      status: 'connected',
      statusReason: null,
      settings: { limits: { perHour: 15 } },
      weight: 2,
      healthState: 'healthy',
      healthScore: 100,
    });
    expect(Date.parse(made.warmupStartedAt)).toBeGreaterThanOrEqual(Date.parse(made.createdAt));
    const second = await simulator(o.api, 'Sales 2');
    const third = await ok(o.api, 'POST', '/api/v1/profiles', { name: 'Web 1', transport: 'whatsapp-web' }, 201);
    expect(third).toMatchObject({ phone: null, status: 'disconnected', statusReason: 'Not connected yet', transportConfig: {}, weight: null, warmupStartedAt: null });

    const first = await ok(o.api, 'GET', '/api/v1/profiles?limit=2');
    expect(first.items.map((p: { id: string }) => p.id)).toEqual([third.id, second.id]);
    const rest = await ok(o.api, 'GET', `/api/v1/profiles?limit=2&cursor=${first.nextCursor}`);
    expect(rest).toEqual({ items: [made], nextCursor: null });
    expect((await ok(o.api, 'GET', '/api/v1/profiles?search=3456-7001')).items).toEqual([]);
    expect((await ok(o.api, 'GET', '/api/v1/profiles?search=sales 1')).items.map((p: { id: string }) => p.id)).toEqual([made.id]);
    expect((await ok(o.api, 'GET', '/api/v1/profiles?status=disconnected')).items.map((p: { id: string }) => p.id)).toEqual([third.id]);

    const detail = await ok(o.api, 'GET', `/api/v1/profiles/${made.id}`);
    expect(detail).toMatchObject({ ...made, packages: [] });
    expect(detail.effectiveSettings.values.limits).toEqual({ perHour: 15, per3Hours: 50, perDay: 120 });
    expect(detail.effectiveSettings.sources['limits.perHour']).toBe('profile override');
    // Outside any package it sends no open chat, so this is shown, not refused.
    expect(detail.effectiveSettings.problems).toEqual(['per 3 hours (50) is more than 3 × per hour (45): it could never be reached']);

    const patched = await ok(o.api, 'PATCH', `/api/v1/profiles/${made.id}`, {
      name: 'Sales One',
      phone: '+62 812 3456 7009',
      weight: null,
      warmup: false,
      settings: { timezone: 'Europe/Berlin' },
    });
    expect(patched).toMatchObject({ name: 'Sales One', phone: '+6281234567009', weight: null, warmupStartedAt: null, settings: { timezone: 'Europe/Berlin' } });
    expect(await ok(o.api, 'PATCH', `/api/v1/profiles/${made.id}`, { name: 'Sales One', weight: null })).toEqual(patched);

    const taken = await o.api('POST', '/api/v1/profiles', { name: 'Sales 2', transport: 'simulator', phone: nextPhone() });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'PROFILE_EXISTS', message: 'A profile named "Sales 2" already exists' });
    const samePhone = await o.api('PATCH', `/api/v1/profiles/${second.id}`, { phone: '081234567009' });
    expect(samePhone.statusCode).toBe(409);
    expect(samePhone.json().error).toMatchObject({ code: 'PROFILE_PHONE_TAKEN', message: 'Another profile already sends from +6281234567009' });

    expect((await o.api('DELETE', `/api/v1/profiles/${made.id}`)).statusCode).toBe(204);
    expect((await o.api('GET', `/api/v1/profiles/${made.id}`)).json().error.code).toBe('PROFILE_NOT_FOUND');
    const entries = await audit(o.api, `&entityId=${made.id}`);
    expect(entries.map((e) => e.action)).toEqual(['profile.delete', 'profile.update', 'profile.create']);
    expect(entries[2]!.changes).toMatchObject({ name: 'Sales 1', phone: '+6281234567001', transport: 'simulator', transportConfig: 'set', weight: 2 });
    expect(entries[1]!.changes).toEqual({
      name: { before: 'Sales 1', after: 'Sales One' },
      phone: { before: '+6281234567001', after: '+6281234567009' },
      settings: { before: { limits: { perHour: 15 } }, after: { timezone: 'Europe/Berlin' } },
      weight: { before: 2, after: null },
      warmupStartedAt: { before: made.warmupStartedAt, after: null },
    });
    expect(entries[0]!.changes).toEqual({ name: 'Sales One', phone: '+6281234567009', transport: 'simulator' });
  });

  it('encrypts transport secrets at rest and never answers or audits them', async () => {
    const o = await newOwner(h.app);
    const bodies: string[] = [];
    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown, status = 200) => {
      const res = await o.api(method, url, body);
      expect(res.statusCode, res.body).toBe(status);
      bodies.push(res.body);
      return res.json();
    };
    const made = await call('POST', '/api/v1/profiles', { name: 'Official', transport: 'cloud-api', phone: nextPhone(), transportConfig: cloudConfig }, 201);
    expect(made).toMatchObject({
      transportConfig: { phoneNumberId: '109876543210987', wabaId: '2233445566', accessToken: '••••1a2b', appSecret: '••••9f8e' },
      hasSecrets: true,
      status: 'disconnected',
    });

    const stored = async (id: string) => (await h.c.db.pool.query('SELECT transport_config FROM profiles WHERE id = $1', [id])).rows[0].transport_config as string;
    const sealed = await stored(made.id);
    expect(sealed).toMatch(/^v1\./);
    for (const secret of [TOKEN, APP_SECRET, '109876543210987']) expect(sealed).not.toContain(secret);
    expect(JSON.parse(openSecret(h.c.secretKey, sealed, `profiles/${made.id}`))).toEqual(cloudConfig);

    const NEW_TOKEN = 'EAAGsecondtokenzzzzzzzzzzzzzzzz7c3d';
    const rotated = await call('PATCH', `/api/v1/profiles/${made.id}`, { transportConfig: { accessToken: NEW_TOKEN, wabaId: null } });
    expect(rotated.transportConfig).toEqual({ phoneNumberId: '109876543210987', accessToken: '••••7c3d', appSecret: '••••9f8e' });
    expect(JSON.parse(openSecret(h.c.secretKey, await stored(made.id), `profiles/${made.id}`))).toEqual({
      phoneNumberId: '109876543210987',
      accessToken: NEW_TOKEN,
      appSecret: APP_SECRET,
    });
    const pkg = await call('POST', '/api/v1/packages', { name: 'Official pool' }, 201);
    await call('PUT', `/api/v1/packages/${pkg.id}/profiles`, { profileIds: [made.id] });
    await call('GET', `/api/v1/packages/${pkg.id}`);
    await call('GET', `/api/v1/profiles/${made.id}`);
    await call('GET', '/api/v1/profiles');
    await call('POST', `/api/v1/profiles/${made.id}/pause`, { reason: 'checking' });
    const log = await audit(o.api);
    bodies.push(JSON.stringify(log));
    for (const body of bodies) {
      for (const secret of [TOKEN, NEW_TOKEN, APP_SECRET, TOKEN.slice(0, 20), sealed]) expect(body).not.toContain(secret);
    }
    expect(log.find((e) => e.action === 'profile.update')!.changes).toEqual({ transportConfig: 'changed' });
    expect(log.find((e) => e.action === 'profile.create')!.changes.transportConfig).toBe('set');

    // A ciphertext copied onto another profile does not open there: the credentials stay with their own number.
    const other = await simulator(o.api, 'Copy target');
    await h.c.db.pool.query('UPDATE profiles SET transport_config = $1 WHERE id = $2', [await stored(made.id), other.id]);
    const copied = await call('GET', `/api/v1/profiles/${other.id}`);
    expect(copied).toMatchObject({ transportConfig: null, hasSecrets: false });
    expect(copied.transportConfigProblem).toMatch(/cannot be read with this server's SECRET_KEY/);
  });

  it('keeps the order of a package and replaces its membership', async () => {
    const o = await newOwner(h.app);
    const [p1, p2, p3] = [await simulator(o.api, 'P1'), await simulator(o.api, 'P2'), await simulator(o.api, 'P3')];
    const made = await newPackage(o.api, { name: 'Bulk', description: 'Promotions', strategy: 'round_robin', dailyTotal: 900, maxConcurrentSends: 2 });
    expect(made).toMatchObject({ name: 'Bulk', description: 'Promotions', strategy: 'round_robin', dailyTotal: 900, maxConcurrentSends: 2, memberCount: 0, profiles: [] });

    const order = (d: { profiles: Array<{ position: number; profile: { id: string } }> }) => d.profiles.map((m) => [m.position, m.profile.id]);
    const set = await ok(o.api, 'PUT', `/api/v1/packages/${made.id}/profiles`, { profileIds: [p3.id, p1.id, p2.id] });
    expect(order(set)).toEqual([[0, p3.id], [1, p1.id], [2, p2.id]]);
    expect(set.memberCount).toBe(3);
    expect(order(await ok(o.api, 'GET', `/api/v1/packages/${made.id}`))).toEqual(order(set));
    const again = await ok(o.api, 'PUT', `/api/v1/packages/${made.id}/profiles`, { profileIds: [p2.id, p3.id] });
    expect(order(again)).toEqual([[0, p2.id], [1, p3.id]]);
    expect((await ok(o.api, 'GET', `/api/v1/profiles/${p1.id}`)).packages).toEqual([]);
    expect((await ok(o.api, 'GET', `/api/v1/profiles/${p2.id}`)).packages).toEqual([{ id: made.id, name: 'Bulk', position: 0 }]);
    await ok(o.api, 'PUT', `/api/v1/packages/${made.id}/profiles`, { profileIds: [p2.id, p3.id] });

    const list = await ok(o.api, 'GET', '/api/v1/packages');
    expect(list.items).toEqual([expect.objectContaining({ id: made.id, memberCount: 2 })]);
    const renamed = await ok(o.api, 'PATCH', `/api/v1/packages/${made.id}`, { name: 'Bulk 2', strategy: 'weighted', dailyTotal: null, description: '' });
    expect(renamed).toMatchObject({ name: 'Bulk 2', strategy: 'weighted', dailyTotal: null, description: null, maxConcurrentSends: 2 });
    expect(order(renamed)).toEqual(order(again));

    const entries = await audit(o.api, `&entityId=${made.id}`);
    expect(entries.map((e) => e.action)).toEqual(['package.update', 'package.profiles', 'package.profiles', 'package.create']);
    expect(entries[1]!.changes).toEqual({ profileIds: { before: [p3.id, p1.id, p2.id], after: [p2.id, p3.id] } });
    expect(entries[2]!.changes).toEqual({ profileIds: { before: [], after: [p3.id, p1.id, p2.id] } });
    expect(entries[0]!.changes).toEqual({
      name: { before: 'Bulk', after: 'Bulk 2' },
      description: { before: 'Promotions', after: null },
      strategy: { before: 'round_robin', after: 'weighted' },
      dailyTotal: { before: 900, after: null },
    });

    expect((await o.api('DELETE', `/api/v1/packages/${made.id}`)).statusCode).toBe(204);
    expect((await o.api('GET', `/api/v1/packages/${made.id}`)).json().error.code).toBe('PACKAGE_NOT_FOUND');
    expect((await ok(o.api, 'GET', `/api/v1/profiles/${p2.id}`)).packages).toEqual([]);
    expect((await audit(o.api, `&entityId=${made.id}`))[0]).toMatchObject({ action: 'package.delete', changes: { name: 'Bulk 2', profileIds: [p2.id, p3.id] } });
  });

  it('gives a profile in two packages different effective settings, each value with its source', async () => {
    const o = await newOwner(h.app);
    await ok(o.api, 'PUT', '/api/v1/senders/defaults', { limits: { perDay: 300 }, timezone: 'Asia/Jakarta' });
    const shared = await simulator(o.api, 'Shared', { settings: { activeHours: { start: '07:00', end: '23:00' } } });
    const slow = await newPackage(o.api, { name: 'Slow', settings: { limits: { perHour: 10, per3Hours: 25 }, pacing: { jitter: 0.5 } } });
    const fast = await newPackage(o.api, { name: 'Fast', settings: { limits: { perHour: 40, per3Hours: 100 }, timezone: 'Europe/London' } });
    for (const p of [slow, fast]) await ok(o.api, 'PUT', `/api/v1/packages/${p.id}/profiles`, { profileIds: [shared.id] });

    const inSlow = await ok(o.api, 'GET', `/api/v1/packages/${slow.id}/profiles/${shared.id}/settings`);
    const inFast = await ok(o.api, 'GET', `/api/v1/packages/${fast.id}/profiles/${shared.id}/settings`);
    expect(inSlow).toMatchObject({
      package: { id: slow.id, name: 'Slow' },
      profile: { id: shared.id, name: 'Shared' },
      values: { limits: { perHour: 10, per3Hours: 25, perDay: 300 }, activeHours: { start: '07:00', end: '23:00' }, timezone: 'Asia/Jakarta' },
      problems: [],
    });
    expect(inSlow.values.pacing).toMatchObject({ jitter: 0.5, rushThreshold: 10 });
    expect(inSlow.sources).toMatchObject({
      'limits.perHour': 'package default',
      'limits.per3Hours': 'package default',
      'limits.perDay': 'workspace default',
      activeHours: 'profile override',
      timezone: 'workspace default',
      'pacing.jitter': 'package default',
      'pacing.rushThreshold': 'built-in default',
      'warmup.enabled': 'built-in default',
    });
    expect(inFast.values).toMatchObject({ limits: { perHour: 40, per3Hours: 100, perDay: 300 }, timezone: 'Europe/London' });
    expect(inFast.values.pacing.jitter).toBe(0.35);
    expect(inFast.sources).toMatchObject({ timezone: 'package default', 'pacing.jitter': 'built-in default', activeHours: 'profile override' });

    const detail = await ok(o.api, 'GET', `/api/v1/packages/${fast.id}`);
    expect(detail.profiles).toEqual([
      {
        position: 0,
        profile: expect.objectContaining({ id: shared.id, name: 'Shared', status: 'connected' }),
        effectiveSettings: { values: inFast.values, sources: inFast.sources, problems: [] },
      },
    ]);
    expect((await ok(o.api, 'GET', `/api/v1/profiles/${shared.id}`)).packages.map((p: { name: string }) => p.name)).toEqual(['Fast', 'Slow']);

    const outsider = await simulator(o.api, 'Outsider');
    const notMember = await o.api('GET', `/api/v1/packages/${slow.id}/profiles/${outsider.id}/settings`);
    expect(notMember.statusCode).toBe(404);
    expect(notMember.json().error.code).toBe('PACKAGE_MEMBER_NOT_FOUND');
  });

  it('pauses and resumes a profile with the reason in words, audited', async () => {
    const o = await newOwner(h.app);
    const p = await simulator(o.api, 'Pausable');
    const paused = await ok(o.api, 'POST', `/api/v1/profiles/${p.id}/pause`, { reason: 'too many complaints' });
    expect(paused).toMatchObject({ status: 'paused', statusReason: 'Paused by hand: too many complaints' });
    expect(Date.parse(paused.statusChangedAt)).toBeGreaterThan(Date.parse(p.statusChangedAt));
    expect(await ok(o.api, 'POST', `/api/v1/profiles/${p.id}/pause`)).toEqual(paused);
    const resumed = await ok(o.api, 'POST', `/api/v1/profiles/${p.id}/resume`);
    expect(resumed).toMatchObject({ status: 'connected', statusReason: null });
    const twice = await o.api('POST', `/api/v1/profiles/${p.id}/resume`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: 'PROFILE_NOT_PAUSED', message: 'Profile "Pausable" is connected, not paused: there is nothing to resume' });

    const web = await ok(o.api, 'POST', '/api/v1/profiles', { name: 'Web', transport: 'whatsapp-web' }, 201);
    expect((await ok(o.api, 'POST', `/api/v1/profiles/${web.id}/pause`, null)).statusReason).toBe('Paused by hand');
    expect(await ok(o.api, 'POST', `/api/v1/profiles/${web.id}/resume`)).toMatchObject({ status: 'disconnected', statusReason: 'Not connected yet' });
    await h.c.db.pool.query(`UPDATE profiles SET status = 'banned' WHERE id = $1`, [web.id]);
    const banned = await o.api('POST', `/api/v1/profiles/${web.id}/pause`);
    expect(banned.statusCode).toBe(409);
    expect(banned.json().error.code).toBe('PROFILE_BANNED');

    const entries = await audit(o.api, `&entityId=${p.id}`);
    expect(entries.map((e) => [e.action, e.changes])).toEqual([
      ['profile.resume', { status: { before: 'paused', after: 'connected' }, previousReason: 'Paused by hand: too many complaints' }],
      ['profile.pause', { status: { before: 'connected', after: 'paused' }, reason: 'too many complaints' }],
      ['profile.create', expect.anything()],
    ]);
  });

  it('refuses to delete a profile or package with messages queued or being sent', async () => {
    const o = await newOwner(h.app);
    const p = await simulator(o.api, 'Busy');
    const pkg = await newPackage(o.api, { name: 'Busy pool' });
    await ok(o.api, 'PUT', `/api/v1/packages/${pkg.id}/profiles`, { profileIds: [p.id] });
    await queue(o, pkg.id, p.id, 'queued');
    await queue(o, pkg.id, p.id, 'sending');
    await queue(o, pkg.id, p.id, 'sent');
    const refused = await o.api('DELETE', `/api/v1/profiles/${p.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'PROFILE_HAS_QUEUED_MESSAGES',
      message: 'Profile "Busy" still has 2 messages queued or being sent: wait until they are sent or cancel them before deleting it',
      details: { queued: 2 },
    });
    const pkgRefused = await o.api('DELETE', `/api/v1/packages/${pkg.id}`);
    expect(pkgRefused.statusCode).toBe(409);
    expect(pkgRefused.json().error).toMatchObject({ code: 'PACKAGE_HAS_QUEUED_MESSAGES', details: { queued: 2 } });
    expect((await ok(o.api, 'GET', `/api/v1/packages/${pkg.id}`)).memberCount).toBe(1);

    await h.c.db.pool.query(`UPDATE campaign_messages SET status = 'sent' WHERE profile_id = $1`, [p.id]);
    expect((await o.api('DELETE', `/api/v1/profiles/${p.id}`)).statusCode).toBe(204);
    expect((await o.api('DELETE', `/api/v1/packages/${pkg.id}`)).statusCode).toBe(204);
  });

  it('loads a package for sending: rules, profiles in order, decrypted credentials, effective settings', async () => {
    const o = await newOwner(h.app);
    await ok(o.api, 'PUT', '/api/v1/senders/defaults', { limits: { perDay: 150 } });
    const official = await ok(
      o.api,
      'POST',
      '/api/v1/profiles',
      { name: 'Official', transport: 'cloud-api', phone: nextPhone(), transportConfig: cloudConfig, weight: 3, warmup: true },
      201,
    );
    const sim = await simulator(o.api, 'Sim', { transportConfig: { seed: 's1', overrides: { replyRate: 0.3 } }, settings: { limits: { perHour: 12 } } });
    const pkg = await newPackage(o.api, { name: 'Send', strategy: 'weighted', dailyTotal: 500, maxConcurrentSends: 1, settings: { limits: { per3Hours: 36 } } });
    await ok(o.api, 'PUT', `/api/v1/packages/${pkg.id}/profiles`, { profileIds: [sim.id, official.id] });
    await ok(o.api, 'POST', `/api/v1/profiles/${official.id}/pause`);

    const loaded = await loadPackageForSending(h.c.db.orm, h.c.secretKey, o.workspaceId, pkg.id);
    expect(loaded).toMatchObject({ id: pkg.id, name: 'Send', rules: { strategy: 'weighted', dailyTotal: 500, maxConcurrentSends: 1 } });
    expect(loaded!.profiles.map((p) => [p.position, p.name])).toEqual([[0, 'Sim'], [1, 'Official']]);
    const [first, second] = loaded!.profiles;
    expect(first).toMatchObject({ transport: 'simulator', status: 'connected', healthState: 'healthy', weight: null, transportConfig: { seed: 's1', overrides: { replyRate: 0.3 } }, problems: [] });
    expect(first!.settings.values.limits).toEqual({ perHour: 12, per3Hours: 36, perDay: 150 });
    expect(first!.settings.sources).toMatchObject({ 'limits.perHour': 'profile', 'limits.per3Hours': 'package', 'limits.perDay': 'workspace', timezone: 'default' });
    expect(second).toMatchObject({ transport: 'cloud-api', status: 'paused', weight: 3, transportConfig: cloudConfig, transportConfigProblem: null });
    expect(second!.warmupStartedAt).toBeInstanceOf(Date);
    expect(second!.settings.values.limits).toEqual({ perHour: 20, per3Hours: 36, perDay: 150 });

    const other = await newOwner(h.app);
    expect(await loadPackageForSending(h.c.db.orm, h.c.secretKey, other.workspaceId, pkg.id)).toBeNull();
  });
});
