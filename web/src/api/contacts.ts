import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import { useItems, usePagedItems, useRefetchingMutation } from './queries.ts';
import type { Contact, ContactDetail, ContactCreateInput, ContactField, ContactPatchInput, Page } from './types.ts';

export interface ContactFilters {
  search?: string;
  label?: string;
  listId?: string;
  field?: string;
  value?: string;
  consent?: 'true' | 'false';
  optedOut?: 'true' | 'false';
}

const PAGE_SIZE = 50;

export function useContacts(filters: ContactFilters) {
  return usePagedItems<Contact>(['contacts', 'list', filters], '/contacts', { ...filters, field: filters.value ? filters.field : undefined, limit: PAGE_SIZE }, { keepPrevious: true });
}

export function useContact(id: string | null) {
  return useQuery({
    queryKey: ['contacts', 'one', id],
    queryFn: () => api.get<ContactDetail>(`/contacts/${id}`),
    enabled: !!id,
  });
}

/** The first `limit` contacts whose name or phone matches `search` (the caller debounces it); the last answer stays while the next loads. */
export function useContactSearch(search: string, limit: number) {
  return useQuery({
    queryKey: ['contacts', 'pick', search],
    queryFn: () => api.get<Page<Contact>>('/contacts', { search, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useContactFields() {
  return useItems<ContactField>(['contacts', 'fields'], '/contacts/fields');
}

export function useCreateContact() {
  return useRefetchingMutation((input: ContactCreateInput) => api.post<Contact>('/contacts', input), ['contacts']);
}

export function useUpdateContact(id: string) {
  return useRefetchingMutation((input: ContactPatchInput) => api.patch<Contact>(`/contacts/${id}`, input), ['contacts']);
}

// A deleted contact leaves its lists, so their member counts change too.
export function useDeleteContact() {
  return useRefetchingMutation((id: string) => api.delete(`/contacts/${id}`), ['contacts'], ['lists']);
}

export function useOptOut(id: string) {
  return useRefetchingMutation(
    (input: { optedOut: boolean; reason?: string }) =>
      input.optedOut
        ? api.post<Contact>(`/contacts/${id}/opt-out`, input.reason ? { reason: input.reason } : {})
        : api.post<Contact>(`/contacts/${id}/opt-in`),
    ['contacts'],
  );
}
