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
  sniffed: SniffedType | undefined;
  /** The first bytes of the file, or all of it when `complete`. */
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
  const { ext, mime } = u.sniffed;
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
  return UNSUPPORTED_NAMES[ext] ?? `a file of type ${mime} (.${ext})`;
}

/** An animated WebP has the animation flag in its extended header (VP8X). */
export function isAnimatedWebp(head: Uint8Array): boolean {
  const chunk = String.fromCharCode(...head.subarray(12, 16));
  return chunk === 'VP8X' && head.length > 20 && (head[20]! & 0x02) !== 0;
}

/**
 * Decides what an upload is from its first bytes. Throws 400 for an empty file and 415 for anything
 * WhatsApp does not take, naming what the file really is (and the name it pretended to have).
 */
export function classifyMedia(u: MediaUpload): AcceptedMedia {
  if (u.complete && u.head.length === 0) throw invalid('MEDIA_EMPTY', 'The file is empty: choose a file with something in it');
  const claimed = claimedFormat(u.fileName);
  const format = identify(u);
  let really = typeof format === 'string' ? format : undefined;
  // Text is only the absence of a magic number, so text named like another format is a mislabelled file.
  if (typeof format !== 'string' && format.mimeType === 'text/plain' && claimed && claimed !== format) really = 'plain text';
  if (really !== undefined || typeof format === 'string') {
    if (claimed) throw unsupported('MEDIA_DISGUISED', `${u.fileName} is really ${really}; WhatsApp takes ${KIND_RULES[claimed.kind].takes}`);
    throw unsupported('MEDIA_UNSUPPORTED', `This file is ${really}, not a supported image, video, audio or document`);
  }
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
