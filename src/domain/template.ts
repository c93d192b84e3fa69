import { VARIABLE_KEY, toVariableKey } from './fields.ts';

/**
 * The template language (product.md §3), pure: parse once (errors with line and column, spans for
 * the editor), compile once, render per recipient.
 *
 * Syntax
 * - `{{key}}` a variable: `name`, `phone` or a custom field key (fields.ts VARIABLE_KEY,
 *   `^[a-z][a-z0-9_]{0,63}$`); spaces around the key are allowed (`{{ name }}`). A key that does
 *   not match is INVALID_VARIABLE_NAME with the key it probably means (`{{First Name}}` →
 *   `first_name`).
 * - `{{key | 'text'}}` or `{{key | "text"}}` a fallback, spaces optional. The fallback may be empty
 *   (`''`: print nothing when the value is missing), may not contain unescaped braces, and takes
 *   `\'` and `\"` besides the escapes below.
 * - `{key}` the legacy form of a variable: braces around a valid key and nothing else. It has no
 *   fallback.
 * - `{a|b|c}` spintax: at least two options separated by `|`; options may hold text, variables,
 *   nested spintax and escapes, may span lines, and may not be empty (`{a||b}` is
 *   EMPTY_SPINTAX_OPTION at the second `|`). Braces holding neither a key nor options (`{Hello
 *   world}`, `{}`) are an error, not literal text: a brace in a message is written `\{`.
 * - Escapes, anywhere: `\{`, `\}`, `\|`, `\\` stand for the character after the backslash; any
 *   other backslash is literal (`C:\Users` needs no escaping). A `|` outside spintax is plain text.
 * - `{{` opens a variable only when the first brace after it, on the same line, is `}}`; otherwise
 *   the first `{` opens spintax, so an option may start with nested spintax or a legacy variable
 *   (`{{Hi|Hello} there|Hey}`, `{{name}|friend}`). If that spintax never closes, the error is an
 *   unclosed variable at the `{{`.
 *
 * Errors carry the 1-based line and column (UTF-16 code units, as editors count) of where the
 * problem is, the `{` for anything unclosed. Parsing goes on after an error and reports up to
 * MAX_TEMPLATE_ERRORS of them; spintax deeper than MAX_SPINTAX_DEPTH is TOO_DEEP and skipped as a
 * whole. The parser is a loop over an explicit stack and touches each character a bounded number of
 * times, so no input can blow the stack or take quadratic time.
 *
 * Rendering
 * - A value that is null, undefined or blank (empty after trimming) is missing: the fallback is
 *   used, else the recipient is not rendered: `{ ok: false, missing, reason }` lists every missing
 *   key on the path the random choices took (a variable in an option that was not chosen does not
 *   count). Numbers and booleans render with String(); values are inserted as they are.
 * - Spintax groups draw from the random stream in source order, exactly one draw for each group
 *   the rendering reaches; groups inside options that were not chosen draw nothing. Same seed,
 *   same text.
 */

export const TEMPLATE_TYPES = ['text', 'image', 'video', 'document', 'audio', 'voice'] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

/** Values a recipient brings: `name`, `phone` and every custom field by key. */
export type TemplateValues = Readonly<Record<string, string | number | boolean | null | undefined>>;

export type TemplateProblemCode =
  | 'UNCLOSED_VARIABLE'
  | 'UNCLOSED_SPINTAX'
  | 'UNEXPECTED_CLOSING_BRACE'
  | 'EMPTY_VARIABLE'
  | 'INVALID_VARIABLE_NAME'
  | 'INVALID_FALLBACK'
  | 'EMPTY_SPINTAX_OPTION'
  | 'TOO_DEEP'
  | 'UNKNOWN_VARIABLE';

/** Where and what: line and column are 1-based; offset/length index the source (UTF-16) for highlighting. */
export interface TemplateProblem {
  code: TemplateProblemCode;
  severity: 'error' | 'warning';
  message: string;
  line: number;
  column: number;
  offset: number;
  length: number;
}

export const TEMPLATE_SPAN_KINDS = ['variable', 'fallback', 'spintax', 'spintax_separator', 'escape'] as const;

/** Source ranges by role, for the editor's highlighting. */
export interface TemplateSpan {
  kind: (typeof TEMPLATE_SPAN_KINDS)[number];
  offset: number;
  length: number;
}

export interface TemplateVariable {
  key: string;
  fallback: string | null;
  line: number;
  column: number;
  offset: number;
  length: number;
}

export interface ParsedTemplate {
  source: string;
  /** Syntax errors; a template with errors cannot be saved or rendered. */
  errors: TemplateProblem[];
  /** Every variable use, in source order. */
  variables: TemplateVariable[];
  spans: TemplateSpan[];
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[]; reason: string };

/** A seeded stream of numbers in [0, 1): same seed, same stream. */
export type RandomStream = () => number;

/** The parser stops after this many errors: the author fixes the first ones first. */
export const MAX_TEMPLATE_ERRORS = 50;
/** No message needs deeper spintax; the cap keeps hostile input from costing anything. */
export const MAX_SPINTAX_DEPTH = 20;

type Node = string | VariableNode | SpintaxNode;
interface VariableNode {
  kind: 'variable';
  key: string;
  fallback: string | null;
}
interface SpintaxNode {
  kind: 'spintax';
  options: Node[][];
}

/** An open `{` of spintax while parsing. */
interface Group {
  offset: number;
  /** Opened by a `{{` that no `}}` closed: if the group fails, the author meant a variable. */
  double: boolean;
  /** Where the text after that `{{` stopped, for the length of the report. */
  stop: number;
  options: Node[][];
  current: Node[];
  optionStart: number;
}

const BACKSLASH = 92;
const OPEN = 123;
const CLOSE = 125;
const PIPE = 124;
const NEWLINE = 10;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;

/** The characters with a meaning: they end a run of plain text, and a backslash escapes them. */
const isSyntax = (c: number) => c === OPEN || c === CLOSE || c === PIPE || c === BACKSLASH;
const isFallbackEscaped = (c: number) => isSyntax(c) || c === SINGLE_QUOTE || c === DOUBLE_QUOTE;
const isSpace = (c: number) => c === 32 || c === 9;
const isKeyChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;

/** Where each line of `source` starts (lines split at \n): the table positionIn reads. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a UTF-16 offset, from the line starts of its source. */
function positionIn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** 1-based line and column of a UTF-16 offset (lines split at \n), as editors count. */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  return positionIn(lineStarts(source), offset);
}

/** The source of a construct for a message, shortened. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
}

class Parser {
  readonly errors: TemplateProblem[] = [];
  readonly variables: TemplateVariable[] = [];
  readonly spans: TemplateSpan[] = [];
  readonly root: Node[] = [];
  private readonly groups: Group[] = [];
  private lineStarts: number[] | null = null;

  constructor(private readonly src: string) {}

  run(): void {
    const { src } = this;
    let i = 0;
    while (i < src.length) {
      if (this.errors.length >= MAX_TEMPLATE_ERRORS) return;
      const c = src.charCodeAt(i);
      if (c === BACKSLASH && isSyntax(src.charCodeAt(i + 1))) {
        this.spans.push({ kind: 'escape', offset: i, length: 2 });
        this.text(src[i + 1]!);
        i += 2;
      } else if (c === OPEN) i = this.open(i);
      else if (c === CLOSE) i = this.close(i);
      else if (c === PIPE && this.groups.length > 0) i = this.separate(i);
      else {
        let j = i + 1;
        while (j < src.length && !isSyntax(src.charCodeAt(j))) j++;
        this.text(src.slice(i, j));
        i = j;
      }
    }
    this.unclosed();
  }

  private out(): Node[] {
    return this.groups.length > 0 ? this.groups[this.groups.length - 1]!.current : this.root;
  }

  private text(s: string) {
    const out = this.out();
    const last = out.length - 1;
    if (last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + s;
    else out.push(s);
  }

  private position(offset: number): { line: number; column: number } {
    this.lineStarts ??= lineStarts(this.src);
    return positionIn(this.lineStarts, offset);
  }

  private error(code: TemplateProblemCode, offset: number, length: number, message: string) {
    this.errors.push({ code, severity: 'error', message, ...this.position(offset), offset, length });
  }

  private open(i: number): number {
    const { src } = this;
    if (src.charCodeAt(i + 1) === OPEN) {
      const stop = this.variableStop(i + 2);
      if (src.charCodeAt(stop) === CLOSE && src.charCodeAt(stop + 1) === CLOSE) return this.variable(i, stop);
      return this.push(i, true, stop);
    }
    return this.legacy(i) ?? this.push(i, false, i + 1);
  }

  /** Where the inside of a `{{` ends: the first unescaped brace or the end of the line. */
  private variableStop(from: number): number {
    const { src } = this;
    let j = from;
    while (j < src.length) {
      const c = src.charCodeAt(j);
      if (c === OPEN || c === CLOSE || c === NEWLINE) return j;
      j += c === BACKSLASH && isSyntax(src.charCodeAt(j + 1)) ? 2 : 1;
    }
    return src.length;
  }

  /** `{key}`, spaces allowed around the key; undefined when the braces hold anything else. */
  private legacy(i: number): number | undefined {
    const { src } = this;
    let j = i + 1;
    while (isSpace(src.charCodeAt(j))) j++;
    const start = j;
    while (isKeyChar(src.charCodeAt(j))) j++;
    const key = src.slice(start, j);
    while (isSpace(src.charCodeAt(j))) j++;
    if (src.charCodeAt(j) !== CLOSE || !VARIABLE_KEY.test(key)) return undefined;
    this.addVariable(i, j + 1, key, null);
    return j + 1;
  }

  /** `{{…}}` from `i` to the `}}` at `stop`. */
  private variable(i: number, stop: number): number {
    const end = stop + 2;
    const body = this.src.slice(i + 2, stop);
    const bar = body.indexOf('|');
    const key = (bar < 0 ? body : body.slice(0, bar)).trim();
    if (!key) {
      this.error('EMPTY_VARIABLE', i, end - i, `Empty variable ${quoted(this.src.slice(i, end))}: write a field key inside, e.g. {{name}}`);
    } else if (!VARIABLE_KEY.test(key)) {
      this.error(
        'INVALID_VARIABLE_NAME',
        i,
        end - i,
        `${quoted(key)} is not a variable key: keys are lower-case letters, digits and _, starting with a letter (use {{${toVariableKey(key)}}})`,
      );
    } else if (bar < 0) {
      this.addVariable(i, end, key, null);
    } else {
      const fallback = this.fallback(key, i + 3 + bar, stop);
      if (fallback) this.addVariable(i, end, key, fallback.text, fallback.offset, fallback.length);
    }
    return end;
  }

  /** The quoted text after `|` inside `{{key | …}}`, up to `to`; undefined after reporting why not. */
  private fallback(key: string, from: number, to: number): { text: string; offset: number; length: number } | undefined {
    const { src } = this;
    let j = from;
    while (j < to && isSpace(src.charCodeAt(j))) j++;
    const quote = src.charCodeAt(j);
    if (quote !== SINGLE_QUOTE && quote !== DOUBLE_QUOTE) {
      this.error(
        'INVALID_FALLBACK',
        j,
        Math.max(to - j, 1),
        `The fallback of {{${key}}} goes in quotes: {{${key} | 'Customer'}} (spintax takes single braces: {Hi|Hello})`,
      );
      return undefined;
    }
    let text = '';
    let run = j + 1;
    let k = run;
    while (k < to && src.charCodeAt(k) !== quote) {
      if (src.charCodeAt(k) === BACKSLASH && isFallbackEscaped(src.charCodeAt(k + 1))) {
        text += src.slice(run, k);
        run = k + 1;
        k += 2;
      } else k++;
    }
    if (k >= to) {
      this.error('INVALID_FALLBACK', j, to - j, `The fallback of {{${key}}} has no closing quote: {{${key} | 'Customer'}}`);
      return undefined;
    }
    text += src.slice(run, k);
    const rest = src.slice(k + 1, to).trim();
    if (rest) {
      this.error('INVALID_FALLBACK', k + 1, to - k - 1, `Unexpected ${quoted(rest)} after the fallback of {{${key}}}: one quoted text only`);
      return undefined;
    }
    return { text, offset: j, length: k + 1 - j };
  }

  private addVariable(offset: number, end: number, key: string, fallback: string | null, fallbackOffset = 0, fallbackLength = 0) {
    this.variables.push({ key, fallback, ...this.position(offset), offset, length: end - offset });
    this.spans.push({ kind: 'variable', offset, length: end - offset });
    if (fallback !== null) this.spans.push({ kind: 'fallback', offset: fallbackOffset, length: fallbackLength });
    this.out().push({ kind: 'variable', key, fallback });
  }

  private push(i: number, double: boolean, stop: number): number {
    if (this.groups.length >= MAX_SPINTAX_DEPTH) {
      this.error('TOO_DEEP', i, 1, `Spintax nested more than ${MAX_SPINTAX_DEPTH} levels deep: this group is skipped; flatten it`);
      return this.skipGroup(i);
    }
    this.spans.push({ kind: 'spintax', offset: i, length: 1 });
    this.groups.push({ offset: i, double, stop, options: [], current: [], optionStart: i + 1 });
    return i + 1;
  }

  /** Past the `}` that balances the `{` at `i` (or the end): one pass, no stack. */
  private skipGroup(i: number): number {
    const { src } = this;
    let depth = 0;
    for (let j = i; j < src.length; j++) {
      const c = src.charCodeAt(j);
      if (c === BACKSLASH && isSyntax(src.charCodeAt(j + 1))) j++;
      else if (c === OPEN) depth++;
      else if (c === CLOSE && --depth === 0) return j + 1;
    }
    return src.length;
  }

  private endOption(g: Group, i: number, only: boolean) {
    if (i === g.optionStart && !only) {
      this.error('EMPTY_SPINTAX_OPTION', i, 1, 'Empty spintax option: every option between { | and } needs text (remove the extra |)');
    }
    g.options.push(g.current);
    g.current = [];
    g.optionStart = i + 1;
  }

  private separate(i: number): number {
    this.endOption(this.groups[this.groups.length - 1]!, i, false);
    this.spans.push({ kind: 'spintax_separator', offset: i, length: 1 });
    return i + 1;
  }

  private close(i: number): number {
    const g = this.groups.pop();
    if (!g) {
      this.error('UNEXPECTED_CLOSING_BRACE', i, 1, '"}" closes nothing: write \\} for a literal brace');
      return i + 1;
    }
    this.endOption(g, i, g.options.length === 0);
    if (g.options.length > 1) {
      this.spans.push({ kind: 'spintax', offset: i, length: 1 });
      this.out().push({ kind: 'spintax', options: g.options });
    } else this.notSpintax(g, i);
    return i + 1;
  }

  /** Braces around one option: neither a variable key nor spintax. */
  private notSpintax(g: Group, i: number) {
    const inside = this.src.slice(g.offset + 1, i);
    const whole = quoted(this.src.slice(g.offset, i + 1));
    if (!inside.trim()) {
      this.error('EMPTY_VARIABLE', g.offset, i + 1 - g.offset, `Empty braces ${whole}: write a variable such as {{name}}, or \\{ and \\} for literal braces`);
      return;
    }
    const plain = inside.length <= 64 && !/[{}\\]/.test(inside);
    this.error(
      'INVALID_VARIABLE_NAME',
      g.offset,
      i + 1 - g.offset,
      `${whole} is neither a variable nor spintax: a variable key is lower-case letters, digits and _` +
        (plain ? ` (did you mean {{${toVariableKey(inside)}}}?)` : '') +
        ', spintax needs options separated by | as in {Hi|Hello}; write \\{ and \\} for literal braces',
    );
  }

  private unclosed() {
    this.groups.forEach((g, k) => {
      const outer = this.groups[k - 1];
      if (outer?.double && outer.offset === g.offset - 1) return;
      if (g.double) {
        this.error(
          'UNCLOSED_VARIABLE',
          g.offset,
          g.stop - g.offset,
          `Unclosed variable ${quoted(this.src.slice(g.offset, g.stop))}: close it with }} as in {{name}}, or write \\{ for a literal brace`,
        );
      } else {
        this.error('UNCLOSED_SPINTAX', g.offset, 1, 'Unclosed "{": close the spintax with } as in {Hi|Hello}, or write \\{ for a literal brace');
      }
    });
  }
}

/**
 * The tree parseTemplate built for each error-free result it returned, so that compileTemplate need
 * not parse the source again. A result with errors has no entry: compileTemplate parses its source
 * again and so still refuses it when its errors were stripped. The source is kept to notice an object
 * whose source was changed after parsing.
 */
const parsedNodes = new WeakMap<ParsedTemplate, { source: string; nodes: Node[] }>();

function parse(source: string): { parsed: ParsedTemplate; nodes: Node[] } {
  const p = new Parser(source);
  p.run();
  const errors = p.errors.sort((a, b) => a.offset - b.offset).slice(0, MAX_TEMPLATE_ERRORS);
  return { parsed: { source, errors, variables: p.variables, spans: p.spans }, nodes: p.root };
}

/** Never throws: syntax errors are in `.errors`, sorted by position. */
export function parseTemplate(source: string): ParsedTemplate {
  const { parsed, nodes } = parse(source);
  if (parsed.errors.length === 0) parsedNodes.set(parsed, { source, nodes });
  return parsed;
}

/** The tree of an error-free template, parsing its source again unless parseTemplate kept it; throws on errors. */
function nodesOf(parsed: ParsedTemplate): Node[] {
  const kept = parsedNodes.get(parsed);
  if (parsed.errors.length === 0 && kept?.source === parsed.source) return kept.nodes;
  const { parsed: checked, nodes } = parse(parsed.source);
  const errors = parsed.errors.length > 0 ? parsed.errors : checked.errors;
  if (errors.length > 0) throw new Error(`The template has ${errors.length} error(s), the first: ${errors[0]!.message}`);
  return nodes;
}

/** Distinct variable keys in order of first use. */
export function variableKeys(parsed: ParsedTemplate): string[] {
  return [...new Set(parsed.variables.map((v) => v.key))];
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...row) > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Unknown variables WITHOUT a fallback → problems with code 'UNKNOWN_VARIABLE', severity 'warning',
 * one per use (each is highlighted), with the nearest available key when one is close.
 * `available` = 'name', 'phone' and the workspace's custom field keys.
 */
export function checkVariables(parsed: ParsedTemplate, available: readonly string[]): TemplateProblem[] {
  const known = new Set(available);
  const problems: TemplateProblem[] = [];
  for (const v of parsed.variables) {
    if (v.fallback !== null || known.has(v.key)) continue;
    let near: string | undefined;
    let best = 2;
    for (const key of available) {
      const d = distance(v.key, key, best);
      if (d <= best && (near === undefined || d < best)) [near, best] = [key, d];
    }
    const hint = near === undefined ? '' : `did you mean "${near}"? Or `;
    problems.push({
      code: 'UNKNOWN_VARIABLE',
      severity: 'warning',
      message: `Unknown variable "${v.key}": no contact field has this key (${hint}add a fallback: {{${v.key} | '…'}})`,
      line: v.line,
      column: v.column,
      offset: v.offset,
      length: v.length,
    });
  }
  return problems;
}

export interface CompiledTemplate {
  render(values: TemplateValues, random: RandomStream): RenderResult;
}

const OP_END = 0;
const OP_VARIABLE = 1;
const OP_SPINTAX = 2;
const OP_JUMP = 3;

/**
 * The template as one flat program, so that rendering is a loop rather than a walk of a tree:
 * instruction i appends prefix[i] (the literal text before it), then does op[i] with arg[i].
 * A template without spintax is one VARIABLE instruction per variable and an END.
 */
class Program {
  readonly prefix: string[] = [];
  readonly op: number[] = [];
  readonly arg: number[] = [];
  readonly keys: string[] = [];
  readonly fallbacks: (string | null)[] = [];
  /** For a SPINTAX instruction with argument `at`: the option count, then the instruction each option starts at. */
  readonly table: number[] = [];
  private text = '';

  add(op: number, arg: number): number {
    this.prefix.push(this.text);
    this.text = '';
    this.op.push(op);
    return this.arg.push(arg) - 1;
  }

  emit(nodes: Node[]) {
    for (const node of nodes) {
      if (typeof node === 'string') this.text += node;
      else if (node.kind === 'variable') {
        this.add(OP_VARIABLE, this.keys.push(node.key) - 1);
        this.fallbacks.push(node.fallback);
      } else {
        const at = this.table.push(node.options.length) - 1;
        this.table.push(...node.options.map(() => 0));
        this.add(OP_SPINTAX, at);
        // Every option, the last too, ends in a jump past the group, so that the text after the
        // group is never the tail of one option.
        const jumps = node.options.map((option, k) => {
          this.table[at + 1 + k] = this.op.length;
          this.emit(option);
          return this.add(OP_JUMP, 0);
        });
        for (const j of jumps) this.arg[j] = this.op.length;
      }
    }
  }
}

/** A value's text, or undefined when it counts as missing (absent, null or blank). */
function present(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const c = value.charCodeAt(0);
    return (c > 32 && c < 127) || value.trim() !== '' ? value : undefined;
  }
  // typeof, not `!= null`: `constructor` is a valid key, and every object inherits one.
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function missingResult(missing: string[]): RenderResult {
  const keys = missing.map((k) => `"${k}"`).join(', ');
  return { ok: false, missing, reason: `missing variable${missing.length > 1 ? 's' : ''} ${keys} (no fallback)` };
}

/** Throws an Error if parsed.errors is not empty (callers check first). Compile once, render many. */
export function compileTemplate(parsed: ParsedTemplate): CompiledTemplate {
  const p = new Program();
  p.emit(nodesOf(parsed));
  p.add(OP_END, 0);
  const op = Int32Array.from(p.op);
  const arg = Int32Array.from(p.arg);
  const table = Int32Array.from(p.table);
  const { prefix, keys, fallbacks } = p;
  return {
    render(values, random) {
      let out = '';
      let missing: string[] | undefined;
      for (let i = 0; ; ) {
        out += prefix[i]!;
        const a = arg[i]!;
        switch (op[i]) {
          case OP_VARIABLE: {
            const text = present(values[keys[a]!]) ?? fallbacks[a];
            if (text != null) out += text;
            else if (!missing) missing = [keys[a]!];
            else if (!missing.includes(keys[a]!)) missing.push(keys[a]!);
            i++;
            break;
          }
          case OP_SPINTAX:
            i = table[a + 1 + Math.floor(random() * table[a]!)]!;
            break;
          case OP_JUMP:
            i = a;
            break;
          default:
            return missing ? missingResult(missing) : { ok: true, text: out };
        }
      }
    },
  };
}
