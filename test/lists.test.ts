import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, createContact, newOwner, type Client } from './support/api.ts';

describe.each(modes)('lists (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  const contacts = async (api: Client, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push((await createContact(api, { phone: `+62812000001${String(i).padStart(2, '0')}` })).id);
    }
    return ids;
  };

  it('creates a list, refuses a second one with the same name, and audits', async () => {
    const o = await newOwner(h.app);
    const res = await o.api('POST', '/api/v1/lists', { name: ' Customers ', description: 'Paying ones' });
    expect(res.statusCode).toBe(201);
    const list = res.json();
    expect(list).toMatchObject({ name: 'Customers', description: 'Paying ones', memberCount: 0 });
    const dup = await o.api('POST', '/api/v1/lists', { name: 'Customers' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('LIST_EXISTS');
    expect((await o.api('GET', `/api/v1/lists/${list.id}`)).json()).toEqual(list);
    const [entry] = await audit(o.api, '&entityType=list');
    expect(entry).toMatchObject({ action: 'list.create', entityId: list.id, changes: { name: 'Customers', description: 'Paying ones' } });
  });

  it('adds and removes members, counting only changes, and keeps contacts when the list goes', async () => {
    const o = await newOwner(h.app);
    const ids = await contacts(o.api, 3);
    const list = (await o.api('POST', '/api/v1/lists', { name: 'L' })).json();
    const add = await o.api('POST', `/api/v1/lists/${list.id}/members`, { contactIds: [ids[0], ids[1], ids[1]] });
    expect(add.statusCode).toBe(200);
    expect(add.json()).toEqual({ added: 2 });
    expect((await o.api('POST', `/api/v1/lists/${list.id}/members`, { contactIds: ids })).json()).toEqual({ added: 1 });
    expect((await o.api('GET', `/api/v1/lists/${list.id}`)).json().memberCount).toBe(3);
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    expect((await o.api('POST', `/api/v1/lists/${list.id}/members`, { contactIds: [unknown] })).json()).toEqual({ added: 0 });
    const rm = await o.api('DELETE', `/api/v1/lists/${list.id}/members`, { contactIds: [ids[0], unknown] });
    expect(rm.json()).toEqual({ removed: 1 });
    expect((await o.api('GET', '/api/v1/lists')).json().items[0]).toMatchObject({ id: list.id, memberCount: 2 });
    const entries = await audit(o.api, `&entityId=${list.id}`);
    expect(entries.map((e) => e.action)).toEqual(['list.remove_members', 'list.add_members', 'list.add_members', 'list.create']);
    expect(entries[0]!.changes).toEqual({ removed: 1, contactIds: [ids[0]] });
    expect(entries[2]!.changes).toMatchObject({ added: 2 });

    expect((await o.api('DELETE', `/api/v1/lists/${list.id}`)).statusCode).toBe(204);
    expect((await o.api('GET', `/api/v1/lists/${list.id}`)).statusCode).toBe(404);
    const left = (await o.api('GET', '/api/v1/contacts')).json().items;
    expect(left).toHaveLength(3);
    expect((await audit(o.api, `&entityId=${list.id}`))[0]).toMatchObject({ action: 'list.delete', changes: { name: 'L' } });
  });

  it("shows a contact's lists on the contact", async () => {
    const o = await newOwner(h.app);
    const [id] = await contacts(o.api, 1);
    const vip = (await o.api('POST', '/api/v1/lists', { name: 'VIP' })).json();
    await o.api('POST', '/api/v1/lists', { name: 'Other' });
    expect((await o.api('GET', `/api/v1/contacts/${id}`)).json().lists).toEqual([]);
    await o.api('POST', `/api/v1/lists/${vip.id}/members`, { contactIds: [id] });
    expect((await o.api('GET', `/api/v1/contacts/${id}`)).json().lists).toEqual([{ id: vip.id, name: 'VIP' }]);
  });

  it('renames and describes, refusing a name in use; an unchanged patch writes nothing', async () => {
    const o = await newOwner(h.app);
    const a = (await o.api('POST', '/api/v1/lists', { name: 'A' })).json();
    await o.api('POST', '/api/v1/lists', { name: 'B' });
    const taken = await o.api('PATCH', `/api/v1/lists/${a.id}`, { name: 'B' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('LIST_EXISTS');
    const ok = await o.api('PATCH', `/api/v1/lists/${a.id}`, { name: 'A2', description: 'new' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: a.id, name: 'A2', description: 'new', memberCount: 0 });
    expect((await o.api('PATCH', `/api/v1/lists/${a.id}`, { name: 'A2' })).statusCode).toBe(200);
    const cleared = await o.api('PATCH', `/api/v1/lists/${a.id}`, { description: '' });
    expect(cleared.json().description).toBeNull();
    const entries = await audit(o.api, `&entityId=${a.id}`);
    expect(entries.map((e) => e.action)).toEqual(['list.update', 'list.update', 'list.create']);
    expect(entries[1]!.changes).toEqual({ name: { before: 'A', after: 'A2' }, description: { before: null, after: 'new' } });
  });

  it('pages lists newest first', async () => {
    const o = await newOwner(h.app);
    const made: string[] = [];
    for (const name of ['one', 'two', 'three']) made.push((await o.api('POST', '/api/v1/lists', { name })).json().id);
    const p1 = (await o.api('GET', '/api/v1/lists?limit=2')).json();
    const p2 = (await o.api('GET', `/api/v1/lists?limit=2&cursor=${p1.nextCursor}`)).json();
    expect([...p1.items, ...p2.items].map((l: { id: string }) => l.id)).toEqual(made.reverse());
    expect(p2.nextCursor).toBeNull();
    expect((await o.api('GET', '/api/v1/lists?cursor=bad')).json().error.code).toBe('INVALID_CURSOR');
  });

  it('answers bad input with 400 and unknown lists with 404', async () => {
    const o = await newOwner(h.app);
    const list = (await o.api('POST', '/api/v1/lists', { name: 'X' })).json();
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/lists', { name: '' }],
      ['POST', '/api/v1/lists', { name: 'x'.repeat(121) }],
      ['POST', '/api/v1/lists', {}],
      ['GET', '/api/v1/lists/123', undefined],
      ['PATCH', '/api/v1/lists/123', { name: 'y' }],
      ['DELETE', '/api/v1/lists/123', undefined],
      ['POST', `/api/v1/lists/${list.id}/members`, { contactIds: [] }],
      ['POST', `/api/v1/lists/${list.id}/members`, { contactIds: ['nope'] }],
      ['POST', `/api/v1/lists/${list.id}/members`, {}],
      ['DELETE', `/api/v1/lists/${list.id}/members`, { contactIds: 'x' }],
    ];
    for (const [method, url, body] of bad) {
      const res = await o.api(method as 'POST', url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(400);
    }
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (const [method, url, body] of [
      ['GET', `/api/v1/lists/${unknown}`, undefined],
      ['PATCH', `/api/v1/lists/${unknown}`, { name: 'z' }],
      ['DELETE', `/api/v1/lists/${unknown}`, undefined],
      ['POST', `/api/v1/lists/${unknown}/members`, { contactIds: [unknown] }],
      ['DELETE', `/api/v1/lists/${unknown}/members`, { contactIds: [unknown] }],
    ] as const) {
      const res = await o.api(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('LIST_NOT_FOUND');
    }
  });
});
