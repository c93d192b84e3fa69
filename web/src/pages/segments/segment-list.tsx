import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, EmptyState, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilter, IconPlus, IconSearchOff } from '@tabler/icons-react';
import { useSegments, type Segment } from '../../api/segments.ts';
import type { Me } from '../../api/types.ts';
import { FirstUseState } from '../../components/first-use-state.tsx';
import { LoadMoreRow } from '../../components/load-more.tsx';
import { SearchInput } from '../../components/search-input.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { KindBadge, whenWords } from './segment-words.tsx';

function CountCell({ s }: { s: Segment }) {
  if (s.lastCount === null) return <Text size="sm" c="dimmed">Not counted yet</Text>;
  return (
    <>
      <Text size="sm" fw={500}>
        {formatNumber(s.lastCount)}
        {s.lastReachable !== null && (
          <Text span size="xs" c="dimmed" fw={400}>
            {' '}· {formatNumber(s.lastReachable)} reachable
          </Text>
        )}
      </Text>
      <Tooltip label={formatDateTime(s.lastCountedAt)}>
        <Text size="xs" c="dimmed" span>
          counted {whenWords(s.lastCountedAt)}
        </Text>
      </Tooltip>
    </>
  );
}

export function SegmentList({ me }: { me: Me }) {
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const segments = useSegments(debounced);
  const canWrite = can(me, 'segments:write');

  const newButton = canWrite && (
    <Button component={Link} to="/segments/new" leftSection={<IconPlus size={16} />}>
      New segment
    </Button>
  );
  const empty = debounced ? (
    <EmptyState py={48} icon={<IconSearchOff size={28} />} title="No segment matches this search" description="Try another part of its name." />
  ) : (
    <FirstUseState
      icon={<IconFilter size={32} />}
      title="No segments yet"
      description="A segment picks contacts by their labels, fields, activity and lists — for example everyone labelled VIP in Bandung — and counts them as you build it."
      action={newButton}
    />
  );

  const table = (rows: Segment[]) => (
    <>
      <ScrollTable
        highlightOnHover
        miw={760}
        data-testid="segments-table"
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Contacts</Table.Th>
            <Table.Th>Membership</Table.Th>
            <Table.Th>Created</Table.Th>
          </>
        }
      >
        {rows.map((s) => (
          <Table.Tr key={s.id} className="clickable-row" data-testid="segment-row" onClick={() => navigate(`/segments/${s.id}`)}>
            <Table.Td>
              <Link to={`/segments/${s.id}`} style={{ color: 'inherit', textDecoration: 'none' }} onClick={(e) => e.stopPropagation()}>
                <Text size="sm" fw={500}>
                  {s.name}
                </Text>
              </Link>
              {s.description && (
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {s.description}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <KindBadge kind={s.kind} />
            </Table.Td>
            <Table.Td>
              <CountCell s={s} />
            </Table.Td>
            <Table.Td fz="sm" c="dimmed">
              {s.kind === 'dynamic' ? 'Always current' : s.lastRefreshedAt ? `Taken ${whenWords(s.lastRefreshedAt)}` : 'Not taken yet'}
            </Table.Td>
            <Table.Td fz="sm" c="dimmed" className="nowrap">
              {formatDate(s.createdAt)}
            </Table.Td>
          </Table.Tr>
        ))}
      </ScrollTable>
      <LoadMoreRow query={segments} />
    </>
  );

  return (
    <>
      <PageHeader title="Segments" description="Saved filters over your contacts, combined with AND/OR, to address a campaign." actions={newButton} />
      <Group mb="md">
        <SearchInput label="Search segments" placeholder="Search by name" value={search} onChange={setSearch} w={320} />
      </Group>
      <Paper withBorder>
        <QueryTable query={segments} loadingColumns={5} loadingRows={4} empty={empty} errorInset>
          {table}
        </QueryTable>
      </Paper>
    </>
  );
}
