import type { PackageUsage, ProfileUsage, ProfileUsageDetail } from '../../api/senders.ts';
import { formatNumber } from '../../lib/format.ts';

type State = ProfileUsage['state']['state'];
type Strategy = PackageUsage['strategy'];
type Source = ProfileUsageDetail['parameters'][number]['source'];

/** The dot and colour of each state ("● Active", "○ Limit reached"): filled while the profile can send. */
export const STATE_LOOK: Record<State, { color: string; dot: '●' | '○' }> = {
  active: { color: 'chorus', dot: '●' },
  idle: { color: 'teal', dot: '●' },
  limit_reached: { color: 'orange', dot: '○' },
  outside_active_hours: { color: 'indigo', dot: '○' },
  paused: { color: 'yellow', dot: '○' },
  not_connected: { color: 'gray', dot: '○' },
  banned: { color: 'red', dot: '○' },
};

export const HEALTH_COLOR: Record<ProfileUsage['health']['state'], string> = {
  healthy: 'chorus',
  warning: 'yellow',
  risky: 'orange',
  paused: 'orange',
  banned: 'red',
};

/** The same words as the API's effective settings use for each layer. */
export const SOURCE_WORDS: Record<Source, string> = {
  profile: 'profile override',
  package: 'package default',
  workspace: 'workspace default',
  default: 'built-in default',
};

export const STRATEGY_WORDS: Record<Strategy, { label: string; description: string }> = {
  round_robin: { label: 'Round-robin', description: 'equal shares in turn over the profiles that can send' },
  random: { label: 'Random', description: 'each recipient a random profile: no pattern to spot' },
  weighted: { label: 'Weighted', description: "in proportion to each profile's weight, set by hand or measured from capacity left × health" },
  smart: { label: 'Smart', description: 'skips overloaded, limited or risky profiles and prefers healthy ones with room left today' },
};

const WINDOW_NAMES = { hour: 'hourly', threeHours: '3-hour', day: 'daily' } as const;
export type WindowKey = keyof typeof WINDOW_NAMES;
export const WINDOWS = Object.keys(WINDOW_NAMES) as WindowKey[];
export const WINDOW_TITLES: Record<WindowKey, string> = { hour: 'Last hour', threeHours: 'Last 3 hours', day: 'Last 24 hours' };

/** "45/50 hourly". */
export const windowWords = (p: Pick<ProfileUsage, 'windows'>, w: WindowKey) =>
  `${formatNumber(p.windows[w].sent)}/${formatNumber(p.windows[w].cap)} ${WINDOW_NAMES[w]}`;

/** "Profile 1: 45/50 hourly | 120/150 3-hour | 320/500 daily | ● Active": the line of product.md §4. */
export function usageLine(p: Pick<ProfileUsage, 'name' | 'windows' | 'state'>): string {
  return `${p.name}: ${WINDOWS.map((w) => windowWords(p, w)).join(' | ')} | ${STATE_LOOK[p.state.state].dot} ${p.state.label}`;
}

/** "in 4 min 05 s", "in 2 h 10 min", "now". */
export function countdownWords(at: string, now: number): string {
  const s = Math.round((new Date(at).getTime() - now) / 1000);
  if (s <= 0) return 'now';
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `in ${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
}

/** "600 s", "12.5 s", "0.005 s". */
export function seconds(s: number): string {
  return `${s >= 10 ? formatNumber(Math.round(s)) : Number(s.toPrecision(3))} s`;
}

export const factor = (f: number) => `×${Number(f.toFixed(2))}`;
