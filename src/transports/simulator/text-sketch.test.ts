import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseText, sketchSimilarity, sketchText, SKETCH_SIZE } from './text-sketch.ts';

const similarity = (a: string, b: string) => sketchSimilarity(sketchText(a), sketchText(b));
const PROMO = 'Halo Budi, promo baru minggu ini: diskon 30% untuk semua produk pilihan di toko kami. Balas YA untuk info.';

describe('text sketches', () => {
  it('ignores case, accents, punctuation and the digits themselves', () => {
    expect(normaliseText('  Diskon 50%!!  Hari-ini SAJA… ')).toBe('diskon # hari ini saja');
    expect(normaliseText('Café Crème, 2×1')).toBe('cafe creme # #');
    expect(similarity('PROMO 50% off today!', 'promo 75% OFF today')).toBe(1);
  });

  it('normalises ASCII text the same way as any other text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (s) => {
        // Appending " é" takes the Unicode path and adds " e" (or "e" when nothing came before).
        expect(normaliseText(`${s} é`).slice(0, -2)).toBe(normaliseText(s));
      }),
      { seed: 99, numRuns: 300 },
    );
  });

  it('finds a personalised copy of a long text near-identical, and unrelated texts far apart', () => {
    expect(similarity(PROMO, PROMO.replace('Budi', 'Sari'))).toBeGreaterThanOrEqual(0.8);
    expect(similarity(PROMO, 'Selamat pagi, pesanan anda sudah dikirim hari ini dan akan tiba besok.')).toBeLessThan(0.2);
  });

  it('is exact for short texts and symmetric, 1 for identical texts, within [0, 1]', () => {
    expect(similarity('abcdef', 'abcdxy')).toBeCloseTo(1 / 5, 9);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
        const s = similarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(similarity(b, a)).toBe(s);
        expect(similarity(a, a)).toBe(1);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('keeps at most the k smallest distinct hashes, sorted', () => {
    const sketch = sketchText('the quick brown fox jumps over the lazy dog and then the quick brown fox jumps again');
    expect(sketch.length).toBe(SKETCH_SIZE);
    for (let i = 1; i < sketch.length; i++) expect(sketch[i]!).toBeGreaterThan(sketch[i - 1]!);
    expect(sketchText('').length).toBe(0);
    expect(similarity('', '')).toBe(1);
    expect(similarity('', 'hello')).toBe(0);
  });
});
