import { SimpleGrid } from '@mantine/core';
import type { ImportCounters } from '../../api/types.ts';
import { StatCard } from '../../components/stat-card.tsx';

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
        <StatCard
          key={i.key}
          testId={`count-${i.key}`}
          label={i.label}
          value={counters[i.key]}
          hint={i.hint}
          color={i.color}
          fz={28}
          lh={1.3}
          valueLabel={`${i.label}: ${counters[i.key]}`}
        />
      ))}
    </SimpleGrid>
  );
}
