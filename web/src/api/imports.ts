import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { usePagedItems } from './queries.ts';
import type { ImportJob, StartImportInput } from './types.ts';

export function useImports() {
  return usePagedItems<ImportJob>(['imports', 'list'], '/imports', { limit: 25 });
}

/** One import; `poll` refetches every few seconds (used only when the live socket is down). */
export function useImport(id: string | undefined, poll = false) {
  return useQuery({
    queryKey: ['imports', 'one', id],
    queryFn: () => api.get<ImportJob>(`/imports/${id}`),
    enabled: !!id,
    refetchInterval: (q) => {
      const status = q.state.data?.status;
      return poll && (status === 'queued' || status === 'running') ? 2000 : false;
    },
  });
}

export function useUploadImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api.upload<ImportJob>('/imports', file),
    onSuccess: (job) => {
      qc.setQueryData(['imports', 'one', job.id], job);
      void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
    },
  });
}

export function useStartImport(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: StartImportInput) => api.post<ImportJob>(`/imports/${id}/start`, input),
    onSuccess: (job) => {
      qc.setQueryData(['imports', 'one', id], job);
      void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
    },
  });
}

export const rejectionsUrl = (id: string) => `/api/v1/imports/${id}/rejections.csv`;
