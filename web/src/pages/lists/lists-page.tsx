import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ActionIcon, Button, EmptyState, Menu, Paper, ScrollArea, Table, Text } from '@mantine/core';
import { IconDots, IconListDetails, IconPencil, IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useDeleteList, useLists } from '../../api/lists.ts';
import type { ContactList, Me } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { TableSkeleton } from '../../components/table-skeleton.tsx';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';
import { ListModal } from './list-modal.tsx';

export function ListsPage({ me }: { me: Me }) {
  const lists = useLists();
  const del = useDeleteList();
  const navigate = useNavigate();
  const canWrite = can(me, 'lists:write');
  const [editing, setEditing] = useState<{ list: ContactList | null } | null>(null);
  const [deleting, setDeleting] = useState<ContactList | null>(null);

  let body;
  if (lists.isPending) body = <TableSkeleton columns={4} rows={4} />;
  else if (lists.isError) body = <ErrorAlert error={lists.error} onRetry={() => void lists.refetch()} />;
  else if (lists.data.length === 0)
    body = (
      <EmptyState
        py={56}
        variant="light"
        size="lg"
        icon={<IconListDetails size={32} />}
        title="No lists yet"
        description="Lists group contacts for a campaign: create one here, or let an import fill a new list for you."
      >
        {canWrite && (
          <EmptyState.Actions>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ list: null })}>
              Create a list
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    );
  else
    body = (
      <ScrollArea>
        <Table highlightOnHover miw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th ta="right">Contacts</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th w={48} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lists.data.map((l) => (
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
                <Table.Td onClick={(e) => e.stopPropagation()}>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${l.name}`}>
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item leftSection={<IconUsers size={14} />} onClick={() => navigate(`/contacts?listId=${l.id}`)}>
                        View contacts
                      </Menu.Item>
                      {canWrite && (
                        <>
                          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setEditing({ list: l })}>
                            Rename
                          </Menu.Item>
                          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(l)}>
                            Delete
                          </Menu.Item>
                        </>
                      )}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
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
      <Paper withBorder>{body}</Paper>
      <ListModal opened={!!editing} list={editing?.list ?? null} onClose={() => setEditing(null)} />
      <ConfirmModal
        opened={!!deleting}
        title="Delete this list?"
        message={`${deleting?.name ?? 'The list'} will be deleted. Its ${formatNumber(deleting?.memberCount ?? 0)} contacts stay in Chorus.`}
        confirmLabel="Delete list"
        danger
        loading={del.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          del.mutate(deleting.id, {
            onSuccess: () => {
              notifySuccess(`List ${deleting.name} deleted`);
              setDeleting(null);
            },
            onError: (e) => notifyError(e, 'Could not delete the list'),
          })
        }
      />
    </>
  );
}
