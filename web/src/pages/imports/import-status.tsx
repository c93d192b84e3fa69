import { Badge } from '@mantine/core';
import type { ImportStatus } from '../../api/types.ts';

const words: Record<ImportStatus, { label: string; color: string }> = {
  uploaded: { label: 'Waiting for mapping', color: 'yellow' },
  queued: { label: 'Queued', color: 'blue' },
  running: { label: 'Importing', color: 'blue' },
  completed: { label: 'Completed', color: 'chorus' },
  failed: { label: 'Failed', color: 'red' },
};

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const w = words[status];
  return (
    <Badge color={w.color} variant="light">
      {w.label}
    </Badge>
  );
}
