import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, bearer, client, createApiKey, keyClient, newOwner } from './support/api.ts';

describe.each(modes)('API keys (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  it('creates a key shown once, stores only its sha256, and lists it without the secret', async () => {
    const o = await newOwner(h.app);
    const res = await o.api('POST', '/api/v1/api-keys', { name: 'Zapier', role: 'supervisor' });
    expect(res.statusCode).toBe(201);
    const k = res.json();
    expect(k.key).toMatch(/^chk_[A-Za-z0-9_-]{43}$/);
    expect(k).toMatchObject({ name: 'Zapier', role: 'supervisor', prefix: k.key.slice(0, 12), lastUsedAt: null, revokedAt: null });
    const { rows } = await h.c.db.pool.query('SELECT * FROM api_keys WHERE id = $1', [k.id]);
    expect(rows[0].key_hash).toBe(createHash('sha256').update(k.key).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(k.key);
    const list = await o.api('GET', '/api/v1/api-keys');
    expect(list.body).not.toContain(k.key);
    expect(list.json().items).toEqual([{ id: k.id, name: 'Zapier', role: 'supervisor', prefix: k.prefix, createdAt: k.createdAt, lastUsedAt: null, revokedAt: null }]);
    const [entry] = await audit(o.api, '&entityType=api_key');
    expect(entry).toMatchObject({ action: 'api_key.create', entityId: k.id, changes: { name: 'Zapier', role: 'supervisor', prefix: k.prefix } });
    expect(JSON.stringify(entry)).not.toContain(k.key);
  });

  it('a key acts with its role: supervisor reads contacts but cannot write, agent gets 403', async () => {
    const o = await newOwner(h.app);
    const sup = await keyClient(h.app, o, 'supervisor');
    const agent = await keyClient(h.app, o, 'agent');
    const owner = await keyClient(h.app, o, 'owner', 'CRM sync');
    expect((await sup('GET', '/api/v1/contacts')).statusCode).toBe(200);
    expect((await sup('POST', '/api/v1/contacts', { phone: '+6281200000001' })).statusCode).toBe(403);
    expect((await agent('GET', '/api/v1/contacts')).statusCode).toBe(403);
    expect((await agent('POST', '/api/v1/contacts', { phone: '+6281200000001' })).statusCode).toBe(403);
    const created = await owner('POST', '/api/v1/contacts', { phone: '+6281200000001' });
    expect(created.statusCode).toBe(201);
    const [entry] = await audit(o.api, '&entityType=contact');
    expect(entry).toMatchObject({ action: 'contact.create', actorUserId: null, actorName: 'API key CRM sync' });
    expect(entry!.actorApiKeyId).toBeTruthy();
    const used = (await o.api('GET', '/api/v1/api-keys')).json().items.find((k: { name: string }) => k.name === 'CRM sync');
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('revokes a key: it stops working at once (401 INVALID_API_KEY); audited; revoking again is harmless', async () => {
    const o = await newOwner(h.app);
    const k = await createApiKey(h.app, o, 'owner');
    const as = client(h.app, bearer(k.key));
    expect((await as('GET', '/api/v1/contacts')).statusCode).toBe(200);
    expect((await o.api('DELETE', `/api/v1/api-keys/${k.id}`)).statusCode).toBe(204);
    const after = await as('GET', '/api/v1/contacts');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('INVALID_API_KEY');
    expect((await o.api('DELETE', `/api/v1/api-keys/${k.id}`)).statusCode).toBe(204);
    const listed = (await o.api('GET', '/api/v1/api-keys')).json().items[0];
    expect(listed.revokedAt).not.toBeNull();
    const entries = await audit(o.api, `&entityId=${k.id}`);
    expect(entries.map((e) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
  });

  it('answers an unknown key with 401 and bad input with 400 / 404', async () => {
    const o = await newOwner(h.app);
    const unknown = await client(h.app, bearer('chk_not-a-real-key'))('GET', '/api/v1/workspace');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_API_KEY');
    for (const body of [{ name: '', role: 'agent' }, { name: 'x', role: 'root' }, { name: 'x' }]) {
      expect((await o.api('POST', '/api/v1/api-keys', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await o.api('DELETE', '/api/v1/api-keys/abc')).statusCode).toBe(400);
    const missing = await o.api('DELETE', '/api/v1/api-keys/01890a5d-ac96-774b-bcce-b302099a8057');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('API_KEY_NOT_FOUND');
    expect((await o.api('GET', '/api/v1/api-keys')).json().items).toEqual([]);
  });
});
