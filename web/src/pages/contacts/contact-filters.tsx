import { useEffect, useState } from 'react';
import { Button, Group, Paper, Select, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconTag } from '@tabler/icons-react';
import type { ContactFilters } from '../../api/contacts.ts';
import type { ContactField, ContactList } from '../../api/types.ts';
import { SearchInput } from '../../components/search-input.tsx';
import { fieldTitle } from '../../lib/format.ts';

interface Props {
  filters: ContactFilters;
  onChange(next: ContactFilters): void;
  lists: ContactList[];
  fields: ContactField[];
}

type YesNo = 'true' | 'false' | undefined;

/** A filter on a yes/no property: any, yes or no; `words` names the three choices. */
function YesNoSelect({ label, words: [any, yes, no], value, onChange }: { label: string; words: [string, string, string]; value: YesNo; onChange(v: YesNo): void }) {
  const data = [
    { value: '', label: any },
    { value: 'true', label: yes },
    { value: 'false', label: no },
  ];
  return <Select aria-label={label} data={data} value={value ?? ''} onChange={(v) => onChange((v || undefined) as YesNo)} allowDeselect={false} w={140} />;
}

export const hasFilters = (f: ContactFilters) => Object.values(f).some((v) => v !== undefined && v !== '');

/**
 * A text filter typed into a box: the filter changes once typing pauses, so each keystroke is not
 * a request, and the box shows the filter again when it changes without typing (the empty list's
 * "Clear filters", back and forward).
 */
function useTypedFilter(filter: string | undefined, delay: number, commit: (typed: string) => void, normalize = (typed: string) => typed) {
  const [text, setText] = useState(filter ?? '');
  const [debounced] = useDebouncedValue(text, delay);
  useEffect(() => {
    if ((filter ?? '') !== normalize(debounced)) commit(normalize(debounced));
  }, [debounced]);
  useEffect(() => {
    if ((filter ?? '') !== normalize(debounced)) setText(filter ?? '');
  }, [filter]);
  return [text, setText] as const;
}

export function ContactFiltersBar({ filters, onChange, lists, fields }: Props) {
  const set = (patch: Partial<ContactFilters>) => onChange({ ...filters, ...patch });
  const [search, setSearch] = useTypedFilter(filters.search, 300, (search) => set({ search: search || undefined }));
  const [label, setLabel] = useTypedFilter(filters.label, 400, (label) => set({ label: label || undefined }), (typed) => typed.trim());
  const [value, setValue] = useTypedFilter(filters.value, 400, (value) => set({ value: value || undefined }));

  const clear = () => {
    setSearch('');
    setLabel('');
    setValue('');
    onChange({});
  };

  return (
    <Paper withBorder p="sm" mb="md">
      <Group gap="sm" wrap="wrap" align="flex-end">
        <SearchInput label="Search contacts" placeholder="Search name or phone" value={search} onChange={setSearch} style={{ flex: '1 1 200px' }} />
        <TextInput
          aria-label="Label"
          placeholder="Label"
          leftSection={<IconTag size={16} />}
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          w={120}
        />
        <Select
          aria-label="List"
          placeholder="Any list"
          data={lists.map((l) => ({ value: l.id, label: l.name }))}
          value={filters.listId ?? null}
          onChange={(v) => set({ listId: v ?? undefined })}
          clearable
          searchable
          w={150}
        />
        <YesNoSelect label="Consent" words={['Any consent', 'Consented', 'No consent']} value={filters.consent} onChange={(consent) => set({ consent })} />
        <YesNoSelect label="Opt-out" words={['Any status', 'Opted out', 'Subscribed']} value={filters.optedOut} onChange={(optedOut) => set({ optedOut })} />
        <Group gap={0} wrap="nowrap">
          <Select
            aria-label="Custom field"
            placeholder="Custom field"
            data={fields.map((f) => ({ value: f.key, label: fieldTitle(f) }))}
            value={filters.field ?? null}
            onChange={(v) => set({ field: v ?? undefined })}
            clearable
            searchable
            w={140}
            styles={{ input: { borderTopRightRadius: 0, borderBottomRightRadius: 0 } }}
          />
          <TextInput
            aria-label="Field value"
            placeholder="equals…"
            value={value}
            disabled={!filters.field}
            onChange={(e) => setValue(e.currentTarget.value)}
            w={110}
            styles={{ input: { borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: 0 } }}
          />
        </Group>
        {hasFilters(filters) && (
          <Tooltip label="Clear all filters">
            <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clear}>
              Clear
            </Button>
          </Tooltip>
        )}
      </Group>
    </Paper>
  );
}
