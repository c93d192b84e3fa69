import './template-editor.css';
import { Alert, Box, Button, Group, Loader, Paper, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconArrowsShuffle, IconChecks, IconFileText, IconMicrophone, IconPhoto, IconUserQuestion } from '@tabler/icons-react';
import type { MediaItem } from '../../api/media.ts';
import type { PreviewResult, TemplateType } from '../../api/templates.ts';
import { ContactSelect } from '../../components/contact-select.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { MediaFileLines } from '../../components/media-thumb.tsx';

interface Props {
  preview: { data: PreviewResult | undefined; isError: boolean; error: unknown; refetch(): Promise<unknown> };
  /** True while the text typed last has not been previewed yet. */
  updating: boolean;
  type: TemplateType;
  media: MediaItem | null;
  fileName: string;
  contactId: string | null;
  onContactChange(id: string | null): void;
  onShuffle(): void;
}

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

function MediaBlock({ type, media, fileName }: Pick<Props, 'type' | 'media' | 'fileName'>) {
  if (type === 'text') return null;
  if (!media) {
    return (
      <Box className="wa-media" h={120} style={{ display: 'grid', placeItems: 'center' }}>
        <Text size="xs" c="dimmed">
          <IconPhoto size={14} style={{ verticalAlign: -2 }} /> No media chosen yet
        </Text>
      </Box>
    );
  }
  if (type === 'image') return <img className="wa-media" src={media.url} alt={media.fileName} />;
  if (type === 'video') return <video className="wa-media" src={media.url} controls preload="metadata" aria-label={media.fileName} />;
  if (type === 'document') {
    return (
      <Group gap="xs" wrap="nowrap" p="xs" mb={4} style={{ background: 'rgba(0,0,0,0.05)', borderRadius: 6 }}>
        <ThemeIcon variant="light" color="red" size="lg">
          <IconFileText size={20} />
        </ThemeIcon>
        <MediaFileLines item={media} name={fileName} />
      </Group>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      {type === 'voice' && <IconMicrophone size={18} color="#00a884" />}
      <audio src={media.url} controls preload="none" aria-label={media.fileName} style={{ height: 36, maxWidth: 240 }} />
    </Group>
  );
}

/** Who the preview is for: the chosen contact or the sample one built from the workspace's fields. */
function ContactLine({ contact }: { contact: PreviewResult['contact'] }) {
  return (
    <Text size="xs" c="dimmed">
      {contact.id ? 'Rendered for ' : 'Sample contact: '}
      {contact.name ?? 'no name'} · {contact.phone}
    </Text>
  );
}

/** The message as the chosen contact would receive it, in a WhatsApp-like bubble. */
export function TemplatePreviewPanel({ preview, updating, type, media, fileName, contactId, onContactChange, onShuffle }: Props) {
  const data = preview.data;
  const blocked = data && data.errors.length > 0;
  const skipped = data && !blocked && data.text === null;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="nowrap">
          <ContactSelect
            label="Preview as"
            placeholder="Sample contact"
            value={contactId}
            onChange={onContactChange}
            style={{ flex: 1 }}
            leftSection={<IconUserQuestion size={16} />}
          />
          <Tooltip label="Pick other spintax options, as another recipient might get">
            <Button variant="default" leftSection={<IconArrowsShuffle size={16} />} onClick={onShuffle}>
              Shuffle
            </Button>
          </Tooltip>
        </Group>
        {preview.isError && <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} title="The preview could not be made" />}
        <div className="wa-chat" aria-busy={updating}>
          {blocked && (
            <Alert color="red" variant="light" w="100%" title="Fix the message to see the preview">
              {data.errors.length === 1 ? 'There is 1 error' : `There are ${data.errors.length} errors`} in the message, marked in red.
            </Alert>
          )}
          {skipped && (
            <Alert color="orange" variant="light" w="100%" title="This contact would be skipped" data-testid="preview-missing">
              Missing: {data.missing.join(', ')} (no fallback)
            </Alert>
          )}
          {data && !blocked && !skipped && (
            <div className="wa-bubble" role="group" aria-label="Message preview" data-testid="preview-bubble">
              <MediaBlock type={type} media={media} fileName={fileName} />
              {data.text && (
                <span className="wa-text" data-testid="preview-text">
                  {data.text}
                </span>
              )}
              <span className="wa-meta">
                {clock.format(new Date())}
                <IconChecks size={15} color="#53bdeb" />
              </span>
            </div>
          )}
          {!data && !preview.isError && <Loader size="sm" m="auto" />}
        </div>
        {data && <ContactLine contact={data.contact} />}
      </Stack>
    </Paper>
  );
}
