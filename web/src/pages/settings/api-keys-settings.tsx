import { useState, type FormEvent } from 'react';
import {
  ActionIcon, Alert, Badge, Button, Code, CopyButton, EmptyState, Group, Modal, Paper, ScrollArea, Stack, Table, Text, TextInput, Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../../api/settings.ts';
import type { ApiKey, Role } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TableSkeleton } from '../../components/table-skeleton.tsx';
import { formatDate, formatRelative } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { roleWords } from '../../lib/permissions.ts';
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), role });
  };

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
        <form onSubmit={submit}>
          <Stack>
            {create.isError && <ErrorAlert error={create.error} title="Could not create the key" />}
            <TextInput label="Name" description="Where it is used, e.g. “CRM sync”" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <RoleSelect label="Role" description={roleWords[role].description} value={role} onChange={setRole} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

export function ApiKeysSettings() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  let body;
  if (keys.isPending) body = <TableSkeleton columns={5} rows={3} />;
  else if (keys.isError) body = <ErrorAlert error={keys.error} onRetry={() => void keys.refetch()} />;
  else if (keys.data.length === 0)
    body = (
      <EmptyState
        py={48}
        icon={<IconKey size={28} />}
        title="No API keys"
        description="Keys let your other systems use the Chorus API, each with a role that limits what it can do."
      />
    );
  else
    body = (
      <ScrollArea>
        <Table miw={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th w={48} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.data.map((k) => (
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
                  <Badge variant="light" color={roleWords[k.role].color}>
                    {roleWords[k.role].label}
                  </Badge>
                </Table.Td>
                <Table.Td fz="sm" c="dimmed">
                  {formatDate(k.createdAt)}
                </Table.Td>
                <Table.Td fz="sm" c="dimmed">
                  {formatRelative(k.lastUsedAt)}
                </Table.Td>
                <Table.Td>
                  {!k.revokedAt && (
                    <Tooltip label="Revoke">
                      <ActionIcon variant="subtle" color="red" aria-label={`Revoke ${k.name}`} onClick={() => setRevoking(k)}>
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
        {body}
      </Paper>
      <CreateKeyModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmModal
        opened={!!revoking}
        title="Revoke this key?"
        message={`Integrations using “${revoking?.name ?? ''}” stop working at once. This cannot be undone.`}
        confirmLabel="Revoke key"
        danger
        loading={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifySuccess(`Key ${revoking.name} revoked`);
              setRevoking(null);
            },
            onError: (e) => notifyError(e, 'Could not revoke the key'),
          })
        }
      />
    </>
  );
}
