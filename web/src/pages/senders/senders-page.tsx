import { useState } from 'react';
import { Badge, Button, Paper, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDeviceMobile, IconPlus, IconStack2 } from '@tabler/icons-react';
import { useLiveSenders, usePauseProfile, useProfiles, useSendersUsage, type Profile } from '../../api/senders.ts';
import type { Me } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FirstUseState } from '../../components/first-use-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';
import { PackageCard } from './package-card.tsx';
import { PackageModal } from './package-modal.tsx';
import { ProfileDrawer } from './profile-drawer.tsx';
import { ProfileModal } from './profile-modal.tsx';

const STATUS_COLOR: Record<Profile['status'], string> = {
  connected: 'chorus',
  linking: 'blue',
  disconnected: 'gray',
  paused: 'yellow',
  limited: 'orange',
  banned: 'red',
};

/** Every profile, in a package or not: a number outside every package sends no open chat. */
function ProfilesTable({ rows, inPackages, canWrite, onEdit }: { rows: Profile[]; inPackages: Set<string>; canWrite: boolean; onEdit(p: Profile): void }) {
  return (
    <ScrollTable
      miw={720}
      data-testid="profiles-table"
      head={
        <>
          <Table.Th>Name</Table.Th>
          <Table.Th>Phone</Table.Th>
          <Table.Th>Transport</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Packages</Table.Th>
          {canWrite && <Table.Th />}
        </>
      }
    >
      {rows.map((p) => (
        <Table.Tr key={p.id}>
          <Table.Td fw={500}>{p.name}</Table.Td>
          <Table.Td>{p.phone ?? '—'}</Table.Td>
          <Table.Td>{p.transport}</Table.Td>
          <Table.Td>
            <Badge color={STATUS_COLOR[p.status]} variant="light">
              {p.status}
            </Badge>
            {p.statusReason && (
              <Text size="xs" c="dimmed">
                {p.statusReason}
              </Text>
            )}
          </Table.Td>
          <Table.Td fz="sm" c={inPackages.has(p.id) ? undefined : 'dimmed'}>
            {inPackages.has(p.id) ? 'in a package' : 'in no package: sends no open chat'}
          </Table.Td>
          {canWrite && (
            <Table.Td>
              <Button size="compact-xs" variant="default" onClick={() => onEdit(p)}>
                Edit
              </Button>
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </ScrollTable>
  );
}

/**
 * `/senders`: every package with each profile's live usage against its caps, its state and why,
 * when it sends next and why it waits; the profiles; forms for both. Live over the WebSocket.
 */
export function SendersPage({ me }: { me: Me }) {
  const usage = useSendersUsage();
  const profiles = useProfiles();
  const live = useLiveSenders();
  const pause = usePauseProfile();
  const canWrite = can(me, 'senders:write');

  const [packageModal, setPackageModal] = useState<{ id: string | null } | null>(null);
  const [profileModal, setProfileModal] = useState<{ profile: Profile | null } | null>(null);
  const [details, setDetails] = useState<{ packageId: string; profileId: string } | null>(null);
  const [reason, setReason] = useState('');
  const pausing = useConfirmedMutation(pause, {
    variables: (p: { id: string; name: string }) => ({ id: p.id, pause: true, reason: reason.trim() || undefined }),
    succeeded: (p) => `${p.name} paused`,
    failed: (p) => `Could not pause ${p.name}`,
  });

  const editProfile = (id: string) => {
    const p = profiles.data?.find((x) => x.id === id);
    if (p) setProfileModal({ profile: p });
  };
  const setPaused = (id: string, name: string, paused: boolean) => {
    if (paused) {
      setReason('');
      pausing.ask({ id, name });
      return;
    }
    pause.mutate({ id, pause: false }, { onSuccess: () => notifySuccess(`${name} resumed`), onError: (e) => notifyError(e, `Could not resume ${name}`) });
  };

  const packages = usage.data?.items ?? [];
  const inPackages = new Set(packages.flatMap((p) => p.profiles.map((m) => m.profileId)));
  const actions = canWrite && (
    <>
      <Button variant="default" leftSection={<IconDeviceMobile size={16} />} onClick={() => setProfileModal({ profile: null })}>
        New profile
      </Button>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setPackageModal({ id: null })}>
        New package
      </Button>
    </>
  );

  return (
    <>
      <PageHeader
        title="Senders"
        description={
          <>
            Your WhatsApp numbers in packages: what each sent and received against its limits, and why it waits.{' '}
            <Text span c={live === 'open' ? 'chorus' : 'dimmed'} size="sm" data-testid="live-status">
              {live === 'open' ? '● Live' : '○ Reconnecting…'}
            </Text>
          </>
        }
        actions={actions}
      />
      <Stack gap="lg">
        {usage.isError ? (
          <ErrorAlert error={usage.error} onRetry={() => void usage.refetch()} />
        ) : !usage.data ? (
          <Skeleton h={220} />
        ) : packages.length === 0 ? (
          <Paper withBorder>
            <FirstUseState
              icon={<IconStack2 size={32} />}
              title="No packages yet"
              description="A package is a pool of WhatsApp numbers that share settings and spread open-chat messages between them so none gets blocked. Add a profile (a number), then a package with it."
              action={actions}
            />
          </Paper>
        ) : (
          packages.map((pkg) => (
            <PackageCard
              key={pkg.packageId}
              pkg={pkg}
              canWrite={canWrite}
              onEdit={() => setPackageModal({ id: pkg.packageId })}
              onEditProfile={editProfile}
              onDetails={(profileId) => setDetails({ packageId: pkg.packageId, profileId })}
              onPause={setPaused}
            />
          ))
        )}
        <Stack gap="xs">
          <Title order={4}>Profiles</Title>
          <Paper withBorder>
            <QueryTable
              query={profiles}
              loadingColumns={canWrite ? 6 : 5}
              loadingRows={3}
              errorInset
              empty={
                <Text size="sm" c="dimmed" p="md">
                  No profiles yet. A profile is one WhatsApp number: on the Cloud API, WhatsApp Web, or the built-in simulator to try things out.
                </Text>
              }
            >
              {(rows) => <ProfilesTable rows={rows} inPackages={inPackages} canWrite={canWrite} onEdit={(p) => setProfileModal({ profile: p })} />}
            </QueryTable>
          </Paper>
        </Stack>
      </Stack>

      <PackageModal opened={packageModal !== null} packageId={packageModal?.id ?? null} onClose={() => setPackageModal(null)} />
      <ProfileModal opened={profileModal !== null} profile={profileModal?.profile ?? null} onClose={() => setProfileModal(null)} />
      <ProfileDrawer packageId={details?.packageId ?? null} profileId={details?.profileId ?? null} onClose={() => setDetails(null)} />
      <ConfirmModal
        {...pausing.modal}
        title={`Pause ${pausing.target?.name ?? ''}`}
        message="No open-chat message leaves this number until it is resumed; reply chat goes on."
        confirmLabel="Pause"
      >
        <TextInput label="Reason" placeholder="Optional: shown with the state" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} />
      </ConfirmModal>
    </>
  );
}
