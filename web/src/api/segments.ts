import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDebouncedValue } from '@mantine/hooks';
import type {
  Segment as SegmentOut, SegmentCreate, SegmentDetail as SegmentDetailOut, SegmentGroup, SegmentPatch, SegmentPreview as SegmentPreviewOut,
} from '../../../src/http/schemas/segments.ts';
import { api } from './client.ts';
import { usePagedItems, useRefetchingMutation } from './queries.ts';
import type { Contact, Json } from './types.ts';

export type { SegmentGroup };
export type Segment = Json<SegmentOut>;
export type SegmentDetail = Json<SegmentDetailOut>;
export type SegmentPreview = Json<SegmentPreviewOut>;
export type SegmentKind = Segment['kind'];

const PAGE_SIZE = 50;
/** How long typing pauses before the criteria are counted again. */
const PREVIEW_DEBOUNCE_MS = 300;
/** How many matching contacts a preview shows; the server answers with at most this many. */
const PREVIEW_SAMPLE_SIZE = 10;

export function useSegments(search: string) {
  return usePagedItems<Segment>(['segments', 'list', search], '/segments', { search, limit: PAGE_SIZE }, { keepPrevious: true });
}

export function useSegment(id: string) {
  return useQuery({ queryKey: ['segments', 'one', id], queryFn: () => api.get<SegmentDetail>(`/segments/${id}`) });
}

export function useSegmentContacts(id: string) {
  return usePagedItems<Contact>(['segments', 'contacts', id], `/segments/${id}/contacts`, { limit: PAGE_SIZE });
}

/**
 * The count and a sample of the contacts matching `criteria`, asked for once the criteria stop
 * changing for a moment; `null` criteria (not valid yet) ask for nothing and keep the last answer.
 * `settling` is true while the answer shown may belong to older criteria.
 */
export function useSegmentPreview(criteria: SegmentGroup | null) {
  const json = criteria ? JSON.stringify(criteria) : null;
  const [debounced] = useDebouncedValue(json, PREVIEW_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: ['segments', 'preview', debounced],
    queryFn: () => api.post<SegmentPreview>('/segments/preview', { criteria: JSON.parse(debounced!) as SegmentGroup, sampleSize: PREVIEW_SAMPLE_SIZE }),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
  });
  const settling = json !== debounced || query.isFetching;
  return { ...query, settling };
}

export function useCreateSegment() {
  return useRefetchingMutation((input: SegmentCreate) => api.post<Segment>('/segments', input), ['segments', 'list']);
}

export function useUpdateSegment(id: string) {
  return useRefetchingMutation(
    (input: SegmentPatch) => api.patch<Segment>(`/segments/${id}`, input),
    ['segments', 'one', id],
    ['segments', 'contacts', id],
    ['segments', 'list'],
  );
}

/** Re-takes a static segment's membership. */
export function useRefreshSegment(id: string) {
  return useRefetchingMutation(() => api.post<unknown>(`/segments/${id}/refresh`), ['segments', 'one', id], ['segments', 'contacts', id], ['segments', 'list']);
}

export function useDeleteSegment() {
  return useRefetchingMutation((id: string) => api.delete(`/segments/${id}`), ['segments', 'list']);
}
