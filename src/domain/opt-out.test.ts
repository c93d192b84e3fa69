import { describe, expect, it } from 'vitest';
import { optOutKeyword } from './opt-out.ts';

describe('opt-out replies', () => {
  it.each([
    ['STOP', 'STOP'],
    ['stop', 'STOP'],
    ['  Stop!! ', 'STOP'],
    ['berhenti.', 'BERHENTI'],
    ['Stop   promo', 'STOP PROMO'],
    ['UNSUBSCRIBE', 'UNSUBSCRIBE'],
  ])('%j is the keyword %s', (text, keyword) => {
    expect(optOutKeyword(text)).toBe(keyword);
  });

  it('matches the whole message only', () => {
    expect(optOutKeyword('please stop sending me these')).toBeNull();
    expect(optOutKeyword('stopwatch')).toBeNull();
    expect(optOutKeyword('')).toBeNull();
  });

  it('ignores accents and uses the workspace\'s own keywords when given', () => {
    expect(optOutKeyword('ARRÊTER', ['arreter'])).toBe('arreter');
    expect(optOutKeyword('STOP', ['arreter'])).toBeNull();
  });
});
