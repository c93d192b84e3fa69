import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_SPINTAX_DEPTH,
  MAX_TEMPLATE_ERRORS,
  checkVariables,
  compileTemplate,
  parseTemplate,
  variableKeys,
  type RandomStream,
  type RenderResult,
  type TemplateValues,
} from './template.ts';
import { seededRandom } from './seeded-random.ts';

/** A stream that replays `values` and counts how many were drawn. */
function scripted(...values: number[]): RandomStream & { drawn: number } {
  const next = Object.assign(() => values[next.drawn++] ?? 0, { drawn: 0 });
  return next;
}

function render(source: string, values: TemplateValues = {}, random: RandomStream = seededRandom(1)): RenderResult {
  const parsed = parseTemplate(source);
  expect(parsed.errors).toEqual([]);
  return compileTemplate(parsed).render(values, random);
}

const text = (source: string, values: TemplateValues = {}, random?: RandomStream) => {
  const result = render(source, values, random);
  if (!result.ok) throw new Error(result.reason);
  return result.text;
};

const errorsOf = (source: string) => parseTemplate(source).errors.map((e) => [e.code, e.line, e.column, e.length]);

describe('template syntax', () => {
  const budi = { name: 'Budi', phone: '+6281234567890', city: 'Bandung' };

  it.each([
    ['Hi {{name}}!', 'Hi Budi!'],
    ['Hi {{ name }}!', 'Hi Budi!'],
    ['Hi {{\tname  }}!', 'Hi Budi!'],
    ['{{phone}} in {{city}}', '+6281234567890 in Bandung'],
    ['Hi {name}, { city }', 'Hi Budi, Bandung'],
    ['no braces at all | even with a bar', 'no braces at all | even with a bar'],
    ['', ''],
  ])('%j renders %j', (source, expected) => expect(text(source, budi)).toBe(expected));

  it.each([
    ["{{plan | 'Customer'}}", 'Customer'],
    ['{{plan | "Customer"}}', 'Customer'],
    ["{{plan|'Customer'}}", 'Customer'],
    ["{{ plan|  'Customer'  }}", 'Customer'],
    ["{{plan | \"it's\"}}", "it's"],
    ["{{plan | 'say \"hi\"'}}", 'say "hi"'],
    ["{{plan | 'it\\'s \\{ok\\} a\\|b c\\\\d'}}", "it's {ok} a|b c\\d"],
    ["[{{plan | ''}}]", '[]'],
    ["{{city | 'Customer'}}", 'Bandung'],
  ])('fallback %j renders %j when the value is missing', (source, expected) => expect(text(source, budi)).toBe(expected));

  it.each([
    ['\\{not a variable\\}', '{not a variable}'],
    ['\\{\\{name\\}\\}', '{{name}}'],
    ['a \\| b', 'a | b'],
    ['{one\\|two|three}', 'one|two'],
    ['back\\\\slash', 'back\\slash'],
    ['C:\\Users\\n \\a', 'C:\\Users\\n \\a'],
    ['ends with \\', 'ends with \\'],
  ])('escape %j renders %j', (source, expected) => expect(text(source, {}, scripted(0))).toBe(expected));

  it('spintax picks one option per draw, nested groups included', () => {
    const source = '{Hi|Hello|Hey} {{name}}, {good {morning|day}|welcome}!';
    expect(text(source, budi, scripted(0, 0, 0))).toBe('Hi Budi, good morning!');
    expect(text(source, budi, scripted(0.5, 0.2, 0.99))).toBe('Hello Budi, good day!');
    expect(text(source, budi, scripted(0.99, 0.9))).toBe('Hey Budi, welcome!');
  });

  it('lets options start with nested spintax or a variable, and span lines', () => {
    expect(text('{{Hi|Hello} there|Hey}', budi, scripted(0, 0.9))).toBe('Hello there');
    expect(text('{{{name}}|friend}!', budi, scripted(0))).toBe('Budi!');
    expect(text('{{name}|friend}!', budi, scripted(0))).toBe('Budi!');
    expect(text('{{{name | "x"}} a|b}', {}, scripted(0))).toBe('x a');
    expect(text('{line one\n|line\ntwo}', {}, scripted(0.9))).toBe('line\ntwo');
    expect(text('{a|{b|{c|d}}}', {}, scripted(0.9, 0.9, 0.9))).toBe('d');
  });

  it('lists variables in source order with their position and fallback', () => {
    const parsed = parseTemplate("Hi {{name}},\n{Hey {city}|Hi} {{ plan | 'free' }}");
    expect(parsed.variables).toEqual([
      { key: 'name', fallback: null, line: 1, column: 4, offset: 3, length: 8 },
      { key: 'city', fallback: null, line: 2, column: 6, offset: 18, length: 6 },
      { key: 'plan', fallback: 'free', line: 2, column: 17, offset: 29, length: 19 },
    ]);
  });

  it('marks spans for the editor', () => {
    const source = "\\{ {{name | 'x'}} {a|b}";
    const spans = parseTemplate(source).spans.map((s) => [s.kind, source.slice(s.offset, s.offset + s.length)]);
    expect(spans).toEqual([
      ['escape', '\\{'],
      ['variable', "{{name | 'x'}}"],
      ['fallback', "'x'"],
      ['spintax', '{'],
      ['spintax_separator', '|'],
      ['spintax', '}'],
    ]);
  });
});

describe('template errors', () => {
  it.each([
    ['Hi {{name}', 'UNCLOSED_VARIABLE', 1, 4, 6],
    ['Hi {{name', 'UNCLOSED_VARIABLE', 1, 4, 6],
    ['Hi {{name, see you', 'UNCLOSED_VARIABLE', 1, 4, 15],
    ['{Hi|Hello', 'UNCLOSED_SPINTAX', 1, 1, 1],
    ['Hi}', 'UNEXPECTED_CLOSING_BRACE', 1, 3, 1],
    ['{{}}', 'EMPTY_VARIABLE', 1, 1, 4],
    ['{{  }}', 'EMPTY_VARIABLE', 1, 1, 6],
    ["{{ | 'x'}}", 'EMPTY_VARIABLE', 1, 1, 10],
    ['{}', 'EMPTY_VARIABLE', 1, 1, 2],
    ['{{First Name}}', 'INVALID_VARIABLE_NAME', 1, 1, 14],
    ['{{2024_orders}}', 'INVALID_VARIABLE_NAME', 1, 1, 15],
    ['{Hello world}', 'INVALID_VARIABLE_NAME', 1, 1, 13],
    ['{{{name}}}', 'INVALID_VARIABLE_NAME', 1, 1, 10],
    ['{{name | Customer}}', 'INVALID_FALLBACK', 1, 10, 8],
    ["{{name | 'Customer}}", 'INVALID_FALLBACK', 1, 10, 9],
    ["{{name | 'a' 'b'}}", 'INVALID_FALLBACK', 1, 13, 4],
    ['{{name |}}', 'INVALID_FALLBACK', 1, 9, 1],
    ['{a||b}', 'EMPTY_SPINTAX_OPTION', 1, 4, 1],
    ['{|a}', 'EMPTY_SPINTAX_OPTION', 1, 2, 1],
    ['{a|}', 'EMPTY_SPINTAX_OPTION', 1, 4, 1],
  ])('%j → %s at line %i, column %i (length %i)', (source, code, line, column, length) => {
    expect(errorsOf(source)).toEqual([[code, line, column, length]]);
  });

  it('explains each error in plain words with the fix', () => {
    const message = (source: string) => parseTemplate(source).errors[0]!.message;
    expect(message('{{First Name}}')).toContain('use {{first_name}}');
    expect(message('{Hello world}')).toContain('did you mean {{hello_world}}?');
    expect(message('{Hello world}')).toContain('write \\{ and \\} for literal braces');
    expect(message('{{name | Customer}}')).toBe("The fallback of {{name}} goes in quotes: {{name | 'Customer'}} (spintax takes single braces: {Hi|Hello})");
    expect(message('Hi {{name}')).toBe('Unclosed variable "{{name": close it with }} as in {{name}}, or write \\{ for a literal brace');
    expect(message('}')).toBe('"}" closes nothing: write \\} for a literal brace');
  });

  it('reports every error of a multi-line template at its exact line and column', () => {
    const source = [
      'Hello {{name}},', //                      line 1: fine
      'your {city|town} is {{ Bad Key }}!', //   line 2: invalid key at column 21
      '  Pick {a||b} or }', //                   line 3: empty option at column 11, stray } at 18
      '{{ plan | gold }} and {unclosed|x', //    line 4: unquoted fallback at 11, unclosed { at 23
      "{{code | 'A1'}}", //                      line 5: fine
    ].join('\n');
    expect(errorsOf(source)).toEqual([
      ['INVALID_VARIABLE_NAME', 2, 21, 13],
      ['EMPTY_SPINTAX_OPTION', 3, 11, 1],
      ['UNEXPECTED_CLOSING_BRACE', 3, 18, 1],
      ['INVALID_FALLBACK', 4, 11, 5],
      ['UNCLOSED_SPINTAX', 4, 23, 1],
    ]);
    const unclosed = parseTemplate(source).errors.at(-1)!;
    expect(source.slice(unclosed.offset, unclosed.offset + 9)).toBe('{unclosed');
  });

  it('points at the {{ of a variable whose spintax reading never closes, once', () => {
    expect(errorsOf('ok\n  {{name} and more')).toEqual([['UNCLOSED_VARIABLE', 2, 3, 6]]);
    expect(errorsOf('{{a|b')).toEqual([['UNCLOSED_VARIABLE', 1, 1, 5]]);
  });

  it(`nests spintax ${MAX_SPINTAX_DEPTH} levels deep, and refuses one more`, () => {
    const nest = (depth: number) => '{a|'.repeat(depth) + 'b' + '}'.repeat(depth);
    expect(text(nest(MAX_SPINTAX_DEPTH), {}, () => 0.9)).toBe('b');
    expect(errorsOf(nest(MAX_SPINTAX_DEPTH + 1))).toEqual([['TOO_DEEP', 1, 3 * MAX_SPINTAX_DEPTH + 1, 1]]);
    expect(errorsOf(`${nest(MAX_SPINTAX_DEPTH + 1)} {{Bad}}`)).toEqual([
      ['TOO_DEEP', 1, 3 * MAX_SPINTAX_DEPTH + 1, 1],
      ['INVALID_VARIABLE_NAME', 1, 4 * (MAX_SPINTAX_DEPTH + 1) + 3, 7],
    ]);
  });

  it('stops at a bounded number of errors on hostile input', () => {
    const braces = parseTemplate('{'.repeat(100_000));
    expect(braces.errors.map((e) => e.code)).toEqual(['UNCLOSED_VARIABLE', 'TOO_DEEP']);
    const closers = parseTemplate('}'.repeat(100_000));
    expect(closers.errors).toHaveLength(MAX_TEMPLATE_ERRORS);
    expect(closers.errors.at(-1)!.column).toBe(MAX_TEMPLATE_ERRORS);
    const mixed = parseTemplate('{{a|'.repeat(25_000) + '}}}'.repeat(10_000));
    expect(mixed.errors.length).toBeGreaterThan(0);
    expect(mixed.errors.length).toBeLessThanOrEqual(MAX_TEMPLATE_ERRORS);
  });

  it('never throws, and every error points inside the source at a consistent line and column', () => {
    const alphabet = fc.constantFrom('{', '}', '|', '\\', "'", '"', ' ', '\n', 'a', 'Z', '_', '1', 'é', '😀');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: alphabet, maxLength: 60 })), (source) => {
        const { errors } = parseTemplate(source);
        expect(errors.length).toBeLessThanOrEqual(MAX_TEMPLATE_ERRORS);
        for (const e of errors) {
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset + e.length).toBeLessThanOrEqual(source.length);
          const before = source.slice(0, e.offset).split('\n');
          expect([e.line, e.column]).toEqual([before.length, before.at(-1)!.length + 1]);
        }
        if (errors.length === 0) expect(() => compileTemplate(parseTemplate(source))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to compile a template with errors', () => {
    expect(() => compileTemplate(parseTemplate('Hi {{name'))).toThrow(/1 error\(s\), the first: Unclosed variable/);
    const forged = { ...parseTemplate('Hi {{name'), errors: [] };
    expect(() => compileTemplate(forged)).toThrow(/Unclosed variable/);
  });
});

describe('checkVariables and variableKeys', () => {
  const available = ['name', 'phone', 'city', 'plan'];

  it('warns about each use of an unknown key without a fallback, with the nearest key', () => {
    const parsed = parseTemplate("{{citty}} {{citty}} {{zzz | 'x'}} {{name}} {{ref}}");
    const problems = checkVariables(parsed, available);
    expect(problems.map((p) => [p.code, p.severity, p.column, p.length])).toEqual([
      ['UNKNOWN_VARIABLE', 'warning', 1, 9],
      ['UNKNOWN_VARIABLE', 'warning', 11, 9],
      ['UNKNOWN_VARIABLE', 'warning', 44, 7],
    ]);
    expect(problems[0]!.message).toBe(
      `Unknown variable "citty": no contact field has this key (did you mean "city"? Or add a fallback: {{citty | '…'}})`,
    );
    expect(problems[2]!.message).toBe(`Unknown variable "ref": no contact field has this key (add a fallback: {{ref | '…'}})`);
  });

  it('has nothing to say when every key is known', () => {
    expect(checkVariables(parseTemplate('{{name}} {city} {Hi {{plan}}|Hey}'), available)).toEqual([]);
  });

  it('lists distinct keys in order of first use', () => {
    expect(variableKeys(parseTemplate("{{plan}} {name} {{plan | 'x'}} {a {{city}}|b {{name}}}"))).toEqual(['plan', 'name', 'city']);
  });
});

describe('rendering', () => {
  it.each([[null], [undefined], [''], ['   '], ['\t\n'], ['\u00a0']])('treats %j as missing', (value) => {
    expect(render("{{city | 'there'}}", { city: value })).toEqual({ ok: true, text: 'there' });
    expect(render('Hi {{city}}', { city: value })).toEqual({ ok: false, missing: ['city'], reason: 'missing variable "city" (no fallback)' });
  });

  it('renders numbers and booleans with String(), strings as they are', () => {
    expect(text('{{a}} {{b}} {{c}} {{d}}', { a: 0, b: 12.5, c: false, d: ' padded ' })).toBe('0 12.5 false  padded ');
  });

  it('never reads inherited properties as values', () => {
    expect(render('{{constructor}}')).toMatchObject({ ok: false, missing: ['constructor'] });
  });

  it('lists every missing key once, on the chosen path only', () => {
    const source = '{{name}} {{city}} {{name}} {{plan}} {A {{code}}|B}';
    expect(render(source, { city: 'x' }, scripted(0.9))).toEqual({
      ok: false,
      missing: ['name', 'plan'],
      reason: 'missing variables "name", "plan" (no fallback)',
    });
    expect(render(source, { city: 'x' }, scripted(0))).toMatchObject({ missing: ['name', 'plan', 'code'] });
  });

  it('draws once per group reached, in source order; groups in unchosen options draw nothing', () => {
    const compiled = compileTemplate(parseTemplate('{a {x|y}|b {p|q}} {c|d} and {e|f {g|h}}'));
    const random = scripted(0, 0.9, 0.9, 0.9, 0);
    expect(compiled.render({}, random)).toEqual({ ok: true, text: 'a y d and f g' });
    expect(random.drawn).toBe(5);
    const fewer = scripted(0.9, 0, 0);
    expect(compiled.render({}, fewer)).toEqual({ ok: true, text: 'b p c and e' });
    expect(fewer.drawn).toBe(4);
  });

  it('renders the same text for the same seed, many times over', () => {
    const compiled = compileTemplate(parseTemplate('{Hi|Hello|Hey} {{name}}, {a|b|c|d} {e|f}'));
    const once = Array.from({ length: 50 }, (_, i) => compiled.render({ name: 'Ana' }, seededRandom(`c:${i}`)));
    const again = Array.from({ length: 50 }, (_, i) => compiled.render({ name: 'Ana' }, seededRandom(`c:${i}`)));
    expect(again).toEqual(once);
    expect(new Set(once.map((r) => (r.ok ? r.text : ''))).size).toBeGreaterThan(10);
  });
});

// ---- Properties over generated templates -------------------------------------------------

type Tree = { text: string } | { key: string; fallback: string | null; legacy: boolean; spaced: boolean; quote: "'" | '"' } | { options: Tree[][] };

const escapeText = (s: string) => s.replace(/[\\{}|]/g, '\\$&');

function print(nodes: Tree[]): string {
  return nodes
    .map((n) => {
      if ('text' in n) return escapeText(n.text);
      if ('options' in n) return `{${n.options.map(print).join('|')}}`;
      if (n.legacy) return n.spaced ? `{ ${n.key} }` : `{${n.key}}`;
      const space = n.spaced ? ' ' : '';
      const quoted = n.fallback?.replace(new RegExp(`[\\\\{}|${n.quote}]`, 'g'), '\\$&');
      const fallback = quoted === undefined ? '' : `${space}|${space}${n.quote}${quoted}${n.quote}`;
      return `{{${space}${n.key}${fallback}${space}}}`;
    })
    .join('');
}

/** What the language means, written as plainly as possible: the reference the compiled program must match. */
function model(nodes: Tree[], values: Record<string, string>, random: RandomStream, missing: string[]): string {
  let out = '';
  for (const n of nodes) {
    if ('text' in n) out += n.text;
    else if ('options' in n) out += model(n.options[Math.floor(random() * n.options.length)]!, values, random, missing);
    else if (values[n.key]?.trim()) out += values[n.key];
    else if (n.fallback !== null) out += n.fallback;
    else if (!missing.includes(n.key)) missing.push(n.key);
  }
  return out;
}

const keyArb = fc.constantFrom('name', 'phone', 'city', 'plan', 'order_id', 'x1');
const chars = (extra: string[]) => fc.constantFrom('a', 'b', ' ', 'é', '😀', '.', ',', ...extra);

function treeArb(textChars: fc.Arbitrary<string>) {
  const textArb = fc.string({ unit: textChars, minLength: 1, maxLength: 6 }).map((text) => ({ text }));
  const fallbackArb = fc.option(fc.string({ unit: chars(['{', '}', '|', '\\', "'", '"']), maxLength: 6 }), { nil: null });
  const variableArb = fc
    .record({ key: keyArb, fallback: fallbackArb, legacy: fc.boolean(), spaced: fc.boolean(), quote: fc.constantFrom("'" as const, '"' as const) })
    .map((v) => (v.legacy ? { ...v, fallback: null } : v));
  return fc.letrec<{ nodes: Tree[]; node: Tree }>((tie) => ({
    nodes: fc.array(tie('node'), { minLength: 1, maxLength: 5 }),
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      textArb,
      variableArb,
      fc.record({ options: fc.array(tie('nodes'), { minLength: 2, maxLength: 4 }) }),
    ),
  })).nodes;
}

const valuesArb = fc.dictionary(keyArb, fc.oneof(fc.constantFrom('', '  '), fc.string({ unit: chars([]), maxLength: 5 })));
const seedArb = fc.string({ maxLength: 12 });

describe('template properties', () => {
  it('parses every printed template without errors and renders it exactly as the model does', () => {
    fc.assert(
      fc.property(treeArb(chars(['{', '}', '|', '\\', "'", '\n'])), valuesArb, seedArb, (tree, values, seed) => {
        const source = print(tree);
        const parsed = parseTemplate(source);
        expect(parsed.errors).toEqual([]);
        const spans = parsed.spans.map((s) => s.offset);
        expect(spans).toEqual([...spans].sort((a, b) => a - b));
        const missing: string[] = [];
        const expected = model(tree, values, seededRandom(seed), missing);
        const result = compileTemplate(parsed).render(values, seededRandom(seed));
        expect(result).toEqual(missing.length ? expect.objectContaining({ ok: false, missing }) : { ok: true, text: expected });
      }),
      { numRuns: 1000 },
    );
  });

  it('never leaves "{{" in the output of a valid template with every value present', () => {
    const present = fc.record({
      name: fc.string({ unit: chars([]), minLength: 1, maxLength: 5 }).map((s) => `${s}x`),
      phone: fc.constant('+62812'),
      city: fc.constant('Bandung'),
      plan: fc.constant('gold'),
      order_id: fc.constant('A-1'),
      x1: fc.constant('1'),
    });
    fc.assert(
      fc.property(treeArb(chars(['|', '\\', "'", '\n'])), present, seedArb, (tree, values, seed) => {
        const result = compileTemplate(parseTemplate(print(tree))).render(values, seededRandom(seed));
        return result.ok && !result.text.includes('{{') && !result.text.includes('}}');
      }),
    );
  });

  it('chooses one of the options of a group, the same one for the same seed', () => {
    const option = fc.string({ unit: chars(['|', '{', '}', '\\']), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(option, { minLength: 2, maxLength: 10 }), seedArb, (options, seed) => {
        const compiled = compileTemplate(parseTemplate(`{${options.map(escapeText).join('|')}}`));
        const first = compiled.render({}, seededRandom(seed));
        expect(compiled.render({}, seededRandom(seed))).toEqual(first);
        return first.ok && options.includes(first.text);
      }),
    );
  });

  it('reaches every option of a group over enough recipients', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: chars([]), minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 12 }), (options) => {
        const compiled = compileTemplate(parseTemplate(`Hi {${options.map(escapeText).join('|')}}!`));
        const seen = new Set<string>();
        for (let i = 0; i < 100 * options.length && seen.size < options.length; i++) {
          const r = compiled.render({}, seededRandom(`0190a5c4:${i}`));
          if (r.ok) seen.add(r.text.slice(3, -1));
        }
        expect([...seen].sort()).toEqual([...options].sort());
      }),
      { numRuns: 200 },
    );
  });
});
