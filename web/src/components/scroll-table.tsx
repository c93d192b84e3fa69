import type { ReactNode } from 'react';
import { ScrollArea, Table, type TableProps } from '@mantine/core';

/** A table that scrolls sideways on narrow screens instead of squeezing its columns; `head` holds the header cells, children the rows. */
export function ScrollTable({ head, children, ...table }: TableProps & { head: ReactNode; children: ReactNode }) {
  return (
    <ScrollArea>
      <Table {...table}>
        <Table.Thead>
          <Table.Tr>{head}</Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
