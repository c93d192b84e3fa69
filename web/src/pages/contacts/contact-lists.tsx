import { useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { Badge, Button, CloseButton, Group, Select, Skeleton, Text } from '@mantine/core';
import { api } from '../../api/client.ts';
import { useListMembership, useLists } from '../../api/lists.ts';
import type { Contact, Page } from '../../api/types.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';

const MAX_LISTS_CHECKED = 50;

/**
 * The lists a contact belongs to. The API has no "lists of a contact" route, so each list is asked
 * whether it holds this phone (one small query per list, capped).
 */
export function ContactLists({ contact, canEdit }: { contact: Contact; canEdit: boolean }) {
  const lists = useLists();
  const membership = useListMembership();
  const [adding, setAdding] = useState<string | null>(null);
  const candidates = (lists.data ?? []).slice(0, MAX_LISTS_CHECKED);
  const digits = contact.phone.replace(/\D/g, '');
  const checks = useQueries({
    queries: candidates.map((l) => ({
      queryKey: ['contacts', 'in-list', l.id, contact.id],
      queryFn: () => api.get<Page<Contact>>('/contacts', { listId: l.id, search: digits, limit: 5 }),
      select: (p: Page<Contact>) => p.items.some((c) => c.id === contact.id),
    })),
  });
  if (lists.isPending || checks.some((q) => q.isPending)) return <Skeleton height={24} width="60%" />;
  const memberOf = candidates.filter((_, i) => checks[i]?.data === true);
  const others = (lists.data ?? []).filter((l) => !memberOf.includes(l));

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
