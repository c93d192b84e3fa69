import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from './seeded-random.ts';

const draws = (seed: string | number, n: number) => {
  const next = seededRandom(seed);
  return Array.from({ length: n }, next);
};

/** Pearson's χ² of `values` in [0, 1) over `buckets` equal buckets. */
function chiSquare(values: number[], buckets: number): number {
  const counts = new Array<number>(buckets).fill(0);
  for (const v of values) counts[Math.floor(v * buckets)]!++;
  const expected = values.length / buckets;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}
/** χ² with 9 degrees of freedom exceeds this with probability 0.001. */
const CHI2_9_P001 = 27.88;

describe('seededRandom', () => {
  it('gives the same stream for the same seed, and numbers in [0, 1)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer()), (seed) => {
        const a = draws(seed, 20);
        expect(draws(seed, 20)).toEqual(a);
        return a.every((x) => x >= 0 && x < 1);
      }),
    );
  });

  it('hashes a number seed as its decimal text', () => {
    expect(draws(42, 5)).toEqual(draws('42', 5));
  });

  it('gives different streams for seeds that differ in one character', () => {
    const first = new Set(Array.from({ length: 1000 }, (_, i) => draws(`0190a5c4-campaign:contact-${i}`, 1)[0]));
    expect(first.size).toBe(1000);
    expect(draws('a', 3)).not.toEqual(draws('b', 3));
    expect(draws('', 3)).not.toEqual(draws(' ', 3));
  });

  // Every recipient gets a fresh stream and spintax uses its first draws, so those must be
  // uniform across neighbouring seeds, not only along one stream.
  it('spreads the first draw of sequential seeds evenly', () => {
    const first = Array.from({ length: 20_000 }, (_, i) => draws(`campaign-7:${i}`, 1)[0]!);
    expect(chiSquare(first, 10)).toBeLessThan(CHI2_9_P001);
    const numeric = Array.from({ length: 20_000 }, (_, i) => draws(i, 1)[0]!);
    expect(chiSquare(numeric, 10)).toBeLessThan(CHI2_9_P001);
  });

  it('spreads draws along one stream evenly', () => {
    expect(chiSquare(draws('one stream', 50_000), 10)).toBeLessThan(CHI2_9_P001);
  });
});
