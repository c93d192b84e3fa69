import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { addMember, audit, client, cookieOf, keyClient, newOwner, otherWorkspace, type Client } from './support/api.ts';

const TOKEN = 'EAAG-a-only-access-token-0000ffff';
const A_PHONE = '+6281234500001';

describe.each(modes)('sender access (%s)', (mode) => {
  let h: Harness;
  let A: Awaited<ReturnType<typeof newOwner>>;
  let B: Awaited<ReturnType<typeof otherWorkspace>>;
  const a = {} as { sim: { id: string }; cloud: { id: string }; pkg: { id: string } };
  const b = {} as { profile: { id: string }; pkg: { id: string } };
  /** B's owner session and B's owner API key. */
  const attackers: Array<[string, Client]> = [];

  const json = async (api: Client, url: string) => {
    const res = await api('GET', url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  /** Everything of A that B might reach, as A sees it, with the stored ciphertexts. */
  const snapshotOfA = async () => ({
    defaults: await json(A.api, '/api/v1/senders/defaults'),
    profiles: await json(A.api, '/api/v1/profiles'),
    sim: await json(A.api, `/api/v1/profiles/${a.sim.id}`),
    cloud: await json(A.api, `/api/v1/profiles/${a.cloud.id}`),
    packages: await json(A.api, '/api/v1/packages'),
    pkg: await json(A.api, `/api/v1/packages/${a.pkg.id}`),
    settings: await json(A.api, `/api/v1/packages/${a.pkg.id}/profiles/${a.sim.id}/settings`),
    sealed: (await h.c.db.pool.query('SELECT id, transport_config FROM profiles WHERE workspace_id = $1 ORDER BY id', [A.workspaceId])).rows,
    audit: await audit(A.api),
  });

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    A = await newOwner(h.app, { workspaceName: 'Workspace A' });
    await A.api('PUT', '/api/v1/senders/defaults', { timezone: 'Asia/Jakarta' });
    a.sim = (await A.api('POST', '/api/v1/profiles', { name: 'A sim', transport: 'simulator', phone: A_PHONE, settings: { limits: { perHour: 18 } } })).json();
    a.cloud = (
      await A.api('POST', '/api/v1/profiles', {
        name: 'A cloud',
        transport: 'cloud-api',
        phone: '+6281234500002',
        transportConfig: { phoneNumberId: '1234567', accessToken: TOKEN, appSecret: 'a-only-app-secret' },
      })
    ).json();
    a.pkg = (await A.api('POST', '/api/v1/packages', { name: 'A pool', settings: { limits: { per3Hours: 45 } } })).json();
    await A.api('PUT', `/api/v1/packages/${a.pkg.id}/profiles`, { profileIds: [a.sim.id, a.cloud.id] });

    B = await otherWorkspace(h.app, { workspaceName: 'Workspace B' }, 'B integration');
    attackers.push(['B session', B.api], ['B API key', B.keyApi]);
    b.profile = (await B.api('POST', '/api/v1/profiles', { name: 'B sim', transport: 'simulator', phone: '+6281234500009' })).json();
    b.pkg = (await B.api('POST', '/api/v1/packages', { name: 'B pool' })).json();
    await B.api('PUT', `/api/v1/packages/${b.pkg.id}/profiles`, { profileIds: [b.profile.id] });
  });
  afterAll(async () => h?.close());

  it("hides A's profiles and packages from B: every route with an id answers 404", async () => {
    const before = await snapshotOfA();
    for (const [who, api] of attackers) {
      const cases: Array<[string, string, unknown, string]> = [];
      for (const p of [a.sim, a.cloud]) {
        cases.push(
          ['GET', `/api/v1/profiles/${p.id}`, undefined, 'PROFILE_NOT_FOUND'],
          ['PATCH', `/api/v1/profiles/${p.id}`, { name: `Taken by ${who}`, transportConfig: { accessToken: 'stolen-token-value' }, settings: {} }, 'PROFILE_NOT_FOUND'],
          ['DELETE', `/api/v1/profiles/${p.id}`, undefined, 'PROFILE_NOT_FOUND'],
          ['POST', `/api/v1/profiles/${p.id}/pause`, { reason: 'B says so' }, 'PROFILE_NOT_FOUND'],
          ['POST', `/api/v1/profiles/${p.id}/resume`, undefined, 'PROFILE_NOT_FOUND'],
          ['GET', `/api/v1/packages/${a.pkg.id}/profiles/${p.id}/settings`, undefined, 'PACKAGE_NOT_FOUND'],
          ['GET', `/api/v1/packages/${b.pkg.id}/profiles/${p.id}/settings`, undefined, 'PACKAGE_MEMBER_NOT_FOUND'],
        );
      }
      cases.push(
        ['GET', `/api/v1/packages/${a.pkg.id}`, undefined, 'PACKAGE_NOT_FOUND'],
        ['PATCH', `/api/v1/packages/${a.pkg.id}`, { name: `Taken by ${who}`, settings: {}, strategy: 'random' }, 'PACKAGE_NOT_FOUND'],
        ['DELETE', `/api/v1/packages/${a.pkg.id}`, undefined, 'PACKAGE_NOT_FOUND'],
        ['PUT', `/api/v1/packages/${a.pkg.id}/profiles`, { profileIds: [] }, 'PACKAGE_NOT_FOUND'],
        ['PUT', `/api/v1/packages/${a.pkg.id}/profiles`, { profileIds: [b.profile.id] }, 'PACKAGE_NOT_FOUND'],
        ['GET', `/api/v1/packages/${a.pkg.id}/profiles/${b.profile.id}/settings`, undefined, 'PACKAGE_NOT_FOUND'],
      );
      for (const [method, url, body, code] of cases) {
        const res = await api(method as 'GET', url, body);
        expect(res.statusCode, `${who} ${method} ${url}: ${res.body}`).toBe(404);
        expect(res.json().error.code, `${who} ${method} ${url}`).toBe(code);
      }
      for (const query of ['', '?search=A', `?search=${A_PHONE}`, '?status=connected', '?limit=500']) {
        const ids = (await json(api, `/api/v1/profiles${query}`)).items.map((p: { id: string }) => p.id);
        expect(ids, query).not.toContain(a.sim.id);
        expect(ids, query).not.toContain(a.cloud.id);
      }
      expect((await json(api, '/api/v1/profiles')).items.map((p: { id: string }) => p.id)).toEqual([b.profile.id]);
      expect((await json(api, '/api/v1/packages?search=A')).items).toEqual([]);
      expect((await json(api, '/api/v1/packages')).items.map((p: { id: string }) => p.id)).toEqual([b.pkg.id]);
      expect((await json(api, '/api/v1/senders/defaults')).settings).toEqual({});
    }
    expect(await snapshotOfA()).toEqual(before);
  });

  it("refuses A's profile ids in B's membership exactly as ids that never existed", async () => {
    const made = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (const [who, api] of attackers) {
      for (const id of [a.sim.id, a.cloud.id]) {
        const foreign = await api('PUT', `/api/v1/packages/${b.pkg.id}/profiles`, { profileIds: [b.profile.id, id] });
        const unknown = await api('PUT', `/api/v1/packages/${b.pkg.id}/profiles`, { profileIds: [b.profile.id, made] });
        expect(foreign.statusCode, who).toBe(400);
        expect(foreign.json().error.code).toBe('UNKNOWN_PROFILE');
        expect(foreign.json().error.message).toBe(`${id} is not a profile of this workspace`);
        expect(JSON.stringify(foreign.json()).replaceAll(id, '<id>')).toBe(JSON.stringify(unknown.json()).replaceAll(made, '<id>'));
      }
    }
    const members = (await json(B.api, `/api/v1/packages/${b.pkg.id}`)).profiles.map((m: { profile: { id: string } }) => m.profile.id);
    expect(members).toEqual([b.profile.id]);
    const { rows } = await h.c.db.pool.query('SELECT count(*)::int AS n FROM package_profiles WHERE profile_id = ANY($1::uuid[])', [[a.sim.id, a.cloud.id]]);
    expect(rows[0].n).toBe(2);
  });

  it("keeps each workspace's settings, names and phones to itself", async () => {
    const before = await snapshotOfA();
    for (const [who, api] of attackers) {
      const put = await api('PUT', '/api/v1/senders/defaults', { limits: { perHour: 5, per3Hours: 15, perDay: 50 }, timezone: 'Europe/Paris' });
      expect(put.statusCode, put.body).toBe(200);
      // A's name and phone are free in B: no conflict that would reveal A has them.
      const same = await api('POST', '/api/v1/profiles', { name: who === 'B session' ? 'A sim' : 'A cloud', transport: 'simulator', phone: who === 'B session' ? A_PHONE : '+6281234500002' });
      expect(same.statusCode, same.body).toBe(201);
      const pkg = await api('POST', '/api/v1/packages', { name: `A pool ${who}` });
      expect(pkg.statusCode).toBe(201);
    }
    expect(await snapshotOfA()).toEqual(before);
    expect(before.settings.values).toMatchObject({ limits: { perHour: 18, per3Hours: 45, perDay: 120 }, timezone: 'Asia/Jakarta' });
    expect((await json(B.api, `/api/v1/packages/${b.pkg.id}/profiles/${b.profile.id}/settings`)).values).toMatchObject({
      limits: { perHour: 5, per3Hours: 15, perDay: 50 },
      timezone: 'Europe/Paris',
    });
  });

  it('lets supervisors read but not write; agents get nothing', async () => {
    const supervisors: Client[] = [client(h.app, cookieOf(await addMember(h.app, A, 'supervisor'))), await keyClient(h.app, A, 'supervisor')];
    const agents: Client[] = [client(h.app, cookieOf(await addMember(h.app, A, 'agent'))), await keyClient(h.app, A, 'agent')];
    const reads = [
      ['GET', '/api/v1/senders/defaults', undefined],
      ['GET', '/api/v1/profiles', undefined],
      ['GET', `/api/v1/profiles/${a.cloud.id}`, undefined],
      ['GET', '/api/v1/packages', undefined],
      ['GET', `/api/v1/packages/${a.pkg.id}`, undefined],
      ['GET', `/api/v1/packages/${a.pkg.id}/profiles/${a.sim.id}/settings`, undefined],
    ] as const;
    const writes = [
      ['PUT', '/api/v1/senders/defaults', { timezone: 'UTC' }],
      ['POST', '/api/v1/profiles', { name: 'Sneaky', transport: 'simulator', phone: '+6281234577777' }],
      ['PATCH', `/api/v1/profiles/${a.sim.id}`, { name: 'Sneaky' }],
      ['DELETE', `/api/v1/profiles/${a.sim.id}`, undefined],
      ['POST', `/api/v1/profiles/${a.sim.id}/pause`, undefined],
      ['POST', `/api/v1/profiles/${a.sim.id}/resume`, undefined],
      ['POST', '/api/v1/packages', { name: 'Sneaky' }],
      ['PATCH', `/api/v1/packages/${a.pkg.id}`, { name: 'Sneaky' }],
      ['DELETE', `/api/v1/packages/${a.pkg.id}`, undefined],
      ['PUT', `/api/v1/packages/${a.pkg.id}/profiles`, { profileIds: [] }],
    ] as const;
    const before = await snapshotOfA();
    for (const s of supervisors) {
      for (const [method, url, body] of reads) {
        const res = await s(method, url, body);
        expect(res.statusCode, `supervisor ${method} ${url}`).toBe(200);
        expect(res.body).not.toContain(TOKEN);
      }
      for (const [method, url, body] of writes) expect((await s(method, url, body)).statusCode, `supervisor ${method} ${url}`).toBe(403);
    }
    for (const g of agents) {
      for (const [method, url, body] of [...reads, ...writes]) expect((await g(method, url, body)).statusCode, `agent ${method} ${url}`).toBe(403);
    }
    expect(await snapshotOfA()).toEqual(before);
  });
});
