import type { Container } from '../container.ts';

/** Kicks a profile's drain; a drain already waiting or running absorbs the kick (one job id per profile). */
export async function kickDrain(c: Container, workspaceId: string, profileId: string): Promise<void> {
  await c.queues.enqueue('profile.drain', { workspaceId, profileId });
}
