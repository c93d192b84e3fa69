import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropQueueKeys, TEST_REDIS } from './support/harness.ts';
import { PASSWORD } from './support/api.ts';
import { chorus, freePort, type Proc } from './support/processes.ts';

async function waitReady(port: number, proc: Proc) {
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (proc.child.exitCode !== null) throw new Error(`process exited early:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready in time:\n${proc.output()}`);
}

async function signup(base: string) {
  const res = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `p${randomBytes(3).toString('hex')}@example.com`, password: PASSWORD, name: 'P', workspaceName: 'Proc' }),
  });
  expect(res.status).toBe(201);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

describe('process roles', () => {
  it('refuses `chorus api` without DATABASE_URL and REDIS_URL, in words', async () => {
    const p = chorus(['api'], { DATABASE_URL: '', REDIS_URL: '' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/needs DATABASE_URL and REDIS_URL/);
  });

  it('embedded `chorus start` keeps data on disk across a graceful restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-proc-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '', REDIS_URL: '' };
    const first = chorus(['start'], env);
    await waitReady(port, first);
    const base = `http://127.0.0.1:${port}`;
    const cookie = await signup(base);
    const me1 = await (await fetch(`${base}/api/v1/me`, { headers: { cookie } })).json();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shutting down/);

    const second = chorus(['start'], env);
    await waitReady(port, second);
    const me2 = await (await fetch(`${base}/api/v1/me`, { headers: { cookie } })).json();
    expect(me2.workspace.id).toBe(me1.workspace.id);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('scaled: separate api and worker processes share the work through PostgreSQL and Redis', async () => {
    const db = await createTestDatabase('chorus_proc');
    cleanups.push(db.drop);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-proc-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const prefix = `chorus-proc-${randomBytes(3).toString('hex')}`;
    cleanups.push(() => dropQueueKeys(prefix));
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS,
      DATA_DIR: dataDir,
      QUEUE_PREFIX: prefix,
      SECRET_KEY: randomBytes(32).toString('hex'),
      PORT: String(port),
    };
    const api = chorus(['api'], env);
    await waitReady(port, api);
    const worker = chorus(['worker'], env);

    const base = `http://127.0.0.1:${port}`;
    const cookie = await signup(base);
    const form = new FormData();
    form.append('file', new Blob(['phone,name,city\n+628123456001,Ani,Bandung\n+628123456002,Budi,Medan\n']), 'people.csv');
    const up = await fetch(`${base}/api/v1/imports`, { method: 'POST', headers: { cookie }, body: form });
    expect(up.status).toBe(201);
    const imp = await up.json();
    const start = await fetch(`${base}/api/v1/imports/${imp.id}/start`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ columns: imp.detected.columns.map((c: { index: number; role: string; key: string }) => ({ index: c.index, role: c.role, key: c.key })), existing: 'update' }),
    });
    expect(start.status).toBe(202);
    let status = '';
    for (let i = 0; i < 150 && status !== 'completed' && status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await (await fetch(`${base}/api/v1/imports/${imp.id}`, { headers: { cookie } })).json()).status;
    }
    // The api process runs no workers: only the separate worker process can have finished the job.
    expect(status).toBe('completed');
    const contacts = await (await fetch(`${base}/api/v1/contacts`, { headers: { cookie } })).json();
    expect(contacts.items.map((c: { name: string }) => c.name).sort()).toEqual(['Ani', 'Budi']);

    worker.child.kill('SIGTERM');
    api.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await api.exited).toBe(0);
  });
});
