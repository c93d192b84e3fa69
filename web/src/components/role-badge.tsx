import { Badge, type BadgeProps } from '@mantine/core';
import type { Role } from '../api/types.ts';
import { roleWords } from '../lib/permissions.ts';

export function RoleBadge({ role, size }: { role: Role; size?: BadgeProps['size'] }) {
  return (
    <Badge size={size} variant="light" color={roleWords[role].color}>
      {roleWords[role].label}
    </Badge>
  );
}
