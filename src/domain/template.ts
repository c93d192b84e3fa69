/**
 * The template language (product.md §3), pure: `{{name}}`, `{{city | 'Customer'}}`, legacy `{name}`,
 * nested spintax `{Hi|Hello {there|friend}}`, `\{` and `\}` for literal braces.
 *
 * CONTRACT (implementation in progress): other modules use only what this file exports.
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

/** Source ranges by role, for the editor's highlighting. */
export interface TemplateSpan {
  kind: 'variable' | 'fallback' | 'spintax' | 'spintax_separator' | 'escape';
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
