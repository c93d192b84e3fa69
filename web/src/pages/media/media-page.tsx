import { useState } from 'react';
import { Anchor, Box, Group, Paper, SegmentedControl, Table, Text, Tooltip } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import { useDeleteMedia, useMedia, type MediaItem, type MediaKind } from '../../api/media.ts';
import type { Me } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FirstUseState } from '../../components/first-use-state.tsx';
import { LoadMoreRow } from '../../components/load-more.tsx';
import { MediaDropzone } from '../../components/media-dropzone.tsx';
import { MEDIA_KIND_WORDS, MediaKindBadge, MediaThumb } from '../../components/media-thumb.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryTable } from '../../components/query-table.tsx';
import { RowRemoveButton } from '../../components/row-remove-button.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { can } from '../../lib/permissions.ts';
import { useConfirmedMutation } from '../../lib/use-confirmed-mutation.ts';

const KIND_FILTER = [{ value: 'all', label: 'All' }, ...Object.entries(MEDIA_KIND_WORDS).map(([value, w]) => ({ value, label: w.plural }))];

export function MediaPage({ me }: { me: Me }) {
  const [kind, setKind] = useState<MediaKind | null>(null);
  const media = useMedia(kind);
  const canWrite = can(me, 'media:write');
  const deleting = useConfirmedMutation(useDeleteMedia(), {
    variables: (m: MediaItem) => m.id,
    succeeded: (m) => `${m.fileName} deleted`,
    failed: 'Could not delete the file',
  });

  const empty = (
    <FirstUseState
      icon={<IconPhoto size={32} />}
      title={kind ? `No ${MEDIA_KIND_WORDS[kind].plural.toLowerCase()} yet` : 'The library is empty'}
      description={canWrite ? 'Upload images, videos, audio and documents above; templates attach them from here.' : 'Owners upload files here; templates attach them.'}
    />
  );

  const table = (rows: MediaItem[]) => (
    <>
      <ScrollTable
        highlightOnHover
        miw={760}
        data-testid="media-table"
        head={
          <>
            <Table.Th w={72}>Preview</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th ta="right">Size</Table.Th>
            <Table.Th>Uploaded</Table.Th>
            {canWrite && <Table.Th w={48} />}
          </>
        }
      >
        {rows.map((m) => (
          <Table.Tr key={m.id} data-testid="media-row">
            <Table.Td>
              <Anchor href={m.url} target="_blank" rel="noreferrer" aria-label={`Open ${m.fileName}`}>
                <MediaThumb item={m} size={48} />
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={500} maw={320} truncate>
                {m.fileName}
              </Text>
            </Table.Td>
            <Table.Td>
              <MediaKindBadge kind={m.kind} />
            </Table.Td>
            <Table.Td fz="sm" ff="monospace">
              {m.mimeType}
            </Table.Td>
            <Table.Td ta="right" fz="sm" className="nowrap">
              {formatBytes(m.size)}
            </Table.Td>
            <Table.Td fz="sm" c="dimmed" className="nowrap">
              <Tooltip label={formatDateTime(m.createdAt)}>
                <span>{formatRelative(m.createdAt)}</span>
              </Tooltip>
            </Table.Td>
            {canWrite && (
              <Table.Td>
                <RowRemoveButton tooltip="Delete" label={`Delete ${m.fileName}`} onClick={() => deleting.ask(m)} />
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </ScrollTable>
      <LoadMoreRow query={media} />
    </>
  );

  return (
    <>
      <PageHeader
        title="Media library"
        description="Images, videos, audio and documents for your templates. Files are checked by their real content and WhatsApp's size limits."
      />
      {canWrite && (
        <Box mb="md">
          <MediaDropzone onUploaded={(m) => notifySuccess(`${m.fileName} added to the library as ${MEDIA_KIND_WORDS[m.kind].noun}`)} />
        </Box>
      )}
      <Group mb="sm">
        <SegmentedControl aria-label="Show kind" value={kind ?? 'all'} onChange={(v) => setKind(v === 'all' ? null : (v as MediaKind))} data={KIND_FILTER} />
      </Group>
      <Paper withBorder>
        <QueryTable query={media} loadingColumns={6} loadingRows={4} empty={empty} errorInset>
          {table}
        </QueryTable>
      </Paper>
      <ConfirmModal
        {...deleting.modal}
        title="Delete this file?"
        message={`${deleting.target?.fileName ?? 'The file'} will be removed from the library. Files used by a template cannot be deleted; change those templates first.`}
        confirmLabel="Delete file"
        danger
      />
    </>
  );
}
