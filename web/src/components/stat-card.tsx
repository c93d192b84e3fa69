import { Paper, Text } from '@mantine/core';
import { formatNumber } from '../lib/format.ts';

interface Props {
  label: string;
  value: number;
  hint: string;
  /** The number's colour, size and line height. */
  color?: string;
  fz?: number;
  lh?: number;
  /** Names the number for screen readers, e.g. "Imported: 7". */
  valueLabel?: string;
  /** Makes the card a group named by its label. */
  group?: boolean;
  testId?: string;
  valueTestId?: string;
}

/** A count in a bordered card: a small uppercase label, the number, and a hint under it. */
export function StatCard({ label, value, hint, color, fz = 26, lh, valueLabel, group, testId, valueTestId }: Props) {
  return (
    <Paper withBorder p="md" role={group ? 'group' : undefined} aria-label={group ? label : undefined} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text fz={fz} fw={700} c={color} lh={lh} aria-label={valueLabel} data-testid={valueTestId}>
        {formatNumber(value)}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  );
}
