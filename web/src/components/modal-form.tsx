import type { FormEvent, ReactNode } from 'react';
import { Button, Group, Stack } from '@mantine/core';
import { ErrorAlert } from './error-alert.tsx';

interface Props {
  mutation: { isPending: boolean; isError: boolean; error: unknown };
  errorTitle: string;
  submitLabel: string;
  submitDisabled?: boolean;
  onSubmit(): void;
  onCancel(): void;
  children: ReactNode;
}

/** The form of a create or edit modal: why the last try failed, the fields, then Cancel and submit. */
export function ModalForm({ mutation, errorTitle, submitLabel, submitDisabled, onSubmit, onCancel, children }: Props) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        {mutation.isError && <ErrorAlert error={mutation.error} title={errorTitle} />}
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={submitDisabled}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
