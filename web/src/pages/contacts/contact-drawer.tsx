import { useEffect, useState } from 'react';
import {
  Alert, Badge, Button, Divider, Drawer, Group, SimpleGrid, Skeleton, Stack, Switch, TagsInput, Text, TextInput, Textarea, Title,
} from '@mantine/core';
import { IconAlertTriangle, IconTrash } from '@tabler/icons-react';
import { useContact, useContactFields, useDeleteContact, useOptOut, useUpdateContact } from '../../api/contacts.ts';
import type { ContactDetail, FieldValue, Me } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldTitleOf, formatDateTime, formatFieldValue, formatNumber } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';
import { ConsentBadge, OptOutBadge } from './contact-badges.tsx';
import { ContactLists } from './contact-lists.tsx';
import { parseFieldInput } from './field-values.ts';

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap="xs">
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.04em' }}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

function ContactEditor({ contact, me, onDeleted }: { contact: ContactDetail; me: Me; onDeleted(): void }) {
  const fields = useContactFields();
  const update = useUpdateContact(contact.id);
  const optOut = useOptOut(contact.id);
  const canWrite = can(me, 'contacts:write');
  const canConsent = can(me, 'contacts:consent');
  const inputVariant = canWrite ? 'default' : 'filled';

  const [name, setName] = useState(contact.name ?? '');
  const [labels, setLabels] = useState(contact.labels);
  const [consent, setConsent] = useState(contact.consent);
  const [values, setValues] = useState<Record<string, string>>({});
  const [confirm, setConfirm] = useState<'opt-out' | 'opt-in' | null>(null);
  const [reason, setReason] = useState('');
  const deleting = useConfirmedMutation(useDeleteContact(), {
    variables: (c: ContactDetail) => c.id,
    succeeded: () => 'Contact deleted',
    failed: 'Could not delete the contact',
    onDone: onDeleted,
  });

  const reset = () => {
    setName(contact.name ?? '');
    setLabels(contact.labels);
    setConsent(contact.consent);
    setValues(Object.fromEntries(Object.entries(contact.fields).map(([k, v]) => [k, formatFieldValue(v)])));
  };
  // A saved or refetched contact replaces what the form shows.
  useEffect(reset, [contact]);

  // Every workspace field is offered, plus any key this contact has that is not registered.
  const keys = [...new Set([...(fields.data ?? []).map((f) => f.key), ...Object.keys(contact.fields)])];

  const dirty =
    name !== (contact.name ?? '') ||
    consent !== contact.consent ||
    labels.join('\u0000') !== contact.labels.join('\u0000') ||
    keys.some((k) => (values[k] ?? '') !== formatFieldValue(contact.fields[k]));

  const save = () => {
    const nextFields: Record<string, FieldValue> = {};
    for (const k of keys) nextFields[k] = parseFieldInput(values[k] ?? '', fields.data?.find((f) => f.key === k)?.type, contact.fields[k]);
    update.mutate(
      {
        name: name.trim() || null,
        labels,
        fields: nextFields,
        ...(consent !== contact.consent ? { consent, ...(consent ? { consentSource: 'dashboard' } : {}) } : {}),
      },
      { onSuccess: () => notifySuccess('Contact saved'), onError: (e) => notifyError(e, 'Could not save the contact') },
    );
  };

  const runOptOut = (optedOut: boolean) =>
    optOut.mutate(
      { optedOut, reason: reason.trim() || undefined },
      {
        onSuccess: () => {
          setConfirm(null);
          setReason('');
          notifySuccess(optedOut ? 'Contact opted out: they will receive no campaign messages' : 'Contact opted back in');
        },
        onError: (e) => notifyError(e),
      },
    );

  return (
    <Stack gap="lg">
      <Group gap="xs">
        <ConsentBadge contact={contact} />
        <OptOutBadge contact={contact} />
        {contact.workflowStatus && <Badge variant="outline">{contact.workflowStatus}</Badge>}
      </Group>

      {contact.optedOutAt && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Opted out">
          Since {formatDateTime(contact.optedOutAt)}
          {contact.optOutReason ? ` — “${contact.optOutReason}”` : ''}. Campaigns skip this contact.
        </Alert>
      )}

      <Section title="Profile">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} readOnly={!canWrite} variant={inputVariant} />
        <TagsInput
          label="Labels"
          placeholder={canWrite ? 'Type a label and press Enter' : undefined}
          value={labels}
          onChange={setLabels}
          readOnly={!canWrite}
          variant={inputVariant}
          clearable={canWrite}
        />
        <Switch
          label="Consented to receive marketing messages"
          description={contact.consentAt ? `Recorded ${formatDateTime(contact.consentAt)}${contact.consentSource ? ` from ${contact.consentSource}` : ''}` : 'Without consent, campaigns skip this contact'}
          checked={consent}
          onChange={(e) => setConsent(e.currentTarget.checked)}
          disabled={!canWrite}
        />
      </Section>

      <Section title="Custom fields">
        {fields.isPending ? (
          <Skeleton height={36} />
        ) : keys.length === 0 ? (
          <Text size="sm" c="dimmed">
            No custom fields yet. Columns of imported spreadsheets become fields here.
          </Text>
        ) : (
          <SimpleGrid cols={2} spacing="sm">
            {keys.map((k) => (
              <TextInput
                key={k}
                label={fieldTitleOf(k, fields.data)}
                description={`{{${k}}}`}
                inputWrapperOrder={['label', 'input', 'description']}
                value={values[k] ?? ''}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setValues((prev) => ({ ...prev, [k]: v }));
                }}
                readOnly={!canWrite}
                variant={inputVariant}
              />
            ))}
          </SimpleGrid>
        )}
      </Section>

      {canWrite && (
        <Group justify="flex-end">
          <Button variant="default" disabled={!dirty} onClick={reset}>
            Reset
          </Button>
          <Button disabled={!dirty} loading={update.isPending} onClick={save}>
            Save changes
          </Button>
        </Group>
      )}

      <Divider />

      <Section title="Lists">
        <ContactLists contact={contact} canEdit={can(me, 'lists:write')} />
      </Section>

      <Section title="Messages">
        {canConsent ? (
          <Switch
            color="red"
            label="Opted out of messages"
            description="Opted-out contacts never receive campaign messages. The change is recorded in the audit log."
            checked={!!contact.optedOutAt}
            onChange={(e) => setConfirm(e.currentTarget.checked ? 'opt-out' : 'opt-in')}
          />
        ) : (
          <Text size="sm">{contact.optedOutAt ? 'Opted out' : 'Receives messages'}</Text>
        )}
      </Section>

      <Section title="Activity">
        <SimpleGrid cols={2} spacing="sm">
          <Fact label="Added" value={formatDateTime(contact.createdAt)} />
          <Fact label="Last updated" value={formatDateTime(contact.updatedAt)} />
          <Fact label="Last interaction" value={formatDateTime(contact.lastInteractionAt)} />
          <Fact label="Conversations" value={formatNumber(contact.conversationCount)} />
        </SimpleGrid>
      </Section>

      {canWrite && (
        <>
          <Divider />
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              Deleting removes the contact from every list.
            </Text>
            <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => deleting.ask(contact)}>
              Delete contact
            </Button>
          </Group>
        </>
      )}

      <ConfirmModal
        {...deleting.modal}
        title="Delete this contact?"
        message={`${contact.name ?? contact.phone} will be removed from Chorus and from every list. This cannot be undone.`}
        confirmLabel="Delete contact"
        danger
      />
      <ConfirmModal
        opened={confirm === 'opt-out'}
        title="Opt this contact out?"
        message="They will receive no campaign messages until they are opted back in."
        confirmLabel="Opt out"
        danger
        loading={optOut.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() => runOptOut(true)}
      >
        <Textarea label="Reason" placeholder="e.g. Asked by phone not to be contacted" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
      </ConfirmModal>
      <ConfirmModal
        opened={confirm === 'opt-in'}
        title="Opt this contact back in?"
        message="Only do this when the person asked to receive messages again. The change is audited."
        confirmLabel="Opt back in"
        loading={optOut.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() => runOptOut(false)}
      />
    </Stack>
  );
}

export function ContactDrawer({ contactId, me, onClose }: { contactId: string | null; me: Me; onClose(): void }) {
  const contact = useContact(contactId);
  return (
    <Drawer
      opened={!!contactId}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        contact.data ? (
          <div>
            <Title order={3}>{contact.data.name || contact.data.phone}</Title>
            <Text size="sm" c="dimmed" ff="monospace">
              {contact.data.phone}
            </Text>
          </div>
        ) : (
          <Skeleton height={28} width={200} />
        )
      }
    >
      {contact.isPending && contactId && (
        <Stack>
          <Skeleton height={24} width="40%" />
          <Skeleton height={36} />
          <Skeleton height={36} />
          <Skeleton height={120} />
        </Stack>
      )}
      {contact.isError && <ErrorAlert error={contact.error} />}
      {contact.data && <ContactEditor contact={contact.data} me={me} onDeleted={onClose} />}
    </Drawer>
  );
}
