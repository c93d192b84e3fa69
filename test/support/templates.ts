import type { Harness } from './harness.ts';
import { media } from '../../src/db/schema.ts';
import type { MediaKind } from '../../src/domain/media.ts';

/**
 * A row in a workspace's media library, written directly: templates only read the row (kind, type,
 * file name), so no bytes are stored and the media routes are not needed.
 */
export async function addMedia(h: Harness, workspaceId: string, kind: MediaKind, mimeType: string, fileName: string): Promise<string> {
  const [row] = await h.c.db.orm
    .insert(media)
    .values({ workspaceId, kind, mimeType, fileName, size: 1234, sha256: '0'.repeat(64), storageKey: `${workspaceId}/${fileName}` })
    .returning({ id: media.id });
  return row!.id;
}

export interface TemplateJson {
  id: string;
  name: string;
  version: number;
  versionId: string;
  type: string;
  body: string;
  mediaId: string | null;
  media: { id: string; kind: string; url: string; fileName: string } | null;
  fileName: string | null;
  variables: string[];
  warnings: Array<{ code: string; message: string; line: number; column: number }>;
  createdBy: { id: string; name: string } | null;
}
