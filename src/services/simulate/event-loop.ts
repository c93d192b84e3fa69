import type { VirtualClock } from '../../domain/clock.ts';

/**
 * Drives a run on a virtual clock: every actor (a profile) names the instant of its next step;
 * the loop moves the clock to the earliest, which runs the simulator's timers due by then
 * (receipts, replies, timelocks), and takes that step. Ties go to the actor listed first, so a
 * run is the same every time. What BullMQ's delayed jobs do in production, without the queue.
 */
export interface Actors {
  ids: readonly string[];
  /** One step of an actor at the clock's current instant: the instant of its next step, or null when it is done. */
  step(id: string): Promise<number | null>;
  /** Runs after the clock moved, before the step of `id` (null: once at the end): the run's chance to write down what happened. */
  settle(id: string | null): Promise<void>;
}

export async function runUntil(clock: VirtualClock, end: number, actors: Actors): Promise<void> {
  const next = new Map(actors.ids.map((id) => [id, clock.now()]));
  for (;;) {
    let id: string | null = null;
    let at = Infinity;
    for (const [candidate, t] of next) {
      if (t < at) [id, at] = [candidate, t];
    }
    if (id === null || at >= end) break;
    clock.advanceTo(Math.max(at, clock.now()));
    await actors.settle(id);
    const after = await actors.step(id);
    if (after === null) next.delete(id);
    else next.set(id, Math.max(after, clock.now()));
  }
  clock.advanceTo(Math.max(end, clock.now()));
  await actors.settle(null);
}
