import type { Worker } from 'bullmq';
import type { Container } from '../container.ts';
import { startImportsWorker } from './imports.worker.ts';
import { startDispatchWorker } from './dispatch.worker.ts';

/** Starts every queue's processor in this process. Each worker file stays thin: decode, call a service, map errors. */
export function startWorkers(c: Container): Worker[] {
  return [startImportsWorker(c), startDispatchWorker(c)].filter((w): w is Worker => w !== null);
}
