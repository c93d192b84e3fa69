import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Code, EmptyState, Group, Menu, Paper, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCopy, IconPencil, IconPlus, IconSearch, IconTemplate, IconTrash } from '@tabler/icons-react';
import { useDeleteTemplate, useDuplicateTemplate, useTemplates, type Template } from '../../api/templates.ts';
import type { Me } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FirstUseState } from '../../components/first-use-state.tsx';
import { LoadMoreRow } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { RowActionsMenu } from '../../components/row-actions-menu.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { SearchInput } from '../../components/search-input.tsx';
import { formatRelative } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';
import { TemplateTypeBadge } from './template-types.tsx';

const SHOWN_VARIABLES = 4;

function Variables({ keys }: { keys: string[] }) {
  if (keys.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        None
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {keys.slice(0, SHOWN_VARIABLES).map((k) => (
        <Code key={k}>{`{{${k}}}`}</Code>
      ))}
      {keys.length > SHOWN_VARIABLES && (
        <Text size="xs" c="dimmed">
          +{keys.length - SHOWN_VARIABLES} more
        </Text>
      )}
    </Group>
  );
}

export function TemplatesListPage({ me }: { me: Me }) {
  const navigate = useNavigate();
  const canWrite = can(me, 'templates:write');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const templates = useTemplates(debounced);
  const duplicate = useDuplicateTemplate();
  const deleting = useConfirmedMutation(useDeleteTemplate(), {
    variables: (t: Template) => t.id,
    succeeded: (t) => `Template ${t.name} deleted`,
    failed: 'Could not delete the template',
  });

  const copy = (t: Template) =>
    duplicate.mutate(t.id, {
      onSuccess: (c) => notifySuccess(`Copied as ${c.name}`),
      onError: (e) => notifyError(e, 'Could not duplicate the template'),
    });

  const empty = debounced ? (
    <EmptyState py={48} icon={<IconSearch size={28} />} title="No template matches" description={`No template name contains “${debounced}”.`} />
  ) : (
    <FirstUseState
      icon={<IconTemplate size={32} />}
      title="No templates yet"
      description="A template is a message with {{variables}} from your contacts' fields, fallbacks for missing values and {spintax|variation}, plus an image, video or document if you like."
      action={
        canWrite && (
          <Button component={Link} to="/templates/new" leftSection={<IconPlus size={16} />}>
            Write a template
          </Button>
        )
      }
    />
  );

  const table = (rows: Template[]) => (
    <>
      <ScrollTable
        highlightOnHover
        miw={820}
        data-testid="templates-table"
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Variables</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Updated</Table.Th>
            <Table.Th>Author</Table.Th>
            <Table.Th w={48} />
          </>
        }
      >
        {rows.map((t) => (
          <Table.Tr key={t.id} className="clickable-row" onClick={() => navigate(`/templates/${t.id}`)} data-testid="template-row">
            <Table.Td>
              <Text size="sm" fw={500}>
                {t.name}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={1} maw={320}>
                {t.body || t.media?.fileName}
              </Text>
            </Table.Td>
            <Table.Td>
              <TemplateTypeBadge type={t.type} />
            </Table.Td>
            <Table.Td>
              <Variables keys={t.variables} />
            </Table.Td>
            <Table.Td fz="sm">v{t.version}</Table.Td>
            <Table.Td className="nowrap" fz="sm" c="dimmed">
              {formatRelative(t.updatedAt)}
            </Table.Td>
            <Table.Td fz="sm">{t.createdBy?.name ?? '—'}</Table.Td>
            <RowActionsMenu label={`Actions for ${t.name}`}>
              <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => navigate(`/templates/${t.id}`)}>
                {canWrite ? 'Edit' : 'Open'}
              </Menu.Item>
              {canWrite && (
                <>
                  <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => copy(t)}>
                    Duplicate
                  </Menu.Item>
                  <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => deleting.ask(t)}>
                    Delete
                  </Menu.Item>
                </>
              )}
            </RowActionsMenu>
          </Table.Tr>
        ))}
      </ScrollTable>
      <LoadMoreRow query={templates} />
    </>
  );

  return (
    <>
      <PageHeader
        title="Templates"
        description="Messages with variables, fallbacks and spintax, ready for campaigns. Every change is kept as a version."
        actions={
          canWrite && (
            <Button component={Link} to="/templates/new" leftSection={<IconPlus size={16} />}>
              New template
            </Button>
          )
        }
      />
      <SearchInput label="Search templates" placeholder="Search by name" value={search} onChange={setSearch} mb="md" maw={360} />
      <Paper withBorder>
        <QueryTable query={templates} loadingColumns={7} loadingRows={4} empty={empty} errorInset>
          {table}
        </QueryTable>
      </Paper>
      <ConfirmModal
        {...deleting.modal}
        title="Delete this template?"
        message={`${deleting.target?.name ?? 'The template'} will no longer be offered for new campaigns. Campaigns that already use it keep their version.`}
        confirmLabel="Delete template"
        danger
      />
    </>
  );
}
