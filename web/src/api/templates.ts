import { keepPreviousData, useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Template as TemplateOut,
  TemplatePreview as TemplatePreviewOut,
  TemplatePreviewBody,
  TemplateVersionDto,
  templateCreate,
  templatePatch,
  templateSpan,
} from '../../../src/http/schemas/templates.ts';
import { api } from './client.ts';
import { usePagedItems, useRefetchingMutation } from './queries.ts';
import type { Json } from './types.ts';

export type Template = Json<TemplateOut>;
export type TemplateType = Template['type'];
export type TemplateVersion = Json<TemplateVersionDto>;
export type TemplatePreview = Json<TemplatePreviewOut>;
export type TemplateProblem = TemplatePreview['errors'][number];
export type TemplateSpan = z.output<typeof templateSpan>;
export type TemplateCreateInput = z.input<typeof templateCreate>;
export type TemplatePatchInput = z.input<typeof templatePatch>;
export type PreviewInput = TemplatePreviewBody;
/** A preview with the body it was rendered from, so highlight offsets can be matched to the text. */
export type PreviewResult = TemplatePreview & { source: string };

export function useTemplates(search: string) {
  return usePagedItems<Template>(['templates', 'list', search], '/templates', { search, limit: 50 }, { keepPrevious: true });
}

export function useTemplate(id: string | undefined) {
  return useQuery({
    queryKey: ['templates', 'one', id],
    queryFn: () => api.get<Template>(`/templates/${id}`),
    enabled: !!id,
  });
}

export function useTemplateVersions(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['templates', 'versions', id],
    queryFn: () => api.get<{ items: TemplateVersion[] }>(`/templates/${id}/versions`),
    select: (d) => d.items,
    enabled: !!id && enabled,
  });
}

/** Creates (no id) or changes a template; the saved template goes straight into the cache. */
export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: TemplatePatchInput & { id?: string }) =>
      id ? api.patch<Template>(`/templates/${id}`, input) : api.post<Template>('/templates', input as TemplateCreateInput),
    onSuccess: async (t) => {
      qc.setQueryData(['templates', 'one', t.id], t);
      await qc.invalidateQueries({ queryKey: ['templates', 'list'] });
      await qc.invalidateQueries({ queryKey: ['templates', 'versions', t.id] });
    },
  });
}

export function useDuplicateTemplate() {
  return useRefetchingMutation((id: string) => api.post<Template>(`/templates/${id}/duplicate`), ['templates', 'list']);
}

export function useDeleteTemplate() {
  return useRefetchingMutation((id: string) => api.delete(`/templates/${id}`), ['templates', 'list']);
}

/**
 * The rendered preview of what is being typed. The caller debounces `input`; the previous answer
 * stays on screen while the next one loads so the bubble and the highlighting do not flicker.
 */
export function useTemplatePreview(input: PreviewInput) {
  return useQuery({
    queryKey: ['templates', 'preview', input],
    queryFn: async (): Promise<PreviewResult> => ({ ...(await api.post<TemplatePreview>('/templates/preview', input)), source: input.body }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
