import { useState } from 'react';
import { Badge, Code, EmptyState, Group, Paper, Select, Table, Text, Tooltip } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useAudit } from '../../api/settings.ts';
import type { AuditEntry } from '../../api/types.ts';
import { LoadMoreRow } from '../../components/load-more.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDateTime } from '../../lib/format.ts';

const entityTypes = [
  { value: 'contact', label: 'Contacts' },
  { value: 'list', label: 'Lists' },
  { value: 'import', label: 'Imports' },
  { value: 'member', label: 'Members' },
  { value: 'api_key', label: 'API keys' },
  { value: 'workspace', label: 'Workspace' },
];

function actionColor(action: string) {
  if (/delete|remove|revoke|opt_?out/i.test(action)) return 'red';
  if (/create|add|import|opt_?in/i.test(action)) return 'chorus';
  return 'blue';
}

function Changes({ changes }: { changes: unknown }) {
  if (changes === null || changes === undefined) return <Text size="xs" c="dimmed">—</Text>;
  const text = JSON.stringify(changes);
  return (
    <Tooltip label={<Code block>{JSON.stringify(changes, null, 2)}</Code>} multiline maw={480} withinPortal>
      <Text size="xs" ff="monospace" c="dimmed" truncate maw={360}>
        {text}
      </Text>
    </Tooltip>
  );
}

function Actor({ e }: { e: AuditEntry }) {
  if (e.actorName) return <>{e.actorName}</>;
  if (e.actorApiKeyId) return <>API key</>;
  return <Text span c="dimmed" size="sm">System</Text>;
}

export function AuditLog() {
  const [entityType, setEntityType] = useState<string | null>(null);
  const audit = useAudit(entityType);

  const table = (rows: AuditEntry[]) => (
    <>
      <ScrollTable
        miw={820}
        head={
          <>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Changes</Table.Th>
          </>
        }
      >
        {rows.map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td className="nowrap" fz="sm">
              {formatDateTime(e.createdAt)}
            </Table.Td>
            <Table.Td fz="sm">
              <Actor e={e} />
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={actionColor(e.action)}>
                {e.action}
              </Badge>
            </Table.Td>
            <Table.Td fz="sm">
              {e.entityType}
              {e.entityId && (
                <Text span size="xs" c="dimmed" ff="monospace">
                  {' '}
                  {e.entityId.slice(-8)}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Changes changes={e.changes} />
            </Table.Td>
          </Table.Tr>
        ))}
      </ScrollTable>
      <LoadMoreRow query={audit} />
    </>
  );

  return (
    <Paper withBorder>
      <Group justify="space-between" p="md">
        <div>
          <Text fw={600}>Audit log</Text>
          <Text size="sm" c="dimmed">
            Every change, who made it and when.
          </Text>
        </div>
        <Select aria-label="Show" placeholder="Everything" data={entityTypes} value={entityType} onChange={setEntityType} clearable w={200} />
      </Group>
      <QueryTable
        query={audit}
        loadingColumns={5}
        empty={<EmptyState py={48} icon={<IconHistory size={28} />} title="Nothing recorded yet" description="Changes to contacts, lists, imports, members and keys appear here with who made them." />}
      >
        {table}
      </QueryTable>
    </Paper>
  );
}
