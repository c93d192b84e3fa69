import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { addMember, bearer, client, cookieOf, createApiKey, newOwner, type Client, type Creds } from './support/api.ts';
import * as files from './fixtures/media/files.ts';
import { mediaFiles, uploadMedia } from './fixtures/media/upload.ts';

describe.each(modes)('media access (%s)', (mode) => {
  let h: Harness;
  let A: Awaited<ReturnType<typeof newOwner>>;
  let aMedia: { id: string; url: string };
  const aContent = files.png();
  const intruders: Array<[string, Creds]> = [];

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    A = await newOwner(h.app, { workspaceName: 'Workspace A' });
    aMedia = (await uploadMedia(h.app, cookieOf(A), 'a-secret.png', aContent)).json();
    const B = await newOwner(h.app, { workspaceName: 'Workspace B' });
    const bKey = await createApiKey(h.app, B, 'owner', 'B integration');
    intruders.push(['B session', cookieOf(B)], ['B API key', bearer(bKey.key)]);
    const bOwn = await uploadMedia(h.app, cookieOf(B), 'b.png', files.png());
    expect(bOwn.statusCode).toBe(201);
  });
  afterAll(async () => h?.close());

  it("answers another workspace's session and API key 404 on A's media, and changes nothing", async () => {
    for (const [who, creds] of intruders) {
      const b: Client = client(h.app, creds);
      for (const [method, url] of [
        ['GET', `/api/v1/media/${aMedia.id}`],
        ['GET', `/api/v1/media/${aMedia.id}/content`],
        ['DELETE', `/api/v1/media/${aMedia.id}`],
      ] as const) {
        const res = await b(method, url);
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(404);
        expect(res.json().error).toEqual({ code: 'MEDIA_NOT_FOUND', message: 'No such media in this workspace' });
      }
      const list = (await b('GET', '/api/v1/media')).json();
      expect(list.items.map((m: { id: string }) => m.id)).not.toContain(aMedia.id);
      expect(list.items).toHaveLength(1);
    }
    const still = await A.api('GET', aMedia.url);
    expect(still.statusCode).toBe(200);
    expect(still.rawPayload.equals(aContent)).toBe(true);
    expect(mediaFiles(h)).toContain(`${A.workspaceId}/${aMedia.id}`);
  });

  it('lets agents and supervisors see and fetch media but not upload or delete it', async () => {
    const agent = await addMember(h.app, A, 'agent');
    const supervisorKey = await createApiKey(h.app, A, 'supervisor');
    for (const creds of [cookieOf(agent), bearer(supervisorKey.key)]) {
      const api = client(h.app, creds);
      expect((await api('GET', '/api/v1/media')).json().items.map((m: { id: string }) => m.id)).toEqual([aMedia.id]);
      expect((await api('GET', '/api/v1/media/limits')).statusCode).toBe(200);
      expect((await api('GET', `/api/v1/media/${aMedia.id}`)).statusCode).toBe(200);
      const content = await api('GET', aMedia.url);
      expect(content.rawPayload.equals(aContent)).toBe(true);

      const up = await uploadMedia(h.app, creds, 'x.png', files.png());
      expect(up.statusCode).toBe(403);
      expect(up.json().error.code).toBe('FORBIDDEN');
      expect((await api('DELETE', `/api/v1/media/${aMedia.id}`)).statusCode).toBe(403);
    }
    expect((await A.api('GET', '/api/v1/media')).json().items).toHaveLength(1);
  });

  it('answers 401 without credentials', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/media'],
      ['GET', '/api/v1/media/limits'],
      ['GET', `/api/v1/media/${aMedia.id}`],
      ['GET', aMedia.url],
      ['DELETE', `/api/v1/media/${aMedia.id}`],
    ] as const) {
      const res = await h.app.inject({ method, url });
      expect(res.statusCode, url).toBe(401);
    }
    expect((await uploadMedia(h.app, {}, 'x.png', files.png())).statusCode).toBe(401);
    expect(mediaFiles(h).filter((f) => f.startsWith(A.workspaceId))).toEqual([`${A.workspaceId}/${aMedia.id}`]);
  });
});
