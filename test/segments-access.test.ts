import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, rowCount, startHarness, type Harness } from './support/harness.ts';
import { addMember, client, cookieOf, keyClient, newOwner, otherWorkspace, type Client } from './support/api.ts';

const everyone = { op: 'and', conditions: [] };
const tagged = { op: 'and', conditions: [{ field: 'labels', op: 'has_any', values: ['shared-label'] }] };

describe.each(modes)('segment access (%s)', (mode) => {
  let h: Harness;
  let A: Awaited<ReturnType<typeof newOwner>>;
  let B: Awaited<ReturnType<typeof otherWorkspace>>;
  const a = {} as { list: { id: string }; dynamic: { id: string }; frozen: { id: string }; contactIds: string[] };
  /** B's owner session and B's owner API key. */
  const attackers: Array<[string, Client]> = [];
  let bContactId: string;

  /** A's segments as A sees them (GET recounts, which moves lastCountedAt, so that is left out). */
  const snapshotOfA = async () => {
    const view = async (id: string) => {
      const res = await A.api('GET', `/api/v1/segments/${id}`);
      expect(res.statusCode).toBe(200);
      const members = (await A.api('GET', `/api/v1/segments/${id}/contacts`)).json().items.map((c: { id: string }) => c.id);
      return { ...res.json(), lastCountedAt: undefined, members };
    };
    return { dynamic: await view(a.dynamic.id), frozen: await view(a.frozen.id) };
  };

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    A = await newOwner(h.app, { workspaceName: 'Workspace A' });
    a.contactIds = [];
    for (const phone of ['+6281234500001', '+6281234500002']) {
      a.contactIds.push((await A.api('POST', '/api/v1/contacts', { phone, labels: ['shared-label'], consent: true })).json().id);
    }
    a.list = (await A.api('POST', '/api/v1/lists', { name: 'A list' })).json();
    await A.api('POST', `/api/v1/lists/${a.list.id}/members`, { contactIds: a.contactIds });
    a.dynamic = (await A.api('POST', '/api/v1/segments', { name: 'A live', criteria: tagged })).json();
    a.frozen = (await A.api('POST', '/api/v1/segments', { name: 'A frozen', kind: 'static', criteria: tagged })).json();

    B = await otherWorkspace(h.app, { workspaceName: 'Workspace B' }, 'B integration');
    attackers.push(['B session', B.api], ['B API key', B.keyApi]);
    bContactId = (await B.api('POST', '/api/v1/contacts', { phone: '+6281234500001', labels: ['shared-label'] })).json().id;
  });
  afterAll(async () => h?.close());

  it("hides A's segments from B: read, change, delete, refresh and members all answer 404", async () => {
    const before = await snapshotOfA();
    for (const [who, b] of attackers) {
      for (const s of [a.dynamic, a.frozen]) {
        for (const [method, url, body] of [
          ['GET', `/api/v1/segments/${s.id}`, undefined],
          ['PATCH', `/api/v1/segments/${s.id}`, { name: `Taken by ${who}`, criteria: everyone }],
          ['DELETE', `/api/v1/segments/${s.id}`, undefined],
          ['POST', `/api/v1/segments/${s.id}/refresh`, undefined],
          ['GET', `/api/v1/segments/${s.id}/contacts`, undefined],
        ] as const) {
          const res = await b(method, url, body);
          expect(res.statusCode, `${who} ${method} ${url}`).toBe(404);
          expect(res.json().error.code).toBe('SEGMENT_NOT_FOUND');
        }
      }
      const listed = (await b('GET', '/api/v1/segments?search=A')).json().items.map((s: { id: string }) => s.id);
      expect(listed).not.toContain(a.dynamic.id);
      expect(listed).not.toContain(a.frozen.id);
    }
    expect(await snapshotOfA()).toEqual(before);
    expect(before.frozen.members).toHaveLength(2);
  });

  it("refuses B's criteria naming A's list exactly as it refuses an id that never existed", async () => {
    const made = '01890a5d-ac96-774b-bcce-b302099a8057';
    const byList = (id: string) => ({ op: 'and', conditions: [{ field: 'list', op: 'in_any', listIds: [id] }] });
    const own = (await B.api('POST', '/api/v1/segments', { name: 'B own', criteria: everyone })).json();
    for (const [who, b] of attackers) {
      for (const [method, url, body] of [
        ['POST', '/api/v1/segments', (id: string) => ({ name: `Via ${who}`, kind: 'static', criteria: byList(id) })],
        ['POST', '/api/v1/segments/preview', (id: string) => ({ criteria: byList(id) })],
        ['PATCH', `/api/v1/segments/${own.id}`, (id: string) => ({ criteria: byList(id) })],
      ] as const) {
        const foreign = await b(method, url, body(a.list.id));
        const unknown = await b(method, url, body(made));
        expect(foreign.statusCode, `${who} ${url}`).toBe(400);
        expect(foreign.json().error.code).toBe('UNKNOWN_LIST');
        expect(foreign.json().error.message.replace(a.list.id, '<id>')).toBe(unknown.json().error.message.replace(made, '<id>'));
      }
    }
    expect((await B.api('GET', '/api/v1/segments')).json().items.map((s: { name: string }) => s.name)).toEqual(['B own']);
    expect(await rowCount(h, 'segment_members', B.workspaceId)).toBe(0);
  });

  it("never counts A's contacts in B's segments or previews", async () => {
    for (const [who, b] of attackers) {
      for (const criteria of [everyone, tagged]) {
        const preview = (await b('POST', '/api/v1/segments/preview', { criteria, sampleSize: 50 })).json();
        expect(preview.count, who).toBe(1);
        expect(preview.sample.map((c: { id: string }) => c.id)).toEqual([bContactId]);
      }
      const frozen = (await b('POST', '/api/v1/segments', { name: `B all ${who}`, kind: 'static', criteria: everyone })).json();
      expect(frozen.lastCount).toBe(1);
      const live = (await b('POST', '/api/v1/segments', { name: `B tagged ${who}`, criteria: tagged })).json();
      for (const s of [frozen, live]) {
        expect((await b('GET', `/api/v1/segments/${s.id}`)).json().stats).toMatchObject({ total: 1 });
        const ids = (await b('GET', `/api/v1/segments/${s.id}/contacts`)).json().items.map((c: { id: string }) => c.id);
        expect(ids).toEqual([bContactId]);
      }
    }
  });

  it('lets supervisors read and preview but not write; agents get nothing', async () => {
    const supervisors: Client[] = [
      client(h.app, cookieOf(await addMember(h.app, A, 'supervisor'))),
      await keyClient(h.app, A, 'supervisor'),
    ];
    const agents: Client[] = [
      client(h.app, cookieOf(await addMember(h.app, A, 'agent'))),
      await keyClient(h.app, A, 'agent'),
    ];
    const reads = [
      ['GET', '/api/v1/segments', undefined],
      ['GET', `/api/v1/segments/${a.frozen.id}`, undefined],
      ['GET', `/api/v1/segments/${a.frozen.id}/contacts`, undefined],
      ['POST', '/api/v1/segments/preview', { criteria: tagged }],
    ] as const;
    const writes = [
      ['POST', '/api/v1/segments', { name: 'Sneaky', criteria: everyone }],
      ['PATCH', `/api/v1/segments/${a.frozen.id}`, { name: 'Sneaky' }],
      ['DELETE', `/api/v1/segments/${a.dynamic.id}`, undefined],
      ['POST', `/api/v1/segments/${a.frozen.id}/refresh`, undefined],
    ] as const;
    const before = await snapshotOfA();
    for (const s of supervisors) {
      for (const [method, url, body] of reads) expect((await s(method, url, body)).statusCode, `supervisor ${method} ${url}`).toBe(200);
      for (const [method, url, body] of writes) expect((await s(method, url, body)).statusCode, `supervisor ${method} ${url}`).toBe(403);
    }
    for (const g of agents) {
      for (const [method, url, body] of [...reads, ...writes]) expect((await g(method, url, body)).statusCode, `agent ${method} ${url}`).toBe(403);
    }
    expect(await snapshotOfA()).toEqual(before);
  });
});
