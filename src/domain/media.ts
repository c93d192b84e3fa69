/**
 * Media kinds and WhatsApp's per-type limits (../shared/docs/whatsapp-facts.md, A6).
 * CONTRACT (implementation in progress).
 */
export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
