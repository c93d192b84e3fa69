import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import {
  classifyMedia,
  isAnimatedWebp,
  MEDIA_KINDS,
  MEDIA_MAX_BYTES,
  mediaLimits,
  mediaTooLarge,
  parseByteRange,
  type MediaUpload,
} from './media.ts';

const MB = 1024 * 1024;
const bytes = (s: string) => new TextEncoder().encode(s);
/** A head whose sniffed type is given; the bytes only matter for text and WebP checks. */
const sniffed = (fileName: string, ext: string, mime = `x/${ext}`, head = new Uint8Array(64)): MediaUpload => ({
  fileName,
  sniffed: { ext, mime },
  head,
  complete: false,
});
const unsniffed = (fileName: string, head: Uint8Array, complete = true): MediaUpload => ({ fileName, sniffed: undefined, head, complete });

function refusal(u: MediaUpload): DomainError {
  try {
    classifyMedia(u);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error(`${u.fileName} was accepted`);
}

describe('classifyMedia', () => {
  it.each([
    ['jpg', 'image', 'image/jpeg'],
    ['png', 'image', 'image/png'],
    ['apng', 'image', 'image/png'],
    ['mp4', 'video', 'video/mp4'],
    ['m4v', 'video', 'video/mp4'],
    ['3gp', 'video', 'video/3gpp'],
    ['aac', 'audio', 'audio/aac'],
    ['amr', 'audio', 'audio/amr'],
    ['mp3', 'audio', 'audio/mpeg'],
    ['m4a', 'audio', 'audio/mp4'],
    ['opus', 'audio', 'audio/ogg'],
    ['pdf', 'document', 'application/pdf'],
    ['docx', 'document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', 'document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx', 'document', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['webp', 'sticker', 'image/webp'],
  ])('takes sniffed %s as %s %s whatever the file is called', (ext, kind, mimeType) => {
    expect(classifyMedia(sniffed('upload.bin', ext))).toMatchObject({ kind, mimeType });
  });

  it('stores Ogg Opus as exactly audio/ogg and refuses Ogg Vorbis in words', () => {
    expect(classifyMedia(sniffed('voice.ogg', 'opus', 'audio/ogg; codecs=opus')).mimeType).toBe('audio/ogg');
    const err = refusal(sniffed('song.ogg', 'ogg', 'audio/ogg'));
    expect(err).toMatchObject({ kind: 'unsupported', code: 'MEDIA_OGG_NOT_OPUS' });
    expect(err.message).toMatch(/Vorbis.*only with the Opus codec/);
  });

  it('lets the name pick doc, xls or ppt only inside a proven compound file', () => {
    expect(classifyMedia(sniffed('Letter.DOC', 'cfb')).mimeType).toBe('application/msword');
    expect(classifyMedia(sniffed('sheet.xls', 'cfb')).mimeType).toBe('application/vnd.ms-excel');
    expect(classifyMedia(sniffed('deck.ppt', 'cfb')).mimeType).toBe('application/vnd.ms-powerpoint');
    const err = refusal(sniffed('setup.msi', 'cfb'));
    expect(err).toMatchObject({ kind: 'unsupported', code: 'MEDIA_UNSUPPORTED' });
    expect(err.message).toMatch(/name it \.doc, \.xls or \.ppt/);
    // A name alone never makes a document: a zip called .doc is a zip.
    expect(refusal(sniffed('letter.doc', 'zip')).message).toBe('letter.doc is really a zip archive; WhatsApp takes PDF, Word, Excel, PowerPoint or plain-text documents');
  });

  it('names what an unsupported file really is', () => {
    expect(refusal(sniffed('setup.exe', 'exe', 'application/x-msdownload')).message).toBe(
      'This file is a Windows program (exe), not a supported image, video, audio or document',
    );
    expect(refusal(sniffed('thing', 'blend', 'application/x-blender')).message).toBe(
      'This file is a file of type application/x-blender (.blend), not a supported image, video, audio or document',
    );
  });

  it('says which name a disguised file used and what WhatsApp takes for that kind', () => {
    const err = refusal(sniffed('photo.jpg', 'gif', 'image/gif'));
    expect(err).toMatchObject({ kind: 'unsupported', code: 'MEDIA_DISGUISED', message: 'photo.jpg is really a GIF; WhatsApp takes JPEG or PNG images' });
    expect(refusal(sniffed('clip.mp4', 'mov')).message).toBe('clip.mp4 is really a QuickTime video (mov); WhatsApp takes MP4 or 3GP videos');
  });

  it('takes plain text only when it is UTF-8 without NUL bytes', () => {
    expect(classifyMedia(unsniffed('notes.txt', bytes('Selamat pagi ☀️\n')))).toMatchObject({ kind: 'document', mimeType: 'text/plain' });
    expect(classifyMedia(unsniffed('notes.csv', bytes('\uFEFFphone,name\n')))).toMatchObject({ mimeType: 'text/plain' });
    expect(refusal(unsniffed('notes.txt', bytes('a\0b'))).code).toBe('MEDIA_DISGUISED');
    expect(refusal(unsniffed('blob', new Uint8Array([0xc3, 0x28, 0x41]))).message).toMatch(/^This file is a file of an unrecognised type/);
  });

  it('does not mistake a character cut at the end of the sniffed head for bad UTF-8', () => {
    const cut = bytes('harga: 10 €').subarray(0, -1);
    expect(classifyMedia(unsniffed('a.txt', cut, false)).mimeType).toBe('text/plain');
    expect(refusal(unsniffed('a.txt', cut, true)).code).toBe('MEDIA_DISGUISED');
  });

  it('refuses markup: web pages, SVG and XML would be documents a browser runs', () => {
    expect(refusal(unsniffed('invoice.pdf', bytes('\n  <!DOCTYPE html><html><body>hi</body></html>'))).message).toBe(
      'invoice.pdf is really a web page (HTML); WhatsApp takes PDF, Word, Excel, PowerPoint or plain-text documents',
    );
    expect(refusal(unsniffed('page', bytes('<div onclick="x()">hi</div>'))).message).toMatch(/^This file is a web page \(HTML\)/);
    expect(refusal(sniffed('logo.svg', 'xml', 'application/xml', bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'))).message).toMatch(
      /^This file is an SVG image, not/,
    );
    expect(refusal(unsniffed('logo.png', bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).message).toBe(
      'logo.png is really an SVG image; WhatsApp takes JPEG or PNG images',
    );
    expect(refusal(sniffed('feed', 'xml', 'application/xml', bytes('<?xml version="1.0"?><rss/>'))).message).toMatch(/an XML document/);
    expect(classifyMedia(unsniffed('love.txt', bytes('I <3 you, a < b')))).toMatchObject({ mimeType: 'text/plain' });
  });

  it('refuses text wearing another format’s name', () => {
    expect(refusal(unsniffed('photo.jpg', bytes('just words'))).message).toBe('photo.jpg is really plain text; WhatsApp takes JPEG or PNG images');
  });

  it('answers an empty file with 400', () => {
    expect(refusal(unsniffed('empty.pdf', new Uint8Array(0)))).toMatchObject({ kind: 'invalid', code: 'MEDIA_EMPTY' });
  });

  it('gives a static sticker 100 KB and an animated one 500 KB', () => {
    const head = new Uint8Array(32);
    head.set(bytes('RIFF\0\0\0\0WEBPVP8X'));
    expect(classifyMedia(sniffed('s.webp', 'webp', 'image/webp', head))).toMatchObject({ maxBytes: 100 * 1024, limitFor: 'Static stickers' });
    head[20] = 0x02;
    expect(isAnimatedWebp(head)).toBe(true);
    expect(classifyMedia(sniffed('s.webp', 'webp', 'image/webp', head))).toMatchObject({ maxBytes: 500 * 1024, limitFor: 'Animated stickers' });
  });
});

describe('mediaTooLarge', () => {
  const image = classifyMedia(sniffed('a.png', 'png'));
  it('words the limit and the size', () => {
    expect(mediaTooLarge(image, Math.round(7.2 * MB), true)).toMatchObject({
      kind: 'too_large',
      code: 'MEDIA_TOO_LARGE',
      message: 'Images are at most 5 MB on WhatsApp; this one is 7.2 MB',
    });
  });
  it('gives exact bytes when rounding would make the size look like the limit', () => {
    expect(mediaTooLarge(image, 5 * MB + 1, true).message).toBe('Images are at most 5 MB (5,242,880 bytes) on WhatsApp; this one is 5,242,881 bytes');
  });
  it('says "more than" when the upload was cut off', () => {
    expect(mediaTooLarge(image, MEDIA_MAX_BYTES, false).message).toBe('Images are at most 5 MB on WhatsApp; this one is more than 100 MB');
  });
});

describe('mediaLimits', () => {
  it('lists every kind with WhatsApp’s limit and its types in words', () => {
    const limits = mediaLimits();
    expect(limits.map((l) => l.kind)).toEqual([...MEDIA_KINDS]);
    const by = Object.fromEntries(limits.map((l) => [l.kind, l]));
    expect(by.image).toMatchObject({ maxBytes: 5 * MB, mimeTypes: ['image/jpeg', 'image/png'] });
    expect(by.video!.maxBytes).toBe(16 * MB);
    expect(by.audio!.mimeTypes).toContain('audio/ogg');
    expect(by.audio!.description).toMatch(/Opus codec only/);
    expect(by.document).toMatchObject({ maxBytes: 100 * MB });
    expect(by.document!.mimeTypes).toContain('text/plain');
    expect(by.sticker).toMatchObject({ maxBytes: 500 * 1024, mimeTypes: ['image/webp'] });
    expect(by.sticker!.description).toMatch(/100 KB \(500 KB when animated\)/);
    expect(MEDIA_MAX_BYTES).toBe(100 * MB);
  });
});

describe('parseByteRange', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=900-', { start: 900, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-2000', { start: 990, end: 999 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=50-10', undefined],
    ['bytes=0-1,5-9', undefined],
    ['items=0-1', undefined],
    ['bytes=-', undefined],
  ])('%s on 1000 bytes → %o', (header, expected) => expect(parseByteRange(header, 1000)).toEqual(expected));
});
