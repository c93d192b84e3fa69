import type { ColumnRole, Detected, StartImportInput } from '../../api/types.ts';

export interface ColumnChoice {
  index: number;
  header: string;
  role: ColumnRole;
  key: string;
}

export interface Options {
  existing: 'update' | 'skip';
  listMode: 'none' | 'existing' | 'new';
  listId: string | null;
  listName: string;
}

// The same rule the server applies to variable keys (src/domain/fields.ts VARIABLE_KEY).
const KEY = /^[a-z][a-z0-9_]{0,63}$/;
const RESERVED = new Set(['phone', 'name']);

export const initialColumns = (d: Detected): ColumnChoice[] =>
  d.columns.map((c) => ({ index: c.index, header: c.header, role: c.role, key: c.key }));

/** Typing in a key box: the text becomes a key the way the server would shape it. */
export function keyFromTyping(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 64);
}

/** Problems that would make the server refuse the mapping, per column index and overall. */
export function mappingProblems(columns: ColumnChoice[], o: Options) {
  const byColumn = new Map<number, string>();
  const overall: string[] = [];
  const count = (role: ColumnRole) => columns.filter((c) => c.role === role).length;
  if (count('phone') === 0) overall.push('Choose the column that holds the phone numbers.');
  for (const role of ['phone', 'name', 'consent'] as const) {
    if (count(role) > 1) overall.push(`Only one column can be the ${role}.`);
  }
  const seen = new Map<string, number>();
  for (const c of columns) {
    if (c.role !== 'field') continue;
    if (!KEY.test(c.key)) byColumn.set(c.index, 'Start with a letter; use a–z, 0–9 and _ only');
    else if (RESERVED.has(c.key)) byColumn.set(c.index, `“${c.key}” is reserved`);
    else if (seen.has(c.key)) byColumn.set(c.index, 'Another column uses this key');
    seen.set(c.key, c.index);
  }
  if (byColumn.size > 0) overall.push('Fix the highlighted variable names.');
  if (o.listMode === 'existing' && !o.listId) overall.push('Pick the list to add the contacts to.');
  if (o.listMode === 'new' && !o.listName.trim()) overall.push('Give the new list a name.');
  return { byColumn, overall };
}

export function startInput(columns: ColumnChoice[], o: Options): StartImportInput {
  return {
    columns: columns.map((c) => (c.role === 'field' ? { index: c.index, role: c.role, key: c.key } : { index: c.index, role: c.role })),
    existing: o.existing,
    ...(o.listMode === 'existing' && o.listId ? { list: { id: o.listId } } : {}),
    ...(o.listMode === 'new' ? { list: { name: o.listName.trim() } } : {}),
  };
}
