import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError, errorMessage } from '../api/client.ts';

function titleOf(err: unknown) {
  if (!(err instanceof ApiError)) return 'Something went wrong';
  if (err.status === 403) return 'Not allowed';
  if (err.status === 404) return 'Not found';
  if (err.status === 0) return 'Connection problem';
  if (err.status >= 500) return 'Chorus had a problem';
  return 'Please check and try again';
}

export function ErrorAlert({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title ?? titleOf(error)} role="alert">
      <Group justify="space-between" align="center" wrap="nowrap">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
