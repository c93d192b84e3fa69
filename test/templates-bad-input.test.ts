import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { audit, newOwner } from './support/api.ts';
import { addMedia, type TemplateJson } from './support/templates.ts';

describe.each(modes)('template bad input (%s)', (mode) => {
  let h: Harness;
  let o: Awaited<ReturnType<typeof newOwner>>;
  let existing: TemplateJson;
  const media: Record<'jpg' | 'mp4' | 'mp3' | 'ogg' | 'pdf', string> = { jpg: '', mp4: '', mp3: '', ogg: '', pdf: '' };

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    o = await newOwner(h.app);
    media.jpg = await addMedia(h, o.workspaceId, 'image', 'image/jpeg', 'a.jpg');
    media.mp4 = await addMedia(h, o.workspaceId, 'video', 'video/mp4', 'b.mp4');
    media.mp3 = await addMedia(h, o.workspaceId, 'audio', 'audio/mpeg', 'c.mp3');
    media.ogg = await addMedia(h, o.workspaceId, 'audio', 'audio/ogg', 'd.ogg');
    media.pdf = await addMedia(h, o.workspaceId, 'document', 'application/pdf', 'e.pdf');
    existing = (await o.api('POST', '/api/v1/templates', { name: 'Existing', body: 'Hi {{name}}' })).json();
  });
  afterAll(async () => h?.close());

  /** Nothing may be half-written by a refused request: the workspace still has only `existing`, at version 1. */
  const expectUntouched = async () => {
    const items = (await o.api('GET', '/api/v1/templates')).json().items as TemplateJson[];
    expect(items.map((t) => [t.id, t.version, t.body])).toEqual([[existing.id, 1, 'Hi {{name}}']]);
    expect((await audit(o.api, '&entityType=template')).map((e) => e.action)).toEqual(['template.create']);
  };

  it('refuses a malformed template with each error at its line and column, and previews it without text', async () => {
    const body = 'Hello {{name}},\nyour order {{order_id';
    for (const res of [
      await o.api('POST', '/api/v1/templates', { name: 'Broken', body }),
      await o.api('PATCH', `/api/v1/templates/${existing.id}`, { body }),
    ]) {
      expect(res.statusCode).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('TEMPLATE_INVALID');
      expect(error.message).toMatch(/line 2, column 12/);
      expect(error.details.errors).toEqual([expect.objectContaining({ code: 'UNCLOSED_VARIABLE', severity: 'error', line: 2, column: 12 })]);
    }
    const preview = (await o.api('POST', '/api/v1/templates/preview', { body })).json();
    expect(preview).toMatchObject({ text: null, missing: [], errors: [{ code: 'UNCLOSED_VARIABLE', line: 2, column: 12 }] });
    await expectUntouched();
  });

  it('refuses what a message type cannot carry, in words', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ type: 'text', body: '   ' }, /^A text template needs a message$/],
      [{ type: 'text', body: 'Hi', mediaId: media.jpg }, /A text template has no media/],
      [{ type: 'image', body: 'Look' }, /^An image template needs an image from the media library$/],
      [{ type: 'image', body: 'c'.repeat(1025), mediaId: media.jpg }, /^A caption is at most 1,024 characters; this one has 1,025$/],
      [{ type: 'image', body: '', mediaId: media.mp4 }, /^An image template needs an image; "b\.mp4" is a video$/],
      [{ type: 'video', body: '', mediaId: media.jpg }, /A video template needs a video; "a\.jpg" is an image/],
      [{ type: 'document', body: '', mediaId: media.mp3 }, /A document template needs a document/],
      [{ type: 'audio', body: 'Listen!', mediaId: media.mp3 }, /^Audio messages have no caption$/],
      [{ type: 'audio', mediaId: media.pdf }, /An audio template needs an audio file; "e\.pdf" is a document/],
      [{ type: 'voice', mediaId: media.mp3 }, /A voice note must be Ogg\/Opus audio \(audio\/ogg\); "c\.mp3" is audio\/mpeg/],
      [{ type: 'voice', body: 'hi', mediaId: media.ogg }, /^Voice notes have no caption$/],
      [{ type: 'image', body: '', mediaId: media.jpg, fileName: 'x.jpg' }, /^Only document templates have a file name$/],
    ];
    for (const [input, message] of cases) {
      const res = await o.api('POST', '/api/v1/templates', { name: 'Refused', ...input });
      expect(res.statusCode, JSON.stringify(input).slice(0, 80)).toBe(400);
      expect(res.json().error.code).toBe('TEMPLATE_CONTENT_INVALID');
      expect(res.json().error.message).toMatch(message);
    }
    const both = (await o.api('POST', '/api/v1/templates', { name: 'Refused', type: 'audio', body: 'x', mediaId: media.jpg })).json().error;
    expect(both.details.problems.map((p: { field: string }) => p.field)).toEqual(['body', 'mediaId']);

    const tooLong = await o.api('PATCH', `/api/v1/templates/${existing.id}`, { type: 'image', body: 'x'.repeat(1100), mediaId: media.jpg });
    expect(tooLong.json().error.code).toBe('TEMPLATE_CONTENT_INVALID');
    await expectUntouched();
  });

  it('refuses a message over 4,096 characters at the edge, and marks a long caption in the preview', async () => {
    const res = await o.api('POST', '/api/v1/templates', { name: 'Long', body: 'x'.repeat(4097) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'body.body: a message is at most 4,096 characters' });
    expect((await o.api('POST', '/api/v1/templates/preview', { body: 'x'.repeat(4097) })).statusCode).toBe(400);

    const preview = (await o.api('POST', '/api/v1/templates/preview', { type: 'image', body: 'y'.repeat(1030) })).json();
    expect(preview.text).toBeNull();
    expect(preview.errors).toEqual([expect.objectContaining({ code: 'BODY_TOO_LONG', line: 1, column: 1025, offset: 1024, length: 6 })]);
    await expectUntouched();
  });

  it('stores names and bodies that look like SQL verbatim, and they stay text', async () => {
    const s = await newOwner(h.app);
    const name = "'; DROP TABLE templates; --";
    const body = "Robert'); DROP TABLE contacts;-- {{name}} \\{1=1\\}";
    const made = await s.api('POST', '/api/v1/templates', { name, body });
    expect(made.statusCode).toBe(201);
    const t = made.json() as TemplateJson;
    expect((await s.api('GET', `/api/v1/templates/${t.id}`)).json()).toMatchObject({ name, body });
    const found = (await s.api('GET', `/api/v1/templates?search=${encodeURIComponent("'; DROP")}`)).json().items;
    expect(found.map((x: TemplateJson) => x.id)).toEqual([t.id]);
    expect((await s.api('POST', `/api/v1/templates/${t.id}/duplicate`)).json().name).toBe(`${name} (copy)`);
    const tables = await h.c.db.pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('templates', 'contacts')");
    expect(tables.rows[0].n).toBe(2);
    expect((await s.api('GET', '/api/v1/templates')).json().items).toHaveLength(2);
    await expectUntouched();
  });

  it('answers malformed requests with 400 and names the field', async () => {
    const id = existing.id;
    const bad: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/api/v1/templates', { name: 'T', type: 'sticker', body: 'x' }, /^body\.type/],
      ['POST', '/api/v1/templates', { name: 'T', body: 'x', admin: true }, /admin/],
      ['POST', '/api/v1/templates', { body: 'x' }, /^body\.name/],
      ['POST', '/api/v1/templates', { name: '   ', body: 'x' }, /^body\.name/],
      ['POST', '/api/v1/templates', { name: 'n'.repeat(121), body: 'x' }, /^body\.name/],
      ['POST', '/api/v1/templates', { name: 'T', body: 42 }, /^body\.body/],
      ['POST', '/api/v1/templates', { name: 'T', type: 'image', body: '', mediaId: 'nope' }, /^body\.mediaId: a media id/],
      ['PATCH', `/api/v1/templates/${id}`, { versionId: 'x' }, /versionId/],
      ['PATCH', `/api/v1/templates/${id}`, { type: 'carousel' }, /^body\.type/],
      ['POST', `/api/v1/templates/${id}/duplicate`, { name: 'x', body: 'y' }, /body/],
      ['POST', '/api/v1/templates/preview', { body: 'x', contactId: 'someone' }, /^body\.contactId: a contact id/],
      ['POST', '/api/v1/templates/preview', { body: 'x', seed: { a: 1 } }, /^body\.seed/],
      ['POST', '/api/v1/templates/preview', { body: 'x', extra: 1 }, /extra/],
      ['GET', '/api/v1/templates?type=sticker', undefined, /^querystring\.type/],
      ['GET', '/api/v1/templates?limit=0', undefined, /^querystring\.limit/],
      ['GET', '/api/v1/templates/123', undefined, /^params\.id: an id \(UUID\)/],
      ['PATCH', '/api/v1/templates/123', { name: 'y' }, /^params\.id/],
      ['DELETE', "/api/v1/templates/1'%20OR%201=1", undefined, /^params\.id/],
      ['POST', '/api/v1/templates/123/duplicate', {}, /^params\.id/],
      ['GET', '/api/v1/templates/123/versions', undefined, /^params\.id/],
      ['GET', `/api/v1/templates/${id}/versions/abc`, undefined, /^params\.version/],
      ['GET', `/api/v1/templates/${id}/versions/0`, undefined, /^params\.version/],
      ['GET', '/api/v1/templates/123/versions/1', undefined, /^params\.id/],
    ];
    for (const [method, url, body, message] of bad) {
      const res = await o.api(method as 'POST', url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      const error = res.json().error;
      expect(error.code, `${method} ${url}`).toBe('VALIDATION_FAILED');
      expect(error.message, `${method} ${url}`).toMatch(message);
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    }
    const cursor = await o.api('GET', `/api/v1/templates?cursor=${encodeURIComponent("' OR 1=1 --")}`);
    expect(cursor.json().error.code).toBe('INVALID_CURSOR');
    await expectUntouched();
  });

  it('answers unknown ids with 404', async () => {
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (const [method, url, body] of [
      ['GET', `/api/v1/templates/${unknown}`, undefined],
      ['PATCH', `/api/v1/templates/${unknown}`, { name: 'x' }],
      ['DELETE', `/api/v1/templates/${unknown}`, undefined],
      ['POST', `/api/v1/templates/${unknown}/duplicate`, {}],
      ['GET', `/api/v1/templates/${unknown}/versions`, undefined],
      ['GET', `/api/v1/templates/${unknown}/versions/1`, undefined],
    ] as const) {
      const res = await o.api(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('TEMPLATE_NOT_FOUND');
    }
    const preview = await o.api('POST', '/api/v1/templates/preview', { body: 'x', contactId: unknown });
    expect(preview.statusCode).toBe(404);
    expect(preview.json().error.code).toBe('CONTACT_NOT_FOUND');
    await expectUntouched();
  });
});
