/**
 * What each message type may carry (product.md §3, whatsapp-facts.md): pure checks the service runs
 * before a template is saved and the preview runs while it is typed. Messages are shown as they are.
 */
import type { MediaKind } from './media.ts';
import { positionAt, type TemplateProblem, type TemplateType } from './template.ts';

/** WhatsApp's limits: a text message, and the caption of an image, video or document. */
export const TEXT_MAX = 4096;
export const CAPTION_MAX = 1024;

/** The one Ogg flavour WhatsApp plays as a voice note; the media library stores Ogg/Opus as exactly this. */
export const VOICE_MIME_TYPE = 'audio/ogg';

export type RuleCode =
  | 'BODY_REQUIRED'
  | 'BODY_TOO_LONG'
  | 'CAPTION_NOT_ALLOWED'
  | 'MEDIA_REQUIRED'
  | 'MEDIA_NOT_ALLOWED'
  | 'MEDIA_WRONG_KIND'
  | 'VOICE_NOT_OGG_OPUS'
  | 'FILE_NAME_NOT_ALLOWED';

export interface RuleProblem {
  code: RuleCode;
  field: 'body' | 'mediaId' | 'fileName';
  message: string;
  /** For body problems: the part of the body concerned (the overflow, or all of a caption that is not allowed). */
  offset?: number;
  length?: number;
}

/** The media a template points at, as the library knows it. */
export interface RuleMedia {
  kind: MediaKind;
  mimeType: string;
  fileName: string;
}

export interface TemplateContent {
  type: TemplateType;
  body: string;
  media: RuleMedia | null;
  fileName: string | null;
}

/** How people call each kind of file, with its article. */
const A_KIND: Record<MediaKind, string> = {
  image: 'an image',
  video: 'a video',
  audio: 'an audio file',
  document: 'a document',
  sticker: 'a sticker',
};

/** The media kind each type needs (text needs none). */
const NEEDS: Record<TemplateType, MediaKind | null> = {
  text: null,
  image: 'image',
  video: 'video',
  document: 'document',
  audio: 'audio',
  voice: 'audio',
};

const TEMPLATE_NAME: Record<TemplateType, string> = {
  text: 'A text template',
  image: 'An image template',
  video: 'A video template',
  document: 'A document template',
  audio: 'An audio template',
  voice: 'A voice note',
};

const count = (n: number) => n.toLocaleString('en-US');

function tooLong(body: string, max: number, what: string): RuleProblem {
  return {
    code: 'BODY_TOO_LONG',
    field: 'body',
    message: `${what} is at most ${count(max)} characters; this one has ${count(body.length)}`,
    offset: max,
    length: body.length - max,
  };
}

/** Rules on the text alone: the preview checks these as the author types. */
export function bodyRules(type: TemplateType, body: string): RuleProblem[] {
  if (type === 'text') {
    if (body.trim() === '') return [{ code: 'BODY_REQUIRED', field: 'body', message: 'A text template needs a message' }];
    return body.length > TEXT_MAX ? [tooLong(body, TEXT_MAX, 'A text message')] : [];
  }
  if (type === 'audio' || type === 'voice') {
    if (body === '') return [];
    const message = type === 'audio' ? 'Audio messages have no caption' : 'Voice notes have no caption';
    return [{ code: 'CAPTION_NOT_ALLOWED', field: 'body', message, offset: 0, length: body.length }];
  }
  return body.length > CAPTION_MAX ? [tooLong(body, CAPTION_MAX, 'A caption')] : [];
}

/** Rules on the attached media and the document's file name. */
export function mediaRules(type: TemplateType, media: RuleMedia | null, fileName: string | null): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const needs = NEEDS[type];
  if (needs === null) {
    if (media) problems.push({ code: 'MEDIA_NOT_ALLOWED', field: 'mediaId', message: 'A text template has no media: set mediaId to null or choose a media type' });
  } else if (!media) {
    problems.push({ code: 'MEDIA_REQUIRED', field: 'mediaId', message: `${TEMPLATE_NAME[type]} needs ${A_KIND[needs]} from the media library` });
  } else if (media.kind !== needs) {
    problems.push({
      code: 'MEDIA_WRONG_KIND',
      field: 'mediaId',
      message: `${TEMPLATE_NAME[type]} needs ${A_KIND[needs]}; "${media.fileName}" is ${A_KIND[media.kind]}`,
    });
  } else if (type === 'voice' && media.mimeType !== VOICE_MIME_TYPE) {
    problems.push({
      code: 'VOICE_NOT_OGG_OPUS',
      field: 'mediaId',
      message: `A voice note must be Ogg/Opus audio (${VOICE_MIME_TYPE}); "${media.fileName}" is ${media.mimeType}: send it as an audio template instead`,
    });
  }
  if (fileName !== null && type !== 'document') {
    problems.push({ code: 'FILE_NAME_NOT_ALLOWED', field: 'fileName', message: 'Only document templates have a file name' });
  }
  return problems;
}

export function contentRules(c: TemplateContent): RuleProblem[] {
  return [...bodyRules(c.type, c.body), ...mediaRules(c.type, c.media, c.fileName)];
}

/** A document is sent under the name the author gave, else the library's file name; other types have none. */
export function effectiveFileName(type: TemplateType, given: string | null, media: RuleMedia | null): string | null {
  if (type !== 'document') return given;
  return given ?? media?.fileName ?? null;
}

/** A body rule as an editor problem, so the preview can underline the overflow like a syntax error. */
export function asTemplateProblem(source: string, p: RuleProblem): Omit<TemplateProblem, 'code'> & { code: RuleCode } {
  const offset = p.offset ?? 0;
  return { code: p.code, severity: 'error', message: p.message, ...positionAt(source, offset), offset, length: p.length ?? 0 };
}
