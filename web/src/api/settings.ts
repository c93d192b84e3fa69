import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { meKey } from './session.ts';
import type { ApiKey, ApiKeyCreated, AuditEntry, Member, MemberInput, Page, Role, Workspace, WorkspaceInput } from './types.ts';

export function useWorkspace() {
  return useQuery({ queryKey: ['workspace'], queryFn: () => api.get<Workspace>('/workspace') });
}

export function useUpdateWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkspaceInput) => api.patch<Workspace>('/workspace', input),
    onSuccess: async (ws) => {
      qc.setQueryData(['workspace'], ws);
      await qc.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useMembers() {
  return useQuery({
    queryKey: ['members'],
    queryFn: () => api.get<{ items: Member[] }>('/members'),
    select: (d) => d.items,
  });
}

export function useAddMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: MemberInput) => api.post<Member>('/members', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function useChangeRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => api.patch<Member>(`/members/${userId}`, { role }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function useRemoveMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.delete(`/members/${userId}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: ['api-keys'],
    queryFn: () => api.get<{ items: ApiKey[] }>('/api-keys'),
    select: (d) => d.items,
  });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; role: Role }) => api.post<ApiKeyCreated>('/api-keys', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api-keys/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
}

export function useAudit(entityType: string | null) {
  return useInfiniteQuery({
    queryKey: ['audit', entityType],
    queryFn: ({ pageParam }) => api.get<Page<AuditEntry>>('/audit', { entityType, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
