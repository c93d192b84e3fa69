import { Badge } from '@mantine/core';
import { IconFileText, IconMessage, IconMicrophone, IconMusic, IconPhoto, IconVideo } from '@tabler/icons-react';
import type { MediaKind } from '../../api/media.ts';
import type { TemplateType } from '../../api/templates.ts';

interface TypeWords {
  label: string;
  color: string;
  icon: typeof IconMessage;
  /** The library kind the message's media must be; null for plain text. */
  mediaKind: MediaKind | null;
  /** Most characters of the body (WhatsApp: 4,096 for text, 1,024 for a caption; none for audio). */
  maxBody: number;
}

export const TEMPLATE_TYPE_WORDS: Record<TemplateType, TypeWords> = {
  text: { label: 'Text', color: 'gray', icon: IconMessage, mediaKind: null, maxBody: 4096 },
  image: { label: 'Image', color: 'blue', icon: IconPhoto, mediaKind: 'image', maxBody: 1024 },
  video: { label: 'Video', color: 'grape', icon: IconVideo, mediaKind: 'video', maxBody: 1024 },
  document: { label: 'Document', color: 'orange', icon: IconFileText, mediaKind: 'document', maxBody: 1024 },
  audio: { label: 'Audio', color: 'cyan', icon: IconMusic, mediaKind: 'audio', maxBody: 0 },
  voice: { label: 'Voice note', color: 'teal', icon: IconMicrophone, mediaKind: 'audio', maxBody: 0 },
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
