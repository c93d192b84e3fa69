import type { Transport, TransportEvent } from '../transports/transport.ts';
import type { TransportKind } from '../domain/sender-settings.ts';
import type { ProfileRef } from './event-ingest.ts';

/** What it takes to open a profile's transport. */
export interface TransportSpec extends ProfileRef {
  kind: TransportKind;
  /** The decrypted transport configuration. */
  config: Record<string, unknown>;
  /** The profile's number (E.164), when it has one. */
  phone: string | null;
}

/** Builds a transport for a profile: the composition root supplies it (only it knows the classes). */
export type TransportFactory = (spec: TransportSpec) => Transport;

/**
 * The transports this process holds, one per profile it sends for, each started once and wired
 * to `onEvent` with the profile it belongs to. Services see only the Transport interface.
 */
export class TransportHub {
  private readonly open = new Map<string, { spec: TransportSpec; transport: Promise<Transport> }>();

  constructor(
    private readonly factory: TransportFactory,
    private readonly onEvent: (ref: ProfileRef, event: TransportEvent) => void,
  ) {}

  /** The profile's started transport; a changed configuration opens a new one. */
  async get(spec: TransportSpec): Promise<Transport> {
    const cur = this.open.get(spec.profileId);
    if (cur && sameSpec(cur.spec, spec)) return cur.transport;
    if (cur) await this.close(spec.profileId);
    const transport = (async () => {
      const t = this.factory(spec);
      t.onEvent((event) => this.onEvent({ workspaceId: spec.workspaceId, profileId: spec.profileId }, event));
      await t.start();
      return t;
    })();
    this.open.set(spec.profileId, { spec, transport });
    // A transport that failed to start is not kept: the next send tries again.
    transport.catch(() => {
      if (this.open.get(spec.profileId)?.transport === transport) this.open.delete(spec.profileId);
    });
    return transport;
  }

  async close(profileId: string): Promise<void> {
    const cur = this.open.get(profileId);
    if (!cur) return;
    this.open.delete(profileId);
    await (await cur.transport.catch(() => null))?.stop();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.close(id)));
  }
}

function sameSpec(a: TransportSpec, b: TransportSpec): boolean {
  return a.kind === b.kind && a.phone === b.phone && JSON.stringify(a.config) === JSON.stringify(b.config);
}
