import { useState } from 'react';
import { Avatar, Button, Group, Modal, Paper, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useAddMember, useChangeRole, useMembers, useRemoveMember } from '../../api/settings.ts';
import type { Me, Member, Role } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ModalForm } from '../../components/modal-form.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { RoleBadge } from '../../components/role-badge.tsx';
import { RowRemoveButton } from '../../components/row-remove-button.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can, roleWords } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';
import { RoleSelect } from './role-select.tsx';

function AddMemberModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const add = useAddMember();
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role, password: '' });
  const close = () => {
    setForm({ email: '', name: '', role: 'agent', password: '' });
    add.reset();
    onClose();
  };
  const submit = () =>
    add.mutate(
      { email: form.email, role: form.role, ...(form.name.trim() ? { name: form.name.trim() } : {}), ...(form.password ? { password: form.password } : {}) },
      {
        onSuccess: (m) => {
          notifySuccess(`${m.name} joined as ${roleWords[m.role].label.toLowerCase()}`, 'Member added');
          close();
        },
      },
    );
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Add a member</Text>} centered>
      <ModalForm mutation={add} errorTitle="Could not add the member" submitLabel="Add member" onSubmit={submit} onCancel={close}>
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
      </ModalForm>
    </Modal>
  );
}

export function MembersSettings({ me }: { me: Me }) {
  const members = useMembers();
  const changeRole = useChangeRole();
  const canManage = can(me, 'members:manage');
  const [adding, setAdding] = useState(false);
  const removing = useConfirmedMutation(useRemoveMember(), {
    variables: (m: Member) => m.userId,
    succeeded: (m) => `${m.name} was removed`,
    failed: 'Could not remove the member',
  });

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {(Object.keys(roleWords) as Role[]).map((r) => (
          <Paper key={r} withBorder p="md">
            <RoleBadge role={r} />
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
        <QueryTable query={members} loadingColumns={4} loadingRows={3}>
          {(rows) => (
            <ScrollTable
              miw={640}
              head={
                <>
                  <Table.Th>Member</Table.Th>
                  <Table.Th w={220}>Role</Table.Th>
                  <Table.Th>Added</Table.Th>
                  <Table.Th w={48} />
                </>
              }
            >
              {rows.map((m) => (
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
                      <RoleBadge role={m.role} />
                    )}
                  </Table.Td>
                  <Table.Td c="dimmed" fz="sm">
                    {formatDate(m.createdAt)}
                  </Table.Td>
                  <Table.Td>
                    {canManage && <RowRemoveButton tooltip="Remove from workspace" label={`Remove ${m.name}`} onClick={() => removing.ask(m)} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </ScrollTable>
          )}
        </QueryTable>
      </Paper>
      <AddMemberModal opened={adding} onClose={() => setAdding(false)} />
      <ConfirmModal
        {...removing.modal}
        title="Remove this member?"
        message={`${removing.target?.name ?? 'They'} will lose access to ${me.workspace.name} at once. Their account stays, and you can add them again later.`}
        confirmLabel="Remove"
        danger
      />
    </Stack>
  );
}
