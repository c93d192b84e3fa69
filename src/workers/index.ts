import type { Worker } from 'bullmq';
import type { Container } from '../container.ts';

/** Starts every queue's processor in this process. Each worker file stays thin: decode, call a service, map errors. */
export function startWorkers(c: Container): Worker[] {
  void c;
  return [];
}
