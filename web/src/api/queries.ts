import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { api, type Query } from './client.ts';
import type { Page } from './types.ts';

/** An endpoint answering `{ items }`, read as its items; `enabled: false` asks for nothing yet. */
export function useItems<T>(queryKey: QueryKey, path: string, query?: Query, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey,
    queryFn: () => api.get<{ items: T[] }>(path, query),
    select: (d) => d.items,
    enabled: options.enabled ?? true,
  });
}

/**
 * A cursor-paginated endpoint (`{ items, nextCursor }`), read as one array of the pages loaded so far;
 * `fetchNextPage` adds the next page.
 */
export function usePagedItems<T>(queryKey: QueryKey, path: string, query: Query, options: { keepPrevious?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api.get<Page<T>>(path, { ...query, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    select: (d: InfiniteData<Page<T>>) => d.pages.flatMap((p) => p.items),
    // Keeps the current rows on screen while a changed filter loads, instead of a skeleton.
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
}

/**
 * A change on the server after which the given queries are refetched, one after the other. The
 * mutation stays pending until they are, so what runs on its success already sees fresh data.
 */
export function useRefetchingMutation<V, R>(mutationFn: (variables: V) => Promise<R>, ...refetch: QueryKey[]) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      for (const queryKey of refetch) await qc.invalidateQueries({ queryKey });
    },
  });
}
