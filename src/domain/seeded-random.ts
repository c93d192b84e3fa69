import type { RandomStream } from './template.ts';

/**
 * A seeded stream of numbers in [0, 1): sfc32 (passes PractRand; four 32-bit words of state, a few
 * integer operations a draw) seeded through cyrb128, a 128-bit string hash. Campaigns seed each
 * recipient with `${campaignId}:${contactId}`, so seeds that differ in one character must give
 * unrelated streams from the very first draw: cyrb128 mixes every character into all four words,
 * and the first draws are thrown away so that sfc32's counter word has spread through the state.
 * A number seed is hashed as its decimal text: `seededRandom(7)` and `seededRandom('7')` are the
 * same stream.
 */
export function seededRandom(seed: string | number): RandomStream {
  const text = String(seed);
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;

  let a = h1 | 0;
  let b = h2 | 0;
  let c = h3 | 0;
  let d = h4 | 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}
