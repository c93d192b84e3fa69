/** LIKE treats `%`, `_` and the escape character as wildcards; a search for "50%" means the text. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}
