import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Container } from '../container.ts';
import type { JobPayloads } from '../queue/queues.ts';
import { failImport, runImport } from '../services/imports.service.ts';

/**
 * `import.run`: one import per job. Transient failures (database, process restart) are retried
 * and the import resumes from its last committed batch; after the last attempt the import is
 * marked failed with the reason. A file problem ends the import inside runImport (no retry).
 * On shutdown the job is handed back at the next batch boundary.
 */
export function startImportsWorker(c: Container): Worker | null {
  // Imports are CPU-heavy (phone parsing): two at a time per process keep the API responsive.
  const concurrency = Math.min(2, c.config.WORKER_CONCURRENCY);
  return c.queues.startWorker(
    'imports',
    async (job: Job, token?: string, signal?: AbortSignal) => {
      const payload = job.data as JobPayloads['import.run'];
      try {
        await runImport(c, payload, signal ? { signal } : {});
      } catch (err) {
        if (signal?.aborted) {
          // The process is shutting down: hand the import back at once, without spending an
          // attempt; whichever worker picks it up resumes after the last committed batch.
          await job.moveToDelayed(Date.now() + 1000, token);
          throw new DelayedError();
        }
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
