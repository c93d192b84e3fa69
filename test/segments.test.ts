import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, newOwner, type Client } from './support/api.ts';

type Owner = Awaited<ReturnType<typeof newOwner>>;

interface Person {
  name: string;
  labels?: string[];
  consent?: boolean;
  fields?: Record<string, string | number>;
  workflowStatus?: string;
  optedOut?: boolean;
  conversationCount?: number;
  rating?: number;
  /** Days since the last interaction; none when left out. */
  lastSeenDaysAgo?: number;
}

describe.each(modes)('segments (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  let phone = 0;
  /** Contacts made through the API; what the API does not set (counts, rating, last interaction) is set in SQL. */
  const seed = async (o: Owner, people: Person[]) => {
    const ids: Record<string, string> = {};
    for (const p of people) {
      const res = await o.api('POST', '/api/v1/contacts', {
        phone: `+628120000${String(++phone).padStart(4, '0')}`,
        name: p.name,
        labels: p.labels ?? [],
        consent: p.consent ?? true,
        fields: p.fields ?? {},
        ...(p.workflowStatus ? { workflowStatus: p.workflowStatus } : {}),
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      ids[p.name] = id;
      if (p.optedOut) expect((await o.api('POST', `/api/v1/contacts/${id}/opt-out`, { reason: 'asked' })).statusCode).toBe(200);
      await h.c.db.pool.query(
        `UPDATE contacts SET conversation_count = $2, rating = $3,
           last_interaction_at = CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(days => $4::int) END
         WHERE id = $1`,
        [id, p.conversationCount ?? 0, p.rating ?? null, p.lastSeenDaysAgo ?? null],
      );
    }
    return ids;
  };

  const create = async (api: Client, body: Record<string, unknown>) => {
    const res = await api('POST', '/api/v1/segments', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const detail = async (api: Client, id: string) => {
    const res = await api('GET', `/api/v1/segments/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const memberIds = async (api: Client, id: string) =>
    ((await api('GET', `/api/v1/segments/${id}/contacts?limit=500`)).json().items as Array<{ id: string }>).map((c) => c.id);
  const gold = { op: 'and', conditions: [{ field: 'labels', op: 'has_any', values: ['gold'] }] };

  it('counts a dynamic segment of mixed conditions now, with exact statistics, and caches the count', async () => {
    const o = await newOwner(h.app);
    const ids = await seed(o, [
      { name: 'Ana', labels: ['vip'], conversationCount: 5, rating: 4, lastSeenDaysAgo: 2, fields: { city: 'Jakarta' } },
      { name: 'Budi', labels: ['vip'], optedOut: true, conversationCount: 1, lastSeenDaysAgo: 40 },
      { name: 'Citra', labels: ['vip', 'new'], consent: false },
      { name: 'Dewi', conversationCount: 10, rating: 5, lastSeenDaysAgo: 1 },
      { name: 'Eko', labels: ['vip'], workflowStatus: 'lead', conversationCount: 3, lastSeenDaysAgo: 10 },
      { name: 'Fay', labels: ['vip'], conversationCount: 2, lastSeenDaysAgo: 3 },
      { name: 'Gita', labels: ['vip'], conversationCount: 0, lastSeenDaysAgo: 5 },
    ]);
    const blocked = (await o.api('POST', '/api/v1/lists', { name: 'Blocked' })).json();
    await o.api('POST', `/api/v1/lists/${blocked.id}/members`, { contactIds: [ids.Fay] });
    const criteria = {
      op: 'and',
      conditions: [
        { field: 'labels', op: 'has_any', values: ['vip'] },
        { op: 'or', conditions: [{ field: 'conversation_count', op: 'gte', value: 1 }, { field: 'consent', op: 'is', value: false }] },
        { field: 'list', op: 'in_none', listIds: [blocked.id] },
      ],
    };
    const made = await create(o.api, { name: ' VIPs ', description: 'Talked to us', criteria });
    // Counted as it is made, so the list shows its size before anyone opens it.
    expect(made).toMatchObject({ name: 'VIPs', description: 'Talked to us', kind: 'dynamic', criteria, lastCount: 4, lastReachable: 2, lastRefreshedAt: null });
    expect(Date.parse(made.lastCountedAt)).toBeGreaterThanOrEqual(Date.parse(made.createdAt));
    expect((await o.api('GET', '/api/v1/segments')).json().items).toEqual([made]);

    const got = await detail(o.api, made.id);
    expect(got.stats).toEqual({ total: 4, reachable: 2, optedOut: 1, notConsented: 1, interactedLast30Days: 2 });
    expect(got).toMatchObject({ lastCount: 4, lastReachable: 2 });
    expect(Date.parse(got.lastCountedAt)).toBeGreaterThanOrEqual(Date.parse(made.createdAt));
    expect((await memberIds(o.api, made.id)).sort()).toEqual([ids.Ana, ids.Budi, ids.Citra, ids.Eko].sort());
    expect((await o.api('GET', '/api/v1/segments')).json().items).toEqual([
      { ...made, lastCount: 4, lastReachable: 2, lastCountedAt: got.lastCountedAt },
    ]);

    const recent = await create(o.api, {
      name: 'Recent raters',
      criteria: {
        op: 'and',
        conditions: [
          { field: 'last_interaction_at', op: 'within_last_days', days: 7 },
          { field: 'rating', op: 'exists' },
          { field: 'custom', key: 'city', op: 'equals', value: 'jakarta' },
        ],
      },
    });
    expect((await detail(o.api, recent.id)).stats).toEqual({ total: 1, reachable: 1, optedOut: 0, notConsented: 0, interactedLast30Days: 1 });

    const [entry] = await audit(o.api, `&entityId=${made.id}`);
    expect(entry).toMatchObject({ action: 'segment.create', changes: { name: 'VIPs', description: 'Talked to us', kind: 'dynamic', criteria, count: 4 } });

    // Changing a dynamic segment's criteria counts it again at once.
    const patched = await o.api('PATCH', `/api/v1/segments/${made.id}`, { criteria: { op: 'and', conditions: [{ field: 'labels', op: 'has_any', values: ['new'] }] } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ lastCount: 1, lastReachable: 0 });
    expect((await o.api('GET', '/api/v1/segments')).json().items.find((s: { id: string }) => s.id === made.id)).toMatchObject({ lastCount: 1 });
    expect((await audit(o.api, `&entityId=${made.id}`))[0]).toMatchObject({ action: 'segment.update', changes: { count: { before: 4, after: 1 } } });
  });

  it('lets a dynamic segment grow with new contacts while a static one waits for a refresh', async () => {
    const o = await newOwner(h.app);
    await seed(o, [{ name: 'G1', labels: ['gold'] }, { name: 'G2', labels: ['gold'] }, { name: 'S1', labels: ['silver'] }]);
    const dynamic = await create(o.api, { name: 'Gold live', criteria: gold });
    const frozen = await create(o.api, { name: 'Gold frozen', kind: 'static', criteria: gold });
    expect(frozen).toMatchObject({ kind: 'static', lastCount: 2, lastReachable: 2 });
    expect(frozen.lastRefreshedAt).not.toBeNull();
    const members = await memberIds(o.api, frozen.id);
    expect(members).toHaveLength(2);

    const { G3 } = await seed(o, [{ name: 'G3', labels: ['gold'] }]);
    expect((await detail(o.api, dynamic.id)).stats.total).toBe(3);
    const before = await detail(o.api, frozen.id);
    expect(before.stats.total).toBe(2);
    expect(await memberIds(o.api, frozen.id)).toEqual(members);
    expect(await memberIds(o.api, dynamic.id)).toContain(G3);

    const refreshed = await o.api('POST', `/api/v1/segments/${frozen.id}/refresh`);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json()).toMatchObject({ lastCount: 3, stats: { total: 3, reachable: 3 } });
    expect(Date.parse(refreshed.json().lastRefreshedAt)).toBeGreaterThan(Date.parse(frozen.lastRefreshedAt));
    expect(await memberIds(o.api, frozen.id)).toEqual([G3, ...members]);

    const notStatic = await o.api('POST', `/api/v1/segments/${dynamic.id}/refresh`);
    expect(notStatic.statusCode).toBe(400);
    expect(notStatic.json().error).toMatchObject({ code: 'SEGMENT_NOT_STATIC', message: expect.stringMatching(/^Only static segments are refreshed/) });

    const entries = await audit(o.api, `&entityId=${frozen.id}`);
    expect(entries.map((e) => e.action)).toEqual(['segment.refresh', 'segment.create']);
    expect(entries[0]!.changes).toEqual({ count: 3, previousCount: 2 });
    expect(entries[1]!.changes).toMatchObject({ kind: 'static', count: 2 });
  });

  it('re-takes a static snapshot when its criteria change, refuses a taken name, and writes nothing for an unchanged patch', async () => {
    const o = await newOwner(h.app);
    const ids = await seed(o, [{ name: 'G', labels: ['gold'] }, { name: 'S', labels: ['silver'] }]);
    const frozen = await create(o.api, { name: 'Frozen', kind: 'static', criteria: gold });
    await create(o.api, { name: 'Other', criteria: gold });

    const taken = await o.api('PATCH', `/api/v1/segments/${frozen.id}`, { name: 'Other' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('SEGMENT_EXISTS');
    expect((await o.api('POST', '/api/v1/segments', { name: 'Other', criteria: gold })).statusCode).toBe(409);

    const silver = { op: 'and', conditions: [{ field: 'labels', op: 'has_any', values: ['silver'] }] };
    const patched = await o.api('PATCH', `/api/v1/segments/${frozen.id}`, { name: 'Silver', description: 'was gold', criteria: silver });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Silver', description: 'was gold', kind: 'static', criteria: silver, lastCount: 1 });
    expect(await memberIds(o.api, frozen.id)).toEqual([ids.S]);

    expect((await o.api('PATCH', `/api/v1/segments/${frozen.id}`, { name: 'Silver', criteria: silver })).statusCode).toBe(200);
    const kind = await o.api('PATCH', `/api/v1/segments/${frozen.id}`, { kind: 'dynamic' });
    expect(kind.statusCode).toBe(400);

    const entries = await audit(o.api, `&entityId=${frozen.id}`);
    expect(entries.map((e) => e.action)).toEqual(['segment.update', 'segment.create']);
    expect(entries[0]!.changes).toEqual({
      name: { before: 'Frozen', after: 'Silver' },
      description: { before: null, after: 'was gold' },
      criteria: { before: gold, after: silver },
      count: { before: 1, after: 1 },
    });
  });

  it('previews a count and the newest matching contacts in the shape GET /contacts shows', async () => {
    const o = await newOwner(h.app);
    await seed(o, [
      { name: 'P1', labels: ['gold'] },
      { name: 'P2', labels: ['gold'], fields: { tier: 2 } },
      { name: 'P3' },
      { name: 'P4', labels: ['gold'], optedOut: true },
    ]);
    const res = await o.api('POST', '/api/v1/segments/preview', { criteria: gold, sampleSize: 2 });
    expect(res.statusCode, res.body).toBe(200);
    const listed = (await o.api('GET', '/api/v1/contacts?label=gold')).json().items;
    expect(res.json()).toEqual({ count: 3, sample: listed.slice(0, 2) });
    expect(res.json().sample.map((c: { name: string }) => c.name)).toEqual(['P4', 'P2']);

    expect((await o.api('POST', '/api/v1/segments/preview', { criteria: gold })).json().sample).toHaveLength(3);
    expect((await o.api('POST', '/api/v1/segments/preview', { criteria: gold, sampleSize: 0 })).json()).toEqual({ count: 3, sample: [] });
    expect((await o.api('POST', '/api/v1/segments/preview', { criteria: { op: 'and', conditions: [] } })).json().count).toBe(4);
    expect((await o.api('GET', '/api/v1/segments')).json().items).toEqual([]);
  });

  it('pages the contacts of dynamic and static segments newest first', async () => {
    const o = await newOwner(h.app);
    const ids = Object.values(await seed(o, Array.from({ length: 5 }, (_, i) => ({ name: `M${i}`, labels: ['gold'] }))));
    await seed(o, [{ name: 'Not gold' }]);
    for (const kind of ['dynamic', 'static']) {
      const s = await create(o.api, { name: `Gold ${kind}`, kind, criteria: gold });
      const seen: string[] = [];
      let cursor = '';
      for (let pages = 0; pages < 3; pages++) {
        const res = await o.api('GET', `/api/v1/segments/${s.id}/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        seen.push(...res.json().items.map((c: { id: string }) => c.id));
        cursor = res.json().nextCursor;
      }
      expect(cursor, kind).toBeNull();
      expect(seen, kind).toEqual([...ids].reverse());
      expect((await o.api('GET', `/api/v1/segments/${s.id}/contacts?cursor=bad`)).json().error.code).toBe('INVALID_CURSOR');
    }
  });

  it('lists segments newest first and finds them by name', async () => {
    const o = await newOwner(h.app);
    const made: string[] = [];
    for (const name of ['Gold buyers', 'Silver 50%_off', 'Gold sleepers']) made.push((await create(o.api, { name, criteria: gold })).id);
    const p1 = (await o.api('GET', '/api/v1/segments?limit=2')).json();
    const p2 = (await o.api('GET', `/api/v1/segments?limit=2&cursor=${p1.nextCursor}`)).json();
    expect([...p1.items, ...p2.items].map((s: { id: string }) => s.id)).toEqual([...made].reverse());
    expect(p2.nextCursor).toBeNull();
    const names = async (q: string) => (await o.api('GET', `/api/v1/segments?search=${encodeURIComponent(q)}`)).json().items.map((s: { name: string }) => s.name);
    expect(await names('gold')).toEqual(['Gold sleepers', 'Gold buyers']);
    expect(await names('50%_')).toEqual(['Silver 50%_off']);
    expect(await names('%')).toEqual(['Silver 50%_off']);
  });

  it('deletes a segment and its snapshot, keeping the contacts', async () => {
    const o = await newOwner(h.app);
    await seed(o, [{ name: 'D1', labels: ['gold'] }]);
    const s = await create(o.api, { name: 'Doomed', kind: 'static', criteria: gold });
    expect((await o.api('DELETE', `/api/v1/segments/${s.id}`)).statusCode).toBe(204);
    const gone = await o.api('GET', `/api/v1/segments/${s.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('SEGMENT_NOT_FOUND');
    expect((await h.c.db.pool.query('SELECT count(*)::int AS n FROM segment_members WHERE segment_id = $1', [s.id])).rows[0].n).toBe(0);
    expect((await o.api('GET', '/api/v1/contacts')).json().items).toHaveLength(1);
    expect((await audit(o.api, `&entityId=${s.id}`))[0]).toMatchObject({ action: 'segment.delete', changes: { name: 'Doomed', kind: 'static' } });
  });

  it('accepts lists of its own workspace and names an unknown one', async () => {
    const o = await newOwner(h.app);
    const list = (await o.api('POST', '/api/v1/lists', { name: 'Mine' })).json();
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    const byLists = (listIds: string[]) => ({ op: 'and', conditions: [{ field: 'list', op: 'in_any', listIds }] });
    await create(o.api, { name: 'In mine', criteria: byLists([list.id]) });
    for (const [method, url, body] of [
      ['POST', '/api/v1/segments', { name: 'Nope', criteria: byLists([list.id, unknown]) }],
      ['POST', '/api/v1/segments/preview', { criteria: byLists([unknown]) }],
    ] as const) {
      const res = await o.api(method, url, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'UNKNOWN_LIST', message: expect.stringContaining(unknown), details: { listId: unknown } });
    }
    expect((await o.api('GET', '/api/v1/segments')).json().items).toHaveLength(1);
  });
});
