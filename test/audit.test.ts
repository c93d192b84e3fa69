import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { bearer, client, createApiKey, newOwner } from './support/api.ts';

describe.each(modes)('audit log (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  it('lists changes newest first with who made them, filtered by entity type, in pages', async () => {
    const o = await newOwner(h.app);
    const me = (await o.api('GET', '/api/v1/me')).json();
    const key = await createApiKey(h.app, o, 'owner', 'Importer');
    const c = (await o.api('POST', '/api/v1/contacts', { phone: '+6281200000001' })).json();
    await client(h.app, bearer(key.key))('PATCH', `/api/v1/contacts/${c.id}`, { name: 'By key' });
    await o.api('POST', '/api/v1/lists', { name: 'L' });

    const all = await o.api('GET', '/api/v1/audit');
    expect(all.statusCode).toBe(200);
    const items = all.json().items;
    expect(items.map((e: { action: string }) => e.action)).toEqual(['list.create', 'contact.update', 'contact.create', 'api_key.create']);
    expect(items[1]).toMatchObject({ entityType: 'contact', entityId: c.id, actorUserId: null, actorApiKeyId: key.id, actorName: 'API key Importer' });
    expect(items[2]).toMatchObject({ actorUserId: o.userId, actorApiKeyId: null, actorName: me.user.name });
    expect(items[0].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const contacts = (await o.api('GET', '/api/v1/audit?entityType=contact')).json().items;
    expect(contacts.map((e: { action: string }) => e.action)).toEqual(['contact.update', 'contact.create']);

    const p1 = (await o.api('GET', '/api/v1/audit?limit=3')).json();
    expect(p1.items).toHaveLength(3);
    const p2 = (await o.api('GET', `/api/v1/audit?limit=3&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((e: { action: string }) => e.action)).toEqual(['api_key.create']);
    expect(p2.nextCursor).toBeNull();
  });

  it('rejects a bad cursor or limit with 400', async () => {
    const o = await newOwner(h.app);
    expect((await o.api('GET', '/api/v1/audit?cursor=xyz')).json().error.code).toBe('INVALID_CURSOR');
    expect((await o.api('GET', '/api/v1/audit?limit=1000')).statusCode).toBe(400);
  });
});
