import { Badge, Center, Text, ThemeIcon } from '@mantine/core';
import { formatBytes } from '../lib/format.ts';
import { IconFileText, IconMusic, IconPhoto, IconSticker, IconVideo } from '@tabler/icons-react';
import type { MediaItem, MediaKind } from '../api/media.ts';

export const MEDIA_KIND_WORDS: Record<MediaKind, { label: string; plural: string; noun: string; color: string; icon: typeof IconPhoto }> = {
  image: { noun: 'an image', label: 'Image', plural: 'Images', color: 'blue', icon: IconPhoto },
  video: { noun: 'a video', label: 'Video', plural: 'Videos', color: 'grape', icon: IconVideo },
  audio: { noun: 'audio', label: 'Audio', plural: 'Audio', color: 'cyan', icon: IconMusic },
  document: { noun: 'a document', label: 'Document', plural: 'Documents', color: 'orange', icon: IconFileText },
  sticker: { noun: 'a sticker', label: 'Sticker', plural: 'Stickers', color: 'pink', icon: IconSticker },
};

export function MediaKindBadge({ kind }: { kind: MediaKind }) {
  return (
    <Badge variant="light" color={MEDIA_KIND_WORDS[kind].color}>
      {MEDIA_KIND_WORDS[kind].label}
    </Badge>
  );
}

/** A square preview: the picture itself for images and stickers, the first frame of a video, an icon otherwise. */
export function MediaThumb({ item, size = 56 }: { item: MediaItem; size?: number }) {
  const box = { width: size, height: size, borderRadius: 6, objectFit: 'cover' as const, display: 'block', background: 'var(--mantine-color-gray-1)' };
  if (item.kind === 'image' || item.kind === 'sticker') return <img src={item.url} alt={item.fileName} loading="lazy" style={box} />;
  if (item.kind === 'video') return <video src={item.url} preload="metadata" muted aria-label={item.fileName} style={box} />;
  const Icon = MEDIA_KIND_WORDS[item.kind].icon;
  return (
    <Center style={box}>
      <ThemeIcon variant="light" color={MEDIA_KIND_WORDS[item.kind].color} size={size * 0.6} radius="md">
        <Icon size={size * 0.36} />
      </ThemeIcon>
    </Center>
  );
}

/** A file's name (or the name it is sent under) over its type and size. */
export function MediaFileLines({ item, name }: { item: MediaItem; name?: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="sm" fw={500} truncate>
        {name || item.fileName}
      </Text>
      <Text size="xs" c="dimmed">
        {item.mimeType} · {formatBytes(item.size)}
      </Text>
    </div>
  );
}
