import { Badge, Tooltip } from '@mantine/core';
import type { SegmentKind } from '../../api/segments.ts';
import { formatRelative } from '../../lib/format.ts';

export const KIND_WORDS: Record<SegmentKind, { label: string; color: string; description: string }> = {
  dynamic: {
    label: 'Dynamic',
    color: 'grape',
    description: 'Re-evaluated every time it is used: contacts who start to match join, contacts who stop matching leave.',
  },
  static: {
    label: 'Static',
    color: 'orange',
    description: 'Membership frozen when it is saved; refresh it to re-take it with the same conditions.',
  },
};

export function KindBadge({ kind }: { kind: SegmentKind }) {
  return (
    <Tooltip label={KIND_WORDS[kind].description} multiline w={280}>
      <Badge variant="light" color={KIND_WORDS[kind].color}>
        {KIND_WORDS[kind].label}
      </Badge>
    </Tooltip>
  );
}

/** "counted 3 minutes ago", "counted just now", "counted on 12 Jan 2026": a time to follow a verb. */
export function whenWords(iso: string | null): string {
  const words = formatRelative(iso);
  if (words === 'Just now' || words === 'Never') return words.toLowerCase();
  return /ago$|^yesterday$/.test(words) ? words : `on ${words}`;
}
