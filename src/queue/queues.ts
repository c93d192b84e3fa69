/**
 * Queue names, job payloads and job-id (dedupe) rules, in one place. Job names read `area.action`.
 */
export const QUEUE_NAMES = ['imports'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  'import.run': { workspaceId: string; importId: string };
}
export type JobName = keyof JobPayloads;

export const jobQueue: Record<JobName, QueueName> = {
  'import.run': 'imports',
};

/** One job per import: starting an import twice cannot run it twice. */
export const jobIds = {
  'import.run': (p: JobPayloads['import.run']) => `import.run-${p.importId}`,
} satisfies { [K in JobName]: (p: JobPayloads[K]) => string };
