/**
 * How alike two texts are, cheaply enough to compare every send with the recent ones: each text is
 * reduced to a bottom-k sketch (the k smallest hashes of its 4-character shingles, after ignoring
 * case, accents, punctuation and digits), and two sketches estimate the Jaccard similarity of the
 * shingle sets. Short texts keep all their shingles, so their similarity is exact.
 */

export const SKETCH_SIZE = 24;
const SHINGLE = 4;

export type TextSketch = Uint32Array;

/** Case, accents, punctuation and digits say little about whether two messages are the same campaign text. */
export function normaliseText(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) return normaliseUnicode(text);
  let out = '';
  let gap = false;
  let digits = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c >= 97 && c <= 122) {
      if (gap && out.length > 0) out += ' ';
      out += String.fromCharCode(c);
      gap = digits = false;
    } else if (c >= 48 && c <= 57) {
      if (!digits) {
        if (gap && out.length > 0) out += ' ';
        out += '#';
      }
      gap = false;
      digits = true;
    } else {
      gap = true;
      digits = false;
    }
  }
  return out;
}

/** The same rules for any script; slower (Unicode normalisation and property classes), so only for non-ASCII text. */
function normaliseUnicode(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\p{N}+/gu, '#')
    .trim();
}

function hashShingle(s: string, start: number): number {
  let h = 2166136261;
  for (let i = start; i < start + SHINGLE; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

export function sketchText(text: string): TextSketch {
  const s = normaliseText(text);
  if (s.length === 0) return new Uint32Array(0);
  if (s.length <= SHINGLE) return Uint32Array.of(hashShingle(s.padEnd(SHINGLE, ' '), 0));
  // The k smallest distinct hashes, kept sorted by insertion: no set or full sort of every shingle.
  const smallest = new Uint32Array(SKETCH_SIZE);
  let n = 0;
  for (let i = 0; i + SHINGLE <= s.length; i++) {
    const h = hashShingle(s, i);
    if (n === SKETCH_SIZE && h >= smallest[n - 1]!) continue;
    let j = n - 1;
    while (j >= 0 && smallest[j]! > h) j--;
    if (j >= 0 && smallest[j] === h) continue;
    for (let k = n === SKETCH_SIZE ? n - 1 : n; k > j + 1; k--) smallest[k] = smallest[k - 1]!;
    smallest[j + 1] = h;
    if (n < SKETCH_SIZE) n++;
  }
  return smallest.slice(0, n);
}
/** Estimated Jaccard similarity in [0, 1]: the share of the union's smallest hashes found in both. */
export function sketchSimilarity(a: TextSketch, b: TextSketch): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  let i = 0;
  let j = 0;
  let union = 0;
  let both = 0;
  while (union < SKETCH_SIZE && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) {
      both++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
    union++;
  }
  return both / union;
}
