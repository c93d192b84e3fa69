import { z } from 'zod';
import { MEDIA_KINDS } from '../../domain/media.ts';
import { cursorQuery, page } from './common.ts';

export const mediaKind = z.enum(MEDIA_KINDS);

export const mediaItem = z.object({
  id: z.string(),
  kind: mediaKind,
  mimeType: z.string().describe('Sniffed from the content, not taken from the file name'),
  size: z.number().int(),
  fileName: z.string(),
  sha256: z.string(),
  url: z.string().describe('Where members of the workspace fetch the content'),
  createdAt: z.date(),
});
export type MediaItem = z.output<typeof mediaItem>;

export const mediaPage = page(mediaItem);
export const mediaQuery = cursorQuery.extend({ kind: mediaKind.optional() });

/** What the library accepts, for the dashboard's upload hint (limits per kind, in bytes). */
export const mediaLimits = z.object({
  items: z.array(
    z.object({
      kind: mediaKind,
      mimeTypes: z.array(z.string()),
      extensions: z.array(z.string()).describe('Usual file-name extensions, for a file picker; the content decides, not the name'),
      maxBytes: z.number().int().describe('For stickers the animated limit; static stickers are at most 100 KB'),
      description: z.string(),
    }),
  ),
});
