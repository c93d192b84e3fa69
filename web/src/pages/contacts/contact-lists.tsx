import { useState } from 'react';
import { Badge, Button, CloseButton, Group, Select, Skeleton, Text } from '@mantine/core';
import { useListMembership, useLists } from '../../api/lists.ts';
import type { ContactDetail } from '../../api/types.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';

/** The lists a contact is in, with adding to and removing from lists. */
export function ContactLists({ contact, canEdit }: { contact: ContactDetail; canEdit: boolean }) {
  const lists = useLists();
  const membership = useListMembership();
  const [adding, setAdding] = useState<string | null>(null);
  if (lists.isPending) return <Skeleton height={24} width="60%" />;
  const memberIds = new Set(contact.lists.map((l) => l.id));
  const memberOf = contact.lists;
  const others = (lists.data ?? []).filter((l) => !memberIds.has(l.id));

  const change = (listId: string, remove: boolean) =>
    membership.mutate(
      { listId, contactIds: [contact.id], remove },
      {
        onSuccess: () => {
          setAdding(null);
          notifySuccess(remove ? 'Removed from the list' : 'Added to the list');
        },
        onError: (e) => notifyError(e),
      },
    );

  return (
    <>
      <Group gap={6} mb={canEdit ? 'sm' : 0}>
        {memberOf.length === 0 && (
          <Text size="sm" c="dimmed">
            Not in any list
          </Text>
        )}
        {memberOf.map((l) => (
          <Badge
            key={l.id}
            variant="light"
            size="lg"
            rightSection={canEdit ? <CloseButton size="xs" aria-label={`Remove from ${l.name}`} onClick={() => change(l.id, true)} /> : undefined}
          >
            {l.name}
          </Badge>
        ))}
      </Group>
      {canEdit && others.length > 0 && (
        <Group gap="xs">
          <Select
            aria-label="Add to list"
            placeholder="Add to a list…"
            data={others.map((l) => ({ value: l.id, label: l.name }))}
            value={adding}
            onChange={setAdding}
            searchable
            size="xs"
            w={220}
          />
          <Button size="xs" variant="default" disabled={!adding} loading={membership.isPending} onClick={() => adding && change(adding, false)}>
            Add
          </Button>
        </Group>
      )}
    </>
  );
}
