import { Badge, Group, Table, Tooltip } from '@mantine/core';
import type { Contact } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';

export function ConsentBadge({ contact }: { contact: Contact }) {
  return contact.consent ? (
    <Tooltip label={`Since ${formatDateTime(contact.consentAt)}${contact.consentSource ? ` · ${contact.consentSource}` : ''}`}>
      <Badge color="chorus" variant="light">Consented</Badge>
    </Tooltip>
  ) : (
    <Badge color="gray" variant="light">No consent</Badge>
  );
}

export function OptOutBadge({ contact }: { contact: Contact }) {
  if (!contact.optedOutAt) return <Badge color="blue" variant="dot">Subscribed</Badge>;
  return (
    <Tooltip label={`${formatDateTime(contact.optedOutAt)}${contact.optOutReason ? ` · ${contact.optOutReason}` : ''}`}>
      <Badge color="red" variant="dot">Opted out</Badge>
    </Tooltip>
  );
}

export function LabelBadges({ labels, max = 3 }: { labels: string[]; max?: number }) {
  if (labels.length === 0) return null;
  const shown = labels.slice(0, max);
  return (
    <Group gap={4} wrap="nowrap">
      {shown.map((l) => (
        <Badge key={l} variant="outline" color="gray" fw={500}>
          {l}
        </Badge>
      ))}
      {labels.length > max && (
        <Tooltip label={labels.slice(max).join(', ')}>
          <Badge variant="transparent" color="gray">+{labels.length - max}</Badge>
        </Tooltip>
      )}
    </Group>
  );
}

/** A contact's consent and opt-out as two table cells: whether marketing may reach them, at a glance. */
export function ReachCells({ contact }: { contact: Contact }) {
  return (
    <>
      <Table.Td>
        <ConsentBadge contact={contact} />
      </Table.Td>
      <Table.Td>
        <OptOutBadge contact={contact} />
      </Table.Td>
    </>
  );
}
