import { useState } from 'react';
import { notifyError, notifySuccess } from './notify.ts';

interface Mutation<V> {
  mutate(variables: V, callbacks: { onSuccess(): void; onError(err: unknown): void }): void;
  isPending: boolean;
}

interface Options<T, V> {
  variables(target: T): V;
  succeeded(target: T): string;
  failed: string | ((target: T) => string);
  onDone?(): void;
}

/**
 * A change to one item that is asked about first: `ask(item)` opens the question (spread `modal` into a
 * ConfirmModal), confirming runs the mutation, and the outcome is told in a notification.
 */
export function useConfirmedMutation<T, V>(mutation: Mutation<V>, { variables, succeeded, failed, onDone }: Options<T, V>) {
  const [target, setTarget] = useState<T | null>(null);
  const close = () => setTarget(null);
  const confirm = () => {
    if (target === null) return;
    mutation.mutate(variables(target), {
      onSuccess: () => {
        notifySuccess(succeeded(target));
        close();
        onDone?.();
      },
      onError: (e) => notifyError(e, typeof failed === 'string' ? failed : failed(target)),
    });
  };
  return {
    target,
    ask: (item: T) => setTarget(item),
    modal: { opened: target !== null, loading: mutation.isPending, onClose: close, onConfirm: confirm },
  };
}
