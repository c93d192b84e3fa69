import { useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import type { z } from 'zod';
import type { MediaItem as MediaItemOut, mediaKind, mediaLimits } from '../../../src/http/schemas/media.ts';
import { api } from './client.ts';
import { usePagedItems, useRefetchingMutation } from './queries.ts';
import type { Json } from './types.ts';

export type MediaItem = Json<MediaItemOut>;
export type MediaKind = z.output<typeof mediaKind>;
export type MediaLimit = z.output<typeof mediaLimits>['items'][number];

export function useMedia(kind: MediaKind | null) {
  return usePagedItems<MediaItem>(['media', 'list', kind], '/media', { kind, limit: 48 }, { keepPrevious: true });
}

export function useMediaLimits() {
  return useQuery({
    queryKey: ['media', 'limits'],
    queryFn: () => api.get<z.output<typeof mediaLimits>>('/media/limits'),
    select: (d) => d.items,
    staleTime: Infinity,
  });
}

export function useUploadMedia() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api.upload<MediaItem>('/media', file),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['media', 'list'] }),
  });
}

export function useDeleteMedia() {
  return useRefetchingMutation((id: string) => api.delete(`/media/${id}`), ['media', 'list']);
}
