import { useEffect, useState } from 'react';
import { Modal, MultiSelect, NumberInput, Select, SimpleGrid, Skeleton, Text, TextInput, Textarea } from '@mantine/core';
import { formErrors, usePackage, useProfiles, useSavePackage, type PackageCreate } from '../../api/senders.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { notifySuccess } from '../../lib/notify.ts';
import { STRATEGY_WORDS } from './sender-words.ts';
import { SettingsFields, toDraft, toLayer, type LayerDraft } from './settings-fields.tsx';

type Strategy = NonNullable<PackageCreate['strategy']>;
const STRATEGIES = Object.keys(STRATEGY_WORDS) as Strategy[];

/** Fields the modal shows for the API's paths: a message about another one still shows above the form. */
const SHOWN = /^(name|description|strategy|dailyTotal|maxConcurrentSends|profileIds|settings\..+)$/;

/** Create a package (no `packageId`) or change one: rules, shared settings and its profiles in order. */
export function PackageModal({ opened, packageId, onClose }: { opened: boolean; packageId: string | null; onClose(): void }) {
  const save = useSavePackage();
  const current = usePackage(opened ? packageId : null);
  const profiles = useProfiles();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [strategy, setStrategy] = useState<Strategy>('smart');
  const [dailyTotal, setDailyTotal] = useState<number | ''>('');
  const [maxConcurrentSends, setMaxConcurrentSends] = useState<number | ''>(3);
  const [members, setMembers] = useState<string[]>([]);
  const [draft, setDraft] = useState<LayerDraft>(toDraft());
  const pkg = packageId ? current.data : undefined;
  useEffect(() => {
    if (!opened || (packageId && !pkg)) return;
    setName(pkg?.name ?? '');
    setDescription(pkg?.description ?? '');
    setStrategy(pkg?.strategy ?? 'smart');
    setDailyTotal(pkg?.dailyTotal ?? '');
    setMaxConcurrentSends(pkg?.maxConcurrentSends ?? 3);
    setMembers(pkg?.profiles.map((p) => p.profile.id) ?? []);
    setDraft(toDraft(pkg?.settings));
    save.reset();
    // Only when the modal opens or the package arrives: `save` is a new object on every render.
  }, [opened, packageId, pkg]);

  const { errors, mutation } = formErrors(save, SHOWN);

  const submit = () => {
    const input = {
      name: name.trim(),
      description: description.trim() || null,
      strategy,
      dailyTotal: dailyTotal === '' ? null : dailyTotal,
      ...(maxConcurrentSends === '' ? {} : { maxConcurrentSends }),
      settings: toLayer(draft),
    };
    save.mutate(
      { id: packageId, input, profileIds: members },
      {
        onSuccess: (p) => {
          notifySuccess(packageId ? `Package ${p.name} saved` : `Package ${p.name} created`);
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{packageId ? 'Edit package' : 'New package'}</Text>} size="xl">
      {packageId && !pkg ? (
        <Skeleton h={320} />
      ) : (
        <ModalForm
          mutation={mutation}
          errorTitle="Could not save the package"
          submitLabel={packageId ? 'Save' : 'Create package'}
          submitDisabled={!name.trim()}
          onSubmit={submit}
          onCancel={onClose}
        >
          <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} maxLength={120} />
          <Textarea label="Description" placeholder="Optional: what these numbers send" autosize minRows={1} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} maxLength={500} />
          <MultiSelect
            label="Profiles"
            description="The numbers that send for this package, in order (round-robin and the dedicated profile of starter and pro campaigns follow it)"
            placeholder={members.length === 0 ? 'Pick profiles' : undefined}
            data={(profiles.data ?? []).map((p) => ({ value: p.id, label: p.phone ? `${p.name} (${p.phone})` : p.name }))}
            value={members}
            onChange={setMembers}
            searchable
            error={errors.profileIds}
          />
          <Select
            label="Distribution strategy"
            data={STRATEGIES.map((s) => ({ value: s, label: STRATEGY_WORDS[s].label }))}
            value={strategy}
            onChange={(v) => v && setStrategy(v as Strategy)}
            allowDeselect={false}
            description={STRATEGY_WORDS[strategy].description}
            error={errors.strategy}
          />
          <SimpleGrid cols={2}>
            <NumberInput
              label="Daily total"
              description="Sends per day across all its profiles; empty: no package-wide cap"
              placeholder="no cap"
              value={dailyTotal}
              onChange={(v) => setDailyTotal(typeof v === 'number' ? v : '')}
              min={1}
              error={errors.dailyTotal}
            />
            <NumberInput
              label="Max concurrent sends"
              description="How many of its profiles may be sending at the same moment, so the pool never fires in lock-step"
              value={maxConcurrentSends}
              onChange={(v) => setMaxConcurrentSends(typeof v === 'number' ? v : '')}
              min={1}
              error={errors.maxConcurrentSends}
            />
          </SimpleGrid>
          <Text size="sm" fw={500}>
            Settings its profiles inherit
          </Text>
          <SettingsFields draft={draft} onChange={setDraft} errors={errors} inherits="the workspace defaults" />
        </ModalForm>
      )}
    </Modal>
  );
}
