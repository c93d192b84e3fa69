import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Menu, Paper, Table, Text } from '@mantine/core';
import { IconListDetails, IconPencil, IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useDeleteList, useLists } from '../../api/lists.ts';
import type { ContactList, Me } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FirstUseState } from '../../components/first-use-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { RowActionsMenu } from '../../components/row-actions-menu.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';
import { ListModal } from './list-modal.tsx';

export function ListsPage({ me }: { me: Me }) {
  const lists = useLists();
  const navigate = useNavigate();
  const canWrite = can(me, 'lists:write');
  const [editing, setEditing] = useState<{ list: ContactList | null } | null>(null);
  const deleting = useConfirmedMutation(useDeleteList(), {
    variables: (l: ContactList) => l.id,
    succeeded: (l) => `List ${l.name} deleted`,
    failed: 'Could not delete the list',
  });

  const empty = (
    <FirstUseState
      icon={<IconListDetails size={32} />}
      title="No lists yet"
      description="Lists group contacts for a campaign: create one here, or let an import fill a new list for you."
      action={
        canWrite && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ list: null })}>
            Create a list
          </Button>
        )
      }
    />
  );
  const table = (rows: ContactList[]) => (
    <ScrollTable
      highlightOnHover
      miw={640}
      head={
        <>
          <Table.Th>Name</Table.Th>
          <Table.Th ta="right">Contacts</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th w={48} />
        </>
      }
    >
      {rows.map((l) => (
        <Table.Tr key={l.id} className="clickable-row" onClick={() => navigate(`/contacts?listId=${l.id}`)}>
          <Table.Td>
            <Text size="sm" fw={500}>
              {l.name}
            </Text>
            {l.description && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {l.description}
              </Text>
            )}
          </Table.Td>
          <Table.Td ta="right">{formatNumber(l.memberCount)}</Table.Td>
          <Table.Td c="dimmed" fz="sm">
            {formatDate(l.createdAt)}
          </Table.Td>
          <RowActionsMenu label={`Actions for ${l.name}`}>
            <Menu.Item leftSection={<IconUsers size={14} />} onClick={() => navigate(`/contacts?listId=${l.id}`)}>
              View contacts
            </Menu.Item>
            {canWrite && (
              <>
                <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setEditing({ list: l })}>
                  Rename
                </Menu.Item>
                <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => deleting.ask(l)}>
                  Delete
                </Menu.Item>
              </>
            )}
          </RowActionsMenu>
        </Table.Tr>
      ))}
    </ScrollTable>
  );

  return (
    <>
      <PageHeader
        title="Lists"
        description="Static groups of contacts, for example everyone from one import."
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ list: null })}>
              New list
            </Button>
          )
        }
      />
      <Paper withBorder>
        <QueryTable query={lists} loadingColumns={4} loadingRows={4} empty={empty}>
          {table}
        </QueryTable>
      </Paper>
      <ListModal opened={!!editing} list={editing?.list ?? null} onClose={() => setEditing(null)} />
      <ConfirmModal
        {...deleting.modal}
        title="Delete this list?"
        message={`${deleting.target?.name ?? 'The list'} will be deleted. Its ${formatNumber(deleting.target?.memberCount ?? 0)} contacts stay in Chorus.`}
        confirmLabel="Delete list"
        danger
      />
    </>
  );
}
