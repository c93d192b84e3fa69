import { api } from './client.ts';
import { useItems, useRefetchingMutation } from './queries.ts';
import type { ContactList, ListInput } from './types.ts';

export function useLists() {
  return useItems<ContactList>(['lists'], '/lists', { limit: 500 });
}

export function useSaveList() {
  return useRefetchingMutation(
    ({ id, ...input }: ListInput & { id?: string }) => (id ? api.patch<ContactList>(`/lists/${id}`, input) : api.post<ContactList>('/lists', input)),
    ['lists'],
  );
}

export function useDeleteList() {
  return useRefetchingMutation((id: string) => api.delete(`/lists/${id}`), ['lists']);
}

export function useListMembership() {
  return useRefetchingMutation(
    async ({ listId, contactIds, remove }: { listId: string; contactIds: string[]; remove?: boolean }) => {
      if (remove) await api.delete<{ removed: number }>(`/lists/${listId}/members`, { contactIds });
      else await api.post<{ added: number }>(`/lists/${listId}/members`, { contactIds });
    },
    ['lists'],
    ['contacts'],
  );
}
