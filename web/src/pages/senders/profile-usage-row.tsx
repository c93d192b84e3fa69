import { useEffect, useState } from 'react';
import { Badge, Box, Button, Group, Progress, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconAdjustmentsHorizontal, IconPencil, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import type { ProfileUsage } from '../../api/senders.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { countdownWords, HEALTH_COLOR, STATE_LOOK, usageLine, WINDOW_TITLES, windowWords, WINDOWS, type WindowKey } from './sender-words.ts';

/** The current time, moving every second: countdowns tick without asking the server. */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function WindowBar({ p, w }: { p: ProfileUsage; w: WindowKey }) {
  const { sent, cap, received } = p.windows[w];
  const used = cap > 0 ? Math.min(100, (100 * sent) / cap) : 100;
  return (
    <Box>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed">
          {WINDOW_TITLES[w]}
        </Text>
        <Text size="xs" fw={600} data-testid={`usage-${w}`}>
          {windowWords(p, w)}
        </Text>
      </Group>
      <Progress value={used} color={used >= 100 ? 'orange' : used >= 80 ? 'yellow' : 'chorus'} size="sm" aria-label={`${WINDOW_TITLES[w]}: ${sent} of ${cap} sent`} />
      <Text size="xs" c="dimmed" data-testid={`received-${w}`}>
        {formatNumber(received)} received
      </Text>
    </Box>
  );
}

/** When the profile sends next and why it waits, counting down live. */
export function NextSend({ p }: { p: Pick<ProfileUsage, 'nextSend' | 'queued'> }) {
  // The tick lives here, not in the row: only this line re-renders every second.
  const now = useNow();
  const { at, why } = p.nextSend;
  return (
    <Text size="sm" data-testid="next-send">
      <Text span fw={600}>
        Next send:{' '}
      </Text>
      {at ? (
        <Tooltip label={formatDateTime(at)}>
          <Text span>{countdownWords(at, now)}</Text>
        </Tooltip>
      ) : (
        'nothing to send'
      )}
      {why && (
        <Text span c="dimmed">
          {' '}— {why}
        </Text>
      )}
    </Text>
  );
}

interface Props {
  p: ProfileUsage;
  canWrite: boolean;
  onDetails(): void;
  onEdit(): void;
  onPause(pause: boolean): void;
}

/** One profile of a package: the usage line, a bar per window, its state and why, next send, health and warm-up. */
export function ProfileUsageRow({ p, canWrite, onDetails, onEdit, onPause }: Props) {
  const look = STATE_LOOK[p.state.state];
  const paused = p.status === 'paused';
  return (
    <Stack gap={6} py="sm" data-testid="profile-usage" aria-label={`Profile ${p.name}`} role="group">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text fw={600} size="sm" ff="monospace" data-testid="usage-line">
          {usageLine(p)}
        </Text>
        <Group gap={6}>
          <Button size="compact-xs" variant="light" leftSection={<IconAdjustmentsHorizontal size={14} />} onClick={onDetails}>
            Limits and pacing
          </Button>
          {canWrite && (
            <>
              <Button size="compact-xs" variant="default" leftSection={<IconPencil size={14} />} onClick={onEdit}>
                Edit
              </Button>
              {p.status !== 'banned' && (
                <Button
                  size="compact-xs"
                  variant="default"
                  leftSection={paused ? <IconPlayerPlay size={14} /> : <IconPlayerPause size={14} />}
                  onClick={() => onPause(!paused)}
                >
                  {paused ? 'Resume' : 'Pause'}
                </Button>
              )}
            </>
          )}
        </Group>
      </Group>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Badge color={look.color} variant="light" style={{ flexShrink: 0 }} data-testid="state">
          {look.dot} {p.state.label}
        </Badge>
        <Text size="sm" c="dimmed" data-testid="state-reason">
          {p.state.reason}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        {WINDOWS.map((w) => (
          <WindowBar key={w} p={p} w={w} />
        ))}
      </SimpleGrid>
      {p.caps.reasons.length > 0 && (
        <Text size="xs" c="orange.8">
          Limits in force: {p.caps.reasons.join('; ')}
        </Text>
      )}
      <NextSend p={p} />
      <Group gap="lg" wrap="wrap">
        <Text size="sm">
          <Text span fw={600}>
            Queued:{' '}
          </Text>
          {formatNumber(p.queued)}
        </Text>
        <Text size="sm">
          <Text span fw={600}>
            Health:{' '}
          </Text>
          <Text span c={HEALTH_COLOR[p.health.state]} fw={600}>
            {p.health.score}/100 {p.health.state}
          </Text>
          {p.health.sentence && (
            <Text span c="dimmed">
              {' '}— {p.health.sentence}
            </Text>
          )}
        </Text>
        {p.warmup && (
          <Text size="sm">
            <Text span fw={600}>
              Warm-up:{' '}
            </Text>
            day {p.warmup.day}, {formatNumber(p.warmup.perDay)} of {formatNumber(p.warmup.configuredPerDay)} a day
            <Text span c="dimmed">
              {' '}— {p.warmup.reason}
            </Text>
          </Text>
        )}
      </Group>
    </Stack>
  );
}
