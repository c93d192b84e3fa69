import { useState } from 'react';
import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useContactSearch } from '../api/contacts.ts';
import type { Contact } from '../api/types.ts';

const SUGGESTIONS = 20;

const contactLabel = (c: Pick<Contact, 'name' | 'phone'>) => (c.name ? `${c.name} · ${c.phone}` : c.phone);

interface Props extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchable' | 'searchValue' | 'onSearchChange' | 'filter'> {
  value: string | null;
  onChange(contactId: string | null): void;
}

/** Picks one contact by name or phone; the server searches, so workspaces of any size work. */
export function ContactSelect({ value, onChange, ...select }: Props) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<{ id: string; label: string } | null>(null);
  // After a pick the input shows the contact's label; that is not a new search.
  const typed = chosen && search === chosen.label ? '' : search;
  const [debounced] = useDebouncedValue(typed.trim(), 250);
  const found = useContactSearch(debounced, SUGGESTIONS);

  const options = (found.data?.items ?? []).map((c) => ({ value: c.id, label: contactLabel(c) }));
  if (value && chosen?.id === value && !options.some((o) => o.value === value)) options.unshift({ value, label: chosen.label });

  return (
    <Select
      {...select}
      searchable
      clearable
      data={options}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched the search; filtering again would hide phones typed with spaces.
      filter={({ options: all }) => all}
      nothingFoundMessage={found.isFetching ? 'Searching…' : 'No contact matches'}
      onChange={(id, option) => {
        setChosen(id && option ? { id, label: option.label } : null);
        onChange(id);
      }}
    />
  );
}
