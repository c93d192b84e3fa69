import { useState } from 'react';
import { Modal, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useCreateContact } from '../../api/contacts.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { notifySuccess } from '../../lib/notify.ts';

const empty = { phone: '', name: '', labels: [] as string[], consent: false };

export function NewContactModal({ opened, onClose, onCreated }: { opened: boolean; onClose(): void; onCreated(id: string): void }) {
  const create = useCreateContact();
  const [form, setForm] = useState(empty);

  const close = () => {
    setForm(empty);
    create.reset();
    onClose();
  };

  const submit = () =>
    create.mutate(
      {
        phone: form.phone,
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
        labels: form.labels,
        consent: form.consent,
        ...(form.consent ? { consentSource: 'dashboard' } : {}),
      },
      {
        onSuccess: (c) => {
          notifySuccess(`${c.name ?? c.phone} was added`, 'Contact created');
          close();
          onCreated(c.id);
        },
      },
    );

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>New contact</Text>} centered>
      <ModalForm mutation={create} errorTitle="Could not create the contact" submitLabel="Create contact" onSubmit={submit} onCancel={close}>
        <TextInput
          label="Phone number"
          description="With country code (+62 812…) or as dialled in your default country"
          required
          data-autofocus
          value={form.phone}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setForm((f) => ({ ...f, phone: v }));
          }}
        />
        <TextInput
          label="Name"
          value={form.name}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setForm((f) => ({ ...f, name: v }));
          }}
        />
        <TagsInput label="Labels" placeholder="Type a label and press Enter" value={form.labels} onChange={(labels) => setForm((f) => ({ ...f, labels }))} />
        <Switch
          label="They agreed to receive marketing messages"
          checked={form.consent}
          mb="sm"
          onChange={(e) => {
            const consent = e.currentTarget.checked;
            setForm((f) => ({ ...f, consent }));
          }}
        />
      </ModalForm>
    </Modal>
  );
}
