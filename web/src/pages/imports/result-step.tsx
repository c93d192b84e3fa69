import { Link } from 'react-router-dom';
import { Alert, Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAddressBook, IconAlertTriangle, IconCircleCheck, IconDownload, IconFileImport, IconListDetails } from '@tabler/icons-react';
import { rejectionsUrl } from '../../api/imports.ts';
import type { ImportJob } from '../../api/types.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { ImportCountersGrid } from './import-counters.tsx';

function duration(job: ImportJob) {
  if (!job.startedAt || !job.finishedAt) return null;
  const s = Math.max(0, (new Date(job.finishedAt).getTime() - new Date(job.startedAt).getTime()) / 1000);
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function ResultStep({ job }: { job: ImportJob }) {
  const failed = job.status === 'failed';
  const took = duration(job);
  return (
    <Stack gap="lg">
      {failed ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={20} />} title="The import stopped">
          {job.error ?? 'The import could not finish.'} Rows imported before the problem are kept; you can fix the file and import it again
          — contacts already imported are matched by phone and not duplicated.
        </Alert>
      ) : (
        <Paper withBorder p="lg">
          <Group gap="md" wrap="nowrap">
            <ThemeIcon size={48} radius="xl" variant="light">
              <IconCircleCheck size={28} />
            </ThemeIcon>
            <div>
              <Title order={3}>Import complete</Title>
              <Text size="sm" c="dimmed">
                {formatNumber(job.rowsDone)} rows of {job.fileName} processed
                {took ? ` in ${took}` : ''} · finished {formatDateTime(job.finishedAt)}
              </Text>
            </div>
          </Group>
        </Paper>
      )}
      <ImportCountersGrid counters={job} />
      {job.rejected > 0 && (
        <Paper withBorder p="md">
          <Group justify="space-between">
            <div>
              <Text fw={600}>
                {formatNumber(job.rejected)} {job.rejected === 1 ? 'row was' : 'rows were'} rejected
              </Text>
              <Text size="sm" c="dimmed">
                The file lists each row with its reason (missing phone, invalid phone, duplicate in file…). Fix them and import it again.
              </Text>
            </div>
            <Button component="a" href={rejectionsUrl(job.id)} download variant="light" color="red" leftSection={<IconDownload size={16} />}>
              Download rejected rows (CSV)
            </Button>
          </Group>
        </Paper>
      )}
      <Group justify="flex-end">
        <Button component={Link} to="/imports/new" variant="default" leftSection={<IconFileImport size={16} />}>
          Import another file
        </Button>
        {job.listId && (
          <Button component={Link} to={`/contacts?listId=${job.listId}`} variant="default" leftSection={<IconListDetails size={16} />}>
            View the list
          </Button>
        )}
        <Button component={Link} to="/contacts" leftSection={<IconAddressBook size={16} />}>
          View contacts
        </Button>
      </Group>
    </Stack>
  );
}
