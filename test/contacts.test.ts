import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, rowCount, startHarness, type Harness } from './support/harness.ts';
import { audit, createContact, newOwner } from './support/api.ts';

const INJECTION = '"; DROP TABLE contacts; --';

describe.each(modes)('contacts (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  const count = (workspaceId: string) => rowCount(h, 'contacts', workspaceId);

  it('creates a contact with its phone in E.164 (workspace country), fields, labels and consent', async () => {
    const { api } = await newOwner(h.app);
    const res = await api('POST', '/api/v1/contacts', {
      phone: '0812-3456-7890',
      name: '  Budi Santoso ',
      fields: { city: 'Bandung', orders: 3, vip: true, birthday: '1990-04-01' },
      labels: [' vip ', 'reseller', 'vip'],
      consent: true,
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      phone: '+6281234567890',
      name: 'Budi Santoso',
      fields: { city: 'Bandung', orders: 3, vip: true, birthday: '1990-04-01' },
      labels: ['vip', 'reseller'],
      consent: true,
      consentSource: 'manual',
      optedOutAt: null,
      optOutReason: null,
      workflowStatus: null,
      conversationCount: 0,
      rating: null,
    });
    expect(new Date(c.consentAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(c.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await api('GET', `/api/v1/contacts/${c.id}`)).json()).toEqual({ ...c, lists: [] });
  });

  it('registers new custom fields with a guessed type, usable as template variables', async () => {
    const { api } = await newOwner(h.app);
    await createContact(api, { phone: '+6281200000001', fields: { city: 'Bandung', orders: 3, vip: true, birthday: '1990-04-01', gone: null } });
    const res = await api('GET', '/api/v1/contacts/fields');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { key: 'birthday', label: 'birthday', type: 'date' },
      { key: 'city', label: 'city', type: 'text' },
      { key: 'orders', label: 'orders', type: 'number' },
      { key: 'vip', label: 'vip', type: 'boolean' },
    ]);
  });

  it('records consent from another source, and no consent unless given', async () => {
    const { api } = await newOwner(h.app);
    const a = await createContact(api, { phone: '+6281200000002', consent: true, consentSource: 'website form' });
    expect(a).toMatchObject({ consent: true, consentSource: 'website form' });
    const b = await createContact(api, { phone: '+6281200000003', consentSource: 'ignored without consent' });
    expect(b).toMatchObject({ consent: false, consentAt: null, consentSource: null });
  });

  it('rejects an invalid phone with the reason and writes nothing', async () => {
    const o = await newOwner(h.app);
    for (const phone of ['12', 'call me maybe', '6.28123E+12', '+99912345678']) {
      const res = await o.api('POST', '/api/v1/contacts', { phone, name: 'X' });
      expect(res.statusCode, phone).toBe(400);
      expect(res.json().error.code).toBe('INVALID_PHONE');
      expect(res.json().error.message).toMatch(/invalid phone/i);
    }
    expect((await o.api('POST', '/api/v1/contacts', { phone: '6.28123E+12' })).json().error.message).toMatch(/scientific notation/);
    expect(await count(o.workspaceId)).toBe(0);
    expect(await audit(o.api, '&entityType=contact')).toEqual([]);
  });

  it('refuses a second contact with the same phone in any notation (409 CONTACT_EXISTS)', async () => {
    const o = await newOwner(h.app);
    const first = await createContact(o.api, { phone: '+62 812-3456-7890' });
    const res = await o.api('POST', '/api/v1/contacts', { phone: '081234567890', name: 'Dup' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CONTACT_EXISTS', details: { contactId: first.id, phone: '+6281234567890' } });
    expect(await count(o.workspaceId)).toBe(1);
  });

  it('rejects a field key that is not a variable name (SQL in it included) and leaves the table intact', async () => {
    const o = await newOwner(h.app);
    for (const key of [INJECTION, 'City', '1st', 'with space', 'a'.repeat(65), 'phone', 'name']) {
      const res = await o.api('POST', '/api/v1/contacts', { phone: '+6281200000004', fields: { [key]: 'x' } });
      expect(res.statusCode, key).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toMatch(/field/);
    }
    const patchTarget = await createContact(o.api, { phone: '+6281200000005' });
    const res = await o.api('PATCH', `/api/v1/contacts/${patchTarget.id}`, { fields: { [INJECTION]: 1 } });
    expect(res.statusCode).toBe(400);
    expect(await count(o.workspaceId)).toBe(1);
    expect((await o.api('GET', '/api/v1/contacts/fields')).json().items).toEqual([]);
  });

  it('stores SQL in values literally and can search for it', async () => {
    const o = await newOwner(h.app);
    const c = await createContact(o.api, { phone: '+6281200000006', name: INJECTION, fields: { note: INJECTION }, labels: [INJECTION.slice(0, 50)] });
    expect(c.fields.note).toBe(INJECTION);
    expect(c.name).toBe(INJECTION);
    const byField = await o.api('GET', `/api/v1/contacts?field=note&value=${encodeURIComponent(INJECTION)}`);
    expect(byField.json().items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const bySearch = await o.api('GET', `/api/v1/contacts?search=${encodeURIComponent('DROP TABLE')}`);
    expect(bySearch.json().items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(await count(o.workspaceId)).toBe(1);
  });

  it('rejects bad field values and bad labels', async () => {
    const o = await newOwner(h.app);
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['nested object', { fields: { a: { b: 1 } } }, /text, a number, true\/false or null/],
      ['array value', { fields: { a: [1] } }, /fields/],
      ['value too long', { fields: { a: 'x'.repeat(2001) } }, /fields\.a/],
      ['label too long', { labels: ['x'.repeat(51)] }, /50 characters/],
      ['too many labels', { labels: Array.from({ length: 51 }, (_, i) => `l${i}`) }, /50 labels/],
      ['empty label', { labels: ['  '] }, /empty/],
      ['label not a string', { labels: [5] }, /labels/],
      ['unknown attribute', { phones: '+6281200000007' }, /phones|phone/],
    ];
    for (const [what, body, message] of bad) {
      const res = await o.api('POST', '/api/v1/contacts', { phone: '+6281200000007', ...body });
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.message, what).toMatch(message);
    }
    expect(await count(o.workspaceId)).toBe(0);
  });

  it('patches: merges fields (null removes), replaces labels, bumps updated_at and audits before → after', async () => {
    const o = await newOwner(h.app);
    const c = await createContact(o.api, { phone: '+6281200000008', name: 'Sari', fields: { city: 'Bandung', tier: 'gold', points: 5 }, labels: ['a'] });
    const res = await o.api('PATCH', `/api/v1/contacts/${c.id}`, {
      name: 'Sari Dewi',
      fields: { city: 'Jakarta', tier: null, team: 'blue' },
      labels: ['b', 'c', 'b'],
      workflowStatus: 'lead',
    });
    expect(res.statusCode).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ name: 'Sari Dewi', fields: { city: 'Jakarta', points: 5, team: 'blue' }, labels: ['b', 'c'], workflowStatus: 'lead' });
    expect(after.fields).not.toHaveProperty('tier');
    expect(new Date(after.updatedAt).getTime()).toBeGreaterThan(new Date(c.updatedAt).getTime());
    const [entry] = await audit(o.api, `&entityId=${c.id}`);
    expect(entry).toMatchObject({
      action: 'contact.update',
      changes: {
        name: { before: 'Sari', after: 'Sari Dewi' },
        'fields.city': { before: 'Bandung', after: 'Jakarta' },
        'fields.tier': { before: 'gold', after: null },
        'fields.team': { before: null, after: 'blue' },
        labels: { before: ['a'], after: ['b', 'c'] },
        workflowStatus: { before: null, after: 'lead' },
      },
    });
    expect(entry!.changes).not.toHaveProperty('fields.points');
    expect((await o.api('GET', '/api/v1/contacts/fields')).json().items.map((f: { key: string }) => f.key)).toContain('team');
  });

  it('a patch that changes nothing writes nothing', async () => {
    const o = await newOwner(h.app);
    const c = await createContact(o.api, { phone: '+6281200000009', name: 'Same', fields: { a: 1 } });
    const res = await o.api('PATCH', `/api/v1/contacts/${c.id}`, { name: 'Same', fields: { a: 1, b: null }, phone: '081200000009' });
    expect(res.statusCode).toBe(200);
    expect(res.json().updatedAt).toBe(c.updatedAt);
    expect((await audit(o.api, `&entityId=${c.id}`)).map((e) => e.action)).toEqual(['contact.create']);
  });

  it('changes the phone, and refuses a phone another contact has (409) or an invalid one (400)', async () => {
    const o = await newOwner(h.app);
    const a = await createContact(o.api, { phone: '+6281200000010' });
    const b = await createContact(o.api, { phone: '+6281200000011' });
    const taken = await o.api('PATCH', `/api/v1/contacts/${b.id}`, { phone: '0812 0000 0010' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'CONTACT_EXISTS', details: { contactId: a.id } });
    const invalid = await o.api('PATCH', `/api/v1/contacts/${b.id}`, { phone: '123' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('INVALID_PHONE');
    expect((await o.api('GET', `/api/v1/contacts/${b.id}`)).json().phone).toBe('+6281200000011');
    const moved = await o.api('PATCH', `/api/v1/contacts/${b.id}`, { phone: '081200000012' });
    expect(moved.json().phone).toBe('+6281200000012');
    const [entry] = await audit(o.api, `&entityId=${b.id}`);
    expect(entry!.changes).toEqual({ phone: { before: '+6281200000011', after: '+6281200000012' } });
  });

  it('consent on and off through a patch', async () => {
    const o = await newOwner(h.app);
    const c = await createContact(o.api, { phone: '+6281200000013' });
    const on = (await o.api('PATCH', `/api/v1/contacts/${c.id}`, { consent: true, consentSource: 'phone call' })).json();
    expect(on).toMatchObject({ consent: true, consentSource: 'phone call' });
    expect(on.consentAt).not.toBeNull();
    const off = (await o.api('PATCH', `/api/v1/contacts/${c.id}`, { consent: false })).json();
    expect(off).toMatchObject({ consent: false, consentAt: null, consentSource: null });
  });

  it('deletes a contact (204), then it is gone (404), and the deletion is audited', async () => {
    const o = await newOwner(h.app);
    const c = await createContact(o.api, { phone: '+6281200000014', name: 'Gone' });
    expect((await o.api('DELETE', `/api/v1/contacts/${c.id}`)).statusCode).toBe(204);
    expect((await o.api('GET', `/api/v1/contacts/${c.id}`)).statusCode).toBe(404);
    expect((await o.api('DELETE', `/api/v1/contacts/${c.id}`)).statusCode).toBe(404);
    const [entry] = await audit(o.api, `&entityId=${c.id}`);
    expect(entry).toMatchObject({ action: 'contact.delete', changes: { phone: '+6281200000014', name: 'Gone' } });
  });

  it('opts out with a reason and back in, both audited', async () => {
    const o = await newOwner(h.app);
    const c = await createContact(o.api, { phone: '+6281200000015' });
    const out = await o.api('POST', `/api/v1/contacts/${c.id}/opt-out`, { reason: 'asked by phone' });
    expect(out.statusCode).toBe(200);
    expect(out.json().optOutReason).toBe('asked by phone');
    expect(out.json().optedOutAt).not.toBeNull();
    const again = await o.api('POST', `/api/v1/contacts/${c.id}/opt-out`, { reason: 'second time' });
    expect(again.json()).toMatchObject({ optOutReason: 'asked by phone', optedOutAt: out.json().optedOutAt });
    expect((await o.api('GET', '/api/v1/contacts?optedOut=true')).json().items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const back = await o.api('POST', `/api/v1/contacts/${c.id}/opt-in`);
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ optedOutAt: null, optOutReason: null });
    expect((await o.api('GET', '/api/v1/contacts?optedOut=true')).json().items).toEqual([]);
    const entries = await audit(o.api, `&entityId=${c.id}`);
    expect(entries.map((e) => e.action)).toEqual(['contact.opt_in', 'contact.opt_out', 'contact.create']);
    expect(entries[1]!.changes).toMatchObject({ optOutReason: { before: null, after: 'asked by phone' } });
    const noBody = await o.api('POST', `/api/v1/contacts/${c.id}/opt-out`);
    expect(noBody.statusCode).toBe(200);
    expect(noBody.json().optOutReason).toBeNull();
  });

  it('answers bad ids with 400 and unknown ids with 404 on every contact route', async () => {
    const o = await newOwner(h.app);
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    const routes: Array<['GET' | 'PATCH' | 'DELETE' | 'POST', string, unknown]> = [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'x' }],
      ['DELETE', '', undefined],
      ['POST', '/opt-out', {}],
      ['POST', '/opt-in', undefined],
    ];
    for (const [method, suffix, body] of routes) {
      const bad = await o.api(method, `/api/v1/contacts/not-a-uuid${suffix}`, body);
      expect(bad.statusCode, `${method} ${suffix}`).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
      const missing = await o.api(method, `/api/v1/contacts/${unknown}${suffix}`, body);
      expect(missing.statusCode, `${method} ${suffix}`).toBe(404);
      expect(missing.json().error.code).toBe('CONTACT_NOT_FOUND');
    }
  });

  describe('search and pagination', () => {
    let o: Awaited<ReturnType<typeof newOwner>>;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      o = await newOwner(h.app);
      const people: Array<[string, Record<string, unknown>]> = [
        ['budi', { phone: '+6281111111111', name: 'Budi Santoso', labels: ['vip'], fields: { city: 'Bandung', orders: 3 }, consent: true }],
        ['sari', { phone: '+6282222222222', name: 'Sari Dewi', labels: ['vip', 'reseller'], fields: { city: 'Jakarta' } }],
        ['promo', { phone: '+6283333333333', name: '50%_off Promo', fields: { orders: 30 } }],
        ['plain', { phone: '+6284444444444', name: '50 off', labels: ['reseller'] }],
        ['nameless', { phone: '+14155552671' }],
      ];
      for (const [k, body] of people) ids[k] = (await createContact(o.api, body)).id;
      const list = (await o.api('POST', '/api/v1/lists', { name: 'Jakarta' })).json();
      ids.list = list.id;
      await o.api('POST', `/api/v1/lists/${list.id}/members`, { contactIds: [ids.sari, ids.plain] });
      await o.api('POST', `/api/v1/contacts/${ids.plain}/opt-out`, {});
    });
    const found = async (query: string) => {
      const res = await o.api('GET', `/api/v1/contacts?${query}`);
      expect(res.statusCode, query).toBe(200);
      return (res.json().items as Array<{ id: string }>).map((c) => Object.keys(ids).find((k) => ids[k] === c.id));
    };

    it('finds by part of the name, case-insensitively, with % and _ taken literally', async () => {
      expect(await found('search=SANTO')).toEqual(['budi']);
      expect(await found(`search=${encodeURIComponent('50%_')}`)).toEqual(['promo']);
      expect(await found(`search=${encodeURIComponent('%')}`)).toEqual(['promo']);
      expect(await found('search=_')).toEqual(['promo']);
      expect(await found('search=50')).toEqual(['plain', 'promo']);
    });

    it('finds by phone digits as people type them', async () => {
      expect(await found('search=2222')).toEqual(['sari']);
      expect(await found(`search=${encodeURIComponent('0822-2222')}`)).toEqual(['sari']);
      expect(await found(`search=${encodeURIComponent('+1 415')}`)).toEqual(['nameless']);
    });

    it('filters by label, list, custom field, consent and opt-out, combined with AND', async () => {
      expect(await found('label=vip')).toEqual(['sari', 'budi']);
      expect(await found('label=nobody')).toEqual([]);
      expect(await found(`listId=${ids.list}`)).toEqual(['plain', 'sari']);
      expect(await found('field=city&value=Jakarta')).toEqual(['sari']);
      expect(await found('field=orders&value=3')).toEqual(['budi']);
      expect(await found('field=orders')).toEqual(['promo', 'budi']);
      expect(await found('consent=true')).toEqual(['budi']);
      expect(await found('consent=false&label=vip')).toEqual(['sari']);
      expect(await found('optedOut=true')).toEqual(['plain']);
      expect(await found(`optedOut=false&listId=${ids.list}`)).toEqual(['sari']);
    });

    it('rejects bad filters with 400', async () => {
      for (const q of ['consent=yes', 'value=x', `field=${encodeURIComponent(INJECTION)}&value=1`, 'listId=nope', 'limit=501', 'limit=0', 'cursor=%%%']) {
        const res = await o.api('GET', `/api/v1/contacts?${q}`);
        expect(res.statusCode, q).toBe(400);
      }
    });

    it('pages newest first with an opaque cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await o.api('GET', `/api/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        seen.push(...body.items.map((c: { id: string }) => c.id));
        cursor = body.nextCursor;
        if (cursor) expect(cursor).not.toMatch(/-/);
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(['nameless', 'plain', 'promo', 'sari', 'budi'].map((k) => ids[k]));
    });

    it('answers a tampered cursor with 400 INVALID_CURSOR', async () => {
      for (const cursor of ['garbage', Buffer.from(INJECTION).toString('base64url'), Buffer.from('123').toString('base64url')]) {
        const res = await o.api('GET', `/api/v1/contacts?cursor=${cursor}`);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('INVALID_CURSOR');
      }
    });
  });

  it('the contacts table survives everything above', async () => {
    const res = await h.c.db.pool.query("SELECT to_regclass('public.contacts') AS t");
    expect(res.rows[0].t).toBe('contacts');
  });
});
