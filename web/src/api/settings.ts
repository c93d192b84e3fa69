import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { useItems, usePagedItems, useRefetchingMutation } from './queries.ts';
import { meKey } from './session.ts';
import type { ApiKey, ApiKeyCreated, AuditEntry, Member, MemberInput, Role, Workspace, WorkspaceInput } from './types.ts';

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
  return useItems<Member>(['members'], '/members');
}

export function useAddMember() {
  return useRefetchingMutation((input: MemberInput) => api.post<Member>('/members', input), ['members']);
}

export function useChangeRole() {
  return useRefetchingMutation(({ userId, role }: { userId: string; role: Role }) => api.patch<Member>(`/members/${userId}`, { role }), ['members']);
}

export function useRemoveMember() {
  return useRefetchingMutation((userId: string) => api.delete(`/members/${userId}`), ['members']);
}

export function useApiKeys() {
  return useItems<ApiKey>(['api-keys'], '/api-keys');
}

export function useCreateApiKey() {
  return useRefetchingMutation((input: { name: string; role: Role }) => api.post<ApiKeyCreated>('/api-keys', input), ['api-keys']);
}

export function useRevokeApiKey() {
  return useRefetchingMutation((id: string) => api.delete(`/api-keys/${id}`), ['api-keys']);
}

export function useAudit(entityType: string | null) {
  return usePagedItems<AuditEntry>(['audit', entityType], '/audit', { entityType, limit: 50 });
}
