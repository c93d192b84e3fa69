import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
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

/** What an import the server just answered with does to the cache: it goes in as itself, and the list is refetched. */
function storeImport(qc: QueryClient, job: ImportJob) {
  qc.setQueryData(['imports', 'one', job.id], job);
  void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
}

export function useUploadImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api.upload<ImportJob>('/imports', file),
    onSuccess: (job) => storeImport(qc, job),
  });
}

export function useStartImport(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: StartImportInput) => api.post<ImportJob>(`/imports/${id}/start`, input),
    onSuccess: (job) => storeImport(qc, job),
  });
}

export const rejectionsUrl = (id: string) => `/api/v1/imports/${id}/rejections.csv`;
