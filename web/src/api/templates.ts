import { keepPreviousData, useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import { useDebouncedValue } from '@mantine/hooks';
import type { z } from 'zod';
import type {
  Template as TemplateOut,
  TemplatePreview as TemplatePreviewOut,
  TemplatePreviewBody,
  TemplateVersionDto,
  templateCreate,
  templatePatch,
} from '../../../src/http/schemas/templates.ts';
import { api } from './client.ts';
import { useItems, usePagedItems, useRefetchingMutation } from './queries.ts';
import type { Json } from './types.ts';

export type Template = Json<TemplateOut>;
export type TemplateType = Template['type'];
export type TemplateVersion = Json<TemplateVersionDto>;
export type TemplatePreview = Json<TemplatePreviewOut>;
export type TemplateProblem = TemplatePreview['errors'][number];
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
  return useItems<TemplateVersion>(['templates', 'versions', id], `/templates/${id}/versions`, undefined, { enabled: !!id && enabled });
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

/** How long typing pauses before the template is previewed again. */
const PREVIEW_DEBOUNCE_MS = 250;

/**
 * The rendered preview of what is being typed, asked for once `input` stops changing for a moment
 * (keep `input` the same object while nothing in it changes, e.g. with useMemo). The previous answer
 * stays on screen while the next one loads so the bubble and the highlighting do not flicker;
 * `settling` is true while the answer shown may belong to older input.
 */
export function useTemplatePreview(input: PreviewInput) {
  const [debounced] = useDebouncedValue(input, PREVIEW_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: ['templates', 'preview', debounced],
    queryFn: async (): Promise<PreviewResult> => ({ ...(await api.post<TemplatePreview>('/templates/preview', debounced)), source: debounced.body }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const settling = debounced !== input || query.isFetching;
  return { ...query, settling };
}
