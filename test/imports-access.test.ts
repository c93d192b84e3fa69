import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { bearer, client, cookieOf, createApiKey, signupOwner, type Creds, type Session } from './support/api.ts';
import { importFile, start, upload, type ImportJson } from './fixtures/import-files.ts';

const CSV = 'phone,name,city\n081234567890,Budi,Jakarta\nnope,Bad,Medan\n';

describe.each(modes)('import access (%s)', (mode) => {
  let h: Harness;
  let a: Creds;
  let b: Creds;
  let bOwner: Session;
  let done: ImportJson;
  let uploaded: ImportJson;

  let aOwner: Session;
  /** An API key of `role` in the session's workspace. */
  const apiKey = async (s: Session, role: 'owner' | 'supervisor' | 'agent'): Promise<Creds> => bearer((await createApiKey(h.app, s, role)).key);

  beforeAll(async () => {
    h = await startHarness(mode);
    aOwner = await signupOwner(h.app);
    bOwner = await signupOwner(h.app);
    a = cookieOf(aOwner);
    b = cookieOf(bOwner);
    done = await importFile(h.app, a, 'a.csv', CSV, { list: { name: 'A list' } });
    uploaded = (await upload(h.app, a, 'a2.csv', CSV)).json() as ImportJson;
  });
  afterAll(async () => h?.close());

  it("hides one workspace's imports from another's owner and API key", async () => {
    for (const intruder of [b, await apiKey(bOwner, 'owner')]) {
      const api = client(h.app, intruder);
      for (const url of [`/api/v1/imports/${done.id}`, `/api/v1/imports/${done.id}/rejections.csv`, `/api/v1/imports/${uploaded.id}`]) {
        const res = await api('GET', url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code).toBe('IMPORT_NOT_FOUND');
      }
      const st = await start(h.app, intruder, uploaded.id, { columns: [{ index: 0, role: 'phone' }] });
      expect(st.statusCode).toBe(404);
      const list = await api('GET', '/api/v1/imports');
      expect((list.json().items as ImportJson[]).map((i) => i.id)).not.toContain(done.id);
    }
    const still = await client(h.app, a)('GET', `/api/v1/imports/${uploaded.id}`);
    expect(still.json()).toMatchObject({ status: 'uploaded' });
  });

  it("cannot put contacts into another workspace's list", async () => {
    const own = (await upload(h.app, b, 'b.csv', CSV)).json() as ImportJson;
    const res = await start(h.app, b, own.id, { list: { id: done.listId } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('LIST_NOT_FOUND');
    const members = await h.c.db.pool.query('SELECT count(*)::int AS n FROM list_members WHERE list_id = $1', [done.listId]);
    expect(members.rows[0].n).toBe(1);
  });

  it('lets supervisors read imports but not upload or start; agents get neither', async () => {
    const supervisor = await apiKey(aOwner, 'supervisor');
    const agent = await apiKey(aOwner, 'agent');
    expect((await upload(h.app, supervisor, 's.csv', CSV)).statusCode).toBe(403);
    expect((await start(h.app, supervisor, uploaded.id)).statusCode).toBe(403);
    expect((await client(h.app, supervisor)('GET', `/api/v1/imports/${done.id}`)).statusCode).toBe(200);
    const rejections = await client(h.app, supervisor)('GET', `/api/v1/imports/${done.id}/rejections.csv`);
    expect(rejections.statusCode).toBe(200);
    expect(rejections.body).toMatch(/\n3,"invalid phone ""nope""/);

    expect((await upload(h.app, agent, 'g.csv', CSV)).statusCode).toBe(403);
    expect((await client(h.app, agent)('GET', `/api/v1/imports/${done.id}`)).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/v1/imports' })).statusCode).toBe(401);
  });

  it('lists imports newest first with a cursor', async () => {
    const first = await client(h.app, a)('GET', '/api/v1/imports?limit=1');
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as { items: ImportJson[]; nextCursor: string | null };
    expect(page1.items.map((i) => i.id)).toEqual([uploaded.id]);
    const second = await client(h.app, a)('GET', `/api/v1/imports?limit=1&cursor=${page1.nextCursor}`);
    const page2 = second.json() as { items: ImportJson[]; nextCursor: string | null };
    expect(page2.items.map((i) => i.id)).toEqual([done.id]);
  });

  it('answers a cursor it did not issue with 400, not a database error', async () => {
    for (const cursor of ['not-a-cursor', 'J0RST1AgVEFCTEU', encodeURIComponent("' OR 1=1 --")]) {
      const res = await client(h.app, a)('GET', `/api/v1/imports?cursor=${cursor}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_CURSOR');
    }
  });

  it('refuses to start an import twice', async () => {
    const res = await start(h.app, a, done.id, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('IMPORT_ALREADY_STARTED');
  });

  it('refuses a new list whose name is taken, and creates nothing', async () => {
    const res = await start(h.app, a, uploaded.id, { list: { name: 'A list' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('LIST_EXISTS');
    const after = await client(h.app, a)('GET', `/api/v1/imports/${uploaded.id}`);
    expect(after.json()).toMatchObject({ status: 'uploaded', listId: null });
  });

  it('answers a request without a file in words', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...a, 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'NOT_MULTIPART', message: expect.stringMatching(/multipart\/form-data/) });
  });
});
