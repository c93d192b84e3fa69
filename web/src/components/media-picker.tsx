import { useState } from 'react';
import { Alert, Button, Divider, Group, Input, Modal, Paper, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconPhotoPlus } from '@tabler/icons-react';
import { useMedia, type MediaItem, type MediaKind } from '../api/media.ts';
import { formatBytes, formatRelative } from '../lib/format.ts';
import { ErrorAlert } from './error-alert.tsx';
import { LoadMoreRow } from './load-more.tsx';
import { MediaDropzone } from './media-dropzone.tsx';
import { MEDIA_KIND_WORDS, MediaFileLines, MediaThumb } from './media-thumb.tsx';

interface Props {
  label: string;
  kind: MediaKind;
  /** Only items with this exact type fit (voice notes need Ogg/Opus, stored as audio/ogg). */
  mimeType?: string;
  /** Explains `mimeType` to the author. */
  mimeHint?: string;
  value: MediaItem | null;
  onChange(item: MediaItem | null): void;
  readOnly?: boolean;
  /** Shows the upload area in the chooser (media:write). */
  canUpload: boolean;
}

const fits = (item: MediaItem, kind: MediaKind, mimeType?: string) => item.kind === kind && (!mimeType || item.mimeType === mimeType);

function MediaSummary({ item }: { item: MediaItem }) {
  return (
    <Group gap="sm" wrap="nowrap">
      <MediaThumb item={item} size={48} />
      <MediaFileLines item={item} />
    </Group>
  );
}

function LibraryChooser({ kind, mimeType, mimeHint, canUpload, onPick }: Omit<Props, 'label' | 'value' | 'onChange' | 'readOnly'> & { onPick(item: MediaItem): void }) {
  const media = useMedia(kind);
  const [misfit, setMisfit] = useState<string | null>(null);
  const words = MEDIA_KIND_WORDS[kind];
  const items = (media.data ?? []).filter((m) => fits(m, kind, mimeType));
  return (
    <Stack>
      {mimeHint && (
        <Text size="sm" c="dimmed">
          {mimeHint}
        </Text>
      )}
      {media.isError && <ErrorAlert error={media.error} onRetry={() => void media.refetch()} />}
      {media.data && items.length === 0 && (
        <Text size="sm" c="dimmed">
          No {words.plural.toLowerCase()} in the library yet{canUpload ? ': upload one below.' : '.'}
        </Text>
      )}
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
        {items.map((m) => (
          <UnstyledButton key={m.id} onClick={() => onPick(m)} aria-label={`Use ${m.fileName}`}>
            <Paper withBorder p="xs" style={{ height: '100%' }}>
              <Stack gap={6} align="center">
                <MediaThumb item={m} size={96} />
                <Text size="xs" fw={500} ta="center" lineClamp={2} style={{ wordBreak: 'break-all' }}>
                  {m.fileName}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(m.size)} · {formatRelative(m.createdAt)}
                </Text>
              </Stack>
            </Paper>
          </UnstyledButton>
        ))}
      </SimpleGrid>
      <LoadMoreRow query={media} />
      {canUpload && (
        <>
          <Divider label="or upload a new one" labelPosition="center" />
          {misfit && (
            <Alert color="orange" variant="light" title="Added to the library, but it does not fit here">
              {misfit}
            </Alert>
          )}
          <MediaDropzone
            kinds={[kind]}
            compact
            onUploaded={(item) => {
              if (fits(item, kind, mimeType)) onPick(item);
              else
                setMisfit(
                  item.kind === kind
                    ? `${item.fileName} is ${item.mimeType}. ${mimeHint ?? ''}`.trim()
                    : `${item.fileName} is ${MEDIA_KIND_WORDS[item.kind].noun}; this message needs ${words.noun}.`,
                );
            }}
          />
        </>
      )}
    </Stack>
  );
}

/** The media of a message: what is attached, and a chooser that picks from the library (filtered to what fits) or uploads. */
export function MediaPicker({ label, kind, mimeType, mimeHint, value, onChange, readOnly, canUpload }: Props) {
  const [open, setOpen] = useState(false);
  const words = MEDIA_KIND_WORDS[kind];
  return (
    <Input.Wrapper label={label} required>
      <Paper withBorder p="sm" mt={4} data-testid="media-picker">
        <Group justify="space-between" wrap="nowrap">
          {value ? (
            <MediaSummary item={value} />
          ) : (
            <Text size="sm" c="dimmed">
              No {words.label.toLowerCase()} chosen yet
            </Text>
          )}
          {!readOnly && (
            <Group gap="xs" wrap="nowrap">
              {value && (
                <Button variant="subtle" color="red" size="xs" onClick={() => onChange(null)}>
                  Remove
                </Button>
              )}
              <Button variant="light" size="xs" leftSection={<IconPhotoPlus size={14} />} onClick={() => setOpen(true)}>
                {value ? 'Change' : `Choose ${words.noun}`}
              </Button>
            </Group>
          )}
        </Group>
      </Paper>
      <Modal opened={open} onClose={() => setOpen(false)} title={<Text fw={600}>Choose {words.noun}</Text>} size="lg" centered>
        {open && (
          <LibraryChooser
            kind={kind}
            mimeType={mimeType}
            mimeHint={mimeHint}
            canUpload={canUpload}
            onPick={(item) => {
              onChange(item);
              setOpen(false);
            }}
          />
        )}
      </Modal>
    </Input.Wrapper>
  );
}
