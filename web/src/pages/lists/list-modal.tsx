import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useSaveList } from '../../api/lists.ts';
import type { ContactList } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifySuccess } from '../../lib/notify.ts';

/** Create a list (no `list`) or rename one. */
export function ListModal({ opened, list, onClose }: { opened: boolean; list: ContactList | null; onClose(): void }) {
  const save = useSaveList();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  useEffect(() => {
    if (opened) {
      setName(list?.name ?? '');
      setDescription(list?.description ?? '');
      save.reset();
    }
    // Only when the modal opens: `save` is a new object on every render.
  }, [opened, list]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { ...(list ? { id: list.id } : {}), name: name.trim(), description: description.trim() || undefined },
      {
        onSuccess: (l) => {
          notifySuccess(list ? `Renamed to ${l.name}` : `List ${l.name} created`);
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{list ? 'Edit list' : 'New list'}</Text>} centered>
      <form onSubmit={submit}>
        <Stack>
          {save.isError && <ErrorAlert error={save.error} title="Could not save the list" />}
          <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea label="Description" placeholder="Optional" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
              {list ? 'Save' : 'Create list'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
