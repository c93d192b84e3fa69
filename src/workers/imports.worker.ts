import type { Worker } from 'bullmq';
import type { Container } from '../container.ts';

export function startImportsWorker(c: Container): Worker | null {
  void c;
  return null;
}
