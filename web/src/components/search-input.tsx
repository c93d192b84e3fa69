import { CloseButton, TextInput, type TextInputProps } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';

/** A search box with a magnifier and a button that clears it; `label` names it for screen readers. */
export function SearchInput({ label, value, onChange, ...input }: Omit<TextInputProps, 'onChange'> & { label: string; value: string; onChange(value: string): void }) {
  return (
    <TextInput
      {...input}
      aria-label={label}
      leftSection={<IconSearch size={16} />}
      rightSection={value ? <CloseButton size="sm" aria-label="Clear search" onClick={() => onChange('')} /> : null}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
