import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';
import { cookieOf, signupOwner, type Session } from './support/api.ts';
import { startS3, type LocalS3 } from './support/s3.ts';
import { start, upload, waitForImport, type ImportJson } from './fixtures/import-files.ts';

const csv = ['phone,name,city', '081234567890,Budi,Bandung', '081311112222,Siti,Surabaya', 'not a phone,Nobody,Nowhere', ''].join('\n');

/**
 * With FILE_STORAGE=s3 an upload taken in by the API on one machine is run by a worker on another:
 * the worker has no working copy and fetches the file from the bucket. Removing the working copy here
 * is that other machine.
 */
describe('contact import uploads in the shared file store (S3)', () => {
  let s3: LocalS3;
  let h: Harness;
  let owner: Session;

  beforeAll(async () => {
    s3 = await startS3();
    h = await startHarness('embedded', s3.env);
    owner = await signupOwner(h.app);
  });
  afterAll(async () => {
    await h?.close();
    await s3?.close();
  });

  const uploaded = async () => {
    const res = await upload(h.app, cookieOf(owner), 'people.csv', csv);
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as ImportJson).id;
    const key = `${owner.workspaceId}/${id}`;
    expect(s3.keys()).toContain(`uploads/${key}`);
    fs.rmSync(path.join(h.c.importWorkDir, key));
    return { id, key };
  };

  it('runs an import whose file is only in the bucket, then removes it from the bucket', async () => {
    const { id, key } = await uploaded();
    expect((await start(h.app, cookieOf(owner), id)).statusCode).toBe(202);
    const done = await waitForImport(h.app, cookieOf(owner), id);
    expect(done).toMatchObject({ status: 'completed', imported: 2, rejected: 1 });
    // The files go once the finished state is committed, just after the status turns "completed".
    await expect.poll(() => s3.keys()).not.toContain(`uploads/${key}`);
    await expect.poll(() => fs.existsSync(path.join(h.c.importWorkDir, key))).toBe(false);
  });

  it('fails with the reason in words when the file has gone from the store', async () => {
    const { id, key } = await uploaded();
    await h.c.uploads.delete(key);
    expect((await start(h.app, cookieOf(owner), id)).statusCode).toBe(202);
    const done = await waitForImport(h.app, cookieOf(owner), id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/no longer in the file storage/);
  });
});
