import { useEffect, useState } from 'react';
import { Modal, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { formErrors, useSaveProfile, type Profile, type ProfileCreate } from '../../api/senders.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { formatDate } from '../../lib/format.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { SettingsFields, toDraft, toLayer, type LayerDraft } from './settings-fields.tsx';

type Transport = Profile['transport'];

const TRANSPORTS: Array<{ value: Transport; label: string; description: string }> = [
  { value: 'simulator', label: 'Simulator', description: 'A simulated number on a simulated network: try campaigns without WhatsApp' },
  { value: 'cloud-api', label: 'WhatsApp Cloud API', description: "Meta's official API: enter the number's credentials from the Meta app" },
  { value: 'whatsapp-web', label: 'WhatsApp Web', description: 'A phone linked by QR code, as WhatsApp Web links it' },
];

/** Fields the modal shows for the API's paths: a message about another one still shows above the form. */
const SHOWN = /^(name|phone|weight|warmup|transportConfig\..+|settings\..+)$/;

/** Create a profile (no `profile`) or change one: name, phone, credentials, limits, hours, pacing, warm-up and weight. */
export function ProfileModal({ opened, profile, onClose }: { opened: boolean; profile: Profile | null; onClose(): void }) {
  const save = useSaveProfile();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [transport, setTransport] = useState<Transport>('simulator');
  const [seed, setSeed] = useState('');
  const [cloud, setCloud] = useState({ phoneNumberId: '', accessToken: '', appSecret: '' });
  const [weight, setWeight] = useState<number | ''>('');
  const [warmup, setWarmup] = useState(false);
  const [draft, setDraft] = useState<LayerDraft>(toDraft());
  useEffect(() => {
    if (!opened) return;
    setName(profile?.name ?? '');
    setPhone(profile?.phone ?? '');
    setTransport(profile?.transport ?? 'simulator');
    setSeed('');
    setCloud({ phoneNumberId: '', accessToken: '', appSecret: '' });
    setWeight(profile?.weight ?? '');
    setWarmup(profile?.warmupStartedAt != null);
    setDraft(toDraft(profile?.settings));
    save.reset();
    // Only when the modal opens: `save` is a new object on every render.
  }, [opened, profile]);

  const { errors, mutation } = formErrors(save, SHOWN);

  const transportConfig = () => {
    if (transport === 'cloud-api') return profile ? Object.fromEntries(Object.entries(cloud).filter(([, v]) => v.trim())) : cloud;
    if (transport === 'simulator') return seed.trim() ? { seed: seed.trim() } : profile ? undefined : {};
    return profile ? undefined : {};
  };

  const submit = () => {
    const common = { name: name.trim(), settings: toLayer(draft), weight: weight === '' ? null : weight };
    const config = transportConfig();
    const input = profile
      ? {
          ...common,
          ...(phone.trim() && phone.trim() !== profile.phone ? { phone: phone.trim() } : {}),
          ...(config && Object.keys(config).length > 0 ? { transportConfig: config } : {}),
          warmup,
        }
      : ({ ...common, transport, ...(phone.trim() ? { phone: phone.trim() } : {}), transportConfig: config, ...(warmup ? { warmup } : {}) } as ProfileCreate);
    save.mutate(
      { id: profile?.id ?? null, input },
      {
        onSuccess: (p) => {
          notifySuccess(profile ? `Profile ${p.name} saved` : `Profile ${p.name} added`);
          onClose();
        },
      },
    );
  };

  const cloudField = (k: keyof typeof cloud, label: string, secret: boolean) => {
    const Input = secret ? PasswordInput : TextInput;
    return (
      <Input
        label={label}
        required={!profile}
        placeholder={profile ? 'unchanged' : undefined}
        value={cloud[k]}
        onChange={(e) => setCloud({ ...cloud, [k]: e.currentTarget.value })}
        error={errors[`transportConfig.${k}`]}
      />
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{profile ? `Edit ${profile.name}` : 'New profile'}</Text>} size="xl">
      <ModalForm
        mutation={mutation}
        errorTitle="Could not save the profile"
        submitLabel={profile ? 'Save' : 'Add profile'}
        submitDisabled={!name.trim()}
        onSubmit={submit}
        onCancel={onClose}
      >
        <SimpleGrid cols={2}>
          <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} maxLength={120} />
          <TextInput
            label="Phone"
            required={transport !== 'whatsapp-web' && !profile}
            description={transport === 'whatsapp-web' ? 'Learned when the phone is linked' : 'In any common notation'}
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={errors.phone}
          />
        </SimpleGrid>
        {profile ? (
          <Text size="sm" c="dimmed">
            Transport: {TRANSPORTS.find((t) => t.value === profile.transport)?.label} (chosen when the profile was added)
          </Text>
        ) : (
          <Select
            label="Transport"
            data={TRANSPORTS.map((t) => ({ value: t.value, label: t.label }))}
            value={transport}
            onChange={(v) => v && setTransport(v as Transport)}
            allowDeselect={false}
            description={TRANSPORTS.find((t) => t.value === transport)?.description}
          />
        )}
        {transport === 'simulator' && (
          <TextInput
            label="Simulator seed"
            description="The same seed gives the same simulated network (replies, failures); empty: the profile's own"
            value={seed}
            onChange={(e) => setSeed(e.currentTarget.value)}
            error={errors['transportConfig.seed']}
          />
        )}
        {transport === 'cloud-api' && (
          <SimpleGrid cols={3}>
            {cloudField('phoneNumberId', 'Phone number ID', false)}
            {cloudField('accessToken', 'Access token', true)}
            {cloudField('appSecret', 'App secret', true)}
          </SimpleGrid>
        )}
        <SimpleGrid cols={2}>
          <NumberInput
            label="Weight"
            description="Its share in weighted distribution; empty: measured from capacity left today × health"
            placeholder="measured"
            value={weight}
            onChange={(v) => setWeight(typeof v === 'number' ? v : '')}
            min={0}
            allowDecimal
            error={errors.weight}
          />
          <Stack gap={4} justify="center">
            <Switch
              label="Warm up this number"
              description={
                profile?.warmupStartedAt ? `Warming up since ${formatDate(profile.warmupStartedAt)}; switch off to end it` : 'Its daily limit starts low and grows while it stays healthy'
              }
              checked={warmup}
              onChange={(e) => setWarmup(e.currentTarget.checked)}
              error={errors.warmup}
            />
          </Stack>
        </SimpleGrid>
        <Text size="sm" fw={500}>
          Its own settings
        </Text>
        <SettingsFields draft={draft} onChange={setDraft} errors={errors} inherits="its package" />
      </ModalForm>
    </Modal>
  );
}
