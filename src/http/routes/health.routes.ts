import { z } from 'zod';
import type { Container } from '../../container.ts';
import { pingDatabase } from '../../db/client.ts';
import type { TypedApp } from '../typed-app.ts';

export async function healthRoutes(app: TypedApp, c: Container) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: z.object({ status: z.string(), checks: z.record(z.string(), z.string()) }), 503: z.object({ status: z.string(), checks: z.record(z.string(), z.string()) }) } } },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      const probe = async (name: string, fn: () => Promise<void>) => {
        try {
          await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout after 2 s')), 2000))]);
          checks[name] = 'ok';
        } catch (err) {
          checks[name] = `failing: ${(err as Error).message}`;
        }
      };
      await probe(c.db.kind === 'pglite' ? 'database (embedded PGlite)' : 'database (PostgreSQL)', () => pingDatabase(c.db));
      await probe(c.queues.backend === 'redis' ? 'queues (Redis)' : 'queues (BullMQ on PostgreSQL)', () => c.queues.ping());
      const ok = Object.values(checks).every((v) => v === 'ok');
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const counts = await c.queues.counts().catch(() => null);
    let extra = '';
    if (counts) {
      extra += '# HELP chorus_queue_jobs Jobs per queue and state\n# TYPE chorus_queue_jobs gauge\n';
      for (const [queue, states] of Object.entries(counts)) {
        for (const [state, n] of Object.entries(states)) extra += `chorus_queue_jobs{queue="${queue}",state="${state}"} ${n}\n`;
      }
    }
    reply.header('content-type', c.metrics.registry.contentType);
    return (await c.metrics.registry.metrics()) + extra;
  });
}
