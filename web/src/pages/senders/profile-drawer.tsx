import type { ReactNode } from 'react';
import { Badge, Drawer, List, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { usePackageUsage, type ProfileUsageDetail } from '../../api/senders.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatNumber } from '../../lib/format.ts';
import { NextSend } from './profile-usage-row.tsx';
import { factor, seconds, SOURCE_WORDS, STATE_LOOK, WINDOW_TITLES, WINDOWS } from './sender-words.ts';

const LIMIT_NAMES = { perHour: 'Per hour', per3Hours: 'Per 3 hours', perDay: 'Per day' } as const;
const SET_BY = { hour: 'the hourly limit', three_hours: 'the 3-hour limit', day: 'the daily limit over the active hours' } as const;

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Title order={5}>{title}</Title>
      {children}
    </Stack>
  );
}

function UsageTable({ p }: { p: ProfileUsageDetail }) {
  return (
    <Table withTableBorder fz="sm" verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Window</Table.Th>
          <Table.Th>Sent / cap</Table.Th>
          <Table.Th>Received</Table.Th>
          <Table.Th>Delivered</Table.Th>
          <Table.Th>Read</Table.Th>
          <Table.Th>Replied</Table.Th>
          <Table.Th>Failed</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {WINDOWS.map((w) => {
          const u = p.windows[w];
          return (
            <Table.Tr key={w}>
              <Table.Td>{WINDOW_TITLES[w]}</Table.Td>
              <Table.Td>
                {formatNumber(u.sent)} / {formatNumber(u.cap)}
              </Table.Td>
              <Table.Td>{formatNumber(u.received)}</Table.Td>
              <Table.Td>{formatNumber(u.delivered)}</Table.Td>
              <Table.Td>{formatNumber(u.read)}</Table.Td>
              <Table.Td>{formatNumber(u.replied)}</Table.Td>
              <Table.Td>{formatNumber(u.failed)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function CapsTable({ p }: { p: ProfileUsageDetail }) {
  return (
    <>
      <Table withTableBorder fz="sm" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Limit</Table.Th>
            <Table.Th>Configured</Table.Th>
            <Table.Th>In force now</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(Object.keys(LIMIT_NAMES) as Array<keyof typeof LIMIT_NAMES>).map((k) => (
            <Table.Tr key={k}>
              <Table.Td>{LIMIT_NAMES[k]}</Table.Td>
              <Table.Td>{formatNumber(p.caps.configured[k])}</Table.Td>
              <Table.Td fw={p.caps.inForce[k] !== p.caps.configured[k] ? 700 : undefined}>{formatNumber(p.caps.inForce[k])}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed">
        {p.caps.reasons.length > 0 ? p.caps.reasons.join('; ') : 'The configured limits are in force: no warm-up or warning lowers them.'}
      </Text>
    </>
  );
}

/** The gap pacing would draw now, step by step, then its sentences. */
function PacingBlock({ p }: { p: ProfileUsageDetail }) {
  const g = p.pacing;
  const rows: Array<[string, string]> =
    g.mode === 'off'
      ? [
          ['Pacing', 'off'],
          ['Rate', `${formatNumber(g.ratePerSecond)} a second`],
          ['Gap', seconds(g.gapSeconds)],
        ]
      : [
          ['Base gap', `${seconds(g.base.seconds)}, set by ${SET_BY[g.base.setBy]}`],
          ['Gap window (min – max)', `${seconds(g.min)} – ${seconds(g.max)}`],
          ['Rush factor in force', `${factor(g.rush.factor)} (${g.rush.inRush ? 'rush hour' : 'calm'}: ${formatNumber(g.rush.queueDepth)} waiting, threshold ${formatNumber(g.rush.threshold)})`],
          ['Pace factor', `${factor(g.pace.factor)} (${formatNumber(g.pace.sent2h)} sent in the last 2 h${g.pace.ratio === null ? '' : `, ${formatNumber(Math.round(g.pace.expected2h * 10) / 10)} expected`})`],
          ['Limit floor', `${seconds(g.limitFloor.seconds)}${g.limitFloor.applied ? ' (applied)' : ''}`],
          ['Minimum gap', `${seconds(g.minGap.seconds)}${g.minGap.applied ? ' (applied)' : ''}`],
          ['Next gap', seconds(g.gapSeconds)],
        ];
  return (
    <>
      <Table withTableBorder fz="sm" verticalSpacing={4} data-testid="pacing-values">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Td w="40%" c="dimmed">
                {label}
              </Table.Td>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <List size="sm" spacing={2} data-testid="pacing-explanation">
        {g.explanation.map((line) => (
          <List.Item key={line}>{line}</List.Item>
        ))}
      </List>
    </>
  );
}

function ParametersTable({ p }: { p: ProfileUsageDetail }) {
  return (
    <Table withTableBorder fz="sm" verticalSpacing={4} data-testid="parameters">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Setting</Table.Th>
          <Table.Th>Effective value</Table.Th>
          <Table.Th>Comes from</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {p.parameters.map((x) => (
          <Table.Tr key={x.key} data-testid="parameter">
            <Table.Td fw={500}>{x.label}</Table.Td>
            <Table.Td>{x.words}</Table.Td>
            <Table.Td>
              <Badge variant={x.source === 'default' ? 'outline' : 'light'} color={x.source === 'profile' ? 'chorus' : 'gray'}>
                {SOURCE_WORDS[x.source]}
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Details({ p }: { p: ProfileUsageDetail }) {
  const look = STATE_LOOK[p.state.state];
  return (
    <Stack gap="lg">
      <Block title="State">
        <Text size="sm">
          <Badge color={look.color} variant="light" mr={6}>
            {look.dot} {p.state.label}
          </Badge>
          {p.state.reason}
        </Text>
        <NextSend p={p} />
      </Block>
      <Block title="Sent and received">
        <UsageTable p={p} />
      </Block>
      <Block title="Limits">
        <CapsTable p={p} />
      </Block>
      <Block title="Pacing now">
        <PacingBlock p={p} />
      </Block>
      <Block title="Every setting and where it comes from">
        <ParametersTable p={p} />
      </Block>
      <Block title="Weight">
        <Text size="sm">
          Weight {formatNumber(Math.round(p.weight.weight * 100) / 100)} ({p.weight.source === 'manual' ? 'set by hand' : 'measured'}): {Math.round(p.weight.share * 100)} % of the
          weighted strategy&apos;s draws — {p.weight.explanation}
        </Text>
      </Block>
      <Block title="Health and warm-up">
        <Text size="sm">
          Health {p.health.score}/100, {p.health.state}
          {p.health.sentence ? ` — ${p.health.sentence}` : ''}
        </Text>
        <Text size="sm">{p.warmup ? `Warm-up day ${p.warmup.day}: ${p.warmup.reason}` : 'Not warming up.'}</Text>
      </Block>
    </Stack>
  );
}

/** Everything about one profile in one package: usage, limits in force and why, pacing, settings and their sources, weight. */
export function ProfileDrawer({ packageId, profileId, onClose }: { packageId: string | null; profileId: string | null; onClose(): void }) {
  const usage = usePackageUsage(packageId);
  const p = usage.data?.profiles.find((x) => x.profileId === profileId);
  return (
    <Drawer opened={packageId !== null} onClose={onClose} position="right" size="xl" title={<Text fw={600}>{p ? `${p.name} in ${usage.data!.name}` : 'Profile'}</Text>}>
      {usage.isError ? (
        <ErrorAlert error={usage.error} onRetry={() => void usage.refetch()} />
      ) : !usage.data ? (
        <Stack>
          <Skeleton h={24} />
          <Skeleton h={160} />
          <Skeleton h={240} />
        </Stack>
      ) : p ? (
        <Details p={p} />
      ) : (
        <Text c="dimmed">This profile is no longer in the package.</Text>
      )}
    </Drawer>
  );
}
