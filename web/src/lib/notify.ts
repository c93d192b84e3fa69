import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api/client.ts';

export function notifySuccess(message: string, title?: string) {
  notifications.show({ color: 'chorus', title, message, autoClose: 4000 });
}

export function notifyError(err: unknown, title = 'That did not work') {
  notifications.show({ color: 'red', title, message: errorMessage(err), autoClose: 8000 });
}
