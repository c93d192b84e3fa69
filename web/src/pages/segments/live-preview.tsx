import { Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useSegmentPreview, type SegmentGroup } from '../../api/segments.ts';
import type { ContactField } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatNumber } from '../../lib/format.ts';
import { customKeysOf } from './criteria-model.ts';
import { fieldColumns, MatchingContactsTable } from './matching-contacts-table.tsx';

const FIELD_COLUMNS = 2;

const matchWords = (n: number) => `${formatNumber(n)} ${n === 1 ? 'contact matches' : 'contacts match'}`;

/**
 * How many contacts the conditions match right now, with a few of them. While new criteria are being
 * counted the last answer stays on screen, dimmed, so the number does not flicker as people type.
 */
export function LivePreview({ criteria, fields }: { criteria: SegmentGroup | null; fields: ContactField[] }) {
  const preview = useSegmentPreview(criteria);
  const stale = preview.settling || !criteria;
  const keys = fieldColumns(criteria ? customKeysOf(criteria) : [], fields, FIELD_COLUMNS);
  const sample = preview.data?.sample ?? [];
  const count = preview.data?.count ?? 0;

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>Live count</Text>
          {criteria && preview.settling && (
            <Group gap={6}>
              <Loader size={14} />
              <Text size="xs" c="dimmed">
                Counting…
              </Text>
            </Group>
          )}
        </Group>
        {preview.data ? (
          <Title order={2} data-testid="live-count" aria-live="polite" aria-busy={stale} style={{ opacity: stale ? 0.45 : 1, transition: 'opacity 150ms' }}>
            {matchWords(count)}
          </Title>
        ) : (
          !preview.isError && (
            <Text size="sm" c="dimmed">
              {criteria ? 'Counting the matching contacts…' : 'Finish the conditions to see how many contacts match.'}
            </Text>
          )
        )}
        {!criteria && preview.data && (
          <Text size="sm" c="orange.8">
            This count is for the conditions as they were: finish every condition to update it.
          </Text>
        )}
        {criteria?.conditions.length === 0 && (
          <Text size="sm" c="dimmed">
            With no conditions the segment holds every contact.
          </Text>
        )}
        {preview.isError && criteria && <ErrorAlert error={preview.error} title="Could not count the contacts" onRetry={() => void preview.refetch()} />}
        {sample.length > 0 && (
          <Stack gap={4} style={{ opacity: stale ? 0.45 : 1 }}>
            <Text size="xs" c="dimmed">
              {count > sample.length ? `A sample of ${sample.length} of them` : sample.length === 1 ? 'The matching contact' : `All ${sample.length} of them`}
            </Text>
            <MatchingContactsTable contacts={sample} fieldKeys={keys} fields={fields} testId="sample" />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
