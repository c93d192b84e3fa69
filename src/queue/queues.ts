/**
 * Queue names, job payloads and job-id (dedupe) rules, in one place. Job names read `area.action`.
 */
export const QUEUE_NAMES = ['imports', 'dispatch'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  'import.run': { workspaceId: string; importId: string };
  /** One drain step of a profile's open-chat queue (src/services/dispatch.service.ts). */
  'profile.drain': { workspaceId: string; profileId: string };
}
export type JobName = keyof JobPayloads;

export const jobQueue: Record<JobName, QueueName> = {
  'import.run': 'imports',
  'profile.drain': 'dispatch',
};

/**
 * One job per import: starting an import twice cannot run it twice. One drain per profile: a
 * profile is never drained by two workers at once, and kicking a drain that is already waiting
 * or running does nothing.
 */
export const jobIds = {
  'import.run': (p: JobPayloads['import.run']) => `import.run-${p.importId}`,
  'profile.drain': (p: JobPayloads['profile.drain']) => `profile.drain-${p.profileId}`,
} satisfies { [K in JobName]: (p: JobPayloads[K]) => string };

/**
 * Per job name, options over the queue defaults. A drain re-schedules itself and is kicked again
 * by new work, so its finished job must not linger (a kept job id would swallow the next kick),
 * and it is not retried by the queue (the dispatch sweep kicks it again).
 */
export const jobOptions: Partial<Record<JobName, { removeOnComplete?: boolean; removeOnFail?: boolean; attempts?: number }>> = {
  'profile.drain': { removeOnComplete: true, removeOnFail: true, attempts: 1 },
};
