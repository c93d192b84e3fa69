import { ActionIcon, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';

/** The red bin at the end of a table row; `label` names the action and the row for screen readers. */
export function RowRemoveButton({ tooltip, label, onClick }: { tooltip: string; label: string; onClick(): void }) {
  return (
    <Tooltip label={tooltip}>
      <ActionIcon variant="subtle" color="red" aria-label={label} onClick={onClick}>
        <IconTrash size={16} />
      </ActionIcon>
    </Tooltip>
  );
}
