import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { ContactList, ListInput, Page } from './types.ts';

export function useLists() {
  return useQuery({
    queryKey: ['lists'],
    queryFn: () => api.get<Page<ContactList>>('/lists', { limit: 500 }),
    select: (d) => d.items,
  });
}

export function useSaveList() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: ListInput & { id?: string }) =>
      id ? api.patch<ContactList>(`/lists/${id}`, input) : api.post<ContactList>('/lists', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['lists'] }),
  });
}

export function useDeleteList() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/lists/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['lists'] }),
  });
}

export function useListMembership() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ listId, contactIds, remove }: { listId: string; contactIds: string[]; remove?: boolean }) => {
      if (remove) await api.delete<{ removed: number }>(`/lists/${listId}/members`, { contactIds });
      else await api.post<{ added: number }>(`/lists/${listId}/members`, { contactIds });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['lists'] });
      await qc.invalidateQueries({ queryKey: ['contacts'] });
    },
  });
}
