import { useEffect, useState } from 'react';
import { Modal, Text, TextInput, Textarea } from '@mantine/core';
import { useSaveList } from '../../api/lists.ts';
import type { ContactList } from '../../api/types.ts';
import { ModalForm } from '../../components/modal-form.tsx';
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

  const submit = () =>
    save.mutate(
      { ...(list ? { id: list.id } : {}), name: name.trim(), description: description.trim() || undefined },
      {
        onSuccess: (l) => {
          notifySuccess(list ? `Renamed to ${l.name}` : `List ${l.name} created`);
          onClose();
        },
      },
    );

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{list ? 'Edit list' : 'New list'}</Text>} centered>
      <ModalForm
        mutation={save}
        errorTitle="Could not save the list"
        submitLabel={list ? 'Save' : 'Create list'}
        submitDisabled={!name.trim()}
        onSubmit={submit}
        onCancel={onClose}
      >
        <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Textarea label="Description" placeholder="Optional" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
      </ModalForm>
    </Modal>
  );
}
