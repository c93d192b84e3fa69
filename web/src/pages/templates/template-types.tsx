import { Badge } from '@mantine/core';
import { IconMessage, IconMicrophone } from '@tabler/icons-react';
import type { MediaKind } from '../../api/media.ts';
import type { TemplateType } from '../../api/templates.ts';
import { MEDIA_KIND_WORDS } from '../../components/media-thumb.tsx';

interface TypeWords {
  label: string;
  color: string;
  icon: typeof IconMessage;
  /** The library kind the message's media must be; null for plain text. */
  mediaKind: MediaKind | null;
  /** What the media picker is labelled; empty for plain text. */
  mediaLabel: string;
  /** Most characters of the body (WhatsApp: 4,096 for text, 1,024 for a caption; none for audio). */
  maxBody: number;
}

/** A type that carries one kind of library media, shown in that kind's colour and icon. */
const mediaType = (kind: MediaKind, words: Pick<TypeWords, 'label' | 'mediaLabel' | 'maxBody'>): TypeWords => ({
  ...words,
  color: MEDIA_KIND_WORDS[kind].color,
  icon: MEDIA_KIND_WORDS[kind].icon,
  mediaKind: kind,
});

export const TEMPLATE_TYPE_WORDS: Record<TemplateType, TypeWords> = {
  text: { label: 'Text', color: 'gray', icon: IconMessage, mediaKind: null, mediaLabel: '', maxBody: 4096 },
  image: mediaType('image', { label: 'Image', mediaLabel: 'Image', maxBody: 1024 }),
  video: mediaType('video', { label: 'Video', mediaLabel: 'Video', maxBody: 1024 }),
  document: mediaType('document', { label: 'Document', mediaLabel: 'Document', maxBody: 1024 }),
  audio: mediaType('audio', { label: 'Audio', mediaLabel: 'Audio file', maxBody: 0 }),
  // A voice note is audio in the library but looks like a recording, not a music file.
  voice: { label: 'Voice note', color: 'teal', icon: IconMicrophone, mediaKind: 'audio', mediaLabel: 'Voice recording', maxBody: 0 },
};

export const TEMPLATE_TYPES = Object.keys(TEMPLATE_TYPE_WORDS) as TemplateType[];

/** Voice notes play as recorded speech only when they are Ogg/Opus, which the library stores as exactly audio/ogg. */
export const VOICE_MIME = 'audio/ogg';

export function TemplateTypeBadge({ type }: { type: TemplateType }) {
  const w = TEMPLATE_TYPE_WORDS[type];
  const Icon = w.icon;
  return (
    <Badge variant="light" color={w.color} leftSection={<Icon size={12} />}>
      {w.label}
    </Badge>
  );
}
