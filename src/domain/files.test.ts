import { describe, expect, it } from 'vitest';
import { cleanFileName, formatBytes } from './files.ts';

const MB = 1024 * 1024;

describe('formatBytes', () => {
  it.each([
    [1, '1 byte'],
    [900, '900 bytes'],
    [100 * 1024, '100 KB'],
    [1536 * 1024, '1.5 MB'],
    [16 * MB, '16 MB'],
  ])('%i → %s', (n, words) => expect(formatBytes(n)).toBe(words));
});

describe('cleanFileName', () => {
  it('keeps the base name without control characters', () => {
    expect(cleanFileName('C:\\Users\\budi\\Promo Juli.pdf', 'file')).toBe('Promo Juli.pdf');
    expect(cleanFileName('../../etc/passwd', 'file')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.png', 'file')).toBe('abc.png');
    expect(cleanFileName(undefined, 'file')).toBe('file');
  });
});
