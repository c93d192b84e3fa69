import type { ReactNode } from 'react';
import { EmptyState } from '@mantine/core';

/** What an empty page shows before its first item: what the thing is for, and the way to make one. */
export function FirstUseState({
  icon,
  title,
  description,
  action,
  py = 56,
}: {
  icon: ReactNode;
  title: string;
  description: string;
  action?: ReactNode;
  py?: number;
}) {
  return (
    <EmptyState py={py} variant="light" size="lg" icon={icon} title={title} description={description}>
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
