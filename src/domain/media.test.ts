import { describe, expect, it } from 'vitest';
/* eslint-disable no-restricted-imports -- the API tests' file builders; the code under test stays pure */
import { u32be as u32 } from '../../test/fixtures/media/files.ts';
import {
  adtsFrames,
  box,
  emptyBoxes,
  ftyp as isoFtyp,
  fullBox,
  id3Chain,
  id3Header,
  largeBox,
  movie,
  mpegFrames,
  syncsafe,
} from '../../test/fixtures/media/tracks.ts';
/* eslint-enable no-restricted-imports */
import { DomainError } from './errors.ts';
import {
  classifyMedia,
  ID3_TAGS_MAX,
  id3TagAt,
  id3Tags,
  isAdtsFrame,
  isAnimatedWebp,
  isMpegAudioFrame,
  isoTracks,
  MEDIA_HEAD_MAX_BYTES,
  MEDIA_KINDS,
  MEDIA_MAX_BYTES,
  mediaHeadBytes,
  mediaLimits,
  mediaTooLarge,
  parseByteRange,
  sniffTarget,
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

// The files' builders are the API tests' (test/fixtures/media/tracks.ts); these few make the
// minimal or broken bytes only the unit tests need.
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const id3 = (size: number, options?: { version?: number; flags?: number }) => id3Header(syncsafe(size), options);
const MPEG_FRAME = new Uint8Array([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]);
/** A track with no `tkhd`: only its handler and the codes of its sample entries. */
const trak = (handler: string, ...codes: string[]) =>
  box(
    'trak',
    box(
      'mdia',
      fullBox('hdlr', u32(0), latin1(handler), new Uint8Array(13)),
      box('minf', box('stbl', fullBox('stsd', u32(codes.length), ...codes.map((c) => box(c, new Uint8Array(28)))))),
    ),
  );
const ftyp = () => isoFtyp('isom', ['isom']);
const moov = (...traks: Uint8Array[]) => box('moov', fullBox('mvhd', new Uint8Array(96)), ...traks);
const mdat = (n = 64) => box('mdat', new Uint8Array(n));
const movieUpload = (fileName: string, ext: string, head: Uint8Array, complete = true): MediaUpload => ({
  fileName,
  sniffed: { ext, mime: `x/${ext}` },
  head,
  complete,
});

describe('ID3 tags', () => {
  it('reads where a tag ends from its syncsafe size, with the footer only ID3v2.4 has', () => {
    expect(id3TagAt(cat(id3(100), new Uint8Array(100)))).toEqual({ end: 110 });
    expect(id3TagAt(id3(100, { flags: 0x10 }))).toEqual({ end: 120 });
    expect(id3TagAt(id3(100, { version: 3, flags: 0x10 }))).toEqual({ end: 110 });
    expect(id3TagAt(id3(0x0fffffff))).toEqual({ end: 10 + 0x0fffffff });
  });

  it('takes no header that is not one: other versions, bytes that are not syncsafe, text', () => {
    expect(id3TagAt(id3(100, { version: 5 }))).toBeUndefined();
    expect(id3TagAt(cat(latin1('ID3'), new Uint8Array([4, 0, 0, 0x7f, 0x7f, 0x7f, 0x80])))).toBeUndefined();
    expect(id3TagAt(cat(latin1('ID3'), new Uint8Array([4, 0xff, 0, 0, 0, 0, 0])))).toBeUndefined();
    expect(id3TagAt(bytes('ID3 tags are what music players read'))).toBeUndefined();
    expect(id3TagAt(latin1('ID3\x04\x00'))).toBeUndefined();
  });

  it('skips tags that follow one another, and tells an end past the head', () => {
    const two = cat(id3(20), new Uint8Array(20), id3(30, { version: 3 }), new Uint8Array(30), MPEG_FRAME);
    expect(id3Tags(two)).toEqual({ end: 70, count: 2 });
    expect(id3Tags(cat(id3(5000), new Uint8Array(100)))).toEqual({ end: 5010, count: 1 });
    expect(id3Tags(MPEG_FRAME)).toEqual({ end: 0, count: 0 });
  });

  it('walks no further than one tag past the most it takes, or than a tag past 2 MB', () => {
    expect(id3Tags(id3Chain(100_000))).toEqual({ end: 10 * (ID3_TAGS_MAX + 1), count: ID3_TAGS_MAX + 1 });
    expect(id3Tags(cat(id3(3 * MB), new Uint8Array(3 * MB), id3(0)))).toEqual({ end: 10 + 3 * MB, count: 1 });
  });

  it('knows an MPEG audio frame header from bytes that only look like its sync', () => {
    expect(isMpegAudioFrame(MPEG_FRAME)).toBe(true);
    expect(isMpegAudioFrame(new Uint8Array([0xff, 0xf3, 0x64, 0xc4]))).toBe(true); // MPEG-2 Layer III
    expect(isMpegAudioFrame(new Uint8Array([0xff, 0xeb, 0x90, 0x64]))).toBe(false); // reserved version
    expect(isMpegAudioFrame(new Uint8Array([0xff, 0xf1, 0x50, 0x80]))).toBe(false); // layer 0: ADTS
    expect(isMpegAudioFrame(new Uint8Array([0xff, 0xfb, 0xf0, 0x64]))).toBe(false); // bad bit rate
    expect(isMpegAudioFrame(new Uint8Array([0xff, 0xfb, 0x9c, 0x64]))).toBe(false); // reserved sample rate
    expect(isMpegAudioFrame(latin1('MZ\x90\x00'))).toBe(false);
    expect(isMpegAudioFrame(new Uint8Array([0xff, 0xfb]))).toBe(false);
  });

  it('asks an MPEG frame for a successor where the bytes reach it', () => {
    // 128 kbit/s at 44.1 kHz: 417 bytes a frame, 418 with the padding bit; 64 kbit/s at 24 kHz (MPEG-2): 192.
    expect(isMpegAudioFrame(mpegFrames(3))).toBe(true);
    const padded = cat(new Uint8Array([0xff, 0xfb, 0x92, 0x64]), new Uint8Array(414), mpegFrames(1));
    expect(isMpegAudioFrame(padded)).toBe(true);
    expect(isMpegAudioFrame(cat(new Uint8Array([0xff, 0xf3, 0x84, 0xc4]), new Uint8Array(188), MPEG_FRAME))).toBe(true);
    expect(isMpegAudioFrame(cat(mpegFrames(1), latin1('MZ\x90\x00')))).toBe(false);
    expect(isMpegAudioFrame(cat(mpegFrames(1).subarray(0, 416), MPEG_FRAME))).toBe(false);
    // Free format: the length is not in the header, so there is no successor to look for.
    expect(isMpegAudioFrame(cat(new Uint8Array([0xff, 0xfb, 0x04, 0x64]), new Uint8Array(1000)))).toBe(true);
  });

  it('knows an AAC (ADTS) frame by its whole header and its successor, not by two bytes of sync', () => {
    const frames = adtsFrames(3);
    expect(isAdtsFrame(frames)).toBe(true);
    expect(isAdtsFrame(frames.subarray(0, 40))).toBe(true); // the successor's header is cut off
    expect(isAdtsFrame(cat(frames.subarray(0, 32), latin1('MZ\x90\x00 and more of a program')))).toBe(false);
    expect(isAdtsFrame(new Uint8Array([0xff, 0xf1, 0x50, 0x80]))).toBe(false);
    expect(isAdtsFrame(cat(new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0, 0, 0]), new Uint8Array(100)))).toBe(false); // frame length 0
    const reservedRate = Buffer.from(frames);
    reservedRate[2] = 0x50 | (13 << 2);
    expect(isAdtsFrame(reservedRate)).toBe(false);
    expect(isAdtsFrame(MPEG_FRAME)).toBe(false);
  });
});

describe('sniffTarget', () => {
  const tag = cat(id3(100), new Uint8Array(100));

  it('gives the sniffer an untagged head whole, and a tagged one from its first audio frame', () => {
    const plain = cat(latin1('%PDF-1.4'), new Uint8Array(100));
    expect(sniffTarget(plain)).toBe(plain);
    expect(sniffTarget(cat(tag, mpegFrames(2)))).toEqual(mpegFrames(2));
    expect(sniffTarget(cat(tag, new Uint8Array(700), mpegFrames(2)))).toEqual(mpegFrames(2));
    expect(sniffTarget(cat(tag, latin1('junk\xff\x00'), adtsFrames(2)))).toEqual(adtsFrames(2));
  });

  it('gives what the tags hide when no audio follows them, and nothing when they reach past the head', () => {
    expect(sniffTarget(cat(tag, latin1('MZ\x90\x00')))).toEqual(latin1('MZ\x90\x00'));
    expect(sniffTarget(id3(5000)).length).toBe(0);
  });
});

describe('mediaHeadBytes', () => {
  const KB = 1024;
  const headOf = (file: Uint8Array, n = 64 * KB) => file.subarray(0, n);

  it('wants nothing more of a file that is neither tagged audio nor ISO media', () => {
    expect(mediaHeadBytes(new Uint8Array(64 * KB))).toBe(64 * KB);
  });

  it('asks for the bytes past a long ID3 tag, and none past one longer than it reads', () => {
    expect(mediaHeadBytes(headOf(cat(id3(300 * KB), new Uint8Array(300 * KB))))).toBe(10 + 300 * KB + 4 * KB);
    expect(mediaHeadBytes(headOf(cat(id3(0x0fffffff), new Uint8Array(64 * KB))))).toBe(64 * KB);
    expect(mediaHeadBytes(cat(id3(100), new Uint8Array(100), MPEG_FRAME))).toBe(10 + 100 + 4 * KB);
  });

  it('reads on to the end of a moov before the media data, within the bound', () => {
    const file = cat(ftyp(), box('moov', new Uint8Array(150 * KB)), mdat());
    expect(mediaHeadBytes(headOf(file))).toBe(ftyp().length + 8 + 150 * KB);
    expect(mediaHeadBytes(headOf(cat(ftyp(), cat(u32(5 * 1024 * KB), latin1('moov')), new Uint8Array(64 * KB))))).toBe(MEDIA_HEAD_MAX_BYTES);
  });

  it('looks for the box after padding, and stops at the media data', () => {
    const padded = cat(ftyp(), box('free', new Uint8Array(300 * KB)), moov(), mdat());
    expect(mediaHeadBytes(headOf(padded))).toBe(ftyp().length + 8 + 300 * KB + 16);
    expect(mediaHeadBytes(headOf(cat(ftyp(), mdat(200 * KB), moov())))).toBe(64 * KB);
    expect(mediaHeadBytes(headOf(cat(ftyp(), largeBox('mdat', new Uint8Array(200 * KB)), moov())))).toBe(64 * KB);
  });

  it('gives up on hostile sizes instead of reading far or looping', () => {
    const ft = ftyp();
    expect(mediaHeadBytes(cat(ft, u32(3), latin1('free'), new Uint8Array(64 * KB)))).toBe(ft.length + 8 + 64 * KB);
    expect(mediaHeadBytes(cat(ft, u32(0), latin1('free'), new Uint8Array(64 * KB)))).toBe(ft.length + 8 + 64 * KB);
    const huge = cat(ft, u32(1), latin1('free'), u32(0x7fffffff), u32(0), new Uint8Array(100));
    expect(mediaHeadBytes(huge)).toBe(huge.length);
  });

  it('asks for at least twice the head when it asks for more', () => {
    const padded = cat(ftyp(), box('free', new Uint8Array(100 * KB)), moov(), mdat());
    expect(mediaHeadBytes(headOf(padded))).toBe(128 * KB);
    const long = cat(ftyp(), box('free', new Uint8Array(1600 * KB)), moov(), mdat());
    expect(mediaHeadBytes(headOf(long, 1536 * KB))).toBe(MEDIA_HEAD_MAX_BYTES);
  });

  /** How many reads a file takes when each one gets just what the one before asked for. */
  const passes = (file: Uint8Array) => {
    let count = 1;
    for (let n = 64 * KB, wanted = mediaHeadBytes(headOf(file, n)); wanted > n && n < file.length; wanted = mediaHeadBytes(headOf(file, n))) {
      n = wanted;
      count += 1;
    }
    return count;
  };

  it('reads a file whose every box asks for the next in a handful of passes', () => {
    const boxes = Array.from({ length: 60 }, () => box('free', new Uint8Array(30 * KB)));
    expect(passes(cat(ftyp(), ...boxes, moov(), mdat()))).toBeLessThanOrEqual(7);
  });

  it('walks a bounded number of boxes or tags, and reads no further past the bound', () => {
    const boxes = emptyBoxes(100_000);
    expect(mediaHeadBytes(boxes)).toBe(boxes.length);
    expect(isoTracks(cat(emptyBoxes(64), moov(trak('vide', 'hev1'))))).toBeUndefined();
    expect(isoTracks(cat(emptyBoxes(62), moov(trak('vide', 'hev1'))))).toEqual([{ handler: 'vide', codecs: ['hev1'], shown: true }]);
    const frees = (n: number) => Array.from({ length: n }, () => box('free'));
    expect(isoTracks(cat(ftyp(), moov(...frees(62), trak('vide', 'hev1'))))).toHaveLength(1);
    expect(isoTracks(cat(ftyp(), moov(...frees(63), trak('vide', 'hev1'))))).toEqual([]);
    const tags = id3Chain(100_000);
    expect(mediaHeadBytes(tags)).toBe(tags.length);
    expect(passes(tags)).toBe(1);
  });
});

describe('isoTracks', () => {
  it('finds each track’s handler and sample entries', () => {
    const file = cat(ftyp(), moov(trak('vide', 'avc1'), trak('soun', 'mp4a')), mdat());
    expect(isoTracks(file)).toEqual([
      { handler: 'vide', codecs: ['avc1'], shown: true },
      { handler: 'soun', codecs: ['mp4a'], shown: true },
    ]);
  });

  it('walks 64-bit largesize boxes and a last box of size 0 (to the end)', () => {
    const inner = cat(fullBox('mvhd', new Uint8Array(96)), trak('vide', 'hev1'));
    const open = cat(u32(0), latin1('moov'), inner);
    expect(isoTracks(cat(ftyp(), largeBox('free', new Uint8Array(10)), open))).toEqual([{ handler: 'vide', codecs: ['hev1'], shown: true }]);
    expect(isoTracks(cat(ftyp(), largeBox('moov', inner), mdat()))).toEqual([{ handler: 'vide', codecs: ['hev1'], shown: true }]);
  });

  it('has no tracks to tell when the head does not reach the moov after the media data', () => {
    const atEnd = cat(ftyp(), mdat(100 * 1024), moov(trak('vide', 'hev1')));
    expect(isoTracks(atEnd.subarray(0, 64 * 1024))).toBeUndefined();
    expect(isoTracks(atEnd)).toEqual([{ handler: 'vide', codecs: ['hev1'], shown: true }]);
    expect(isoTracks(cat(ftyp(), box('free', new Uint8Array(8))))).toBeUndefined();
    expect(isoTracks(bytes('not ISO media at all'))).toBeUndefined();
  });

  it('keeps what a moov cut off by the head holds', () => {
    const file = cat(ftyp(), moov(trak('vide', 'avc1'), trak('soun', 'Opus')), mdat());
    const cut = file.length - mdat().length - 40;
    expect(isoTracks(file.subarray(0, cut))).toEqual([
      { handler: 'vide', codecs: ['avc1'], shown: true },
      { handler: 'soun', codecs: [], shown: true },
    ]);
  });

  it('tells a track players do not show: disabled, or another track’s chapter pictures', () => {
    const shown = (o: Parameters<typeof movie>[0]) => isoTracks(movie(o))?.map((t) => [t.codecs[0], t.shown]);
    expect(shown({ video: 'avc1', audio: 'mp4a', chapterImages: {} })).toEqual([
      ['avc1', true],
      ['mp4a', true],
      ['jpeg', false],
    ]);
    expect(shown({ video: 'avc1', chapterImages: { enabled: true } })).toEqual([
      ['avc1', true],
      ['jpeg', false],
    ]);
    expect(shown({ audio: 'mp4a', chapterImages: { enabled: true } })).toEqual([
      ['mp4a', true],
      ['jpeg', false],
    ]);
    expect(shown({ video: 'avc1', chapterImages: { referenced: false } })).toEqual([
      ['avc1', true],
      ['jpeg', false],
    ]);
    expect(shown({ video: 'avc1', chapterImages: { enabled: true, referenced: false } })).toEqual([
      ['avc1', true],
      ['jpeg', true],
    ]);
  });

  it('never throws or loops on hostile sizes', () => {
    const good = cat(ftyp(), moov(trak('vide', 'avc1'), trak('soun', 'mp4a')), mdat());
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 3000; i++) {
      const bad = good.slice();
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        // Mostly hit size fields (every box starts with one), sometimes anything.
        const at = Math.floor(random() * bad.length);
        bad.set(random() < 0.5 ? [0, 0, 0, 0] : random() < 0.5 ? [0xff, 0xff, 0xff, 0xff] : [0, 0, 0, Math.floor(random() * 256)], Math.min(at, bad.length - 4));
        if (random() < 0.3) bad.set([0, 0, 0, 1], Math.min(at, bad.length - 4));
      }
      expect(() => isoTracks(bad)).not.toThrow();
      expect(() => mediaHeadBytes(bad)).not.toThrow();
    }
  });
});

describe('classifyMedia: audio behind ID3 tags', () => {
  const tagged = (after: Uint8Array, tagBytes = 1000) => cat(id3(tagBytes), new Uint8Array(tagBytes), after);

  it('takes MP3 frames and AAC after a tag', () => {
    expect(classifyMedia(movieUpload('song.mp3', 'mp3', tagged(MPEG_FRAME)))).toMatchObject({ kind: 'audio', mimeType: 'audio/mpeg' });
    expect(classifyMedia(movieUpload('voice.aac', 'aac', tagged(adtsFrames())))).toMatchObject({ mimeType: 'audio/aac' });
  });

  it('takes AAC only in whole ADTS frames, not on two bytes of sync', () => {
    const sync = new Uint8Array([0xff, 0xf1, 0x50, 0x80]);
    expect(refusal(movieUpload('voice.aac', 'aac', tagged(sync))).message).toMatch(/is really an MP3 tag \(ID3\) with no audio after it;/);
    expect(refusal(movieUpload('voice.aac', 'aac', tagged(cat(sync, new Uint8Array(3), latin1('MZ\x90\x00'))))).code).toBe('MEDIA_DISGUISED');
  });

  it('skips the padding or junk players skip between the tags and the first frame', () => {
    expect(classifyMedia(movieUpload('song.mp3', 'mp3', tagged(cat(new Uint8Array(1500), mpegFrames()))))).toMatchObject({ mimeType: 'audio/mpeg' });
    expect(classifyMedia(movieUpload('song.mp3', 'mp3', tagged(cat(latin1('TAG\xff\xfb junk'), mpegFrames()))))).toMatchObject({ mimeType: 'audio/mpeg' });
    expect(classifyMedia(movieUpload('voice.aac', 'aac', tagged(cat(new Uint8Array(16), adtsFrames()))))).toMatchObject({ mimeType: 'audio/aac' });
    // Only so far: players do not search a whole file for its audio.
    expect(refusal(movieUpload('song.mp3', 'mp3', tagged(cat(new Uint8Array(3000), mpegFrames())))).message).toMatch(/no audio after it/);
  });

  it('refuses a file starting with more tags than an MP3 has, in words', () => {
    expect(classifyMedia(movieUpload('song.mp3', 'mp3', id3Chain(ID3_TAGS_MAX)))).toMatchObject({ mimeType: 'audio/mpeg' });
    expect(refusal(movieUpload('song.mp3', 'mp3', id3Chain(ID3_TAGS_MAX + 1), false))).toMatchObject({
      kind: 'unsupported',
      code: 'MEDIA_ID3_TOO_MANY',
      message: 'This file starts with more than 8 MP3 tags (ID3) one after another, where an MP3 has one or two: remove the extra tags and upload it again',
    });
    expect(refusal(movieUpload('song.mp3', 'mp3', id3Chain(100_000), false)).code).toBe('MEDIA_ID3_TOO_MANY');
  });

  it('refuses a tag claiming more than the whole file', () => {
    const disguised = cat(id3(0x0fffffff), latin1('MZ'), new Uint8Array(510));
    expect(refusal(movieUpload('song.mp3', 'mp3', disguised))).toMatchObject({
      kind: 'unsupported',
      code: 'MEDIA_DISGUISED',
      message: 'song.mp3 is really a broken MP3 whose tag (ID3) claims 256 MB in a file of 522 bytes; WhatsApp takes AAC, AMR, MP3, M4A or Ogg Opus audio',
    });
    expect(refusal(movieUpload('tool', 'mp3', disguised)).code).toBe('MEDIA_UNSUPPORTED');
  });

  it('refuses a tag longer than is read, in words, even when more of the file happened to be read', () => {
    const head = cat(id3(3 * 1024 * 1024), new Uint8Array(64 * 1024));
    const whole = cat(id3(3 * 1024 * 1024), new Uint8Array(3 * 1024 * 1024), MPEG_FRAME);
    expect(refusal(movieUpload('song.mp3', 'mp3', whole, false)).code).toBe('MEDIA_ID3_TOO_LARGE');
    expect(refusal(movieUpload('song.mp3', 'mp3', head, false))).toMatchObject({
      kind: 'unsupported',
      code: 'MEDIA_ID3_TOO_LARGE',
      message:
        'This file starts with an MP3 tag (ID3) claiming 3 MB; Chorus looks for the audio only within the first 2 MB: remove the cover art from the tag, or the tag itself, and upload it again',
    });
  });

  it('names what a tag hides, and takes no other format behind one', () => {
    expect(refusal(movieUpload('song.mp3', 'exe', tagged(latin1('MZ')))).message).toBe(
      'song.mp3 is really a Windows program (exe); WhatsApp takes AAC, AMR, MP3, M4A or Ogg Opus audio',
    );
    expect(refusal(movieUpload('song.mp3', 'png', tagged(new Uint8Array(8)))).message).toBe(
      'song.mp3 is really a PNG file behind an MP3 tag (ID3); WhatsApp takes AAC, AMR, MP3, M4A or Ogg Opus audio',
    );
    expect(refusal(movieUpload('voice.m4a', 'm4a', tagged(new Uint8Array(8)))).message).toMatch(/is really an M4A file behind an MP3 tag/);
    expect(refusal(unsniffed('song.mp3', tagged(new Uint8Array(8)))).message).toMatch(/is really an MP3 tag \(ID3\) with no audio after it;/);
    // The sniffer's MP3 is two bytes of sync; a frame header with a bad bit rate is none.
    expect(refusal(movieUpload('song.mp3', 'mp3', tagged(new Uint8Array([0xff, 0xfb, 0xf0, 0x64])))).message).toMatch(/no audio after it/);
  });

  it('does not take text that starts with "ID3" for a tag', () => {
    expect(classifyMedia(movieUpload('notes.txt', 'mp3', bytes('ID3 tags are what music players read.\n')))).toMatchObject({ mimeType: 'text/plain' });
  });
});

describe('classifyMedia: codecs of ISO media', () => {
  const mp4 = (...traks: Uint8Array[]) => cat(ftyp(), moov(...traks), mdat());

  it('takes H.264 video with AAC sound, or without sound', () => {
    expect(classifyMedia(movieUpload('clip.mp4', 'mp4', mp4(trak('vide', 'avc1'), trak('soun', 'mp4a'))))).toMatchObject({ mimeType: 'video/mp4' });
    expect(classifyMedia(movieUpload('clip.mp4', 'mp4', mp4(trak('vide', 'avc3'))))).toMatchObject({ mimeType: 'video/mp4' });
    expect(classifyMedia(movieUpload('clip.3gp', '3gp', mp4(trak('vide', 'avc1'), trak('soun', 'mp4a'), trak('text', 'tx3g'))))).toMatchObject({
      mimeType: 'video/3gpp',
    });
  });

  it.each([
    ['hev1', 'as HEVC (H.265)'],
    ['hvc1', 'as HEVC (H.265)'],
    ['vp09', 'as VP9'],
    ['av01', 'as AV1'],
    ['s263', 'as H.263'],
    ['xyz1', 'with the codec "xyz1"'],
    ['\u0001\u0002\u0003\u0004', 'with an unknown codec'],
  ])('refuses %j video in words', (code, words) => {
    const err = refusal(movieUpload('clip.mp4', 'mp4', mp4(trak('vide', code), trak('soun', 'mp4a'))));
    expect(err).toMatchObject({
      kind: 'unsupported',
      code: 'MEDIA_VIDEO_NOT_H264',
      message: `This video is encoded ${words}; WhatsApp plays only H.264 video with AAC sound: re-export it as an H.264 MP4 and upload it again`,
    });
  });

  it('refuses a video whose sound is not AAC', () => {
    expect(refusal(movieUpload('clip.mp4', 'mp4', mp4(trak('vide', 'avc1'), trak('soun', 'Opus'))))).toMatchObject({
      code: 'MEDIA_AUDIO_NOT_AAC',
      message: "This video's sound is encoded as Opus; WhatsApp plays only H.264 video with AAC sound: re-export it with AAC sound and upload it again",
    });
    expect(refusal(movieUpload('clip.3gp', '3gp', mp4(trak('vide', 'avc1'), trak('soun', 'samr')))).message).toMatch(/sound is encoded as AMR;/);
  });

  it('ignores chapter pictures, but not a video of JPEG pictures (Motion JPEG)', () => {
    expect(classifyMedia(movieUpload('clip.mp4', 'mp4', movie({ video: 'avc1', audio: 'mp4a', chapterImages: {} })))).toMatchObject({ mimeType: 'video/mp4' });
    expect(classifyMedia(movieUpload('clip.mp4', 'mp4', movie({ video: 'avc1', chapterImages: { enabled: true } })))).toMatchObject({ mimeType: 'video/mp4' });
    expect(classifyMedia(movieUpload('clip.mp4', 'mp4', movie({ video: 'avc1', chapterImages: { referenced: false } })))).toMatchObject({ mimeType: 'video/mp4' });
    expect(refusal(movieUpload('clip.mp4', 'mp4', movie({ video: 'avc1', chapterImages: { enabled: true, referenced: false } })))).toMatchObject({
      code: 'MEDIA_VIDEO_NOT_H264',
      message: 'This video is encoded as Motion JPEG; WhatsApp plays only H.264 video with AAC sound: re-export it as an H.264 MP4 and upload it again',
    });
    expect(refusal(movieUpload('clip.mp4', 'mp4', movie({ video: 'jpeg', audio: 'mp4a' }))).message).toMatch(/^This video is encoded as Motion JPEG;/);
  });

  it('takes AAC in M4A and refuses other codecs, ignoring picture tracks', () => {
    expect(classifyMedia(movieUpload('a.m4a', 'm4a', mp4(trak('soun', 'mp4a'), trak('vide', 'jpeg'))))).toMatchObject({ mimeType: 'audio/mp4' });
    expect(refusal(movieUpload('a.m4a', 'm4a', mp4(trak('soun', 'alac'))))).toMatchObject({
      code: 'MEDIA_AUDIO_NOT_AAC',
      message: "This M4A file's audio is encoded as Apple Lossless (ALAC); WhatsApp takes M4A audio only with the AAC codec: convert it to AAC, MP3 or Ogg Opus",
    });
  });

  it('stays lenient when the moov is not in the head', () => {
    const atEnd = cat(ftyp(), mdat(100 * 1024), moov(trak('vide', 'hev1')));
    expect(classifyMedia(movieUpload('clip.mp4', 'mp4', atEnd.subarray(0, 64 * 1024), false))).toMatchObject({ mimeType: 'video/mp4' });
    // Read whole, the same file's codec is known.
    expect(refusal(movieUpload('clip.mp4', 'mp4', atEnd)).code).toBe('MEDIA_VIDEO_NOT_H264');
  });
});
