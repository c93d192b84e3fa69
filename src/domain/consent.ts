/**
 * Consent as people write it in spreadsheets, in the languages our customers use. Anything not
 * recognised as a clear "yes" counts as no consent: marketing needs an explicit opt-in.
 */
const YES = new Set([
  'yes', 'y', 'yeah', 'yep', 'true', 't', '1', 'x', 'v', 'ok', 'okay', 'on', 'checked',
  'ya', 'iya', 'iye', 'setuju', 'bersedia', 'boleh', 'mau',
  'si', 's', 'acepto', 'acepta', 'aceptado', 'sim', 'oui', 'ja', 'da',
  'opt in', 'optin', 'opted in', 'subscribed', 'subscribe', 'agree', 'agreed', 'i agree',
  'consent', 'consented', 'accept', 'accepted', 'granted', 'allow', 'allowed',
]);
const MARKS = new Set(['✓', '✔', '☑', '✅']);

function normalizeConsentValue(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[-_.!]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseConsent(value: string | null | undefined): boolean {
  if (!value) return false;
  const trimmed = value.trim();
  if (MARKS.has(trimmed)) return true;
  return YES.has(normalizeConsentValue(trimmed));
}
