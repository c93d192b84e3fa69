import type { Clock } from '../../domain/clock.ts';
import { systemClock } from '../../system-clock.ts';
import { seededRandom } from '../../domain/seeded-random.ts';
import {
  mergeSimulatorConfig,
  SIMULATOR_DEFAULTS,
  simulatorProfileOverridesSchema,
  type SimulatorConfig,
  type SimulatorOverrides,
  type SimulatorProfileOverrides,
} from './config.ts';
import { SimulatorTransport, type SimulatorProfileState, type SimulatorWorld } from './simulator.transport.ts';

export interface SimulatorNetworkOptions {
  /** Same seed, same calls, same clock → same events. */
  seed: string | number;
  clock: Clock;
  /** The network's settings (a workspace's) over the defaults. */
  config?: SimulatorOverrides | undefined;
  /** Whether send() waits for the accept latency; by default only on the system clock, where nothing else advances time. */
  delayAccept?: boolean | undefined;
}

/**
 * A virtual WhatsApp network: who is on WhatsApp, and the profiles (numbers) sending into it.
 * Many profiles share one network (`chorus simulate` runs a whole pool in one); each keeps its own
 * rate limit and ban state. Whether a number is on WhatsApp is decided once per number from the
 * seed, so every profile sees the same answer.
 */
export class SimulatorNetwork implements SimulatorWorld {
  readonly clock: Clock;
  readonly seed: string;
  readonly delayAccept: boolean;
  readonly config: SimulatorConfig;
  readonly #set = new Map<string, boolean>();
  readonly #profiles = new Map<string, SimulatorTransport>();

  constructor(options: SimulatorNetworkOptions) {
    this.clock = options.clock;
    this.seed = String(options.seed);
    this.delayAccept = options.delayAccept ?? options.clock === systemClock;
    this.config = mergeSimulatorConfig(SIMULATOR_DEFAULTS, options.config);
    for (const phone of this.config.recipients.missing) this.#set.set(phone, false);
    for (const phone of this.config.recipients.present) this.#set.set(phone, true);
  }

  isOnWhatsApp(phone: string): boolean {
    const set = this.#set.get(phone);
    if (set !== undefined) return set;
    return seededRandom(`${this.seed}:on-whatsapp:${phone}`)() >= this.config.recipients.missingShare;
  }

  /** Puts a number on WhatsApp or takes it off, whatever the seed says. */
  setRecipient(phone: string, onWhatsApp: boolean): void {
    this.#set.set(phone, onWhatsApp);
  }

  /**
   * The transport of a new profile on this network, with its own overrides laid over the
   * network's settings (validated: throws a ZodError naming a bad field). One per profile.
   */
  transport(profileId: string, overrides?: SimulatorProfileOverrides): SimulatorTransport {
    if (this.#profiles.has(profileId)) throw new Error(`profile ${profileId} already has a transport on this network`);
    const checked = overrides === undefined ? undefined : simulatorProfileOverridesSchema.parse(overrides);
    const transport = new SimulatorTransport(this, profileId, mergeSimulatorConfig(this.config, checked));
    this.#profiles.set(profileId, transport);
    return transport;
  }

  profile(profileId: string): SimulatorTransport | undefined {
    return this.#profiles.get(profileId);
  }

  /** Every profile's state now, in the order they joined. */
  inspect(): SimulatorProfileState[] {
    return [...this.#profiles.values()].map((t) => t.inspect());
  }
}
