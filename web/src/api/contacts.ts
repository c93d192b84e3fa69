import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
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
  return useInfiniteQuery({
    queryKey: ['contacts', 'list', filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<Contact>>('/contacts', { ...filters, field: filters.value ? filters.field : undefined, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useContact(id: string | null) {
  return useQuery({
    queryKey: ['contacts', 'one', id],
    queryFn: () => api.get<ContactDetail>(`/contacts/${id}`),
    enabled: !!id,
  });
}

export function useContactFields() {
  return useQuery({
    queryKey: ['contacts', 'fields'],
    queryFn: () => api.get<{ items: ContactField[] }>('/contacts/fields'),
    select: (d) => d.items,
  });
}

function useInvalidateContacts() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['contacts'] });
}

export function useCreateContact() {
  const invalidate = useInvalidateContacts();
  return useMutation({
    mutationFn: (input: ContactCreateInput) => api.post<Contact>('/contacts', input),
    onSuccess: invalidate,
  });
}

export function useUpdateContact(id: string) {
  const invalidate = useInvalidateContacts();
  return useMutation({
    mutationFn: (input: ContactPatchInput) => api.patch<Contact>(`/contacts/${id}`, input),
    onSuccess: invalidate,
  });
}

export function useDeleteContact() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/contacts/${id}`),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['contacts'] });
      await qc.invalidateQueries({ queryKey: ['lists'] });
    },
  });
}

export function useOptOut(id: string) {
  const invalidate = useInvalidateContacts();
  return useMutation({
    mutationFn: (input: { optedOut: boolean; reason?: string }) =>
      input.optedOut
        ? api.post<Contact>(`/contacts/${id}/opt-out`, input.reason ? { reason: input.reason } : {})
        : api.post<Contact>(`/contacts/${id}/opt-in`),
    onSuccess: invalidate,
  });
}
