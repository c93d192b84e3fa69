import { useState } from 'react';
import { Group, List, Paper, Stack, Text } from '@mantine/core';
import { Dropzone, MIME_TYPES, type FileRejection } from '@mantine/dropzone';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { useUploadImport } from '../../api/imports.ts';
import type { ImportJob } from '../../api/types.ts';
import { DropzoneIcon } from '../../components/dropzone-icon.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useMe } from '../../api/session.ts';
import { formatBytes } from '../../lib/format.ts';


const ACCEPT = {
  'text/csv': ['.csv'],
  'text/tab-separated-values': ['.tsv'],
  'text/plain': ['.txt', '.csv', '.tsv'],
  'application/vnd.ms-excel': ['.csv'],
  [MIME_TYPES.xlsx]: ['.xlsx'],
};

export function UploadStep({ onUploaded }: { onUploaded(job: ImportJob): void }) {
  const upload = useUploadImport();
  const maxBytes = useMe().data?.limits.importMaxBytes;
  const [rejected, setRejected] = useState<string | null>(null);
  return (
    <Stack>
      {upload.isError && <ErrorAlert error={upload.error} title="This file could not be read" />}
      {rejected && <ErrorAlert error={new Error(rejected)} title="This file cannot be imported" />}
      <Dropzone
        onDrop={(files: File[]) => {
          setRejected(null);
          if (files[0]) upload.mutate(files[0], { onSuccess: onUploaded });
        }}
        {...(maxBytes ? { maxSize: maxBytes } : {})}
        onReject={(r: FileRejection[]) => {
          const name = r[0]?.file.name ?? 'The file';
          const tooLarge = r[0]?.errors.some((e) => e.code === 'file-too-large');
          setRejected(
            tooLarge && maxBytes
              ? `${name} is larger than ${formatBytes(maxBytes)}, the most an import accepts. Split it into smaller files.`
              : `${name} is not a CSV, TSV, TXT or .xlsx file. Save it in one of these formats and try again.`,
          );
        }}
        accept={ACCEPT}
        multiple={false}
        loading={upload.isPending}
        data-testid="import-dropzone"
        radius="md"
      >
        <Group justify="center" gap="xl" mih={220} style={{ pointerEvents: 'none' }}>
          <DropzoneIcon idle={IconFileSpreadsheet} size={64} />
          <div>
            <Text size="xl" fw={600}>
              Drop your contact file here, or click to choose one
            </Text>
            <Text size="sm" c="dimmed" mt={6}>
              CSV, TSV or TXT (any delimiter and encoding) or Excel .xlsx {maxBytes ? ` — up to ${formatBytes(maxBytes)}` : ''}
            </Text>
          </div>
        </Group>
      </Dropzone>
      <Paper withBorder p="md" bg="gray.0">
        <Text size="sm" fw={600} mb={6}>
          What happens next
        </Text>
        <List size="sm" spacing={4} c="dimmed">
          <List.Item>Chorus reads the first rows and guesses which column holds the phone, the name and the consent.</List.Item>
          <List.Item>Every other column becomes a custom field you can use in messages as a {'{{variable}}'}.</List.Item>
          <List.Item>You check the mapping before anything is saved; invalid rows are listed with their reason.</List.Item>
        </List>
      </Paper>
    </Stack>
  );
}
