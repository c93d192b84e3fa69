import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { addMember, audit, client, newOwner } from './support/api.ts';

describe.each(modes)('workspace (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  it('shows the workspace to every member', async () => {
    const o = await newOwner(h.app, { workspaceName: 'Toko Maya' });
    const agent = await addMember(h.app, o, 'agent');
    const res = await client(h.app, { cookie: agent.cookie })('GET', '/api/v1/workspace');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: o.workspaceId, name: 'Toko Maya', plan: 'starter', defaultCountry: 'ID' });
  });

  it('renames and changes the default country, audited, and new phones follow the new country', async () => {
    const o = await newOwner(h.app, { workspaceName: 'Old' });
    const res = await o.api('PATCH', '/api/v1/workspace', { name: 'New', defaultCountry: 'us' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'New', defaultCountry: 'US' });
    expect((await o.api('GET', '/api/v1/workspace')).json()).toMatchObject({ name: 'New', defaultCountry: 'US' });
    const [entry] = await audit(o.api, '&entityType=workspace');
    expect(entry).toMatchObject({
      action: 'workspace.update',
      entityId: o.workspaceId,
      changes: { name: { before: 'Old', after: 'New' }, defaultCountry: { before: 'ID', after: 'US' } },
    });
    const contact = await o.api('POST', '/api/v1/contacts', { phone: '(415) 555-2671' });
    expect(contact.json().phone).toBe('+14155552671');
  });

  it('rejects an unknown country or an empty name and changes nothing', async () => {
    const o = await newOwner(h.app, { workspaceName: 'Kept' });
    for (const body of [{ defaultCountry: 'XX' }, { defaultCountry: 'Indonesia' }, { name: '   ' }, { plan: 'enterprise' }]) {
      const res = await o.api('PATCH', '/api/v1/workspace', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await o.api('GET', '/api/v1/workspace')).json()).toMatchObject({ name: 'Kept', defaultCountry: 'ID', plan: 'starter' });
    expect(await audit(o.api)).toEqual([]);
  });

  it('only owners change the workspace', async () => {
    const o = await newOwner(h.app);
    const sup = await addMember(h.app, o, 'supervisor');
    const res = await client(h.app, { cookie: sup.cookie })('PATCH', '/api/v1/workspace', { name: 'Mine now' });
    expect(res.statusCode).toBe(403);
    expect((await o.api('GET', '/api/v1/workspace')).json().name).not.toBe('Mine now');
  });
});
