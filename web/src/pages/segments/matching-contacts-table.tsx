import { Table, Text } from '@mantine/core';
import type { Contact, ContactField } from '../../api/types.ts';
import { fieldTitleOf, formatFieldValue } from '../../lib/format.ts';
import { LabelBadges, ReachCells } from '../contacts/contact-badges.tsx';

interface Props {
  contacts: Contact[];
  /** Custom fields shown as columns: the ones the conditions look at say most about why a contact is in. */
  fieldKeys: string[];
  fields: ContactField[];
  /** Adds consent and opt-out, which decide whether a campaign can reach the contact. */
  withReach?: boolean;
  onOpen?: (contact: Contact) => void;
  testId: string;
}

/** Contacts in (or matching) a segment: who they are, their labels and the fields the segment is about. */
export function MatchingContactsTable({ contacts, fieldKeys, fields, withReach, onOpen, testId }: Props) {
  return (
    <Table data-testid={testId} highlightOnHover={!!onOpen} verticalSpacing={withReach ? 'sm' : 6} horizontalSpacing={withReach ? 'md' : 'xs'} fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Contact</Table.Th>
          <Table.Th>Labels</Table.Th>
          {fieldKeys.map((k) => (
            <Table.Th key={k}>{fieldTitleOf(k, fields)}</Table.Th>
          ))}
          {withReach && (
            <>
              <Table.Th>Consent</Table.Th>
              <Table.Th>Status</Table.Th>
            </>
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {contacts.map((c) => (
          <Table.Tr key={c.id} data-testid={`${testId}-row`} className={onOpen ? 'clickable-row' : undefined} onClick={onOpen && (() => onOpen(c))}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {c.name || 'No name'}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {c.phone}
              </Text>
            </Table.Td>
            <Table.Td>
              <LabelBadges labels={c.labels} max={withReach ? 3 : 2} />
            </Table.Td>
            {fieldKeys.map((k) => (
              <Table.Td key={k}>{formatFieldValue(c.fields[k])}</Table.Td>
            ))}
            {withReach && <ReachCells contact={c} />}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The columns for a segment's custom fields: those its conditions use first, then the workspace's first ones. */
export function fieldColumns(criteriaKeys: string[], fields: ContactField[], max: number): string[] {
  return [...new Set([...criteriaKeys, ...fields.map((f) => f.key)])].slice(0, max);
}
