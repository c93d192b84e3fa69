import { DAY_MS, VirtualClock } from '../../domain/clock.ts';
import type { Distribution } from '../../domain/distribution.ts';
import { SimulatorNetwork } from '../../transports/simulator/network.ts';
import { TransportError, type Transport } from '../../transports/transport.ts';
import type { RunOutcome } from './chorus-run.ts';
import { runUntil } from './event-loop.ts';
import { Ledger } from './ledger.ts';
import type { Scenario } from './scenario.ts';
import type { World } from './world.ts';

/**
 * What Chorus is compared with: a naive blaster sending the same recipients from the same
 * profiles into a network with the same seed, each profile firing its share one message every
 * `delaySeconds`, from the start, day and night — no limits, no active hours, no governor, no
 * pacing. It skips a recipient whose send fails and stops a profile once WhatsApp has banned it.
 */


export async function runNaive(s: Scenario, w: World, plan: Distribution): Promise<RunOutcome> {
  const clock = new VirtualClock(s.start);
  const network = new SimulatorNetwork({ seed: s.seed, clock, config: s.network });
  const ledger = new Ledger(clock);
  const index = new Map(w.recipients.map((r, i) => [r.phone, i]));
  const queues = new Map(w.profileIds.map((id) => [id, [] as number[]]));
  for (const a of plan.assignments) if (a.profileId !== null) queues.get(a.profileId)!.push(index.get(a.key)!);

  const transports = new Map<string, Transport>();
  for (const p of s.profiles) {
    const id = w.profileIds[p.index]!;
    const transport = ledger.recording(id, network.transport(id, p.simulator));
    transport.onEvent((event) => ledger.event(id, event));
    await transport.start();
    transports.set(id, transport);
  }

  const lastWait = new Map<string, string>();
  const sent = new Map(w.profileIds.map((id) => [id, 0]));
  const delayMs = s.naive.delaySeconds * 1000;
  try {
    await runUntil(clock, s.start + s.days * DAY_MS, {
      ids: w.profileIds,
      async step(profileId) {
        const queue = queues.get(profileId)!;
        const n = sent.get(profileId)!;
        if (n >= queue.length) {
          lastWait.set(profileId, 'it tried all of its share, and WhatsApp refused the rest');
          return null;
        }
        sent.set(profileId, n + 1);
        const i = queue[n]!;
        try {
          await transports.get(profileId)!.send({ id: w.messageIds[i]!, to: w.recipients[i]!.phone, content: { type: 'text', text: w.recipients[i]!.text } });
        } catch (err) {
          if (err instanceof TransportError && err.code === 'banned') {
            lastWait.set(profileId, 'it stopped when the number was banned');
            return null;
          }
        }
        return clock.now() + delayMs;
      },
      settle: async () => undefined,
    });
    return { ledger, final: new Map(network.inspect().map((p) => [p.profileId, p])), lastWait };
  } finally {
    for (const t of transports.values()) await t.stop();
  }
}
