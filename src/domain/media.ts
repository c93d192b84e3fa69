/**
 * The media library's rules (../shared/docs/whatsapp-facts.md, A6), pure: which formats WhatsApp takes
 * for each kind, how large each may be, and how an upload is classified from its content — never from
 * its name or the type the uploader declared.
 */
import { DomainError, invalid } from './errors.ts';
import { formatBytes } from './files.ts';

export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

const KB = 1024;
const MB = 1024 * KB;

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

export interface MediaFormat {
  kind: MediaKind;
  /** The type we store and serve; WhatsApp's name for it (Ogg Opus is exactly `audio/ogg`). */
  mimeType: string;
  /** File-name extensions of this format, the usual one first. */
  extensions: readonly string[];
}

export const MEDIA_FORMATS: readonly MediaFormat[] = [
  { kind: 'image', mimeType: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  { kind: 'image', mimeType: 'image/png', extensions: ['png'] },
  { kind: 'video', mimeType: 'video/mp4', extensions: ['mp4', 'm4v'] },
  { kind: 'video', mimeType: 'video/3gpp', extensions: ['3gp', '3gpp'] },
  { kind: 'audio', mimeType: 'audio/aac', extensions: ['aac'] },
  { kind: 'audio', mimeType: 'audio/amr', extensions: ['amr'] },
  { kind: 'audio', mimeType: 'audio/mpeg', extensions: ['mp3'] },
  { kind: 'audio', mimeType: 'audio/mp4', extensions: ['m4a'] },
  { kind: 'audio', mimeType: 'audio/ogg', extensions: ['ogg', 'opus', 'oga'] },
  { kind: 'document', mimeType: 'application/pdf', extensions: ['pdf'] },
  { kind: 'document', mimeType: 'application/msword', extensions: ['doc'] },
  { kind: 'document', mimeType: DOCX, extensions: ['docx'] },
  { kind: 'document', mimeType: 'application/vnd.ms-excel', extensions: ['xls'] },
  { kind: 'document', mimeType: XLSX, extensions: ['xlsx'] },
  { kind: 'document', mimeType: 'application/vnd.ms-powerpoint', extensions: ['ppt'] },
  { kind: 'document', mimeType: PPTX, extensions: ['pptx'] },
  { kind: 'document', mimeType: 'text/plain', extensions: ['txt'] },
  { kind: 'sticker', mimeType: 'image/webp', extensions: ['webp'] },
];

const STATIC_STICKER_MAX_BYTES = 100 * KB;

/** Per kind: WhatsApp's size limit (for stickers the animated one), and the words people read. */
const KIND_RULES: Record<MediaKind, { maxBytes: number; plural: string; takes: string; description: string }> = {
  image: { maxBytes: 5 * MB, plural: 'Images', takes: 'JPEG or PNG images', description: 'JPEG or PNG images, at most 5 MB' },
  video: {
    maxBytes: 16 * MB,
    plural: 'Videos',
    takes: 'MP4 or 3GP videos',
    description: 'MP4 or 3GP videos (H.264 video with AAC sound), at most 16 MB',
  },
  audio: {
    maxBytes: 16 * MB,
    plural: 'Audio files',
    takes: 'AAC, AMR, MP3, M4A or Ogg Opus audio',
    description: 'AAC, AMR, MP3, M4A or Ogg audio (Opus codec only), at most 16 MB',
  },
  document: {
    maxBytes: 100 * MB,
    plural: 'Documents',
    takes: 'PDF, Word, Excel, PowerPoint or plain-text documents',
    description: 'PDF, Word (doc, docx), Excel (xls, xlsx), PowerPoint (ppt, pptx) or plain-text (UTF-8) documents, at most 100 MB',
  },
  sticker: {
    maxBytes: 500 * KB,
    plural: 'Animated stickers',
    takes: 'WebP stickers',
    description: 'WebP stickers, at most 100 KB (500 KB when animated)',
  },
};

/** The largest file any kind accepts: uploads are cut off past it whatever they turn out to be. */
export const MEDIA_MAX_BYTES = Math.max(...MEDIA_KINDS.map((k) => KIND_RULES[k].maxBytes));

export interface MediaKindLimits {
  kind: MediaKind;
  mimeTypes: string[];
  extensions: string[];
  maxBytes: number;
  description: string;
}

/** What the library accepts, kind by kind, for the upload hint. */
export function mediaLimits(): MediaKindLimits[] {
  return MEDIA_KINDS.map((kind) => {
    const formats = MEDIA_FORMATS.filter((f) => f.kind === kind);
    return {
      kind,
      mimeTypes: formats.map((f) => f.mimeType),
      extensions: formats.flatMap((f) => f.extensions),
      maxBytes: KIND_RULES[kind].maxBytes,
      description: KIND_RULES[kind].description,
    };
  });
}


/** What a content sniffer (file-type) recognised: its usual extension and MIME type. */
export interface SniffedType {
  ext: string;
  mime: string;
}

export interface MediaUpload {
  /** The name the uploader gave; it only words messages and picks doc/xls/ppt inside a proven CFB file. */
  fileName: string;
  /** What the sniffer recognised in `sniffTarget(head)`: past the ID3 tags when the head starts with some. */
  sniffed: SniffedType | undefined;
  /** The first bytes of the file (at least as many as `mediaHeadBytes` asks for), or all of it when `complete`. */
  head: Uint8Array;
  complete: boolean;
}

export interface AcceptedMedia {
  kind: MediaKind;
  mimeType: string;
  /** The limit this very file must stay under (a static sticker has a smaller one than an animated one). */
  maxBytes: number;
  /** Who the limit is for, in the too-large message ("Images", "Static stickers"). */
  limitFor: string;
}

const SNIFFED_FORMATS: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  // An animated PNG is a valid PNG: viewers without animation show its first frame.
  apng: 'image/png',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  '3gp': 'video/3gpp',
  aac: 'audio/aac',
  amr: 'audio/amr',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  opus: 'audio/ogg',
  pdf: 'application/pdf',
  docx: DOCX,
  xlsx: XLSX,
  pptx: PPTX,
  webp: 'image/webp',
};

/** What common unsupported files really are, in words (with the article, for "This file is …"). */
const UNSUPPORTED_NAMES: Record<string, string> = {
  exe: 'a Windows program (exe)',
  msi: 'a Windows installer (msi)',
  elf: 'a Linux program (ELF)',
  macho: 'a macOS program (Mach-O)',
  apk: 'an Android app (apk)',
  jar: 'a Java archive (jar)',
  gif: 'a GIF',
  bmp: 'a BMP image',
  tif: 'a TIFF image',
  heic: 'a HEIC image',
  avif: 'an AVIF image',
  jxl: 'a JPEG XL image',
  ico: 'an icon (ico)',
  psd: 'a Photoshop image (psd)',
  zip: 'a zip archive',
  rar: 'a RAR archive',
  '7z': 'a 7-Zip archive',
  gz: 'a gzip archive',
  bz2: 'a bzip2 archive',
  xz: 'an xz archive',
  tar: 'a tar archive',
  mov: 'a QuickTime video (mov)',
  avi: 'an AVI video',
  mkv: 'a Matroska video (mkv)',
  webm: 'a WebM video',
  flv: 'a Flash video (flv)',
  '3g2': 'a 3GPP2 video (3g2)',
  ogv: 'an Ogg video',
  ogm: 'an Ogg video',
  wav: 'a WAV audio file',
  flac: 'a FLAC audio file',
  oga: 'an Ogg FLAC audio file',
  spx: 'an Ogg Speex audio file',
  rtf: 'an RTF document',
  epub: 'an e-book (epub)',
  odt: 'an OpenDocument text',
  ods: 'an OpenDocument spreadsheet',
  odp: 'an OpenDocument presentation',
  xml: 'an XML document',
  sqlite: 'an SQLite database',
};

const CFB_DOCUMENTS: Record<string, string> = { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' };

const extensionOf = (fileName: string) => /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
const formatOfMime = (mimeType: string) => MEDIA_FORMATS.find((f) => f.mimeType === mimeType)!;

/** The supported format a file name claims, if any. */
function claimedFormat(fileName: string): MediaFormat | undefined {
  const ext = extensionOf(fileName);
  return MEDIA_FORMATS.find((f) => f.extensions.includes(ext));
}

function unsupported(code: string, message: string) {
  return new DomainError('unsupported', code, message);
}

/**
 * Plain text has no magic number, so it is taken only when the head is valid UTF-8 without NUL
 * bytes and is not markup: an HTML page or SVG would run scripts if a browser rendered it.
 */
function identifyText(head: Uint8Array, complete: boolean): MediaFormat | string {
  let text: string;
  try {
    // `stream` tolerates a character cut in two at the end of the head when more of the file follows.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
  } catch {
    return 'a file of an unrecognised type';
  }
  if (head.includes(0)) return 'a file of an unrecognised type';
  const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 2048).toLowerCase();
  if (/<svg[\s>]/.test(start) && start.startsWith('<')) return 'an SVG image';
  if (start.startsWith('<?xml')) return 'an XML document';
  if (/^<(!|[a-z])/.test(start)) return 'a web page (HTML)';
  return formatOfMime('text/plain');
}

/** The format the content proves, or what it really is in words when WhatsApp does not take it. */
function identify(u: MediaUpload): MediaFormat | string {
  // The sniffer calls every XML file "xml"; an SVG image among them is worth naming.
  if (!u.sniffed || u.sniffed.ext === 'xml') return identifyText(u.head, u.complete);
  const { ext } = u.sniffed;
  if (ext === 'ogg') {
    throw unsupported('MEDIA_OGG_NOT_OPUS', 'This Ogg file holds Vorbis audio; WhatsApp takes Ogg audio only with the Opus codec: convert it to Opus, MP3 or M4A');
  }
  if (ext === 'cfb') {
    // A compound file (CFB) has no type of its own: only after the content proved to be one may the
    // name tell a Word, Excel or PowerPoint file apart.
    const office = CFB_DOCUMENTS[extensionOf(u.fileName)];
    if (office) return formatOfMime(office);
    throw unsupported(
      'MEDIA_UNSUPPORTED',
      `${u.fileName} is an older Microsoft Office file or another compound document: if it is a Word, Excel or PowerPoint file, name it .doc, .xls or .ppt and upload it again`,
    );
  }
  const known = SNIFFED_FORMATS[ext];
  if (known) return formatOfMime(known);
  return unsupportedWords(u.sniffed);
}

const unsupportedWords = ({ ext, mime }: SniffedType) => UNSUPPORTED_NAMES[ext] ?? `a file of type ${mime} (.${ext})`;

/** An animated WebP has the animation flag in its extended header (VP8X). */
export function isAnimatedWebp(head: Uint8Array): boolean {
  const chunk = String.fromCharCode(...head.subarray(12, 16));
  return chunk === 'VP8X' && head.length > 20 && (head[20]! & 0x02) !== 0;
}

// ---------------------------------------------------------------------------------------------------
// ID3v2 tags. A sniffer that meets a tag longer than the bytes it was given calls the file MP3 without
// seeing any audio, so "ID3" and a huge size could carry anything. The audio after the tags is what
// proves an MP3 (or an AAC stream: ADTS files carry ID3 tags too).

/** Tags may hold cover art (commonly 100 KB–1 MB); longer ones are refused rather than read. */
export const ID3_MAX_BYTES = 2 * MB;
/**
 * Players write one tag, and a tagger that keeps the old one two: a long run of them is no MP3, and
 * a run of empty 10-byte tags would otherwise be walked tag by tag on every read of the head.
 */
export const ID3_TAGS_MAX = 8;
/** How far past the tags the first audio frame may start: players skip the padding or junk before it. */
const AUDIO_SEARCH_BYTES = 2 * KB;
/** Enough past the tags to find the first frame and the one after it (an MP3 frame is at most 1,441 bytes). */
const AFTER_TAG_BYTES = 4 * KB;
/** The most of a file's start the classifier ever asks to see (an ISO `moov` is read within it too). */
export const MEDIA_HEAD_MAX_BYTES = ID3_MAX_BYTES + AFTER_TAG_BYTES;

const ID3_HEADER_BYTES = 10;
const startsWith = (bytes: Uint8Array, at: number, text: string) =>
  at + text.length <= bytes.length && [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

/**
 * The ID3v2 tag whose header is at `at`: where it ends (possibly past the bytes given), or
 * `undefined` when no valid header is there. A header's size bytes are syncsafe (7 bits each) and
 * its version 2–4, which also keeps text that merely starts with "ID3" from passing for a tag.
 */
export function id3TagAt(bytes: Uint8Array, at = 0): { end: number } | undefined {
  if (at + ID3_HEADER_BYTES > bytes.length || !startsWith(bytes, at, 'ID3')) return undefined;
  const byte = (i: number) => bytes[at + i]!;
  const major = byte(3);
  if (major < 2 || major > 4 || byte(4) === 0xff || [6, 7, 8, 9].some((i) => byte(i) >= 0x80)) return undefined;
  const size = (byte(6) << 21) | (byte(7) << 14) | (byte(8) << 7) | byte(9);
  // Only ID3v2.4 has a footer, flagged by bit 4 and as long as the header.
  const footer = major === 4 && (byte(5) & 0x10) !== 0 ? ID3_HEADER_BYTES : 0;
  return { end: at + ID3_HEADER_BYTES + size + footer };
}

export interface Id3Tags {
  /** Where the content after the tags begins (0 without tags); it may lie past the head. */
  end: number;
  /** How many tags follow one another, counted up to one past ID3_TAGS_MAX. */
  count: number;
}

/**
 * The ID3v2 tags at the start of a file, each skipped. The walk stops where either bound is passed,
 * since the file is then refused whatever follows: so a tag past ID3_MAX_BYTES is never counted.
 */
export function id3Tags(head: Uint8Array): Id3Tags {
  let end = 0;
  let count = 0;
  for (let tag = id3TagAt(head, end); tag && count <= ID3_TAGS_MAX && end <= ID3_MAX_BYTES; tag = id3TagAt(head, end)) {
    end = tag.end;
    count += 1;
  }
  return { end, count };
}

/** Bit rates (kbit/s) by index: MPEG-1 layers I, II and III, then MPEG-2/2.5 layer I, then its layers II and III. */
const MPEG_KBPS = [
  [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];
/** MPEG-1's sample rates; MPEG-2 has half of each, MPEG-2.5 a quarter. */
const MPEG_SAMPLE_RATES = [44100, 48000, 32000];

/**
 * The length of the MPEG audio frame whose header is at `at`: the 11-bit sync, then a version,
 * layer, bit rate and sample rate that are not the reserved values. 0 for a free-format frame (its
 * bit rate, hence its length, is not in the header); `undefined` when no such header is there.
 */
function mpegFrameBytes(b: Uint8Array, at: number): number | undefined {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (b[at + 1]! >> 3) & 0x03;
  const layer = 4 - ((b[at + 1]! >> 1) & 0x03);
  const bitrate = b[at + 2]! >> 4;
  const sampleRate = (b[at + 2]! >> 2) & 0x03;
  if (version === 0b01 || layer === 4 || bitrate === 0b1111 || sampleRate === 0b11) return undefined;
  if (bitrate === 0) return 0;
  const mpeg1 = version === 0b11;
  const bitsPerSecond = 1000 * MPEG_KBPS[mpeg1 ? layer - 1 : layer === 1 ? 3 : 4]![bitrate]!;
  const samplesPerSecond = MPEG_SAMPLE_RATES[sampleRate]! / (mpeg1 ? 1 : version === 0b10 ? 2 : 4);
  const padding = (b[at + 2]! >> 1) & 0x01;
  if (layer === 1) return (Math.floor((12 * bitsPerSecond) / samplesPerSecond) + padding) * 4;
  // A layer III frame of MPEG-2 or 2.5 holds half as many samples.
  return Math.floor(((layer === 3 && !mpeg1 ? 72 : 144) * bitsPerSecond) / samplesPerSecond) + padding;
}

/**
 * The length of the AAC (ADTS) frame whose header is at `at`: the 12-bit sync, layer 0, a sampling
 * frequency index that is not reserved, and a frame at least as long as its header (9 bytes with a
 * CRC); `undefined` when no such header is there.
 */
function adtsFrameBytes(b: Uint8Array, at: number): number | undefined {
  if (at + 7 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xf6) !== 0xf0 || ((b[at + 2]! >> 2) & 0x0f) >= 13) return undefined;
  const length = ((b[at + 3]! & 0x03) << 11) | (b[at + 4]! << 3) | (b[at + 5]! >> 5);
  return length >= ((b[at + 1]! & 0x01) === 1 ? 7 : 9) ? length : undefined;
}

/**
 * A frame header at the start of `bytes` whose successor, when `bytes` hold its header, is one too:
 * a sync-like byte pair in other data rarely gets a whole header right, let alone two in a row.
 */
function isFrame(bytes: Uint8Array, frameBytes: (b: Uint8Array, at: number) => number | undefined, headerBytes: number): boolean {
  const length = frameBytes(bytes, 0);
  if (length === undefined) return false;
  return length === 0 || length + headerBytes > bytes.length || frameBytes(bytes, length) !== undefined;
}

/** An MPEG audio frame (MP3, or MP2/MP1) starts `bytes`. */
export const isMpegAudioFrame = (bytes: Uint8Array) => isFrame(bytes, mpegFrameBytes, 4);
/** An AAC frame in an ADTS stream starts `bytes`. */
export const isAdtsFrame = (bytes: Uint8Array) => isFrame(bytes, adtsFrameBytes, 7);

/** The first MPEG or ADTS frame within AUDIO_SEARCH_BYTES after the tags, and the sniffer's name for it. */
function audioAfterTags(head: Uint8Array, tagsEnd: number): { at: number; ext: 'mp3' | 'aac' } | undefined {
  const searched = head.subarray(0, tagsEnd + AUDIO_SEARCH_BYTES);
  for (let at = searched.indexOf(0xff, tagsEnd); at !== -1; at = searched.indexOf(0xff, at + 1)) {
    const frame = head.subarray(at);
    if (isMpegAudioFrame(frame)) return { at, ext: 'mp3' };
    if (isAdtsFrame(frame)) return { at, ext: 'aac' };
  }
  return undefined;
}

/**
 * The bytes the content sniffer should see: an untagged head whole; behind ID3 tags, the first
 * audio frame on, or else what the tags hide (nothing when they reach past the head).
 */
export function sniffTarget(head: Uint8Array): Uint8Array {
  const { end } = id3Tags(head);
  if (end === 0) return head;
  return head.subarray(audioAfterTags(head, end)?.at ?? end);
}

// ---------------------------------------------------------------------------------------------------
// ISO media (MP4, 3GP, M4A). The brand in `ftyp` says nothing about codecs: WhatsApp plays only H.264
// video with AAC sound, which only the sample descriptions in `moov` tell.

interface IsoBox {
  type: string;
  body: number;
  /** May lie past the bytes given (the box goes on beyond the head), or be Infinity (size 0 at the top). */
  end: number;
}

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4));

/**
 * The box whose header is at `at` inside a parent ending at `parentEnd`. `'short'` when the header is
 * not within the bytes given, `'bad'` when its size cannot be (smaller than its header, or past
 * its parent): hostile sizes end the walk instead of looping or throwing.
 */
function isoBoxAt(b: Uint8Array, at: number, parentEnd: number): IsoBox | 'short' | 'bad' {
  if (at + 8 > b.length) return 'short';
  const size = u32(b, at);
  let body = at + 8;
  let end: number;
  if (size === 1) {
    if (at + 16 > b.length) return 'short';
    // A 64-bit `largesize`: exact up to 2^53, and a larger one lies far past any head anyway.
    end = at + u32(b, at + 8) * 2 ** 32 + u32(b, at + 12);
    body = at + 16;
  } else if (size === 0) {
    end = parentEnd;
  } else {
    end = at + size;
  }
  if (end < body || end > parentEnd) return 'bad';
  return { type: fourcc(b, at + 4), body, end };
}

/**
 * How many boxes are walked at one level. A real file has a handful at each (at the top: ftyp, maybe
 * free, wide or uuid, moov, mdat; in a moov: mvhd, its tracks, udta); a crafted one of countless
 * empty boxes must not be walked box by box. What lies past so many counts as not in the head, as a
 * `moov` after the media data does.
 */
const ISO_BOXES_MAX = 64;

/** The first ISO_BOXES_MAX child boxes of [from, to) whose headers are within the bytes given. */
function* isoChildren(b: Uint8Array, from: number, to: number): Generator<IsoBox> {
  // Every box is at least its 8-byte header long, so each step moves forward.
  for (let at = from, walked = 0; at < to && walked < ISO_BOXES_MAX; walked++) {
    const box = isoBoxAt(b, at, to);
    if (typeof box === 'string') return;
    yield box;
    at = box.end;
  }
}

const isoChild = (b: Uint8Array, parent: IsoBox | undefined, type: string) => {
  if (!parent) return undefined;
  for (const box of isoChildren(b, parent.body, parent.end)) if (box.type === type) return box;
  return undefined;
};

const isIsoMedia = (head: Uint8Array) => startsWith(head, 4, 'ftyp');

/** The top-level `moov` box, when the head reaches its header. */
function isoMoov(head: Uint8Array): IsoBox | undefined {
  if (!isIsoMedia(head)) return undefined;
  for (const box of isoChildren(head, 0, Infinity)) if (box.type === 'moov') return box;
  return undefined;
}

/** Whether the head holds the first `bytes` of a box's body. */
const holds = (head: Uint8Array, box: IsoBox, bytes: number) => box.body + bytes <= Math.min(box.end, head.length);

export interface IsoTrack {
  /** `vide`, `soun`, …: the handler of the track's media, when its `hdlr` box is in the head. */
  handler: string | undefined;
  /** The four-character codes of the track's sample entries (`avc1`, `mp4a`, `hvc1`…) within the head. */
  codecs: string[];
  /**
   * Whether players show the track as part of the movie: not when its `tkhd` disables it, nor when
   * another track takes it for chapter pictures (`tref` → `chap`), as Apple's chapter thumbnails
   * are. A track whose `tkhd` is not in the head is taken as shown.
   */
  shown: boolean;
}

/**
 * The tracks of the movie, as far as the head holds them; `undefined` when the head has no `moov`
 * (a file that is not "fast start" keeps it at its end).
 */
export function isoTracks(head: Uint8Array): IsoTrack[] | undefined {
  const moov = isoMoov(head);
  if (!moov) return undefined;
  const tracks: Array<Omit<IsoTrack, 'shown'> & { id: number | undefined; enabled: boolean }> = [];
  const chapterIds = new Set<number>();
  for (const trak of isoChildren(head, moov.body, moov.end)) {
    if (trak.type !== 'trak') continue;
    // A full box: version and flags (bit 0: enabled), creation and modification times (64-bit in
    // version 1), then the track's ID.
    const tkhd = isoChild(head, trak, 'tkhd');
    const idAt = tkhd && head[tkhd.body] === 1 ? 20 : 12;
    const enabled = !tkhd || !holds(head, tkhd, 4) || (head[tkhd.body + 3]! & 0x01) !== 0;
    const id = tkhd && holds(head, tkhd, idAt + 4) ? u32(head, tkhd.body + idAt) : undefined;
    const chap = isoChild(head, isoChild(head, trak, 'tref'), 'chap');
    if (chap) for (let at = chap.body; at + 4 <= Math.min(chap.end, head.length); at += 4) chapterIds.add(u32(head, at));
    const mdia = isoChild(head, trak, 'mdia');
    const hdlr = isoChild(head, mdia, 'hdlr');
    // A full box: version and flags, pre_defined, then the handler type.
    const handler = hdlr && holds(head, hdlr, 12) ? fourcc(head, hdlr.body + 8) : undefined;
    const stsd = isoChild(head, isoChild(head, isoChild(head, mdia, 'minf'), 'stbl'), 'stsd');
    const codecs: string[] = [];
    if (stsd && stsd.body + 8 <= head.length) {
      const count = Math.min(u32(head, stsd.body + 4), 16);
      for (const entry of isoChildren(head, stsd.body + 8, stsd.end)) {
        if (codecs.length >= count) break;
        codecs.push(entry.type);
      }
    }
    tracks.push({ id, enabled, handler, codecs });
  }
  return tracks.map(({ id, enabled, handler, codecs }) => ({ handler, codecs, shown: enabled && (id === undefined || !chapterIds.has(id)) }));
}

/** How much of the head the classifier needs: past the ID3 tags to the audio, or to the end of a `moov` before the media data. */
function headBytesNeeded(head: Uint8Array): number {
  const tags = id3Tags(head);
  if (tags.end > 0) {
    // Past either bound the file is refused, whatever follows the tags.
    if (tags.end > ID3_MAX_BYTES || tags.count > ID3_TAGS_MAX) return head.length;
    return tags.end + AFTER_TAG_BYTES;
  }
  if (!isIsoMedia(head)) return head.length;
  let at = 0;
  for (let walked = 0; walked < ISO_BOXES_MAX; walked++) {
    const box = isoBoxAt(head, at, Infinity);
    if (box === 'bad') return head.length;
    // The next top-level header lies past the head: it may be the moov, if it is near enough.
    if (box === 'short') return at + 16 <= MEDIA_HEAD_MAX_BYTES ? at + 16 : head.length;
    if (box.type === 'moov') return Math.min(box.end, MEDIA_HEAD_MAX_BYTES);
    if (box.type === 'mdat') return head.length;
    at = box.end;
  }
  return head.length;
}

/**
 * How much of a file's start to read before classifying it: the head as read, or more when the
 * classifier needs more (`headBytesNeeded`), never more than MEDIA_HEAD_MAX_BYTES. More is at least
 * twice the head: each read may reveal that a little more is needed (the next box, the next tag), and
 * a file asking for a few bytes at a time must still be read in a handful of passes. Reading on
 * until this stops growing (or the file ends) gives a complete head.
 */
export function mediaHeadBytes(head: Uint8Array): number {
  const needed = headBytesNeeded(head);
  return needed > head.length ? Math.min(Math.max(needed, 2 * head.length), MEDIA_HEAD_MAX_BYTES) : head.length;
}

const H264 = ['avc1', 'avc3'];
const CODEC_NAMES: Record<string, string> = {
  hvc1: 'HEVC (H.265)',
  hev1: 'HEVC (H.265)',
  dvh1: 'Dolby Vision (HEVC)',
  dvhe: 'Dolby Vision (HEVC)',
  vp08: 'VP8',
  vp09: 'VP9',
  av01: 'AV1',
  mp4v: 'MPEG-4 Part 2',
  s263: 'H.263',
  h263: 'H.263',
  jpeg: 'Motion JPEG',
  mjpa: 'Motion JPEG',
  mjpb: 'Motion JPEG',
  apch: 'Apple ProRes',
  apcn: 'Apple ProRes',
  apcs: 'Apple ProRes',
  apco: 'Apple ProRes',
  ap4h: 'Apple ProRes',
  encv: 'encrypted (DRM-protected) video',
  alac: 'Apple Lossless (ALAC)',
  Opus: 'Opus',
  fLaC: 'FLAC',
  '.mp3': 'MP3',
  'ac-3': 'Dolby Digital (AC-3)',
  'ec-3': 'Dolby Digital Plus (E-AC-3)',
  'ac-4': 'Dolby AC-4',
  samr: 'AMR',
  sawb: 'AMR-WB',
  ipcm: 'uncompressed PCM',
  lpcm: 'uncompressed PCM',
  sowt: 'uncompressed PCM',
  twos: 'uncompressed PCM',
  mha1: 'MPEG-H 3D Audio',
  mhm1: 'MPEG-H 3D Audio',
  enca: 'encrypted (DRM-protected) audio',
};

/** A codec in words, after "encoded": "as HEVC (H.265)", or the raw code when we have no name for it. */
function encodedAs(code: string): string {
  const name = CODEC_NAMES[code];
  if (name) return `as ${name}`;
  // The code comes from the uploaded bytes: only printable ones are worth showing.
  return /^[\x20-\x7e]{4}$/.test(code) ? `with the codec "${code.trim()}"` : 'with an unknown codec';
}

/** WhatsApp plays only H.264 video with AAC sound: a sample description saying otherwise is refused. */
function checkIsoCodecs(format: MediaFormat, head: Uint8Array): void {
  if (format.mimeType !== 'video/mp4' && format.mimeType !== 'video/3gpp' && format.mimeType !== 'audio/mp4') return;
  const tracks = isoTracks(head);
  if (!tracks) return;
  const codecsOf = (among: IsoTrack[], handler: string) => among.filter((t) => t.handler === handler).flatMap((t) => t.codecs);
  if (format.kind === 'video') {
    // An M4A's picture tracks (chapter images) are not checked: only a video's picture is played, and
    // only of the tracks players show (a video's chapter thumbnails are JPEG pictures too).
    const video = codecsOf(tracks.filter((t) => t.shown), 'vide').find((c) => !H264.includes(c));
    if (video) {
      throw unsupported(
        'MEDIA_VIDEO_NOT_H264',
        `This video is encoded ${encodedAs(video)}; WhatsApp plays only H.264 video with AAC sound: re-export it as an H.264 MP4 and upload it again`,
      );
    }
  }
  const audio = codecsOf(tracks, 'soun').find((c) => c !== 'mp4a');
  if (!audio) return;
  if (format.kind === 'video') {
    throw unsupported(
      'MEDIA_AUDIO_NOT_AAC',
      `This video's sound is encoded ${encodedAs(audio)}; WhatsApp plays only H.264 video with AAC sound: re-export it with AAC sound and upload it again`,
    );
  }
  throw unsupported(
    'MEDIA_AUDIO_NOT_AAC',
    `This M4A file's audio is encoded ${encodedAs(audio)}; WhatsApp takes M4A audio only with the AAC codec: convert it to AAC, MP3 or Ogg Opus`,
  );
}

/** "an M4A file", "a PNG file": a supported format met where it does not belong. */
function formatWords(format: MediaFormat): string {
  const name = format.extensions[0]!.toUpperCase();
  return `${/^[AEIOFHLMNRSX]/.test(name) ? 'an' : 'a'} ${name} file`;
}

/**
 * What follows the ID3 tags that start a file. Only MPEG audio and AAC (ADTS) streams are played
 * with tags in front of them, so nothing else passes, however it is sniffed.
 */
function identifyAfterId3(u: MediaUpload, tags: Id3Tags): MediaFormat | string {
  if (tags.count > ID3_TAGS_MAX) {
    throw unsupported(
      'MEDIA_ID3_TOO_MANY',
      `This file starts with more than ${ID3_TAGS_MAX} MP3 tags (ID3) one after another, where an MP3 has one or two: remove the extra tags and upload it again`,
    );
  }
  const tagsEnd = tags.end;
  if (tagsEnd > u.head.length && u.complete) return `a broken MP3 whose tag (ID3) claims ${formatBytes(tagsEnd)} in a file of ${formatBytes(u.head.length)}`;
  // Refused even when the head happens to hold it all, so that the answer never depends on chunking.
  if (tagsEnd > ID3_MAX_BYTES || tagsEnd > u.head.length) {
    throw unsupported(
      'MEDIA_ID3_TOO_LARGE',
      `This file starts with an MP3 tag (ID3) claiming ${formatBytes(tagsEnd)}; Chorus looks for the audio only within the first ${formatBytes(ID3_MAX_BYTES)}: remove the cover art from the tag, or the tag itself, and upload it again`,
    );
  }
  const s = u.sniffed;
  // The sniffer takes two bytes of sync for MP3 or AAC; whole frame headers are asked for here.
  const audio = audioAfterTags(u.head, tagsEnd);
  if (audio && s?.ext === audio.ext) return formatOfMime(SNIFFED_FORMATS[audio.ext]!);
  if (!s || s.ext === 'mp3' || s.ext === 'aac') return 'an MP3 tag (ID3) with no audio after it';
  const known = SNIFFED_FORMATS[s.ext];
  return known ? `${formatWords(formatOfMime(known))} behind an MP3 tag (ID3)` : unsupportedWords(s);
}

function identifyMedia(u: MediaUpload): MediaFormat | string {
  if (!startsWith(u.head, 0, 'ID3')) return identify(u);
  const tags = id3Tags(u.head);
  // "ID3" without a valid tag header proves no audio, whatever the sniffer made of it: text may start so.
  if (tags.end === 0) return identifyText(u.head, u.complete);
  return identifyAfterId3(u, tags);
}

/**
 * Decides what an upload is from its first bytes. Throws 400 for an empty file and 415 for anything
 * WhatsApp does not take, naming what the file really is (and the name it pretended to have).
 */
export function classifyMedia(u: MediaUpload): AcceptedMedia {
  if (u.complete && u.head.length === 0) throw invalid('MEDIA_EMPTY', 'The file is empty: choose a file with something in it');
  const claimed = claimedFormat(u.fileName);
  const format = identifyMedia(u);
  let really = typeof format === 'string' ? format : undefined;
  // Text is only the absence of a magic number, so text named like another format is a mislabelled file.
  if (typeof format !== 'string' && format.mimeType === 'text/plain' && claimed && claimed !== format) really = 'plain text';
  if (really !== undefined || typeof format === 'string') {
    if (claimed) throw unsupported('MEDIA_DISGUISED', `${u.fileName} is really ${really}; WhatsApp takes ${KIND_RULES[claimed.kind].takes}`);
    throw unsupported('MEDIA_UNSUPPORTED', `This file is ${really}, not a supported image, video, audio or document`);
  }
  checkIsoCodecs(format, u.head);
  if (format.kind === 'sticker' && !isAnimatedWebp(u.head)) {
    return { kind: 'sticker', mimeType: format.mimeType, maxBytes: STATIC_STICKER_MAX_BYTES, limitFor: 'Static stickers' };
  }
  const rules = KIND_RULES[format.kind];
  return { kind: format.kind, mimeType: format.mimeType, maxBytes: rules.maxBytes, limitFor: rules.plural };
}

/**
 * 413 in words. `complete` is false when the upload was cut off before its end, so only a lower
 * bound of its size is known.
 */
export function mediaTooLarge(media: AcceptedMedia, size: number, complete: boolean): DomainError {
  let limit = formatBytes(media.maxBytes);
  let actual = formatBytes(size);
  if (complete && limit === actual) {
    // Just over the limit rounds to the limit itself: exact bytes say what rounding hides.
    limit = `${limit} (${media.maxBytes.toLocaleString('en')} bytes)`;
    actual = `${size.toLocaleString('en')} bytes`;
  }
  return new DomainError('too_large', 'MEDIA_TOO_LARGE', `${media.limitFor} are at most ${limit} on WhatsApp; this one is ${complete ? '' : 'more than '}${actual}`);
}

/** An inclusive byte range of a file, as in HTTP. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads one HTTP `Range: bytes=…` against a file of `size` bytes. `undefined` means "send the whole
 * file" (no header, a malformed one, or several ranges — RFC 9110 lets a server ignore those);
 * `'unsatisfiable'` means 416.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
