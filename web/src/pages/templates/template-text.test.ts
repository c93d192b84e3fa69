import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../../../src/domain/template.ts';
import { highlightPieces, insertText, quoteFallback, rebaseRanges, variableAt, variableUses, withFallback } from './template-text.ts';

describe('rebaseRanges', () => {
  const before = 'Hi {{name}}, see {{city}}';
  const ranges = [
    { offset: 3, length: 8, kind: 'name' },
    { offset: 17, length: 8, kind: 'city' },
  ];

  it('keeps ranges before an edit and shifts those after it', () => {
    const after = 'Hi {{name}}, please see {{city}}';
    expect(rebaseRanges(before, after, ranges)).toEqual([
      { offset: 3, length: 8, kind: 'name' },
      { offset: 24, length: 8, kind: 'city' },
    ]);
    expect(after.slice(24, 32)).toBe('{{city}}');
  });

  it('drops a range the edit touches', () => {
    expect(rebaseRanges(before, 'Hi {{nme}}, see {{city}}', ranges)).toEqual([{ offset: 16, length: 8, kind: 'city' }]);
  });

  it('returns the ranges unchanged when the text is unchanged', () => {
    expect(rebaseRanges(before, before, ranges)).toEqual(ranges);
  });
});

describe('highlightPieces', () => {
  it('cuts the text at every boundary and stacks the classes of nested ranges', () => {
    const text = "A {{x | 'y'}} B";
    const pieces = highlightPieces(text, [
      { offset: 2, length: 11, className: 'var' },
      { offset: 8, length: 3, className: 'fb' },
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces).toEqual([
      { text: 'A ', classes: [] },
      { text: '{{x | ', classes: ['var'] },
      { text: "'y'", classes: ['var', 'fb'] },
      { text: '}}', classes: ['var'] },
      { text: ' B', classes: [] },
    ]);
  });

  it('shows a problem at the very end of the text on an added space', () => {
    const pieces = highlightPieces('Hi {', [{ offset: 4, length: 0, className: 'err' }]);
    expect(pieces.at(-1)).toEqual({ text: ' ', classes: ['err'] });
  });
});

describe('variables under the caret and fallbacks', () => {
  const text = "Hi {{ name | 'Kak' }}, {city} and {{ city }} \\{\\{phone\\}\\}";

  it('finds variables with their fallbacks, legacy ones too, and skips escaped braces', () => {
    expect(variableUses(text).map((u) => [u.key, u.fallback])).toEqual([
      ['name', 'Kak'],
      ['city', null],
      ['city', null],
    ]);
  });

  it('reads variables as the server does: spaces inside a legacy brace, a variable inside spintax', () => {
    expect(variableUses('{ city } and {{name}|friend}').map((u) => [u.key, u.fallback])).toEqual([
      ['city', null],
      ['name', null],
    ]);
    expect(variableUses('{{Name}} {{ci')).toEqual([]);
  });

  it('reads escaped quotes and braces in a fallback', () => {
    expect(variableUses(String.raw`{{name | 'Toko \'Sari\' \{1\}'}}`)[0]?.fallback).toBe("Toko 'Sari' {1}");
  });

  it('finds the variable the caret is in, touching either end', () => {
    expect(variableAt(variableUses(text), 3)?.key).toBe('name');
    expect(variableAt(variableUses(text), 21)?.key).toBe('name');
    expect(variableAt(variableUses(text), 22)).toBeNull();
  });

  it('rewrites every given use with the fallback, and removes it', () => {
    const uses = variableUses(text).filter((u) => u.key === 'city');
    const withCity = withFallback(text, uses, "Toko's town");
    expect(withCity).toContain(`{{city | "Toko's town"}} and {{city | "Toko's town"}}`);
    expect(withFallback(withCity, variableUses(withCity).filter((u) => u.key === 'city'), null)).toContain('{{city}} and {{city}}');
  });

  it('keeps an empty fallback, which prints nothing', () => {
    expect(withFallback('{{city}}', variableUses('{{city}}'), '')).toBe("{{city | ''}}");
  });

  it('quotes and escapes what the template language would otherwise read as syntax', () => {
    expect(quoteFallback('Customer')).toBe("'Customer'");
    expect(quoteFallback(`it's "x"`)).toBe(String.raw`'it\'s "x"'`);
    expect(quoteFallback('{a}\\')).toBe(String.raw`'\{a\}\\'`);
  });

  it('writes fallbacks the template language reads back unchanged', () => {
    for (const fallback of ['Customer', '', "Toko's", 'say "hi"', `both ' and "`, '{braces} | pipe', 'C:\\Users\\']) {
      const source = `Hi ${withFallback('{{name}}', variableUses('{{name}}'), fallback)}!`;
      const parsed = parseTemplate(source);
      expect(parsed.errors).toEqual([]);
      expect(parsed.variables.map((v) => [v.key, v.fallback])).toEqual([['name', fallback]]);
      expect(variableUses(source)[0]?.fallback).toBe(fallback);
    }
  });

  it('inserts in place of the selection and puts the caret after it', () => {
    expect(insertText('Hi X!', 3, 4, '{{name}}')).toEqual({ text: 'Hi {{name}}!', caret: 11 });
  });
});
