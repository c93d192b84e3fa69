import { useEffect, useState, type ReactElement } from 'react';
import { Button, Group, Popover, Stack, Text, TextInput } from '@mantine/core';

interface Props {
  variable: string;
  /** The fallback the variable has now (null: none). */
  current: string | null;
  /** Says when the fallback is changed for more than one use of the variable. */
  uses: number;
  onApply(fallback: string | null): void;
  disabled?: boolean;
  children: ReactElement;
}

/** Sets or clears the text used when a contact has no value for a variable. `children` is the button that opens it. */
export function FallbackPopover({ variable, current, uses, onApply, disabled, children }: Props) {
  const [opened, setOpened] = useState(false);
  const [text, setText] = useState('');
  useEffect(() => {
    if (opened) setText(current ?? '');
  }, [opened, current]);

  const apply = (fallback: string | null) => {
    onApply(fallback);
    setOpened(false);
  };

  return (
    <Popover opened={opened} onChange={setOpened} trapFocus position="bottom-start" withArrow shadow="md" width={320}>
      <Popover.Target>
        <span onClick={() => !disabled && setOpened((o) => !o)} style={{ display: 'inline-flex' }}>
          {children}
        </span>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            apply(text);
          }}
        >
          <Stack gap="xs">
            <TextInput
              label={`Fallback for {{${variable}}}`}
              description={`Sent instead when a contact has no ${variable}${uses > 1 ? ` (all ${uses} uses)` : ''}`}
              placeholder="e.g. Customer"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              data-autofocus
            />
            <Text size="xs" c="dimmed">
              Left empty, the missing value prints as nothing. Without any fallback, contacts missing it are skipped with a reason, never sent a gap.
            </Text>
            <Group justify="flex-end" gap="xs">
              {current !== null && (
                <Button variant="subtle" color="red" size="xs" onClick={() => apply(null)}>
                  Remove fallback
                </Button>
              )}
              <Button type="submit" size="xs">
                Set fallback
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
