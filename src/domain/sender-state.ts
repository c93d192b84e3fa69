import { activeState } from './active-hours.ts';
import { durationWords } from './pacing.ts';
import type { ActiveHours, HealthState, ProfileStatus } from './sender-settings.ts';

/**
 * The one state a profile shows on the Senders page ("● Active", "○ Limit reached", …) and why, in
 * words (product.md §4, Live usage). Pure: the caller passes the profile's status and health, its
 * usage against the caps in force and its queue; the first rule that holds decides, in the order
 * of SENDER_STATES — a number that is banned is not also "outside active hours", one that is
 * paused is not "limit reached".
 */

export const SENDER_STATES = ['banned', 'paused', 'not_connected', 'outside_active_hours', 'limit_reached', 'active', 'idle'] as const;
export type SenderState = (typeof SENDER_STATES)[number];

export const SENDER_STATE_LABELS: Record<SenderState, string> = {
  banned: 'Banned',
  paused: 'Paused',
  not_connected: 'Not connected',
  outside_active_hours: 'Outside active hours',
  limit_reached: 'Limit reached',
  active: 'Active',
  idle: 'Idle',
};

/** Sends counted in a window against the cap in force there. */
export interface WindowCount {
  sent: number;
  cap: number;
}

export interface SenderStateInput {
  now: number;
  status: ProfileStatus;
  statusReason: string | null;
  health: { state: HealthState; sentence: string | null };
  /** Why its transport settings cannot be read, when they cannot. */
  transportProblem: string | null;
  activeHours: ActiveHours;
  timezone: string;
  windows: { hour: WindowCount; threeHours: WindowCount; day: WindowCount };
  /** The package's sends of the last 24 h against its daily total (cap null: none). */
  packageDay: { sent: number; cap: number | null };
  /** Open-chat messages waiting for the profile. */
  queued: number;
}

export interface SenderStateView {
  state: SenderState;
  label: string;
  reason: string;
}

const WINDOW_WORDS = { hour: 'hourly limit', threeHours: '3-hour limit', day: 'daily limit' } as const;

const view = (state: SenderState, reason: string): SenderStateView => ({ state, label: SENDER_STATE_LABELS[state], reason });

export function senderState(input: SenderStateInput): SenderStateView {
  const { status, statusReason, health } = input;
  if (status === 'banned' || health.state === 'banned') {
    return view('banned', statusReason ?? health.sentence ?? 'WhatsApp banned this number: no message leaves it');
  }
  if (status === 'paused') return view('paused', statusReason ?? 'paused: no open chat until it is resumed');
  if (health.state === 'risky' || health.state === 'paused') {
    const how = health.state === 'risky' ? 'auto-paused as risky' : 'auto-paused after failing sends';
    return view('paused', `${how}${health.sentence ? `: ${health.sentence}` : ''}; its queued messages move to healthy profiles`);
  }
  if (status === 'linking') return view('not_connected', statusReason ?? 'waiting for the QR code to be scanned');
  if (status === 'disconnected') return view('not_connected', statusReason ?? 'not connected to WhatsApp');
  if (input.transportProblem) return view('not_connected', `its transport settings cannot be read: ${input.transportProblem}`);
  if (status === 'limited') return view('limit_reached', statusReason ?? 'WhatsApp is limiting this number');

  const hours = activeState(input.now, input.activeHours, input.timezone);
  if (!hours.active) {
    const window = `${input.activeHours.start}–${input.activeHours.end} ${input.timezone}`;
    const opens = hours.changesAt === null ? '' : `; they start in ${durationWords((hours.changesAt - input.now) / 1000)}`;
    return view('outside_active_hours', `outside active hours (${window})${opens}`);
  }

  const full = (Object.keys(WINDOW_WORDS) as Array<keyof typeof WINDOW_WORDS>)
    .filter((w) => input.windows[w].sent >= input.windows[w].cap)
    .map((w) => `${WINDOW_WORDS[w]} reached (${input.windows[w].sent}/${input.windows[w].cap})`);
  const pkg = input.packageDay;
  if (pkg.cap !== null && pkg.sent >= pkg.cap) full.push(`package daily total reached (${pkg.sent}/${pkg.cap})`);
  if (full.length > 0) return view('limit_reached', `${full.join('; ')}: the next message waits for a slot to free up`);

  if (input.queued > 0) return view('active', `sending: ${input.queued} message${input.queued === 1 ? '' : 's'} queued`);
  return view('idle', 'nothing queued: ready to send');
}
