import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Anchor, Button, EmptyState, Group, Paper, ScrollArea, SimpleGrid, Skeleton, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconFilter, IconPencil, IconRefresh, IconTrash, IconUsers } from '@tabler/icons-react';
import { useContactFields } from '../../api/contacts.ts';
import { useDeleteSegment, useRefreshSegment, useSegment, useSegmentContacts, type SegmentDetail } from '../../api/segments.ts';
import type { Me } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { LoadMoreRow } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { StatCard } from '../../components/stat-card.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';
import { customKeysOf } from './criteria-model.ts';
import { fieldColumns, MatchingContactsTable } from './matching-contacts-table.tsx';
import { SegmentForm } from './segment-form.tsx';
import { KindBadge, whenWords } from './segment-words.tsx';

function Stats({ segment }: { segment: SegmentDetail }) {
  const { stats } = segment;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} mb="lg">
      <StatCard group valueTestId="stat-value" label="Contacts" value={stats.total} hint={segment.kind === 'static' ? 'in the snapshot' : 'match right now'} />
      <StatCard group valueTestId="stat-value" label="Reachable" value={stats.reachable} hint="consented and not opted out: a campaign can reach them" />
      <StatCard group valueTestId="stat-value" label="Opted out" value={stats.optedOut} hint="never receive campaign messages" />
      <StatCard group valueTestId="stat-value" label="No consent" value={stats.notConsented} hint="no recorded consent for marketing" />
      <StatCard group valueTestId="stat-value" label="Active last 30 days" value={stats.interactedLast30Days} hint="talked with you in the last 30 days" />
    </SimpleGrid>
  );
}

const CONTACT_FIELD_COLUMNS = 3;

function SegmentContacts({ segment }: { segment: SegmentDetail }) {
  const contacts = useSegmentContacts(segment.id);
  const fields = useContactFields();
  const navigate = useNavigate();
  const keys = fieldColumns(customKeysOf(segment.criteria), fields.data ?? [], CONTACT_FIELD_COLUMNS);
  const empty = <EmptyState py={48} icon={<IconUsers size={28} />} title="No contacts in this segment" description="No contact matches its conditions." />;
  return (
    <Paper withBorder>
      <QueryTable query={contacts} loadingColumns={4 + keys.length} empty={empty} errorInset>
        {(rows) => (
          <>
            <ScrollArea>
              <MatchingContactsTable
                contacts={rows}
                fieldKeys={keys}
                fields={fields.data ?? []}
                withReach
                onOpen={(c) => navigate(`/contacts?contact=${c.id}`)}
                testId="segment-contacts"
              />
            </ScrollArea>
            <LoadMoreRow query={contacts} />
          </>
        )}
      </QueryTable>
    </Paper>
  );
}

/** When the numbers were taken, and for a static segment the way to take them again. */
function Membership({ segment, canWrite }: { segment: SegmentDetail; canWrite: boolean }) {
  const refresh = useRefreshSegment(segment.id);
  if (segment.kind === 'dynamic') {
    return (
      <Text size="sm" c="dimmed" mb="md">
        Dynamic: counted just now, and re-evaluated every time the segment is used.
      </Text>
    );
  }
  const run = () =>
    refresh.mutate(undefined, {
      onSuccess: () => notifySuccess('Membership re-taken with the current conditions'),
      onError: (e) => notifyError(e, 'Could not refresh the segment'),
    });
  return (
    <Group gap="sm" mb="md">
      <Text size="sm" c="dimmed">
        Static: membership frozen{' '}
        <Tooltip label={formatDateTime(segment.lastRefreshedAt)}>
          <Text span inherit data-testid="last-refresh">
            {segment.lastRefreshedAt ? whenWords(segment.lastRefreshedAt) : 'never yet'}
          </Text>
        </Tooltip>
        . Contacts who match since then are not in it until it is refreshed.
      </Text>
      {canWrite && (
        <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} loading={refresh.isPending} onClick={run}>
          Refresh membership
        </Button>
      )}
    </Group>
  );
}

export function SegmentDetailPage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const segment = useSegment(id);
  const canWrite = can(me, 'segments:write');
  const deleting = useConfirmedMutation(useDeleteSegment(), {
    variables: (s: SegmentDetail) => s.id,
    succeeded: (s) => `Segment ${s.name} deleted`,
    failed: 'Could not delete the segment',
    onDone: () => navigate('/segments'),
  });
  const tab = params.get('tab') === 'conditions' ? 'conditions' : 'contacts';

  const back = (
    <Anchor component={Link} to="/segments" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> All segments
      </Group>
    </Anchor>
  );
  if (segment.isError) {
    return (
      <Stack>
        {back}
        <ErrorAlert error={segment.error} onRetry={() => void segment.refetch()} />
      </Stack>
    );
  }
  if (!segment.data) {
    return (
      <Stack aria-busy="true">
        {back}
        <Skeleton height={36} width={320} />
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} height={96} />
          ))}
        </SimpleGrid>
      </Stack>
    );
  }
  const s = segment.data;

  return (
    <>
      {back}
      <PageHeader
        title={
          <Group gap="sm">
            {s.name}
            <KindBadge kind={s.kind} />
          </Group>
        }
        description={s.description ?? undefined}
        actions={
          canWrite && (
            <Button variant="default" color="red" leftSection={<IconTrash size={16} />} onClick={() => deleting.ask(s)}>
              Delete
            </Button>
          )
        }
      />
      <Membership segment={s} canWrite={canWrite} />
      <Stats segment={s} />
      <Tabs value={tab} onChange={(v) => setParams(v === 'conditions' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="contacts" leftSection={<IconUsers size={16} />}>
            Contacts
          </Tabs.Tab>
          <Tabs.Tab value="conditions" leftSection={canWrite ? <IconPencil size={16} /> : <IconFilter size={16} />}>
            {canWrite ? 'Edit conditions' : 'Conditions'}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="contacts">
          <SegmentContacts segment={s} />
        </Tabs.Panel>
        <Tabs.Panel value="conditions">
          <SegmentForm key={s.updatedAt} segment={s} readOnly={!canWrite} />
        </Tabs.Panel>
      </Tabs>
      <ConfirmModal
        {...deleting.modal}
        title="Delete this segment?"
        message={`${deleting.target?.name ?? 'The segment'} will be deleted. Its contacts stay in Chorus.`}
        confirmLabel="Delete segment"
        danger
      />
    </>
  );
}
