import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, newOwner } from './support/api.ts';

const SQL_TEXT = "Sales'); DROP TABLE profiles;--";
const UNKNOWN = '01890a5d-ac96-774b-bcce-b302099a8057';

describe.each(modes)('sender bad input (%s)', (mode) => {
  let h: Harness;
  let o: Awaited<ReturnType<typeof newOwner>>;
  let profileId: string;
  let cloudId: string;
  let packageId: string;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    o = await newOwner(h.app);
    profileId = (await o.api('POST', '/api/v1/profiles', { name: 'Kept', transport: 'simulator', phone: '+6281234500001' })).json().id;
    cloudId = (
      await o.api('POST', '/api/v1/profiles', {
        name: 'Cloud',
        transport: 'cloud-api',
        phone: '+6281234500002',
        transportConfig: { phoneNumberId: '1098765', accessToken: 'EAAG-token-value-0001', appSecret: 'app-secret-value' },
      })
    ).json().id;
    packageId = (await o.api('POST', '/api/v1/packages', { name: 'Kept pool' })).json().id;
    await o.api('PUT', `/api/v1/packages/${packageId}/profiles`, { profileIds: [profileId] });
  });
  afterAll(async () => h?.close());

  /** Everything the refusals below must leave as it was. */
  const state = async () => ({
    defaults: (await o.api('GET', '/api/v1/senders/defaults')).json(),
    profiles: (await o.api('GET', '/api/v1/profiles')).json(),
    packages: (await o.api('GET', '/api/v1/packages')).json(),
    pkg: (await o.api('GET', `/api/v1/packages/${packageId}`)).json(),
    sealed: (await h.c.db.pool.query('SELECT id, transport_config FROM profiles ORDER BY id')).rows,
    audit: (await audit(o.api)).length,
  });

  const refused = async (method: string, url: string, body: unknown, status = 400) => {
    const res = await o.api(method as 'POST', url, body);
    expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)?.slice(0, 200)}: ${res.body.slice(0, 300)}`).toBe(status);
    expect(res.body).not.toMatch(/ at .*\.(ts|js)|stack|invalid_union/);
    return res.json().error as { code: string; message: string; details?: unknown };
  };

  it('names each invalid setting precisely, wherever a layer is written', async () => {
    const before = await state();
    /** [layer, where in the layer, message]. */
    const layerCases: Array<[unknown, string, string]> = [
      [{ activeHours: { start: '09:00', end: '09:00' } }, 'activeHours.end', 'start and end are the same time, which leaves no active hours (use 00:00 to 00:00 for the whole day)'],
      [{ activeHours: { start: '9am', end: '22:00' } }, 'activeHours.start', 'a time like 08:00 (24-hour clock)'],
      [{ timezone: 'Mars/Olympus' }, 'timezone', 'an IANA timezone such as Asia/Jakarta'],
      [{ timezone: SQL_TEXT }, 'timezone', 'an IANA timezone such as Asia/Jakarta'],
      [{ limits: { perHour: 0 } }, 'limits.perHour', 'at least 1'],
      [{ limits: { perHour: 1.5 } }, 'limits.perHour', 'a whole number'],
      [{ limits: { perDay: 1e12 } }, 'limits.perDay', 'at most 2,400,000'],
      [{ pacing: { jitter: 2 } }, 'pacing.jitter', 'at most 0.9 (gaps of 10 % to 190 % of the base)'],
      [{ warmup: { startPerDay: -1 } }, 'warmup.startPerDay', 'at least 1'],
      [{ limits: { perMinute: 5 } }, 'limits', 'Unrecognized key: "perMinute"'],
      [{ owner: 'me' }, '', 'Unrecognized key: "owner"'],
    ];
    for (const [layer, path, message] of layerCases) {
      // The error handler writes the root of the body as "body." (the empty path after it).
      const at = (prefix: string) => `${[prefix, path].filter(Boolean).join('.') || 'body.'}: ${message}`;
      expect((await refused('PUT', '/api/v1/senders/defaults', layer)).message).toBe(at(path ? 'body' : ''));
      expect((await refused('POST', '/api/v1/packages', { name: 'Bad', settings: layer })).message).toBe(at('body.settings'));
      expect((await refused('PATCH', `/api/v1/packages/${packageId}`, { settings: layer })).message).toBe(at('body.settings'));
      expect((await refused('PATCH', `/api/v1/profiles/${profileId}`, { settings: layer })).message).toBe(at('body.settings'));
    }
    const whole = await o.api('PUT', '/api/v1/senders/defaults', { activeHours: { start: '00:00', end: '00:00' }, limits: { perHour: 10, per3Hours: 30, perDay: 100 } });
    expect(whole.statusCode, whole.body).toBe(200);
    expect((await o.api('PUT', '/api/v1/senders/defaults', {})).statusCode).toBe(200);
    expect({ ...(await state()), audit: before.audit }).toEqual(before);
  });

  it('refuses package rules out of range, listing what is valid', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ strategy: 'fastest' }, 'body.strategy: one of round_robin, random, weighted, smart'],
      [{ strategy: 'ROUND_ROBIN' }, 'body.strategy: one of round_robin, random, weighted, smart'],
      [{ maxConcurrentSends: 0 }, 'body.maxConcurrentSends: at least 1'],
      [{ maxConcurrentSends: -3 }, 'body.maxConcurrentSends: at least 1'],
      [{ maxConcurrentSends: 1.5 }, 'body.maxConcurrentSends: a whole number'],
      [{ dailyTotal: 0 }, 'body.dailyTotal: at least 1'],
      [{ name: '' }, 'body.name: a name'],
      [{ name: 'x'.repeat(121) }, 'body.name: at most 120 characters'],
      [{ name: 'a\u0000b' }, 'body.name: no NUL characters'],
      [{ description: 'd'.repeat(501) }, 'body.description: at most 500 characters'],
    ];
    for (const [body, message] of cases) {
      expect((await refused('POST', '/api/v1/packages', { name: 'Bad', ...body })).message).toBe(message);
      expect((await refused('PATCH', `/api/v1/packages/${packageId}`, body)).message).toBe(message);
    }
    expect((await o.api('GET', '/api/v1/packages')).json().items.map((p: { name: string }) => p.name)).toEqual(['Kept pool']);
  });

  it('refuses bad profiles: transport, credentials, phone, weight', async () => {
    const base = { name: 'Bad', transport: 'simulator', phone: '+6281234599999' };
    const cases: Array<[Record<string, unknown>, string, string?]> = [
      [{ ...base, transport: 'telegram' }, 'body.transport: one of cloud-api, whatsapp-web, simulator'],
      [{ name: 'Bad', phone: '+6281234599999' }, 'body.transport: one of cloud-api, whatsapp-web, simulator'],
      [{ ...base, phone: undefined }, 'body.phone: required: the phone number of this WhatsApp number'],
      [{ ...base, phone: 6281234599999 }, 'body.phone: a phone number, as text'],
      [{ ...base, phone: '12' }, 'Invalid phone "12": not a phone number', 'INVALID_PHONE'],
      [{ ...base, phone: SQL_TEXT }, `Invalid phone "${SQL_TEXT}": not a phone number`, 'INVALID_PHONE'],
      [{ ...base, weight: 0 }, 'body.weight: more than 0 (null derives it from remaining capacity × health)'],
      [{ ...base, weight: -2 }, 'body.weight: more than 0 (null derives it from remaining capacity × health)'],
      [{ ...base, weight: 'heavy' }, 'body.weight: Invalid input: expected number, received string'],
      [{ ...base, warmup: 'yes' }, 'body.warmup: Invalid input: expected boolean, received string'],
      [{ ...base, transport: 'cloud-api' }, 'body.transportConfig: required: the Cloud API credentials {phoneNumberId, accessToken, appSecret}'],
      [{ ...base, transport: 'cloud-api', transportConfig: { phoneNumberId: '123', appSecret: 's' } }, 'body.transportConfig.accessToken: required: the access token'],
      [{ ...base, transport: 'cloud-api', transportConfig: { phoneNumberId: 'abc', accessToken: 't', appSecret: 's' } }, 'body.transportConfig.phoneNumberId: the phone number ID: the digits Meta shows'],
      [{ ...base, transport: 'cloud-api', transportConfig: { phoneNumberId: '1', accessToken: 'a'.repeat(5000), appSecret: 's' } }, 'body.transportConfig.accessToken: at most 4,096 characters'],
      [{ ...base, transportConfig: { seed: 5 } }, 'body.transportConfig.seed: Invalid input: expected string, received number'],
      [{ ...base, transportConfig: { overrides: { blob: 'x'.repeat(70_000) } } }, 'body.transportConfig.overrides: at most 64 KB of overrides'],
      [{ ...base, transport: 'whatsapp-web', transportConfig: { session: 'x' } }, 'body.transportConfig: Unrecognized key: "session"'],
    ];
    for (const [body, message, code] of cases) {
      const error = await refused('POST', '/api/v1/profiles', body);
      expect(error.message).toBe(message);
      expect(error.code).toBe(code ?? 'VALIDATION_FAILED');
    }
    expect((await o.api('GET', '/api/v1/profiles')).json().items.map((p: { name: string }) => p.name)).toEqual(['Cloud', 'Kept']);
  });

  it('checks a credentials change merged into the saved ones, and keeps the saved ones when refused', async () => {
    const sealed = async () => (await h.c.db.pool.query('SELECT transport_config FROM profiles WHERE id = $1', [cloudId])).rows[0].transport_config;
    const before = await sealed();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ accessToken: 'a b' }, 'transportConfig.accessToken: the access token, without spaces'],
      [{ accessToken: null }, 'transportConfig.accessToken: required: the access token'],
      [{ foo: 1 }, 'transportConfig: Unrecognized key: "foo"'],
    ];
    for (const [patch, message] of cases) {
      expect(await refused('PATCH', `/api/v1/profiles/${cloudId}`, { transportConfig: patch, name: 'Renamed' })).toMatchObject({ code: 'INVALID_TRANSPORT_CONFIG', message });
    }
    expect((await refused('PATCH', `/api/v1/profiles/${cloudId}`, { transport: 'simulator' })).message).toBe('body.: Unrecognized key: "transport"');
    expect((await refused('PATCH', `/api/v1/profiles/${profileId}`, { transportConfig: { seed: 7 } })).message).toBe(
      'transportConfig.seed: Invalid input: expected string, received number',
    );
    expect(await sealed()).toBe(before);
    expect((await o.api('GET', `/api/v1/profiles/${cloudId}`)).json().name).toBe('Cloud');
  });

  it('refuses limits that contradict each other on the effective values, naming each value and its layer, and writes nothing', async () => {
    const o2 = await newOwner(h.app);
    const make = async (url: string, body: unknown) => {
      const res = await o2.api('POST', url, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    expect((await o2.api('PUT', '/api/v1/senders/defaults', { limits: { per3Hours: 50 } })).statusCode).toBe(200);

    // Neither layer is wrong on its own: the package's perHour of 100 over the workspace's per3Hours of 50 is.
    const lone = await o2.api('POST', '/api/v1/packages', { name: 'Too fast', settings: { limits: { perHour: 100 } } });
    expect(lone.statusCode).toBe(400);
    expect(lone.json().error).toMatchObject({
      code: 'LIMITS_CONTRADICT',
      message:
        'The limits contradict each other for package "Too fast" (for its profiles that set no limits of their own): per 3 hours (50) is less than per hour (100): the hourly limit could never be reached. The values in force: per hour 100 (package default), per 3 hours 50 (workspace default), per day 120 (built-in default)',
    });
    expect(lone.json().error.details.contradictions[0].limits).toEqual({
      perHour: { value: 100, source: 'package default' },
      per3Hours: { value: 50, source: 'workspace default' },
      perDay: { value: 120, source: 'built-in default' },
    });

    // A pair that contradicts only together: the package lowers per3Hours, the profile raises perHour.
    const pkg = await make('/api/v1/packages', { name: 'Careful', settings: { limits: { per3Hours: 30 } } });
    const eager = await make('/api/v1/profiles', { name: 'Eager', transport: 'simulator', phone: '+6281234511111', settings: { limits: { perHour: 40 } } });
    const calm = await make('/api/v1/profiles', { name: 'Calm', transport: 'simulator', phone: '+6281234511112' });
    const join = await o2.api('PUT', `/api/v1/packages/${pkg}/profiles`, { profileIds: [calm, eager] });
    expect(join.statusCode).toBe(400);
    expect(join.json().error.message).toBe(
      'The limits contradict each other for profile "Eager" in package "Careful": per 3 hours (30) is less than per hour (40): the hourly limit could never be reached. The values in force: per hour 40 (profile override), per 3 hours 30 (package default), per day 120 (built-in default)',
    );
    expect((await o2.api('GET', `/api/v1/packages/${pkg}`)).json().profiles).toEqual([]);

    expect((await o2.api('PUT', `/api/v1/packages/${pkg}/profiles`, { profileIds: [calm] })).statusCode).toBe(200);
    const before = await o2.api('GET', `/api/v1/packages/${pkg}`);
    const patchProfile = await o2.api('PATCH', `/api/v1/profiles/${calm}`, { name: 'Calm 2', settings: { limits: { perHour: 31 } } });
    expect(patchProfile.statusCode).toBe(400);
    expect(patchProfile.json().error.message).toMatch(/^The limits contradict each other for profile "Calm 2" in package "Careful": per 3 hours \(30\) is less than per hour \(31\)/);
    const patchPackage = await o2.api('PATCH', `/api/v1/packages/${pkg}`, { name: 'Renamed', settings: { limits: { per3Hours: 70 } } });
    expect(patchPackage.json().error.message).toMatch(/per 3 hours \(70\) is more than 3 × per hour \(60\): it could never be reached\. The values in force: per hour 20 \(built-in default\), per 3 hours 70 \(package default\)/);
    const defaults = await o2.api('PUT', '/api/v1/senders/defaults', { limits: { perHour: 5, per3Hours: 15, perDay: 100 } });
    expect(defaults.statusCode).toBe(400);
    expect(defaults.json().error.message).toBe(
      'The limits contradict each other for package "Careful" (for its profiles that set no limits of their own): per 3 hours (30) is more than 3 × per hour (15): it could never be reached. The values in force: per hour 5 (workspace default), per 3 hours 30 (package default), per day 100 (workspace default) (and 1 more in details)',
    );
    expect(defaults.json().error.details.contradictions.map((c: { profile: { name: string } | null }) => c.profile?.name ?? null)).toEqual([null, 'Calm']);

    expect((await o2.api('GET', `/api/v1/packages/${pkg}`)).json()).toEqual(before.json());
    expect((await o2.api('GET', '/api/v1/senders/defaults')).json().settings).toEqual({ limits: { per3Hours: 50 } });
    expect((await o2.api('GET', '/api/v1/packages')).json().items.map((p: { name: string }) => p.name)).toEqual(['Careful']);
    expect((await audit(o2.api)).filter((e) => e.action !== 'member.create').map((e) => e.action)).toEqual([
      'package.profiles',
      'profile.create',
      'profile.create',
      'package.create',
      'senders.defaults.update',
    ]);
  });

  it('checks concurrent changes one after another, so two that only contradict together cannot both pass', async () => {
    const o3 = await newOwner(h.app);
    const pairs: Array<{ member: string; pkg: string }> = [];
    for (let i = 0; i < 8; i++) {
      const member = (await o3.api('POST', '/api/v1/profiles', { name: `Member ${i}`, transport: 'simulator', phone: `+62812345222${String(i).padStart(2, '0')}` })).json().id;
      const pkg = (await o3.api('POST', '/api/v1/packages', { name: `Pool ${i}` })).json().id;
      expect((await o3.api('PUT', `/api/v1/packages/${pkg}/profiles`, { profileIds: [member] })).statusCode).toBe(200);
      pairs.push({ member, pkg });
    }
    // Each change is fine against the other's old value (per hour 40 under per 3 hours 50; per 3 hours 30
    // over per hour 20); together they contradict. All at once, over several connections.
    const answers = await Promise.all(
      pairs.flatMap(({ member, pkg }) => [
        o3.api('PATCH', `/api/v1/profiles/${member}`, { settings: { limits: { perHour: 40 } } }),
        o3.api('PATCH', `/api/v1/packages/${pkg}`, { settings: { limits: { per3Hours: 30 } } }),
      ]),
    );
    for (let i = 0; i < pairs.length; i++) {
      const codes = [answers[2 * i]!.statusCode, answers[2 * i + 1]!.statusCode].sort();
      expect(codes, `pair ${i}`).toEqual([200, 400]);
      const settings = await o3.api('GET', `/api/v1/packages/${pairs[i]!.pkg}/profiles/${pairs[i]!.member}/settings`);
      expect(settings.json().problems).toEqual([]);
    }
  });

  it('refuses bad memberships: duplicates, unknown profiles, too many', async () => {
    const url = `/api/v1/packages/${packageId}/profiles`;
    expect((await refused('PUT', url, { profileIds: [profileId, profileId] })).message).toBe('body.profileIds: a profile is listed twice');
    expect((await refused('PUT', url, { profileIds: ["1' OR '1'='1"] })).message).toBe('body.profileIds.0: profile ids are UUIDs');
    expect((await refused('PUT', url, { profileIds: Array.from({ length: 1001 }, () => UNKNOWN) })).message).toBe('body.profileIds: at most 1,000 profiles in a package');
    expect((await refused('PUT', url, { profileIds: profileId })).message).toBe('body.profileIds: Invalid input: expected array, received string');
    expect((await refused('PUT', url, {})).message).toBe('body.profileIds: Invalid input: expected array, received undefined');
    expect(await refused('PUT', url, { profileIds: [cloudId, UNKNOWN] })).toEqual({
      code: 'UNKNOWN_PROFILE',
      message: `${UNKNOWN} is not a profile of this workspace`,
      details: { profileIds: [UNKNOWN] },
    });
    expect((await o.api('GET', `/api/v1/packages/${packageId}`)).json().profiles.map((m: { profile: { id: string } }) => m.profile.id)).toEqual([profileId]);
  });

  it('stores hostile text literally, and refuses huge bodies and malformed ids without a trace', async () => {
    const names = [SQL_TEXT, '<script>alert(1)</script>', '‮evil‭ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀', "x' OR '1'='1", '%_\\'];
    for (const [i, name] of names.entries()) {
      const res = await o.api('POST', '/api/v1/profiles', { name, transport: 'simulator', phone: `+62812345700${i}0` });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().name).toBe(name.trim());
      const pkg = await o.api('POST', '/api/v1/packages', { name, description: name });
      expect(pkg.json()).toMatchObject({ name: name.trim(), description: name.trim() });
    }
    expect((await o.api('GET', `/api/v1/profiles?search=${encodeURIComponent("' OR '1'='1")}`)).json().items.map((p: { name: string }) => p.name)).toEqual([
      "x' OR '1'='1",
    ]);
    expect((await o.api('GET', `/api/v1/packages?search=${encodeURIComponent('%_')}`)).json().items.map((p: { name: string }) => p.name)).toEqual(['%_\\']);
    expect((await o.api('GET', '/api/v1/profiles?search=%00')).json().error.message).toBe('querystring.search: no NUL characters');
    expect((await h.c.db.pool.query('SELECT count(*)::int AS n FROM profiles WHERE workspace_id = $1', [o.workspaceId])).rows[0].n).toBe(2 + names.length);

    const huge = await o.api('POST', '/api/v1/profiles', { name: 'Huge', transport: 'simulator', phone: '+6281234588888', transportConfig: { overrides: { blob: 'x'.repeat(3_000_000) } } });
    expect(huge.statusCode).toBe(413);
    expect(huge.body).not.toMatch(/ at /);
    const proto = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/senders/defaults',
      headers: { cookie: o.cookie, 'content-type': 'application/json' },
      payload: '{"limits": {"__proto__": {"perHour": 1}}}',
    });
    expect(proto.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).perHour).toBeUndefined();

    const bad: Array<[string, string, unknown]> = [['GET', '/api/v1/profiles?limit=0', undefined], ['GET', '/api/v1/profiles?status=happy', undefined]];
    for (const id of ['123', "1' OR '1'='1", 'not-a-uuid']) {
      const p = `/api/v1/profiles/${encodeURIComponent(id)}`;
      const k = `/api/v1/packages/${encodeURIComponent(id)}`;
      bad.push(
        ['GET', p, undefined],
        ['PATCH', p, { name: 'y' }],
        ['DELETE', p, undefined],
        ['POST', `${p}/pause`, undefined],
        ['POST', `${p}/resume`, undefined],
        ['GET', k, undefined],
        ['PATCH', k, { name: 'y' }],
        ['DELETE', k, undefined],
        ['PUT', `${k}/profiles`, { profileIds: [] }],
        ['GET', `${k}/profiles/${profileId}/settings`, undefined],
        ['GET', `/api/v1/packages/${packageId}/profiles/${encodeURIComponent(id)}/settings`, undefined],
      );
    }
    for (const [method, url, body] of bad) {
      const error = await refused(method, url, body);
      expect(error.message, `${method} ${url}`).toMatch(/^(body|params|querystring)\./);
    }
    for (const [method, url, code] of [
      ['GET', `/api/v1/profiles/${UNKNOWN}`, 'PROFILE_NOT_FOUND'],
      ['PATCH', `/api/v1/profiles/${UNKNOWN}`, 'PROFILE_NOT_FOUND'],
      ['DELETE', `/api/v1/profiles/${UNKNOWN}`, 'PROFILE_NOT_FOUND'],
      ['POST', `/api/v1/profiles/${UNKNOWN}/pause`, 'PROFILE_NOT_FOUND'],
      ['POST', `/api/v1/profiles/${UNKNOWN}/resume`, 'PROFILE_NOT_FOUND'],
      ['GET', `/api/v1/packages/${UNKNOWN}`, 'PACKAGE_NOT_FOUND'],
      ['PATCH', `/api/v1/packages/${UNKNOWN}`, 'PACKAGE_NOT_FOUND'],
      ['DELETE', `/api/v1/packages/${UNKNOWN}`, 'PACKAGE_NOT_FOUND'],
      ['PUT', `/api/v1/packages/${UNKNOWN}/profiles`, 'PACKAGE_NOT_FOUND'],
      ['GET', `/api/v1/packages/${UNKNOWN}/profiles/${profileId}/settings`, 'PACKAGE_NOT_FOUND'],
      ['GET', `/api/v1/packages/${packageId}/profiles/${UNKNOWN}/settings`, 'PACKAGE_MEMBER_NOT_FOUND'],
    ] as const) {
      const body = method === 'PUT' ? { profileIds: [] } : method === 'PATCH' ? { name: 'y' } : undefined;
      expect(await refused(method, url, body, 404), `${method} ${url}`).toMatchObject({ code });
    }
  });
});
