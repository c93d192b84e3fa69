import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TEMPLATE_TYPES, positionAt, type TemplateType } from './template.ts';
import {
  CAPTION_MAX,
  TEXT_MAX,
  asTemplateProblem,
  bodyRules,
  contentRules,
  effectiveFileName,
  mediaRules,
  type RuleMedia,
} from './template-rules.ts';

const image: RuleMedia = { kind: 'image', mimeType: 'image/jpeg', fileName: 'promo.jpg' };
const video: RuleMedia = { kind: 'video', mimeType: 'video/mp4', fileName: 'clip.mp4' };
const pdf: RuleMedia = { kind: 'document', mimeType: 'application/pdf', fileName: 'price-list.pdf' };
const mp3: RuleMedia = { kind: 'audio', mimeType: 'audio/mpeg', fileName: 'jingle.mp3' };
const opus: RuleMedia = { kind: 'audio', mimeType: 'audio/ogg', fileName: 'hello.ogg' };
const codes = (t: TemplateType, body: string, media: RuleMedia | null, fileName: string | null = null) =>
  contentRules({ type: t, body, media, fileName }).map((p) => p.code);

describe('contentRules', () => {
  it.each<[TemplateType, string, RuleMedia | null, string | null]>([
    ['text', 'Hi {{name}}', null, null],
    ['text', 'x'.repeat(TEXT_MAX), null, null],
    ['image', '', image, null],
    ['image', 'c'.repeat(CAPTION_MAX), image, null],
    ['video', 'Watch this', video, null],
    ['document', 'Our prices', pdf, 'Prices 2025.pdf'],
    ['audio', '', mp3, null],
    ['audio', '', opus, null],
    ['voice', '', opus, null],
  ])('accepts %s %j', (type, body, media, fileName) => {
    expect(contentRules({ type, body, media, fileName })).toEqual([]);
  });

  it('says what a text template lacks or must not have', () => {
    expect(contentRules({ type: 'text', body: '  \n', media: null, fileName: null })).toEqual([
      { code: 'BODY_REQUIRED', field: 'body', message: 'A text template needs a message' },
    ]);
    expect(codes('text', 'Hi', image)).toEqual(['MEDIA_NOT_ALLOWED']);
    expect(codes('text', 'Hi', null, 'x.pdf')).toEqual(['FILE_NAME_NOT_ALLOWED']);
  });

  it('counts the limit and marks the overflow of a long message or caption', () => {
    const [text] = bodyRules('text', 'x'.repeat(TEXT_MAX + 5));
    expect(text).toEqual({
      code: 'BODY_TOO_LONG',
      field: 'body',
      message: 'A text message is at most 4,096 characters; this one has 4,101',
      offset: TEXT_MAX,
      length: 5,
    });
    const [caption] = bodyRules('document', 'c'.repeat(CAPTION_MAX + 1));
    expect(caption).toMatchObject({ message: 'A caption is at most 1,024 characters; this one has 1,025', offset: CAPTION_MAX, length: 1 });
  });

  it('asks for media of the right kind, by name', () => {
    expect(mediaRules('image', null, null)[0]!.message).toBe('An image template needs an image from the media library');
    expect(mediaRules('video', null, null)[0]!.message).toBe('A video template needs a video from the media library');
    expect(mediaRules('document', null, null)[0]!.message).toBe('A document template needs a document from the media library');
    expect(mediaRules('audio', null, null)[0]!.message).toBe('An audio template needs an audio file from the media library');
    expect(mediaRules('voice', null, null)[0]!.message).toBe('A voice note needs an audio file from the media library');
    expect(mediaRules('image', video, null)).toEqual([
      { code: 'MEDIA_WRONG_KIND', field: 'mediaId', message: 'An image template needs an image; "clip.mp4" is a video' },
    ]);
    expect(codes('document', '', image)).toEqual(['MEDIA_WRONG_KIND']);
    expect(codes('audio', '', pdf)).toEqual(['MEDIA_WRONG_KIND']);
  });

  it('refuses captions on audio and voice, and voice notes that are not Ogg/Opus', () => {
    expect(bodyRules('audio', 'listen')).toEqual([
      { code: 'CAPTION_NOT_ALLOWED', field: 'body', message: 'Audio messages have no caption', offset: 0, length: 6 },
    ]);
    expect(bodyRules('voice', ' ')[0]!.message).toBe('Voice notes have no caption');
    const [mp3Voice] = mediaRules('voice', mp3, null);
    expect(mp3Voice!.code).toBe('VOICE_NOT_OGG_OPUS');
    expect(mp3Voice!.message).toMatch(/Ogg\/Opus.*"jingle\.mp3" is audio\/mpeg.*audio template/);
  });

  it('gives only documents a file name', () => {
    for (const type of TEMPLATE_TYPES.filter((t) => t !== 'document')) {
      expect(mediaRules(type, null, 'a.pdf').map((p) => p.code)).toContain('FILE_NAME_NOT_ALLOWED');
    }
    expect(mediaRules('document', pdf, 'a.pdf')).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(codes('audio', 'caption', image, 'x.pdf')).toEqual(['CAPTION_NOT_ALLOWED', 'MEDIA_WRONG_KIND', 'FILE_NAME_NOT_ALLOWED']);
  });

  it('never lets a text template past its limit, whatever the body', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), (body) => {
        const ok = bodyRules('text', body).length === 0;
        expect(ok).toBe(body.trim() !== '' && body.length <= TEXT_MAX);
      }),
    );
  });
});

describe('effectiveFileName', () => {
  it("defaults a document's name to the library's file name", () => {
    expect(effectiveFileName('document', null, pdf)).toBe('price-list.pdf');
    expect(effectiveFileName('document', 'Prices.pdf', pdf)).toBe('Prices.pdf');
    expect(effectiveFileName('document', null, null)).toBeNull();
    expect(effectiveFileName('image', null, image)).toBeNull();
    expect(effectiveFileName('image', 'kept.jpg', image)).toBe('kept.jpg');
  });
});

describe('positionAt and asTemplateProblem', () => {
  it('counts lines and columns from 1', () => {
    expect(positionAt('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\n', 3)).toEqual({ line: 2, column: 1 });
  });

  it('turns a body rule into an editor problem at the overflow', () => {
    const body = 'line one\n' + 'x'.repeat(TEXT_MAX);
    const [p] = bodyRules('text', body);
    expect(asTemplateProblem(body, p!)).toEqual({
      code: 'BODY_TOO_LONG',
      severity: 'error',
      message: p!.message,
      line: 2,
      column: TEXT_MAX - 9 + 1,
      offset: TEXT_MAX,
      length: 9,
    });
    expect(asTemplateProblem('', { code: 'MEDIA_REQUIRED', field: 'mediaId', message: 'm' })).toMatchObject({ line: 1, column: 1, offset: 0, length: 0 });
  });
});
