import { useState } from 'react';
import { Accordion, Alert, Group, NumberInput, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import type { SenderLayer } from '../../api/senders.ts';

/**
 * The sender settings one layer sets (a profile's overrides, a package's defaults): every field
 * may be left empty, and then comes from the layer below — the package, the workspace defaults,
 * the built-in default.
 */

type Num = number | '';
export interface LayerDraft {
  perHour: Num;
  per3Hours: Num;
  perDay: Num;
  start: string;
  end: string;
  timezone: string;
  mode: '' | 'human' | 'off';
  jitter: Num;
  rushThreshold: Num;
  rushFactor: Num;
  calmFactor: Num;
  paceMin: Num;
  paceMax: Num;
  minGapSeconds: Num;
  ratePerSecond: Num;
  warmupEnabled: '' | 'on' | 'off';
  startPerDay: Num;
  growthPerDay: Num;
}

const num = (v: number | undefined): Num => v ?? '';

export function toDraft(l: SenderLayer = {}): LayerDraft {
  return {
    perHour: num(l.limits?.perHour),
    per3Hours: num(l.limits?.per3Hours),
    perDay: num(l.limits?.perDay),
    start: l.activeHours?.start ?? '',
    end: l.activeHours?.end ?? '',
    timezone: l.timezone ?? '',
    mode: l.pacing?.mode ?? '',
    jitter: num(l.pacing?.jitter),
    rushThreshold: num(l.pacing?.rushThreshold),
    rushFactor: num(l.pacing?.rushFactor),
    calmFactor: num(l.pacing?.calmFactor),
    paceMin: num(l.pacing?.paceMin),
    paceMax: num(l.pacing?.paceMax),
    minGapSeconds: num(l.pacing?.minGapSeconds),
    ratePerSecond: num(l.pacing?.ratePerSecond),
    warmupEnabled: l.warmup?.enabled === undefined ? '' : l.warmup.enabled ? 'on' : 'off',
    startPerDay: num(l.warmup?.startPerDay),
    growthPerDay: num(l.warmup?.growthPerDay),
  };
}

/** Only what is filled in; a group with nothing filled in is left out. */
export function toLayer(d: LayerDraft): SenderLayer {
  const pick = <K extends keyof LayerDraft>(keys: readonly K[]) => {
    const out = Object.fromEntries(keys.filter((k) => d[k] !== '').map((k) => [k, d[k]]));
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const layer: SenderLayer = {};
  const limits = pick(['perHour', 'per3Hours', 'perDay'] as const);
  if (limits) layer.limits = limits as SenderLayer['limits'];
  if (d.start || d.end) layer.activeHours = { start: d.start, end: d.end };
  if (d.timezone.trim()) layer.timezone = d.timezone.trim();
  const pacing = pick(['mode', 'jitter', 'rushThreshold', 'rushFactor', 'calmFactor', 'paceMin', 'paceMax', 'minGapSeconds', 'ratePerSecond'] as const);
  if (pacing) layer.pacing = pacing as SenderLayer['pacing'];
  const warmup = pick(['startPerDay', 'growthPerDay'] as const) ?? {};
  if (d.warmupEnabled) Object.assign(warmup, { enabled: d.warmupEnabled === 'on' });
  if (Object.keys(warmup).length > 0) layer.warmup = warmup as SenderLayer['warmup'];
  return layer;
}

interface Props {
  draft: LayerDraft;
  onChange(d: LayerDraft): void;
  /** The API's messages by field path ("settings.limits.perHour"). */
  errors: Record<string, string>;
  /** "the package" or "the workspace defaults": where an empty field takes its value from. */
  inherits: string;
}

const SECTION_OF: Record<string, string> = { limits: 'limits', activeHours: 'hours', timezone: 'hours', pacing: 'pacing', warmup: 'warmup' };

export function SettingsFields({ draft, onChange, errors, inherits }: Props) {
  const [open, setOpen] = useState(['limits']);
  // A section the API found a problem in opens, so its message is seen.
  const withErrors = Object.keys(errors).flatMap((path) => {
    const section = SECTION_OF[path.split('.')[1] ?? ''];
    return path.startsWith('settings.') && section ? [section] : [];
  });
  const set = <K extends keyof LayerDraft>(k: K) => (v: LayerDraft[K]) => onChange({ ...draft, [k]: v });
  const n = (k: keyof LayerDraft, label: string, path: string, description: string, opts: { min?: number; max?: number; step?: number; decimal?: boolean } = {}) => (
    <NumberInput
      label={label}
      description={description}
      placeholder="inherited"
      value={draft[k] as Num}
      onChange={(v) => set(k)((typeof v === 'number' ? v : v === '' ? '' : Number(v)) as never)}
      min={opts.min}
      max={opts.max}
      step={opts.step}
      allowDecimal={opts.decimal ?? false}
      error={errors[`settings.${path}`]}
    />
  );
  const hhmm = (k: 'start' | 'end', label: string) => (
    <TextInput label={label} placeholder="HH:MM" value={draft[k]} onChange={(e) => set(k)(e.currentTarget.value)} error={errors[`settings.activeHours.${k}`]} maxLength={5} />
  );
  return (
    <Accordion variant="contained" multiple value={[...new Set([...open, ...withErrors])]} onChange={setOpen}>
      <Accordion.Item value="limits">
        <Accordion.Control>Limits</Accordion.Control>
        <Accordion.Panel>
          <Text size="xs" c="dimmed" mb="xs">
            Hard caps over sliding windows: no sequence of sends ever exceeds them. Empty fields come from {inherits}.
          </Text>
          <SimpleGrid cols={3}>
            {n('perHour', 'Per hour', 'limits.perHour', 'in any hour', { min: 1 })}
            {n('per3Hours', 'Per 3 hours', 'limits.per3Hours', 'in any 3 hours', { min: 1 })}
            {n('perDay', 'Per day', 'limits.perDay', 'in any 24 hours', { min: 1 })}
          </SimpleGrid>
          {errors['settings.limits'] && (
            <Alert color="red" variant="light" mt="sm" role="alert" data-testid="limits-error">
              {errors['settings.limits']}
            </Alert>
          )}
        </Accordion.Panel>
      </Accordion.Item>
      <Accordion.Item value="hours">
        <Accordion.Control>Active hours</Accordion.Control>
        <Accordion.Panel>
          <Text size="xs" c="dimmed" mb="xs">
            Open chat leaves only inside this daily window (the default is 20 active hours, 05:00–01:00); reply chat is never held. 00:00 to 00:00 is the whole day.
          </Text>
          <Group grow align="flex-start">
            {hhmm('start', 'From')}
            {hhmm('end', 'Until')}
            <TextInput label="Timezone" placeholder="inherited" value={draft.timezone} onChange={(e) => set('timezone')(e.currentTarget.value)} error={errors['settings.timezone']} />
          </Group>
          {errors['settings.activeHours'] && (
            <Text size="xs" c="red" mt={4}>
              {errors['settings.activeHours']}
            </Text>
          )}
        </Accordion.Panel>
      </Accordion.Item>
      <Accordion.Item value="pacing">
        <Accordion.Control>Pacing</Accordion.Control>
        <Accordion.Panel>
          <Text size="xs" c="dimmed" mb="xs">
            The base gap between two messages comes from the tightest limit spread over the active hours; each gap is drawn at random around it, longer in a rush hour, shorter when calm, and
            corrected for how far the profile is ahead of or behind its schedule over the last 2 hours.
          </Text>
          <SimpleGrid cols={3}>
            <Select
              label="Pacing"
              description="human: random gaps; off: Cloud API bulk"
              placeholder="inherited"
              data={[
                { value: 'human', label: 'Human' },
                { value: 'off', label: 'Off (rate only)' },
              ]}
              value={draft.mode || null}
              onChange={(v) => set('mode')((v ?? '') as LayerDraft['mode'])}
              clearable
              error={errors['settings.pacing.mode']}
            />
            {n('jitter', 'Jitter', 'pacing.jitter', 'gaps vary ± this share of the base', { min: 0, max: 0.9, step: 0.05, decimal: true })}
            {n('minGapSeconds', 'Minimum gap (s)', 'pacing.minGapSeconds', 'no gap is shorter', { min: 0, decimal: true })}
            {n('rushThreshold', 'Rush-hour threshold', 'pacing.rushThreshold', 'more waiting than this is a rush hour', { min: 0 })}
            {n('rushFactor', 'Rush factor', 'pacing.rushFactor', 'gap multiplier in a rush hour', { min: 1, step: 0.5, decimal: true })}
            {n('calmFactor', 'Calm factor', 'pacing.calmFactor', 'gap multiplier when calm', { min: 0.05, max: 1, step: 0.05, decimal: true })}
            {n('paceMin', 'Pace factor minimum', 'pacing.paceMin', 'behind schedule: gaps never shorter than ×', { min: 0.05, max: 1, step: 0.05, decimal: true })}
            {n('paceMax', 'Pace factor maximum', 'pacing.paceMax', 'ahead of schedule: gaps never longer than ×', { min: 1, step: 0.5, decimal: true })}
            {n('ratePerSecond', 'Rate when off', 'pacing.ratePerSecond', 'messages a second', { min: 0.01, decimal: true })}
          </SimpleGrid>
        </Accordion.Panel>
      </Accordion.Item>
      <Accordion.Item value="warmup">
        <Accordion.Control>Warm-up plan</Accordion.Control>
        <Accordion.Panel>
          <Text size="xs" c="dimmed" mb="xs">
            A new number&apos;s daily limit starts low and grows with each healthy day until it reaches the daily limit.
          </Text>
          <SimpleGrid cols={3}>
            <Select
              label="Warm-up"
              placeholder="inherited"
              data={[
                { value: 'on', label: 'On' },
                { value: 'off', label: 'Off' },
              ]}
              value={draft.warmupEnabled || null}
              onChange={(v) => set('warmupEnabled')((v ?? '') as LayerDraft['warmupEnabled'])}
              clearable
              error={errors['settings.warmup.enabled']}
            />
            {n('startPerDay', 'First day', 'warmup.startPerDay', 'messages a day at the start', { min: 1 })}
            {n('growthPerDay', 'Growth', 'warmup.growthPerDay', 'more a day per healthy day', { min: 0 })}
          </SimpleGrid>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
