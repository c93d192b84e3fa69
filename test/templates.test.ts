import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, createContact, newOwner, type Client } from './support/api.ts';
import { addMedia, type TemplateJson } from './support/templates.ts';

describe.each(modes)('templates (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
  });
  afterAll(async () => h?.close());

  const create = async (api: Client, body: Record<string, unknown>): Promise<TemplateJson> => {
    const res = await api('POST', '/api/v1/templates', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('creates version 1, makes version 2 on an edit, keeps version 1 readable, and renames without a version', async () => {
    const o = await newOwner(h.app);
    const t = await create(o.api, { name: 'Welcome', body: "Hi {{name}}, welcome to {{city | 'our shop'}}" });
    expect(t).toMatchObject({
      name: 'Welcome',
      version: 1,
      type: 'text',
      mediaId: null,
      media: null,
      fileName: null,
      variables: ['name', 'city'],
      warnings: [],
      createdBy: { id: o.userId, name: expect.stringMatching(/^Owner/) },
    });

    const edited = await o.api('PATCH', `/api/v1/templates/${t.id}`, { body: 'Hello {{name}}' });
    expect(edited.statusCode).toBe(200);
    const v2 = edited.json() as TemplateJson;
    expect(v2).toMatchObject({ id: t.id, version: 2, body: 'Hello {{name}}', variables: ['name'] });
    expect(v2.versionId).not.toBe(t.versionId);

    const v1 = await o.api('GET', `/api/v1/templates/${t.id}/versions/1`);
    expect(v1.statusCode).toBe(200);
    expect(v1.json()).toMatchObject({ id: t.versionId, version: 1, body: "Hi {{name}}, welcome to {{city | 'our shop'}}", variables: ['name', 'city'] });

    expect((await o.api('PATCH', `/api/v1/templates/${t.id}`, { name: 'Greeting' })).json()).toMatchObject({ name: 'Greeting', version: 2 });
    // The same content again changes nothing and writes nothing.
    expect((await o.api('PATCH', `/api/v1/templates/${t.id}`, { body: 'Hello {{name}}', type: 'text' })).json()).toMatchObject({ version: 2 });

    const versions = (await o.api('GET', `/api/v1/templates/${t.id}/versions`)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ id: v2.versionId, author: { id: o.userId, name: t.createdBy!.name } });
    expect((await o.api('GET', `/api/v1/templates/${t.id}/versions/3`)).json().error.code).toBe('TEMPLATE_VERSION_NOT_FOUND');

    const entries = await audit(o.api, `&entityId=${t.id}`);
    expect(entries.map((e) => e.action)).toEqual(['template.update', 'template.update', 'template.create']);
    expect(entries[0]!.changes).toEqual({ name: { before: 'Welcome', after: 'Greeting' } });
    expect(entries[1]!.changes).toEqual({
      body: { before: "Hi {{name}}, welcome to {{city | 'our shop'}}", after: 'Hello {{name}}' },
      version: { before: 1, after: 2 },
      versionId: v2.versionId,
    });
    expect(entries[2]!.changes).toMatchObject({ name: 'Welcome', type: 'text', version: 1, versionId: t.versionId });
  });

  it('saves unknown variables without a fallback but warns about them, against the fields the workspace has now', async () => {
    const o = await newOwner(h.app);
    await createContact(o.api, { phone: '+6281234500001', fields: { city: 'Jakarta' } });
    const t = await create(o.api, { name: 'Hi', body: "Hi {{name}} in {{city}}\n{{nickname}} {{tier | 'friend'}}" });
    expect(t.variables).toEqual(['name', 'city', 'nickname', 'tier']);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatchObject({ code: 'UNKNOWN_VARIABLE', severity: 'warning', line: 2, column: 1 });
    expect(t.warnings[0]!.message).toContain('nickname');

    await createContact(o.api, { phone: '+6281234500002', fields: { nickname: 'Bud' } });
    expect((await o.api('GET', `/api/v1/templates/${t.id}`)).json().warnings).toEqual([]);
  });

  it('keeps media templates with their media, a document under its file name', async () => {
    const o = await newOwner(h.app);
    const jpg = await addMedia(h, o.workspaceId, 'image', 'image/jpeg', 'promo.jpg');
    const png = await addMedia(h, o.workspaceId, 'image', 'image/png', 'promo2.png');
    const pdf = await addMedia(h, o.workspaceId, 'document', 'application/pdf', 'price-list.pdf');
    const ogg = await addMedia(h, o.workspaceId, 'audio', 'audio/ogg', 'hello.ogg');

    const img = await create(o.api, { name: 'Promo', type: 'image', body: 'New stock, {{name}}!', mediaId: jpg });
    expect(img).toMatchObject({ type: 'image', mediaId: jpg, fileName: null, media: { id: jpg, kind: 'image', fileName: 'promo.jpg', url: `/api/v1/media/${jpg}/content` } });
    const swapped = (await o.api('PATCH', `/api/v1/templates/${img.id}`, { mediaId: png })).json();
    expect(swapped).toMatchObject({ version: 2, mediaId: png, media: { fileName: 'promo2.png' }, body: 'New stock, {{name}}!' });

    const doc = await create(o.api, { name: 'Prices', type: 'document', body: '', mediaId: pdf });
    expect(doc).toMatchObject({ fileName: 'price-list.pdf', media: { kind: 'document' } });
    const renamed = (await o.api('PATCH', `/api/v1/templates/${doc.id}`, { fileName: 'Prices 2025.pdf' })).json();
    expect(renamed).toMatchObject({ version: 2, fileName: 'Prices 2025.pdf' });
    const captioned = (await o.api('PATCH', `/api/v1/templates/${doc.id}`, { body: 'Our prices' })).json();
    expect(captioned).toMatchObject({ version: 3, fileName: 'Prices 2025.pdf' });

    const voice = await create(o.api, { name: 'Voice', type: 'voice', mediaId: ogg });
    expect(voice).toMatchObject({ type: 'voice', body: '', media: { kind: 'audio' } });
    // From text to voice: the content moves as a whole.
    const text = await create(o.api, { name: 'Was text', body: 'Hello' });
    const toVoice = await o.api('PATCH', `/api/v1/templates/${text.id}`, { type: 'voice', body: '', mediaId: ogg });
    expect(toVoice.json()).toMatchObject({ version: 2, type: 'voice', mediaId: ogg });
  });

  it('previews for a chosen contact: its values, fallbacks, and what it lacks', async () => {
    const o = await newOwner(h.app);
    const budi = await createContact(o.api, { phone: '+6281234500003', name: 'Budi', fields: { city: 'Bandung', orders: 3 } });
    await createContact(o.api, { phone: '+6281234500004', fields: { points: 10 } });
    const ok = await o.api('POST', '/api/v1/templates/preview', {
      body: "Hi {{name}} from {{city}}, {{orders}} orders, dear {{tier | 'friend'}}",
      contactId: budi.id,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      text: 'Hi Budi from Bandung, 3 orders, dear friend',
      missing: [],
      errors: [],
      variables: ['name', 'city', 'orders', 'tier'],
      contact: { id: budi.id, name: 'Budi', phone: budi.phone, values: { city: 'Bandung', orders: 3 } },
    });
    expect(ok.json().spans.length).toBeGreaterThan(0);

    const lacking = (await o.api('POST', '/api/v1/templates/preview', { body: 'You have {{points}} points', contactId: budi.id })).json();
    expect(lacking).toMatchObject({ text: null, missing: ['points'], errors: [] });
  });

  it("previews with a sample contact from the workspace's country and fields", async () => {
    const o = await newOwner(h.app, { defaultCountry: 'DE' });
    for (const [i, city] of ['Berlin', 'Hamburg', 'Berlin'].entries()) {
      await createContact(o.api, { phone: `+491512345678${i}`, fields: { city, orders: i, joined: '2024-01-05', vip: false, nickname: '' } });
    }
    const res = await o.api('POST', '/api/v1/templates/preview', { body: 'Hi {{name}} ({{phone}}) {{city}} {{orders}} {{joined}} {{vip}} {{nickname}}' });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    const today = new Date().toISOString().slice(0, 10);
    expect(p.contact).toEqual({
      id: null,
      name: 'Alex Sample',
      phone: expect.stringMatching(/^\+49\d{6,}$/),
      values: { city: 'Berlin', orders: 42, joined: today, vip: true, nickname: 'sample nickname' },
    });
    expect(p.missing).toEqual([]);
    expect(p.text).toContain(`Hi Alex Sample (${p.contact.phone}) Berlin 42 ${today}`);
    expect(p.text).toContain('sample nickname');
  });

  it('picks the same spintax for the same seed and returns the seed it used', async () => {
    const o = await newOwner(h.app);
    const body = '{Hi|Hello|Hey|Howdy|Greetings} {there|friend|pal|you}';
    const preview = async (seed?: string | number) => (await o.api('POST', '/api/v1/templates/preview', seed === undefined ? { body } : { body, seed })).json();
    const a = await preview('abc');
    expect(a.seed).toBe('abc');
    for (let i = 0; i < 3; i++) expect((await preview('abc')).text).toBe(a.text);
    const texts = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) texts.add((await preview(seed)).text);
    expect(texts.size).toBeGreaterThan(3);
    const rolled = await preview();
    expect(['string', 'number']).toContain(typeof rolled.seed);
    expect((await preview(rolled.seed)).text).toBe(rolled.text);
  });

  it('duplicates the current version under a free name', async () => {
    const o = await newOwner(h.app);
    const src = await create(o.api, { name: 'Promo', body: 'Old {{name}}' });
    await o.api('PATCH', `/api/v1/templates/${src.id}`, { body: "New {{name | 'friend'}}" });
    const dup = async (body?: unknown) => {
      const res = await o.api('POST', `/api/v1/templates/${src.id}/duplicate`, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as TemplateJson;
    };
    const copy = await dup();
    expect(copy).toMatchObject({ name: 'Promo (copy)', version: 1, body: "New {{name | 'friend'}}", variables: ['name'], createdBy: { id: o.userId } });
    expect(copy.id).not.toBe(src.id);
    expect((await dup()).name).toBe('Promo (copy) 2');
    expect((await dup({ name: 'Promo' })).name).toBe('Promo 2');
    expect((await dup({ name: 'Autumn' })).name).toBe('Autumn');
    expect((await o.api('GET', `/api/v1/templates/${src.id}`)).json()).toMatchObject({ name: 'Promo', version: 2 });

    const [entry] = await audit(o.api, `&entityId=${copy.id}`);
    expect(entry).toMatchObject({ action: 'template.duplicate', changes: { name: 'Promo (copy)', sourceId: src.id, sourceVersion: 2, versionId: copy.versionId } });
  });

  it('deletes softly: gone from reads and lists, name free again, versions kept, audited', async () => {
    const o = await newOwner(h.app);
    const t = await create(o.api, { name: 'Old', body: 'Bye' });
    await o.api('PATCH', `/api/v1/templates/${t.id}`, { body: 'Bye now' });
    expect((await o.api('DELETE', `/api/v1/templates/${t.id}`)).statusCode).toBe(204);
    for (const url of [`/api/v1/templates/${t.id}`, `/api/v1/templates/${t.id}/versions`, `/api/v1/templates/${t.id}/versions/1`]) {
      const res = await o.api('GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('TEMPLATE_NOT_FOUND');
    }
    expect((await o.api('DELETE', `/api/v1/templates/${t.id}`)).statusCode).toBe(404);
    expect((await o.api('PATCH', `/api/v1/templates/${t.id}`, { name: 'Back' })).statusCode).toBe(404);
    expect((await o.api('GET', '/api/v1/templates')).json().items).toEqual([]);
    expect((await create(o.api, { name: 'Old', body: 'Again' })).version).toBe(1);

    const kept = await h.c.db.pool.query('SELECT version, body FROM template_versions WHERE template_id = $1 ORDER BY version', [t.id]);
    expect(kept.rows).toEqual([
      { version: 1, body: 'Bye' },
      { version: 2, body: 'Bye now' },
    ]);
    const [entry] = await audit(o.api, `&entityId=${t.id}`);
    expect(entry).toMatchObject({ action: 'template.delete', changes: { name: 'Old', version: 2 } });
  });

  it('refuses a second template with the same name', async () => {
    const o = await newOwner(h.app);
    const a = await create(o.api, { name: 'Same', body: 'a' });
    const b = await create(o.api, { name: 'Other', body: 'b' });
    for (const res of [await o.api('POST', '/api/v1/templates', { name: 'Same', body: 'x' }), await o.api('PATCH', `/api/v1/templates/${b.id}`, { name: 'Same', body: 'changed' })]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'TEMPLATE_EXISTS', message: 'A template named "Same" already exists' });
    }
    // The refused edit made no version either.
    expect((await o.api('GET', `/api/v1/templates/${b.id}`)).json()).toMatchObject({ name: 'Other', version: 1, body: 'b' });
    expect((await o.api('GET', `/api/v1/templates/${a.id}`)).json().name).toBe('Same');
  });

  it('lists newest first with a cursor, searches names literally and filters by type', async () => {
    const o = await newOwner(h.app);
    const jpg = await addMedia(h, o.workspaceId, 'image', 'image/jpeg', 'a.jpg');
    const made: string[] = [];
    for (const name of ['Promo 50%', 'Promo 500', 'Promo_x', 'Welcome']) made.push((await create(o.api, { name, body: 'Hi' })).id);
    made.push((await create(o.api, { name: 'Picture', type: 'image', mediaId: jpg })).id);

    const p1 = (await o.api('GET', '/api/v1/templates?limit=2')).json();
    const p2 = (await o.api('GET', `/api/v1/templates?limit=2&cursor=${p1.nextCursor}`)).json();
    const p3 = (await o.api('GET', `/api/v1/templates?limit=2&cursor=${p2.nextCursor}`)).json();
    expect([...p1.items, ...p2.items, ...p3.items].map((t: TemplateJson) => t.id)).toEqual([...made].reverse());
    expect(p3.nextCursor).toBeNull();

    const names = async (q: string) => (await o.api('GET', `/api/v1/templates?${q}`)).json().items.map((t: TemplateJson) => t.name);
    expect(await names(`search=${encodeURIComponent('50%')}`)).toEqual(['Promo 50%']);
    expect(await names('search=_')).toEqual(['Promo_x']);
    expect(await names('search=PROMO')).toEqual(['Promo_x', 'Promo 500', 'Promo 50%']);
    expect(await names('type=image')).toEqual(['Picture']);
    expect(await names('type=image&search=promo')).toEqual([]);
  });
});
