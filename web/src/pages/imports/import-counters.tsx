import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { ImportCounters } from '../../api/types.ts';
import { formatNumber } from '../../lib/format.ts';

const items: { key: keyof ImportCounters; label: string; color: string; hint: string }[] = [
  { key: 'imported', label: 'Imported', color: 'chorus.8', hint: 'new contacts' },
  { key: 'updated', label: 'Updated', color: 'blue.7', hint: 'already in Chorus' },
  { key: 'skipped', label: 'Skipped', color: 'gray.7', hint: 'kept as they were' },
  { key: 'rejected', label: 'Rejected', color: 'red.7', hint: 'with a reason' },
];

export function ImportCountersGrid({ counters }: { counters: ImportCounters }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
      {items.map((i) => (
        <Paper key={i.key} withBorder p="md" data-testid={`count-${i.key}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700} style={{ letterSpacing: '0.04em' }}>
            {i.label}
          </Text>
          <Text fz={28} fw={700} c={i.color} lh={1.3} aria-label={`${i.label}: ${counters[i.key]}`}>
            {formatNumber(counters[i.key])}
          </Text>
          <Text size="xs" c="dimmed">
            {i.hint}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
