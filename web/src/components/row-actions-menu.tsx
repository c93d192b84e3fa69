import type { ReactNode } from 'react';
import { ActionIcon, Menu, Table } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';

/** The "…" menu in the last cell of a clickable table row; clicks inside it do not open the row. `children` are Menu.Items. */
export function RowActionsMenu({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Td onClick={(e) => e.stopPropagation()}>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={label}>
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>{children}</Menu.Dropdown>
      </Menu>
    </Table.Td>
  );
}
