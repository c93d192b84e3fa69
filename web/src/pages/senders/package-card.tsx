import { Badge, Button, Divider, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { PackageUsage } from '../../api/senders.ts';
import { formatNumber } from '../../lib/format.ts';
import { ProfileUsageRow } from './profile-usage-row.tsx';
import { STRATEGY_WORDS } from './sender-words.ts';

interface Props {
  pkg: PackageUsage;
  canWrite: boolean;
  onEdit(): void;
  onEditProfile(profileId: string): void;
  onDetails(profileId: string): void;
  onPause(profileId: string, name: string, pause: boolean): void;
}

function Fact({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <Tooltip label={hint} multiline w={320}>
      <Text size="sm">
        <Text span c="dimmed">
          {label}:{' '}
        </Text>
        <Text span fw={600}>
          {value}
        </Text>
      </Text>
    </Tooltip>
  );
}

/** A package: its daily total, seats and queue, then every profile's live usage. */
export function PackageCard({ pkg, canWrite, onEdit, onEditProfile, onDetails, onPause }: Props) {
  const strategy = STRATEGY_WORDS[pkg.strategy];
  return (
    <Paper withBorder p="md" role="region" aria-label={`Package ${pkg.name}`} data-testid="package-card">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={4}>Package: {pkg.name}</Title>
            <Tooltip label={strategy.description}>
              <Badge variant="light" color="gray">
                {strategy.label}
              </Badge>
            </Tooltip>
          </Group>
          <Group gap="lg" wrap="wrap">
            <Fact label="Today" value={pkg.day.cap === null ? `${formatNumber(pkg.day.sent)} sent` : `${formatNumber(pkg.day.sent)}/${formatNumber(pkg.day.cap)} daily total`} hint={pkg.day.words} />
            <Fact label="Sending now" value={`${pkg.seats.inUse}/${pkg.seats.max} profiles`} hint={pkg.seats.words} />
            <Fact label="Queued" value={formatNumber(pkg.queued)} hint="Open-chat messages of this package waiting for its profiles" />
          </Group>
        </Stack>
        {canWrite && (
          <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={onEdit}>
            Edit package
          </Button>
        )}
      </Group>
      <Divider mt="sm" />
      {pkg.profiles.length === 0 ? (
        <Text size="sm" c="dimmed" pt="sm">
          No profiles yet: edit the package to add the numbers that send for it.
        </Text>
      ) : (
        <Stack gap={0}>
          {pkg.profiles.map((p, i) => (
            <div key={p.profileId}>
              {i > 0 && <Divider variant="dashed" />}
              <ProfileUsageRow
                p={p}
                canWrite={canWrite}
                onDetails={() => onDetails(p.profileId)}
                onEdit={() => onEditProfile(p.profileId)}
                onPause={(pause) => onPause(p.profileId, p.name, pause)}
              />
            </div>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
