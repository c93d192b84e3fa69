import { useState } from 'react';
import { Group, List, Stack, Text } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { IconUpload } from '@tabler/icons-react';
import { useMediaLimits, useUploadMedia, type MediaItem, type MediaKind } from '../api/media.ts';
import { formatBytes } from '../lib/format.ts';
import { DropzoneIcon } from './dropzone-icon.tsx';
import { ErrorAlert } from './error-alert.tsx';

interface Props {
  /** The kinds this upload is for (the hint lists only their limits); all kinds when left out. */
  kinds?: MediaKind[];
  onUploaded?(item: MediaItem): void;
  compact?: boolean;
}

/**
 * Upload into the media library. The server decides by the file's real content and WhatsApp's
 * per-kind limits; its refusal (wrong type, too large) is shown as it words it. Only a file larger
 * than anything the library takes is stopped here, before it is sent.
 */
export function MediaDropzone({ kinds, onUploaded, compact }: Props) {
  const upload = useUploadMedia();
  const limits = useMediaLimits();
  const [rejected, setRejected] = useState<string | null>(null);
  const [lastFile, setLastFile] = useState<string | null>(null);
  const shown = (limits.data ?? []).filter((l) => !kinds || kinds.includes(l.kind));
  const maxBytes = shown.length ? Math.max(...shown.map((l) => l.maxBytes)) : undefined;

  const drop = (files: File[]) => {
    const file = files[0];
    if (!file) return;
    setRejected(null);
    setLastFile(file.name);
    upload.mutate(file, { onSuccess: (item) => onUploaded?.(item) });
  };
  const reject = (r: FileRejection[]) => {
    const file = r[0]?.file;
    upload.reset();
    setRejected(
      file && maxBytes
        ? `${file.name} is ${formatBytes(file.size)}; the most this library takes is ${formatBytes(maxBytes)}. WhatsApp does not deliver larger files.`
        : 'Choose one file at a time.',
    );
  };

  return (
    <Stack gap="xs">
      {upload.isError && <ErrorAlert error={upload.error} title={`${lastFile ?? 'The file'} was not accepted`} />}
      {rejected && <ErrorAlert error={new Error(rejected)} title="This file cannot be uploaded" />}
      <Dropzone
        onDrop={drop}
        onReject={reject}
        multiple={false}
        {...(maxBytes ? { maxSize: maxBytes } : {})}
        loading={upload.isPending}
        data-testid="media-dropzone"
        radius="md"
        p={compact ? 'sm' : 'md'}
      >
        <Group justify="center" gap="md" mih={compact ? 64 : 120} style={{ pointerEvents: 'none' }} wrap="nowrap">
          <DropzoneIcon idle={IconUpload} size={44} />
          <div>
            <Text fw={600}>Drop a file here, or click to upload</Text>
            <Text size="xs" c="dimmed">
              Checked by its real content, not its name.
            </Text>
          </div>
        </Group>
      </Dropzone>
      {shown.length > 0 && (
        <List size="xs" c="dimmed" spacing={2} aria-label="What the library accepts">
          {shown.map((l) => (
            <List.Item key={l.kind}>{l.description}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
