import { describe, expect, it } from 'vitest';
import { parseConsent } from './consent.ts';

describe('parseConsent', () => {
  it.each([
    'yes', 'YES', ' Yes ', 'y', 'true', 'TRUE', '1', 'ya', 'Iya', 'setuju', 'sí', 'Si', 'oui', 'ja', 'x', 'X', '✓',
    'opt-in', 'Opt In', 'optin', 'opted_in', 'subscribed', 'agree', 'I agree', 'consent', 'accepted',
  ])('reads %j as consent', (v) => expect(parseConsent(v)).toBe(true));

  it.each(['no', 'n', 'false', '0', 'tidak', 'tdk', 'No', 'non', 'nein', 'opt-out', 'unsubscribed', '', '   ', 'maybe', '2', 'yess'])(
    'reads %j as no consent',
    (v) => expect(parseConsent(v)).toBe(false),
  );

  it('treats a missing value as no consent', () => {
    expect(parseConsent(undefined)).toBe(false);
    expect(parseConsent(null)).toBe(false);
  });
});
