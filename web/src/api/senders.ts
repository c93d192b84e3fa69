import { useEffect, useRef } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  PackageCreate, PackageDetail as PackageDetailOut, PackagePatch, Profile as ProfileOut, ProfileCreate, ProfilePatch, SenderLayer,
} from '../../../src/http/schemas/senders.ts';
import type {
  PackageUsage as PackageUsageOut, PackageUsageDetail as PackageUsageDetailOut, ProfileUsage as ProfileUsageOut, ProfileUsageDetail as ProfileUsageDetailOut,
  ProfileWaitNotice, SendersActivityNotice, SendersUsagePage as SendersUsagePageOut,
} from '../../../src/http/schemas/usage.ts';
import { ApiError, api } from './client.ts';
import { useRealtime } from './realtime.tsx';
import { useItems, useRefetchingMutation } from './queries.ts';
import type { Json } from './types.ts';

export type { SenderLayer, ProfileCreate, PackageCreate };
export type Profile = Json<ProfileOut>;
export type PackageDetail = Json<PackageDetailOut>;
export type PackageUsage = Json<PackageUsageOut>;
type PackageUsageDetail = Json<PackageUsageDetailOut>;
export type ProfileUsage = Json<ProfileUsageOut>;
export type ProfileUsageDetail = Json<ProfileUsageDetailOut>;
type SendersUsagePage = Json<SendersUsagePageOut>;

/** The Senders page shows this many packages; the API pages beyond it. */
const PACKAGES_SHOWN = 100;
/** Live notices come several times a second while numbers send: usage is read again at most this often. */
const REFRESH_MS = 1000;

const USAGE = ['senders', 'usage'] as const;
const usageListKey = [...USAGE, 'list'] as const;
const packageUsageKey = (id: string) => [...USAGE, 'package', id] as const;

export function useSendersUsage() {
  return useQuery({ queryKey: usageListKey, queryFn: () => api.get<SendersUsagePage>('/senders/usage', { limit: PACKAGES_SHOWN }) });
}

export function usePackageUsage(id: string | null) {
  return useQuery({ queryKey: packageUsageKey(id ?? ''), queryFn: () => api.get<PackageUsageDetail>(`/packages/${id}/usage`), enabled: id !== null });
}

export function useProfiles() {
  return useItems<Profile>(['senders', 'profiles'], '/profiles', { limit: 500 });
}

export function usePackage(id: string | null) {
  return useQuery({ queryKey: ['senders', 'package', id], queryFn: () => api.get<PackageDetail>(`/packages/${id}`), enabled: id !== null });
}

// Every change may move caps, states and sources anywhere on the page: all of it is read again.
const SENDERS = ['senders'] as const;

export function useSaveProfile() {
  return useRefetchingMutation(
    ({ id, input }: { id: string | null; input: ProfileCreate | ProfilePatch }) =>
      id ? api.patch<Profile>(`/profiles/${id}`, input) : api.post<Profile>('/profiles', input),
    SENDERS,
  );
}

export function usePauseProfile() {
  return useRefetchingMutation(
    ({ id, pause, reason }: { id: string; pause: boolean; reason?: string }) =>
      pause ? api.post<Profile>(`/profiles/${id}/pause`, reason ? { reason } : {}) : api.post<Profile>(`/profiles/${id}/resume`),
    SENDERS,
  );
}

/** Creates or changes a package, then sets its profiles in order. */
export function useSavePackage() {
  return useRefetchingMutation(async ({ id, input, profileIds }: { id: string | null; input: PackageCreate | PackagePatch; profileIds: string[] }) => {
    const saved = id ? await api.patch<PackageDetail>(`/packages/${id}`, input) : await api.post<PackageDetail>('/packages', input);
    const current = saved.profiles.map((p) => p.profile.id);
    if (current.join() === profileIds.join()) return saved;
    return api.put<PackageDetail>(`/packages/${saved.id}/profiles`, { profileIds });
  }, SENDERS);
}

const FIELD_OF_CODE: Record<string, string> = {
  PROFILE_EXISTS: 'name',
  PACKAGE_EXISTS: 'name',
  PROFILE_PHONE_TAKEN: 'phone',
  INVALID_PHONE: 'phone',
  LIMITS_CONTRADICT: 'settings.limits',
  UNKNOWN_PROFILE: 'profileIds',
};

/**
 * The API's refusal as messages per field ("settings.limits.perHour": "at least 1"), so a form
 * shows each under its input; {} when the error is not about a field.
 */
function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  if ((err.code === 'VALIDATION_FAILED' || err.code === 'INVALID_TRANSPORT_CONFIG') && Array.isArray(err.details)) {
    for (const issue of err.details as Array<{ path?: string; message?: string }>) {
      if (issue.path && issue.message) out[issue.path.replace(/^body\./, '')] ??= issue.message;
    }
  }
  const field = FIELD_OF_CODE[err.code];
  if (field) out[field] = err.message;
  return out;
}

/**
 * A save's refusal as a form shows it: `errors` under the inputs, and `mutation` for the form, in error only when
 * no message is about a field matching `shown`, so a refusal no input can show is still seen above the form.
 */
export function formErrors<M extends { isError: boolean; error: unknown }>(save: M, shown: RegExp): { errors: Record<string, string>; mutation: M } {
  const errors = fieldErrors(save.error);
  const unshown = save.isError && !Object.keys(errors).some((k) => shown.test(k));
  return { errors, mutation: { ...save, isError: unshown } };
}

/** The profiles a query's cached usage shows. */
function profilesIn(data: { profiles: Array<{ profileId: string }> } | SendersUsagePage | undefined): string[] {
  if (!data) return [];
  if ('items' in data) return data.items.flatMap((p) => p.profiles.map((m) => m.profileId));
  return data.profiles.map((m) => m.profileId);
}

/** Puts a drain's decision on every cached profile it concerns at once, before usage is read again. */
function applyWait(qc: QueryClient, n: ProfileWaitNotice) {
  const patch = <P extends { profileId: string; nextSend: { at: string | null; why: string | null } }>(p: P): P =>
    p.profileId === n.profileId ? { ...p, nextSend: { at: n.nextSendAt === null ? null : new Date(n.nextSendAt).toISOString(), why: n.why } } : p;
  qc.setQueryData<SendersUsagePage>(usageListKey, (old) => old && { ...old, items: old.items.map((pkg) => ({ ...pkg, profiles: pkg.profiles.map(patch) })) });
  for (const [key, data] of qc.getQueriesData<PackageUsageDetail>({ queryKey: [...USAGE, 'package'] })) {
    if (data) qc.setQueryData<PackageUsageDetail>(key, { ...data, profiles: data.profiles.map(patch) });
  }
}

/**
 * Keeps the Senders page live: a drain's `profile.wait` updates the next send at once, and it,
 * `senders.activity` and `profile.health` have the usage of the packages showing those profiles read again, at
 * most once a second (the notices can come many times a second). When the socket comes back after
 * a break, everything is read again: notices sent meanwhile are lost.
 */
export function useLiveSenders() {
  const qc = useQueryClient();
  const dirty = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refreshSoon = (profileIds: string[]) => {
    for (const id of profileIds) dirty.current.add(id);
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      const changed = dirty.current;
      dirty.current = new Set();
      for (const query of qc.getQueryCache().findAll({ queryKey: USAGE })) {
        const shown = profilesIn(query.state.data as PackageUsageDetail | SendersUsagePage | undefined);
        if (shown.some((id) => changed.has(id))) void qc.invalidateQueries({ queryKey: query.queryKey, exact: true });
      }
    }, REFRESH_MS);
  };

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  useRealtime<ProfileWaitNotice>('profile.wait', (n) => {
    applyWait(qc, n);
    refreshSoon([n.profileId]);
  });
  // A health change moves states, caps (warnings halve them) and weights.
  useRealtime<{ type: 'profile.health'; profileId: string }>('profile.health', (n) => refreshSoon([n.profileId]));
  const status = useRealtime<SendersActivityNotice>('senders.activity', (n) => refreshSoon(n.profiles.map((p) => p.profileId)));

  const wasOpen = useRef(status === 'open');
  useEffect(() => {
    if (status === 'open' && !wasOpen.current) void qc.invalidateQueries({ queryKey: USAGE });
    wasOpen.current = status === 'open';
  }, [status, qc]);
  return status;
}
