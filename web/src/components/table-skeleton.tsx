import { Skeleton, Table } from '@mantine/core';

export function TableSkeleton({ rows = 6, columns }: { rows?: number; columns: number }) {
  return (
    <Table aria-busy="true" aria-label="Loading">
      <Table.Tbody>
        {Array.from({ length: rows }, (_, r) => (
          <Table.Tr key={r}>
            {Array.from({ length: columns }, (_, c) => (
              <Table.Td key={c}>
                <Skeleton height={14} width={c === 0 ? '70%' : '50%'} radius="sm" />
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
