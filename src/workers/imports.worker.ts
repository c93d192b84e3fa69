import type { Job, Worker } from 'bullmq';
import type { Container } from '../container.ts';
import type { JobPayloads } from '../queue/queues.ts';
import { failImport, runImport } from '../services/imports.service.ts';

/**
 * `import.run`: one import per job. Transient failures (database, process restart) are retried
 * and the import resumes from its last committed batch; after the last attempt the import is
 * marked failed with the reason. A file problem ends the import inside runImport (no retry).
 */
export function startImportsWorker(c: Container): Worker | null {
  // Imports are CPU-heavy (phone parsing): two at a time per process keep the API responsive.
  const concurrency = Math.min(2, c.config.WORKER_CONCURRENCY);
  return c.queues.startWorker(
    'imports',
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      const payload = job.data as JobPayloads['import.run'];
      try {
        await runImport(c, payload, signal ? { signal } : {});
      } catch (err) {
        const attempts = job.opts.attempts ?? 1;
        if (job.attemptsMade + 1 >= attempts) {
          await failImport(c, payload, `The import stopped after ${attempts} attempts: ${(err as Error).message}`);
        }
        throw err;
      }
    },
    concurrency,
  );
}
