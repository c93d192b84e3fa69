import { Group, Loader, Paper, Progress, Stack, Text } from '@mantine/core';
import type { ImportJob } from '../../api/types.ts';
import { formatBytes, formatNumber } from '../../lib/format.ts';
import { ImportCountersGrid } from './import-counters.tsx';

export function ProgressStep({ job, live }: { job: ImportJob; live: boolean }) {
  const pct = job.fileSize > 0 ? Math.min(100, (job.bytesDone / job.fileSize) * 100) : 0;
  const queued = job.status === 'queued';
  return (
    <Stack gap="lg">
      <Paper withBorder p="lg">
        <Group justify="space-between" mb="sm">
          <Group gap="sm">
            <Loader size="sm" />
            <Text fw={600}>{queued ? 'Waiting for a worker to pick up the import…' : `Importing ${job.fileName}…`}</Text>
          </Group>
          <Text fw={700} data-testid="import-percent">
            {Math.floor(pct)}%
          </Text>
        </Group>
        <Progress value={pct} size="xl" radius="xl" striped animated aria-label="Import progress" />
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed">
            {formatNumber(job.rowsDone)} rows done · {formatBytes(job.bytesDone)} of {formatBytes(job.fileSize)}
          </Text>
          <Text size="xs" c="dimmed">
            {live ? 'Live' : 'Checking every few seconds'}
          </Text>
        </Group>
      </Paper>
      <ImportCountersGrid counters={job} />
      <Text size="sm" c="dimmed" ta="center">
        You can leave this page: the import keeps running and you will find it under Imports.
      </Text>
    </Stack>
  );
}
