import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modes, rowCount, startHarness, type Harness } from './support/harness.ts';
import { audit, cookieOf, newOwner } from './support/api.ts';
import * as files from './fixtures/media/files.ts';
import * as tracks from './fixtures/media/tracks.ts';
import { mediaFiles, uploadLarge, uploadMedia } from './fixtures/media/upload.ts';
import { multipart } from './fixtures/import-files.ts';

const MB = 1024 * 1024;

describe.each(modes)('media bad input (%s)', (mode) => {
  let h: Harness;
  let owner: Awaited<ReturnType<typeof newOwner>>;
  const headers = () => cookieOf(owner);

  beforeAll(async () => {
    h = await startHarness(mode, {}, { workers: false });
    owner = await newOwner(h.app);
  });
  afterAll(async () => h?.close());

  // Every refusal below must leave no row, no blob (not even a temporary one) and no audit entry.
  afterEach(async () => {
    expect(await rowCount(h, 'media', owner.workspaceId)).toBe(0);
    expect(mediaFiles(h)).toEqual([]);
    expect((await audit(owner.api)).filter((e) => e.action.startsWith('media.'))).toEqual([]);
  });

  const refuse = async (res: Awaited<ReturnType<typeof uploadMedia>>, status: number, code: string, message: string | RegExp) => {
    expect(res.statusCode, res.body).toBe(status);
    const { error } = res.json();
    expect(error.code).toBe(code);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(res.body).not.toMatch(/ at .*\.ts:\d+/);
  };

  it.each([
    ['photo.jpg', files.exe, 'MEDIA_DISGUISED', 'photo.jpg is really a Windows program (exe); WhatsApp takes JPEG or PNG images'],
    ['setup.exe', files.exe, 'MEDIA_UNSUPPORTED', 'This file is a Windows program (exe), not a supported image, video, audio or document'],
    ['photo.png', files.gif, 'MEDIA_DISGUISED', 'photo.png is really a GIF; WhatsApp takes JPEG or PNG images'],
    ['invoice.pdf', files.html, 'MEDIA_DISGUISED', 'invoice.pdf is really a web page (HTML); WhatsApp takes PDF, Word, Excel, PowerPoint or plain-text documents'],
    ['archive.zip', () => files.zip({ 'a.txt': 'hello' }), 'MEDIA_UNSUPPORTED', 'This file is a zip archive, not a supported image, video, audio or document'],
    ['logo.svg', files.svg, 'MEDIA_UNSUPPORTED', 'This file is an SVG image, not a supported image, video, audio or document'],
    ['song.ogg', files.oggVorbis, 'MEDIA_OGG_NOT_OPUS', /^This Ogg file holds Vorbis audio; WhatsApp takes Ogg audio only with the Opus codec/],
    ['data.bin', files.cfb, 'MEDIA_UNSUPPORTED', /^data\.bin is an older Microsoft Office file.*name it \.doc, \.xls or \.ppt/],
  ] as const)('refuses %s with 415 naming what it really is', async (name, build, code, message) => {
    await refuse(await uploadMedia(h.app, headers(), name, build()), 415, code, message);
  });

  it('refuses a program behind an ID3 tag claiming more than the file, which the sniffer alone calls MP3', async () => {
    const disguised = tracks.behindId3(files.exe());
    await refuse(
      await uploadMedia(h.app, headers(), 'song.mp3', disguised),
      415,
      'MEDIA_DISGUISED',
      'song.mp3 is really a broken MP3 whose tag (ID3) claims 256 MB in a file of 522 bytes; WhatsApp takes AAC, AMR, MP3, M4A or Ogg Opus audio',
    );
    await refuse(await uploadMedia(h.app, headers(), 'tool', disguised), 415, 'MEDIA_UNSUPPORTED', /^This file is a broken MP3 whose tag \(ID3\) claims 256 MB/);
  });

  it('names what an honest-sized ID3 tag hides, however long the tag', async () => {
    const behind = (tagBytes: number, after: Buffer) => Buffer.concat([tracks.id3Tag([['PRIV', Buffer.alloc(tagBytes)]]), after]);
    await refuse(
      await uploadMedia(h.app, headers(), 'song.mp3', behind(100, files.exe())),
      415,
      'MEDIA_DISGUISED',
      'song.mp3 is really a Windows program (exe); WhatsApp takes AAC, AMR, MP3, M4A or Ogg Opus audio',
    );
    // Past the first 64 KB, where the sniffer stopped looking before.
    await refuse(await uploadMedia(h.app, headers(), 'song.mp3', behind(300 * 1024, files.exe())), 415, 'MEDIA_DISGUISED', /^song\.mp3 is really a Windows program \(exe\)/);
    await refuse(await uploadMedia(h.app, headers(), 'song.mp3', behind(300 * 1024, files.png())), 415, 'MEDIA_DISGUISED', /^song\.mp3 is really a PNG file behind an MP3 tag/);
  });

  it('refuses a program behind a tag and two bytes of AAC sync, which the sniffer alone calls AAC', async () => {
    const disguised = Buffer.concat([tracks.id3Tag([['TIT2', Buffer.from('\u0003Promo', 'latin1')]]), Buffer.from([0xff, 0xf1]), files.exe(), Buffer.alloc(8 * 1024)]);
    await refuse(
      await uploadMedia(h.app, headers(), 'voice.aac', disguised),
      415,
      'MEDIA_DISGUISED',
      'voice.aac is really an MP3 tag (ID3) with no audio after it; WhatsApp takes AAC, AMR, MP3, M4A or Ogg Opus audio',
    );
  });

  // Each empty tag asks to read on past it: sent a piece at a time, such a file once took hundreds of
  // passes over the head, each walking every tag again, and was then stored as an MP3.
  it('refuses a file of countless empty ID3 tags, sent in small pieces, in words', async () => {
    const body = multipart('song.mp3', tracks.id3Chain(200_000));
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...headers(), ...body.headers }, payload: tracks.inPieces(body.payload, 1024) });
    await refuse(res, 415, 'MEDIA_ID3_TOO_MANY', /^This file starts with more than 8 MP3 tags \(ID3\) one after another/);
  });

  it('refuses an ID3 tag longer than it reads, in words', async () => {
    await refuse(
      await uploadMedia(h.app, headers(), 'song.mp3', tracks.mp3WithCover(3 * MB)),
      415,
      'MEDIA_ID3_TOO_LARGE',
      /^This file starts with an MP3 tag \(ID3\) claiming 3 MB; Chorus looks for the audio only within the first 2 MB: remove the cover art/,
    );
  });

  it.each([
    ['clip.mp4', () => tracks.movie({ video: 'hev1', audio: 'mp4a' }), 'MEDIA_VIDEO_NOT_H264', 'This video is encoded as HEVC (H.265); WhatsApp plays only H.264 video with AAC sound: re-export it as an H.264 MP4 and upload it again'],
    ['padded av1.mp4', () => tracks.movie({ video: 'av01', freeBytes: 100 * 1024 }), 'MEDIA_VIDEO_NOT_H264', /^This video is encoded as AV1;/],
    ['old phone.3gp', () => tracks.threeGpMovie({ video: 's263', audio: 'samr' }), 'MEDIA_VIDEO_NOT_H264', /^This video is encoded as H\.263;/],
    // A long moov (40,000 samples a track) puts the sound's description past the first 64 KB.
    ['long.mp4', () => tracks.movie({ video: 'avc1', audio: 'Opus', samples: 40_000 }), 'MEDIA_AUDIO_NOT_AAC', /^This video's sound is encoded as Opus;/],
    ['motion jpeg.mp4', () => tracks.movie({ video: 'jpeg', audio: 'mp4a' }), 'MEDIA_VIDEO_NOT_H264', /^This video is encoded as Motion JPEG;/],
    ['lossless.m4a', () => tracks.m4aMovie('alac'), 'MEDIA_AUDIO_NOT_AAC', /^This M4A file's audio is encoded as Apple Lossless \(ALAC\); WhatsApp takes M4A audio only with the AAC codec/],
  ] as const)('refuses %s, whose codec WhatsApp does not play', async (name, build, code, message) => {
    await refuse(await uploadMedia(h.app, headers(), name, build()), 415, code, message);
  });

  it('refuses a PNG one byte over 5 MB while it streams, with both sizes in words', async () => {
    const res = await uploadLarge(h.app, headers(), 'big.png', files.png(), 5 * MB + 1);
    await refuse(res, 413, 'MEDIA_TOO_LARGE', 'Images are at most 5 MB (5,242,880 bytes) on WhatsApp; this one is 5,242,881 bytes');
  });

  it('tells the real size of a file well over its limit', async () => {
    const res = await uploadLarge(h.app, headers(), 'huge.jpg', files.jpeg(), Math.round(7.2 * MB));
    await refuse(res, 413, 'MEDIA_TOO_LARGE', 'Images are at most 5 MB on WhatsApp; this one is 7.2 MB');
  });

  it('holds static stickers to 100 KB and animated ones to 500 KB', async () => {
    await refuse(await uploadMedia(h.app, headers(), 's.webp', files.webp(150 * 1024)), 413, 'MEDIA_TOO_LARGE', 'Static stickers are at most 100 KB on WhatsApp; this one is 150 KB');
    await refuse(
      await uploadMedia(h.app, headers(), 'a.webp', files.animatedWebp(600 * 1024)),
      413,
      'MEDIA_TOO_LARGE',
      'Animated stickers are at most 500 KB on WhatsApp; this one is 600 KB',
    );
  });

  it('cuts off a file larger than any kind allows and says so', async () => {
    const res = await uploadLarge(h.app, headers(), 'manual.pdf', files.pdf(), 100 * MB + 10);
    await refuse(res, 413, 'MEDIA_TOO_LARGE', 'Documents are at most 100 MB on WhatsApp; this one is more than 100 MB');
  });

  it('answers an empty file with 400', async () => {
    await refuse(await uploadMedia(h.app, headers(), 'empty.png', Buffer.alloc(0)), 400, 'MEDIA_EMPTY', /^The file is empty/);
  });

  it('answers a request without the file field in words', async () => {
    await refuse(await uploadMedia(h.app, headers(), 'a.png', files.png(), 'upload'), 400, 'FILE_REQUIRED', 'Send the file in a multipart field named "file" (got "upload")');
    const onlyText = await h.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...headers(), 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="caption"\r\n\r\nhello\r\n--xyz--\r\n',
    });
    await refuse(onlyText, 400, 'FILE_REQUIRED', /^No file in the request/);
    const json = await h.app.inject({ method: 'POST', url: '/api/v1/media', headers: headers(), payload: { file: 'aGVsbG8=' } });
    await refuse(json, 400, 'NOT_MULTIPART', /multipart\/form-data/);
  });

  it('answers ids and queries that are not valid with 400 or 404, never a database error', async () => {
    expect((await owner.api('GET', '/api/v1/media/not-a-uuid')).statusCode).toBe(400);
    expect((await owner.api('GET', '/api/v1/media/0190c0de-0000-7000-8000-000000000000')).json().error.code).toBe('MEDIA_NOT_FOUND');
    expect((await owner.api('GET', '/api/v1/media?cursor=nope')).json().error.code).toBe('INVALID_CURSOR');
    expect((await owner.api('GET', '/api/v1/media?limit=0')).statusCode).toBe(400);
  });
});
