/**
 * Text work for the template editor that must happen between keystrokes, without a round trip:
 * keeping the server's highlight ranges aligned while a new preview loads, cutting the text into
 * highlighted pieces, and finding or rewriting the variable under the caret. The template language
 * (src/domain/template.ts, the server's own parser) finds the variables, so the editor and the
 * server cannot read a text differently.
 */

import { parseTemplate } from '../../../../src/domain/template.ts';

export interface Range {
  offset: number;
  length: number;
}

/**
 * Ranges computed for `before`, moved onto `after`: ranges wholly before the edited stretch stay,
 * ranges wholly after it shift by the change in length, ranges touching it are dropped (the next
 * preview brings them back). The edit is found as the stretch between the common prefix and suffix.
 */
export function rebaseRanges<T extends Range>(before: string, after: string, ranges: readonly T[]): T[] {
  if (before === after) return [...ranges];
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix += 1;
  const editEnd = before.length - suffix;
  const delta = after.length - before.length;
  const out: T[] = [];
  for (const r of ranges) {
    if (r.offset + r.length <= prefix) out.push(r);
    else if (r.offset >= editEnd) out.push({ ...r, offset: r.offset + delta });
  }
  return out;
}

export interface Piece {
  text: string;
  /** CSS classes of every range covering this piece, in the order the ranges were given. */
  classes: string[];
}

/**
 * The text cut at every range boundary, each piece carrying the classes of the ranges over it, so
 * nested ranges (a fallback inside a variable, an error over both) all show. A range past the end
 * (an error at the very end of the text) gets a one-space piece so it can be seen.
 */
export function highlightPieces(text: string, ranges: readonly (Range & { className: string })[]): Piece[] {
  const clipped = ranges.map((r) => {
    const start = Math.min(Math.max(r.offset, 0), text.length);
    return { start, end: Math.min(start + Math.max(r.length, 1), text.length + 1), className: r.className };
  });
  const source = clipped.some((r) => r.end > text.length) ? `${text} ` : text;
  const cuts = new Set([0, source.length]);
  for (const r of clipped) {
    cuts.add(r.start);
    cuts.add(Math.min(r.end, source.length));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i < sorted.length - 1; i += 1) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    if (end <= start) continue;
    pieces.push({ text: source.slice(start, end), classes: clipped.filter((r) => r.start < end && r.end > start).map((r) => r.className) });
  }
  return pieces;
}

export interface VariableUse {
  key: string;
  fallback: string | null;
  /** Where the whole `{{…}}` (or legacy `{key}`) starts and ends in the text. */
  start: number;
  end: number;
}

/**
 * Every variable in the text as the server reads it (legacy `{key}` and spaces inside braces
 * included, escaped braces not): the chips and the fallback helper use the template language itself.
 */
export function variableUses(text: string): VariableUse[] {
  return parseTemplate(text).variables.map((v) => ({ key: v.key, fallback: v.fallback, start: v.offset, end: v.offset + v.length }));
}

/** Of a text's `variableUses`, the one whose braces hold the caret (touching either end counts). */
export function variableAt(uses: readonly VariableUse[], caret: number): VariableUse | null {
  return uses.find((u) => caret >= u.start && caret <= u.end) ?? null;
}

/**
 * A fallback as template source. Single quotes unless the text has some and no double ones; braces
 * and backslashes are escaped because a fallback cannot hold template syntax, and the chosen quote
 * is escaped when the text holds both kinds.
 */
export function quoteFallback(fallback: string): string {
  const quote = fallback.includes("'") && !fallback.includes('"') ? '"' : "'";
  const escaped = fallback.replace(/[\\{}]/g, (c) => `\\${c}`).replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** An empty fallback is kept: it prints nothing instead of skipping the contact. */
function variableSource(key: string, fallback: string | null): string {
  return fallback === null ? `{{${key}}}` : `{{${key} | ${quoteFallback(fallback)}}}`;
}

/** The text with the given uses rewritten to carry `fallback` (null removes it). */
export function withFallback(text: string, uses: readonly VariableUse[], fallback: string | null): string {
  let out = text;
  for (const u of [...uses].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, u.start) + variableSource(u.key, fallback) + out.slice(u.end);
  }
  return out;
}

/** `insert` put in place of the selection; the caret lands after it. */
export function insertText(text: string, selStart: number, selEnd: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, selStart) + insert + text.slice(selEnd), caret: selStart + insert.length };
}
