import { useState, type FormEvent } from 'react';
import {
  ActionIcon, Avatar, Badge, Button, Group, Modal, Paper, PasswordInput, ScrollArea, SimpleGrid, Stack, Table, Text, TextInput, Tooltip,
} from '@mantine/core';
import { IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useAddMember, useChangeRole, useMembers, useRemoveMember } from '../../api/settings.ts';
import type { Me, Member, Role } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TableSkeleton } from '../../components/table-skeleton.tsx';
import { formatDate } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can, roleWords } from '../../lib/permissions.ts';
import { RoleSelect } from './role-select.tsx';

function AddMemberModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const add = useAddMember();
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role, password: '' });
  const close = () => {
    setForm({ email: '', name: '', role: 'agent', password: '' });
    add.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { email: form.email, role: form.role, ...(form.name.trim() ? { name: form.name.trim() } : {}), ...(form.password ? { password: form.password } : {}) },
      {
        onSuccess: (m) => {
          notifySuccess(`${m.name} joined as ${roleWords[m.role].label.toLowerCase()}`, 'Member added');
          close();
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Add a member</Text>} centered>
      <form onSubmit={submit}>
        <Stack>
          {add.isError && <ErrorAlert error={add.error} title="Could not add the member" />}
          <TextInput label="Email" type="email" required data-autofocus value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} />
          <TextInput label="Name" description="Needed when they have no Chorus account yet" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <RoleSelect label="Role" description={roleWords[form.role].description} value={form.role} onChange={(role) => setForm({ ...form, role })} />
          <PasswordInput
            label="Initial password"
            description="For a new account, at least 8 characters. Chorus sends no email: hand it over yourself. Someone who already has an account keeps their own password."
            minLength={8}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add member
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function MembersSettings({ me }: { me: Me }) {
  const members = useMembers();
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const canManage = can(me, 'members:manage');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {(Object.keys(roleWords) as Role[]).map((r) => (
          <Paper key={r} withBorder p="md">
            <Badge variant="light" color={roleWords[r].color}>
              {roleWords[r].label}
            </Badge>
            <Text size="sm" c="dimmed" mt={6}>
              {roleWords[r].description}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Paper withBorder>
        <Group justify="space-between" p="md">
          <Text fw={600}>People in this workspace</Text>
          {canManage && (
            <Button leftSection={<IconUserPlus size={16} />} onClick={() => setAdding(true)}>
              Add member
            </Button>
          )}
        </Group>
        {members.isPending ? (
          <TableSkeleton columns={4} rows={3} />
        ) : members.isError ? (
          <ErrorAlert error={members.error} onRetry={() => void members.refetch()} />
        ) : (
          <ScrollArea>
            <Table miw={640}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th w={220}>Role</Table.Th>
                  <Table.Th>Added</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data.map((m) => (
                  <Table.Tr key={m.userId}>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Avatar radius="xl" size={32} color="chorus">
                          {m.name.slice(0, 1).toUpperCase()}
                        </Avatar>
                        <div>
                          <Text size="sm" fw={500}>
                            {m.name} {m.userId === me.user?.id && <Text span c="dimmed" size="xs">(you)</Text>}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {m.email}
                          </Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {canManage ? (
                        <RoleSelect
                          size="xs"
                          aria-label={`Role of ${m.name}`}
                          value={m.role}
                          onChange={(role) =>
                            changeRole.mutate(
                              { userId: m.userId, role },
                              {
                                onSuccess: () => notifySuccess(`${m.name} is now ${roleWords[role].label.toLowerCase()}`),
                                onError: (e) => notifyError(e, 'Could not change the role'),
                              },
                            )
                          }
                        />
                      ) : (
                        <Badge variant="light" color={roleWords[m.role].color}>
                          {roleWords[m.role].label}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td c="dimmed" fz="sm">
                      {formatDate(m.createdAt)}
                    </Table.Td>
                    <Table.Td>
                      {canManage && (
                        <Tooltip label="Remove from workspace">
                          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${m.name}`} onClick={() => setRemoving(m)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Paper>
      <AddMemberModal opened={adding} onClose={() => setAdding(false)} />
      <ConfirmModal
        opened={!!removing}
        title="Remove this member?"
        message={`${removing?.name ?? 'They'} will lose access to ${me.workspace.name} at once. Their account stays, and you can add them again later.`}
        confirmLabel="Remove"
        danger
        loading={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.userId, {
            onSuccess: () => {
              notifySuccess(`${removing.name} was removed`);
              setRemoving(null);
            },
            onError: (e) => notifyError(e, 'Could not remove the member'),
          })
        }
      />
    </Stack>
  );
}
