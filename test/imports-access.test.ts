import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, signupOwner, startHarness, type Harness, type Session } from './support/harness.ts';
import { hashToken, newToken } from '../src/services/tokens.ts';
import { authHeaders, importFile, start, upload, type Auth, type ImportJson } from './fixtures/import-files.ts';

const CSV = 'phone,name,city\n081234567890,Budi,Jakarta\nnope,Bad,Medan\n';

describe.each(modes)('import access (%s)', (mode) => {
  let h: Harness;
  let a: Session;
  let b: Session;
  let done: ImportJson;
  let uploaded: ImportJson;

  /** An API key of `role` in the session's workspace, made directly (the key routes are tested elsewhere). */
  const apiKey = async (s: Session, role: string): Promise<Auth> => {
    const key = newToken('chk_');
    await h.c.db.pool.query(
      'INSERT INTO api_keys (id, workspace_id, name, role, prefix, key_hash) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)',
      [s.workspaceId, `${role} key`, role, key.slice(0, 12), hashToken(key)],
    );
    return { apiKey: key };
  };

  beforeAll(async () => {
    h = await startHarness(mode);
    a = await signupOwner(h.app);
    b = await signupOwner(h.app);
    done = await importFile(h.app, a, 'a.csv', CSV, { list: { name: 'A list' } });
    uploaded = (await upload(h.app, a, 'a2.csv', CSV)).json() as ImportJson;
  });
  afterAll(async () => h?.close());

  it("hides one workspace's imports from another's owner and API key", async () => {
    for (const intruder of [b, await apiKey(b, 'owner')] as Auth[]) {
      const headers = authHeaders(intruder);
      for (const url of [`/api/v1/imports/${done.id}`, `/api/v1/imports/${done.id}/rejections.csv`, `/api/v1/imports/${uploaded.id}`]) {
        const res = await h.app.inject({ url, headers });
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code).toBe('IMPORT_NOT_FOUND');
      }
      const st = await start(h.app, intruder, uploaded.id, { columns: [{ index: 0, role: 'phone' }] });
      expect(st.statusCode).toBe(404);
      const list = await h.app.inject({ url: '/api/v1/imports', headers });
      expect((list.json().items as ImportJson[]).map((i) => i.id)).not.toContain(done.id);
    }
    const still = await h.app.inject({ url: `/api/v1/imports/${uploaded.id}`, headers: authHeaders(a) });
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
    const supervisor = await apiKey(a, 'supervisor');
    const agent = await apiKey(a, 'agent');
    expect((await upload(h.app, supervisor, 's.csv', CSV)).statusCode).toBe(403);
    expect((await start(h.app, supervisor, uploaded.id)).statusCode).toBe(403);
    expect((await h.app.inject({ url: `/api/v1/imports/${done.id}`, headers: authHeaders(supervisor) })).statusCode).toBe(200);
    const rejections = await h.app.inject({ url: `/api/v1/imports/${done.id}/rejections.csv`, headers: authHeaders(supervisor) });
    expect(rejections.statusCode).toBe(200);
    expect(rejections.body).toMatch(/\n3,"invalid phone ""nope""/);

    expect((await upload(h.app, agent, 'g.csv', CSV)).statusCode).toBe(403);
    expect((await h.app.inject({ url: `/api/v1/imports/${done.id}`, headers: authHeaders(agent) })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/v1/imports' })).statusCode).toBe(401);
  });

  it('lists imports newest first with a cursor', async () => {
    const first = await h.app.inject({ url: '/api/v1/imports?limit=1', headers: authHeaders(a) });
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as { items: ImportJson[]; nextCursor: string | null };
    expect(page1.items.map((i) => i.id)).toEqual([uploaded.id]);
    const second = await h.app.inject({ url: `/api/v1/imports?limit=1&cursor=${page1.nextCursor}`, headers: authHeaders(a) });
    const page2 = second.json() as { items: ImportJson[]; nextCursor: string | null };
    expect(page2.items.map((i) => i.id)).toEqual([done.id]);
  });

  it('answers a cursor it did not issue with 400, not a database error', async () => {
    for (const cursor of ['not-a-cursor', 'J0RST1AgVEFCTEU', encodeURIComponent("' OR 1=1 --")]) {
      const res = await h.app.inject({ url: `/api/v1/imports?cursor=${cursor}`, headers: authHeaders(a) });
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
    const after = await h.app.inject({ url: `/api/v1/imports/${uploaded.id}`, headers: authHeaders(a) });
    expect(after.json()).toMatchObject({ status: 'uploaded', listId: null });
  });

  it('answers a request without a file in words', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...authHeaders(a), 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'NOT_MULTIPART', message: expect.stringMatching(/multipart\/form-data/) });
  });
});
