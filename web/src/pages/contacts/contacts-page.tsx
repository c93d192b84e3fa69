import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Badge, Button, EmptyState, Group, Paper, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAddressBook, IconFileImport, IconFilterOff, IconPlus } from '@tabler/icons-react';
import { useContactFields, useContacts, type ContactFilters } from '../../api/contacts.ts';
import { useLists } from '../../api/lists.ts';
import type { Contact, Me } from '../../api/types.ts';
import { FirstUseState } from '../../components/first-use-state.tsx';
import { LoadMoreButton } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { fieldTitle, formatFieldValue, formatNumber, formatRelative } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { LabelBadges, ReachCells } from './contact-badges.tsx';
import { ContactDrawer } from './contact-drawer.tsx';
import { ContactFiltersBar, hasFilters } from './contact-filters.tsx';
import { NewContactModal } from './new-contact-modal.tsx';

const FILTER_KEYS = ['search', 'label', 'listId', 'field', 'value', 'consent', 'optedOut'] as const;
const MAX_FIELD_COLUMNS = 3;

export function ContactsPage({ me }: { me: Me }) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f: ContactFilters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) (f as Record<string, string>)[k] = v;
    }
    return f;
  }, [params]);
  const openId = params.get('contact');

  const setFilters = (next: ContactFilters) => {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) if (next[k]) p.set(k, next[k]);
    setParams(p, { replace: true });
  };
  const openContact = (id: string | null) => {
    const p = new URLSearchParams(params);
    if (id) p.set('contact', id);
    else p.delete('contact');
    setParams(p);
  };

  const contacts = useContacts(filters);
  const fields = useContactFields();
  const lists = useLists();
  const [creating, createModal] = useDisclosure(false);
  const canWrite = can(me, 'contacts:write');
  const canImport = can(me, 'imports:write');

  const fieldColumns = (fields.data ?? []).slice(0, MAX_FIELD_COLUMNS);
  const filtered = hasFilters(filters);
  const listName = filters.listId ? lists.data?.find((l) => l.id === filters.listId)?.name : undefined;

  const actions = (
    <>
      {canImport && (
        <Button component={Link} to="/imports/new" variant="default" leftSection={<IconFileImport size={16} />}>
          Import
        </Button>
      )}
      {canWrite && (
        <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
          New contact
        </Button>
      )}
    </>
  );

  const empty = filtered ? (
    <EmptyState
      py={56}
      icon={<IconFilterOff size={28} />}
      title="No contacts match these filters"
      description="Try another search or clear the filters to see everyone."
    >
      <EmptyState.Actions>
        <Button variant="default" onClick={() => setFilters({})}>
          Clear filters
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  ) : (
    <FirstUseState
      py={64}
      icon={<IconAddressBook size={32} />}
      title="No contacts yet — import a spreadsheet"
      description="Bring in a CSV or Excel file: Chorus finds the phone, name and consent columns and keeps every other column as a variable for your messages."
      action={
        <>
          {canImport && (
            <Button component={Link} to="/imports/new" leftSection={<IconFileImport size={16} />}>
              Import a spreadsheet
            </Button>
          )}
          {canWrite && (
            <Button variant="default" leftSection={<IconPlus size={16} />} onClick={createModal.open}>
              Add one contact
            </Button>
          )}
        </>
      }
    />
  );
  const table = (rows: Contact[]) => (
    <>
      <ScrollTable
        highlightOnHover
        miw={900}
        data-testid="contacts-table"
        head={
          <>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Name</Table.Th>
            {fieldColumns.map((f) => (
              <Table.Th key={f.key} className="nowrap">
                {fieldTitle(f)}
              </Table.Th>
            ))}
            <Table.Th>Labels</Table.Th>
            <Table.Th>Consent</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th className="nowrap">Added</Table.Th>
          </>
        }
      >
        {rows.map((c) => (
          <Table.Tr key={c.id} className="clickable-row" onClick={() => openContact(c.id)} data-testid="contact-row">
            <Table.Td className="nowrap" ff="monospace" fz="sm">
              {c.phone}
            </Table.Td>
            <Table.Td fw={500}>{c.name || <Text span c="dimmed" size="sm">No name</Text>}</Table.Td>
            {fieldColumns.map((f) => (
              <Table.Td key={f.key} fz="sm">
                {formatFieldValue(c.fields[f.key])}
              </Table.Td>
            ))}
            <Table.Td>
              <LabelBadges labels={c.labels} />
            </Table.Td>
            <ReachCells contact={c} />
            <Table.Td className="nowrap" fz="sm" c="dimmed">
              {formatRelative(c.createdAt)}
            </Table.Td>
          </Table.Tr>
        ))}
      </ScrollTable>
      <Group justify="space-between" px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
        <Text size="sm" c="dimmed">
          Showing {formatNumber(rows.length)} {rows.length === 1 ? 'contact' : 'contacts'}
          {contacts.hasNextPage ? ' — more below' : ''}
        </Text>
        <LoadMoreButton query={contacts} />
      </Group>
    </>
  );

  return (
    <>
      <PageHeader
        title={
          <Group gap="sm">
            Contacts
            {listName && (
              <Badge size="lg" variant="light">
                List: {listName}
              </Badge>
            )}
          </Group>
        }
        description="Everyone you can reach, with the custom fields you can use as {{variables}} in messages."
        actions={actions}
      />
      <ContactFiltersBar filters={filters} onChange={setFilters} lists={lists.data ?? []} fields={fields.data ?? []} />
      <Paper withBorder>
        <QueryTable query={contacts} loadingColumns={6 + fieldColumns.length} empty={empty} errorInset>
          {table}
        </QueryTable>
      </Paper>
      <ContactDrawer contactId={openId} me={me} onClose={() => openContact(null)} />
      <NewContactModal opened={creating} onClose={createModal.close} onCreated={(id) => openContact(id)} />
    </>
  );
}
