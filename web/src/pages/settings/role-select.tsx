import { Select, Stack, Text, type SelectProps } from '@mantine/core';
import type { Role } from '../../api/types.ts';
import { roleWords } from '../../lib/permissions.ts';

const data = (Object.keys(roleWords) as Role[]).map((r) => ({ value: r, label: roleWords[r].label }));

export function RoleSelect(props: Omit<SelectProps, 'data' | 'onChange' | 'value'> & { value: Role; onChange(role: Role): void }) {
  const { value, onChange, ...rest } = props;
  return (
    <Select
      {...rest}
      data={data}
      value={value}
      allowDeselect={false}
      onChange={(v) => v && onChange(v as Role)}
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text size="sm">{option.label}</Text>
          <Text size="xs" c="dimmed">
            {roleWords[option.value as Role].description}
          </Text>
        </Stack>
      )}
    />
  );
}
