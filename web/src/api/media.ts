import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { MediaItem as MediaItemOut, mediaKind, mediaLimits } from '../../../src/http/schemas/media.ts';
import { api } from './client.ts';
import { usePagedItems, useRefetchingMutation } from './queries.ts';
import type { Json } from './types.ts';

export type MediaItem = Json<MediaItemOut>;
export type MediaKind = z.output<typeof mediaKind>;

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

/** One library item by id, read once (e.g. the media of an older template version). */
export const fetchMediaItem = (id: string) => api.get<MediaItem>(`/media/${id}`);

export function useUploadMedia() {
  return useRefetchingMutation((file: File) => api.upload<MediaItem>('/media', file), ['media', 'list']);
}

export function useDeleteMedia() {
  return useRefetchingMutation((id: string) => api.delete(`/media/${id}`), ['media', 'list']);
}
