import { useState } from 'react';
import { Alert, Badge, Button, Code, CopyButton, EmptyState, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey, IconPlus } from '@tabler/icons-react';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../../api/settings.ts';
import type { ApiKey, Role } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ModalForm } from '../../components/modal-form.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { RoleBadge } from '../../components/role-badge.tsx';
import { RowRemoveButton } from '../../components/row-remove-button.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatRelative } from '../../lib/format.ts';
import { roleWords } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';
import { RoleSelect } from './role-select.tsx';

function CreateKeyModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('supervisor');
  const created = create.data;

  const close = () => {
    setName('');
    setRole('supervisor');
    create.reset();
    onClose();
  };
  const submit = () => create.mutate({ name: name.trim(), role });

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{created ? 'Your new API key' : 'Create an API key'}</Text>} centered size="lg" closeOnClickOutside={!created}>
      {created ? (
        <Stack>
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Copy it now">
            This is the only time the key is shown. Chorus keeps only a fingerprint of it; if you lose it, revoke it and create another.
          </Alert>
          <Group gap="xs" wrap="nowrap">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="new-api-key">
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button onClick={copy} variant={copied ? 'light' : 'filled'} leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer {created.prefix}…</Code>. It acts as a {roleWords[created.role].label.toLowerCase()}.
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>I have copied it</Button>
          </Group>
        </Stack>
      ) : (
        <ModalForm mutation={create} errorTitle="Could not create the key" submitLabel="Create key" submitDisabled={!name.trim()} onSubmit={submit} onCancel={close}>
          <TextInput label="Name" description="Where it is used, e.g. “CRM sync”" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <RoleSelect label="Role" description={roleWords[role].description} value={role} onChange={setRole} />
        </ModalForm>
      )}
    </Modal>
  );
}

export function ApiKeysSettings() {
  const keys = useApiKeys();
  const [creating, setCreating] = useState(false);
  const revoking = useConfirmedMutation(useRevokeApiKey(), {
    variables: (k: ApiKey) => k.id,
    succeeded: (k) => `Key ${k.name} revoked`,
    failed: 'Could not revoke the key',
  });

  const table = (rows: ApiKey[]) => (
    <ScrollTable
      miw={720}
      head={
        <>
          <Table.Th>Name</Table.Th>
          <Table.Th>Key</Table.Th>
          <Table.Th>Role</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th>Last used</Table.Th>
          <Table.Th w={48} />
        </>
      }
    >
      {rows.map((k) => (
        <Table.Tr key={k.id} opacity={k.revokedAt ? 0.55 : 1}>
          <Table.Td fw={500} fz="sm">
            {k.name}
            {k.revokedAt && (
              <Badge ml="xs" color="red" variant="light" size="sm">
                Revoked
              </Badge>
            )}
          </Table.Td>
          <Table.Td>
            <Code>{k.prefix}…</Code>
          </Table.Td>
          <Table.Td>
            <RoleBadge role={k.role} />
          </Table.Td>
          <Table.Td fz="sm" c="dimmed">
            {formatDate(k.createdAt)}
          </Table.Td>
          <Table.Td fz="sm" c="dimmed">
            {formatRelative(k.lastUsedAt)}
          </Table.Td>
          <Table.Td>
            {!k.revokedAt && <RowRemoveButton tooltip="Revoke" label={`Revoke ${k.name}`} onClick={() => revoking.ask(k)} />}
          </Table.Td>
        </Table.Tr>
      ))}
    </ScrollTable>
  );

  return (
    <>
      <Paper withBorder>
        <Group justify="space-between" p="md">
          <div>
            <Text fw={600}>API keys</Text>
            <Text size="sm" c="dimmed">
              For integrations: send <Code>Authorization: Bearer &lt;key&gt;</Code>. The API reference is at <Code>/api/docs</Code>.
            </Text>
          </div>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            Create key
          </Button>
        </Group>
        <QueryTable
          query={keys}
          loadingColumns={5}
          loadingRows={3}
          empty={
            <EmptyState
              py={48}
              icon={<IconKey size={28} />}
              title="No API keys"
              description="Keys let your other systems use the Chorus API, each with a role that limits what it can do."
            />
          }
        >
          {table}
        </QueryTable>
      </Paper>
      <CreateKeyModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmModal
        {...revoking.modal}
        title="Revoke this key?"
        message={`Integrations using “${revoking.target?.name ?? ''}” stop working at once. This cannot be undone.`}
        confirmLabel="Revoke key"
        danger
      />
    </>
  );
}
