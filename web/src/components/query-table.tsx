import type { ReactNode } from 'react';
import { Paper } from '@mantine/core';
import { ErrorAlert } from './error-alert.tsx';
import { TableSkeleton } from './table-skeleton.tsx';

interface Props<T> {
  query: { data: T[] | undefined; isError: boolean; error: unknown; refetch(): Promise<unknown> };
  /** Shape of the skeleton shown until the first rows arrive. */
  loadingColumns: number;
  loadingRows?: number;
  /** Shown instead of the table when there are no rows; without it an empty table is shown. */
  empty?: ReactNode;
  /** Pads the error so it stands clear of the panel's border. */
  errorInset?: boolean;
  children(rows: T[]): ReactNode;
}

/** The body of a panel listing a query's rows: a skeleton while loading, the error with a retry, the empty state, or the table. */
export function QueryTable<T>({ query, loadingColumns, loadingRows, empty, errorInset, children }: Props<T>) {
  if (query.isError) {
    const alert = <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
    return errorInset ? <Paper p="md">{alert}</Paper> : alert;
  }
  if (!query.data) return <TableSkeleton columns={loadingColumns} rows={loadingRows} />;
  if (query.data.length === 0 && empty) return empty;
  return children(query.data);
}
