import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes, startHarness, type Harness } from './support/harness.ts';
import { signupOwner } from './support/api.ts';

describe.each(modes)('operations endpoints (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode);
  });
  afterAll(async () => h?.close());

  it('answers liveness without touching dependencies', async () => {
    const res = await h.app.inject({ url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('exposes Prometheus metrics: HTTP requests by route and queue depths', async () => {
    await signupOwner(h.app);
    const res = await h.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/chorus_http_requests_total\{method="POST",route="\/api\/v1\/auth\/signup",status="201"\} 1/);
    expect(res.body).toMatch(/chorus_queue_jobs\{queue="imports",state="waiting"\} \d+/);
    expect(res.body).toMatch(/chorus_process_resident_memory_bytes/);
  });

  it('answers unknown API paths with a JSON 404 in words', async () => {
    const res = await h.app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/No route GET \/api\/v1\/nothing-here/);
  });

  it('reports not ready, naming the failing part, when the database is gone', async () => {
    const broken = { ...h.c.db, pool: { query: () => Promise.reject(new Error('connection refused')) } };
    const original = h.c.db;
    (h.c as { db: unknown }).db = broken;
    try {
      const res = await h.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      const failing = Object.entries(res.json().checks).filter(([, v]) => v !== 'ok');
      expect(failing).toEqual([[expect.stringMatching(/^database/), 'failing: connection refused']]);
    } finally {
      (h.c as { db: unknown }).db = original;
    }
  });
});
