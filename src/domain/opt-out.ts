/**
 * Opt-out replies (product.md §2): an inbound message that is, as a whole, one of the workspace's
 * opt-out keywords marks the contact opted out at once. Compared case- and accent-insensitively,
 * ignoring surrounding spaces and trailing punctuation ("Stop!", " berhenti. ").
 */

export const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'UNSUBSCRIBE', 'BERHENTI', 'STOP PROMO', 'UNSUB', 'CANCEL', 'OPT OUT', 'OPTOUT', 'BATAL'] as const;

/** The form keywords and messages are compared in. */
export function keywordForm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\s\p{P}]+$/u, '')
    .replace(/^[\s\p{P}]+/u, '')
    .replace(/\s+/g, ' ');
}

/** The default keywords by their form: every inbound message is looked up, the keywords are not re-normalised. */
const DEFAULT_FORMS = new Map<string, string>(DEFAULT_OPT_OUT_KEYWORDS.map((k) => [keywordForm(k), k]));

/** The keyword a message is, or null; `keywords` replaces the defaults. */
export function optOutKeyword(text: string, keywords?: readonly string[]): string | null {
  const form = keywordForm(text);
  if (!keywords) return DEFAULT_FORMS.get(form) ?? null;
  return keywords.find((k) => keywordForm(k) === form) ?? null;
}
