import { invalid } from './errors.ts';
import { RESERVED_KEYS, VARIABLE_KEY, suffixUntilFree, toVariableKey } from './fields.ts';
import { normalizePhone } from './phone.ts';
import { parseConsent } from './consent.ts';
import type { ColumnRole, DetectedColumn } from './import-detect.ts';

/**
 * From the user's column mapping to contacts: validating the mapping, reading one row into a
 * contact (or a reason to reject it), and merging duplicate rows. Pure, and on the hot path of
 * every import: keep allocations per row low.
 */

export interface MappingColumn {
  index: number;
  header: string;
  role: ColumnRole;
  key: string;
}

export interface RequestedColumn {
  index: number;
  role: ColumnRole;
  key?: string | undefined;
}

const describe = (c: { index: number; header: string }) => (c.header ? `"${c.header}"` : `column ${c.index + 1}`);

/**
 * The final mapping: the detected columns with the user's changes. Columns the user does not
 * mention keep their detected role and key. Exactly one phone column; field keys valid and unique.
 */
export function resolveMapping(detected: DetectedColumn[], requested: RequestedColumn[]): MappingColumn[] {
  const byIndex = new Map<number, RequestedColumn>();
  for (const r of requested) {
    if (!detected[r.index]) {
      throw invalid('INVALID_MAPPING', `Column ${r.index + 1} does not exist: the file has ${detected.length} columns`, { index: r.index });
    }
    if (byIndex.has(r.index)) throw invalid('INVALID_MAPPING', `Column ${r.index + 1} is mapped twice`, { index: r.index });
    byIndex.set(r.index, r);
  }
  const columns = detected.map((d) => {
    const r = byIndex.get(d.index);
    const role = r?.role ?? d.role;
    return { index: d.index, header: d.header, role, explicitKey: r?.key, detectedKey: d.key };
  });

  for (const role of ['phone', 'name', 'consent'] as const) {
    const cols = columns.filter((c) => c.role === role);
    if (cols.length > 1) {
      throw invalid('INVALID_MAPPING', `Only one column can be the ${role}: ${cols.map(describe).join(' and ')} are both mapped to ${role}`, {
        role,
        columns: cols.map((c) => c.index),
      });
    }
    if (role === 'phone' && cols.length === 0) {
      throw invalid('PHONE_COLUMN_REQUIRED', 'Choose the column that holds the phone numbers: no column is mapped to phone');
    }
  }

  const used = new Map<string, (typeof columns)[number]>();
  for (const c of columns) {
    if (c.role !== 'field' || c.explicitKey === undefined) continue;
    const key = c.explicitKey;
    if (!VARIABLE_KEY.test(key)) {
      throw invalid(
        'INVALID_VARIABLE_KEY',
        `Column ${describe(c)}: the variable key "${key}" must start with a letter and use only lower-case letters, digits and _ (at most 64 characters)`,
        { index: c.index, key },
      );
    }
    if (RESERVED_KEYS.has(key)) {
      throw invalid('INVALID_VARIABLE_KEY', `Column ${describe(c)}: the variable key "${key}" is reserved for the contact's own ${key}`, { index: c.index, key });
    }
    const other = used.get(key);
    if (other) {
      throw invalid('INVALID_VARIABLE_KEY', `Columns ${describe(other)} and ${describe(c)} both use the variable key "${key}"`, {
        index: c.index,
        key,
      });
    }
    used.set(key, c);
  }
  // Fields without an explicit key keep the detected one when it is still free, else get a suffix.
  const free = (key: string) => VARIABLE_KEY.test(key) && !RESERVED_KEYS.has(key) && !used.has(key);
  return columns.map((c) => {
    let key = c.role === 'field' ? (c.explicitKey ?? '') : c.role === 'ignore' ? c.detectedKey : c.role;
    if (c.role === 'field' && c.explicitKey === undefined) {
      const base = RESERVED_KEYS.has(c.detectedKey) || !VARIABLE_KEY.test(c.detectedKey) ? toVariableKey(`${c.detectedKey}_field`) : c.detectedKey;
      key = suffixUntilFree(base, (candidate) => !free(candidate));
      used.set(key, c);
    }
    return { index: c.index, header: c.header, role: c.role, key };
  });
}

export interface ColumnPlan {
  phone: number;
  name: number | null;
  consent: number | null;
  fields: Array<{ index: number; key: string }>;
}

export function columnPlan(mapping: MappingColumn[]): ColumnPlan {
  const find = (role: ColumnRole) => mapping.find((c) => c.role === role)?.index ?? null;
  const phone = find('phone');
  if (phone === null) throw invalid('PHONE_COLUMN_REQUIRED', 'Choose the column that holds the phone numbers: no column is mapped to phone');
  return {
    phone,
    name: find('name'),
    consent: find('consent'),
    fields: mapping.filter((c) => c.role === 'field').map((c) => ({ index: c.index, key: c.key })),
  };
}

export interface ContactRow {
  ok: true;
  phone: string;
  name: string | null;
  consent: boolean;
  /** Non-empty values only: an empty cell never erases what a contact already has. */
  fields: Record<string, string>;
}
export interface RejectedRow {
  ok: false;
  reason: string;
}

/** Excel's own limit for one cell: longer values only come from broken or hostile files. */
export const MAX_CELL_LENGTH = 32_767;

export function readContactRow(cells: string[], plan: ColumnPlan, country: string): ContactRow | RejectedRow {
  for (let i = 0; i < cells.length; i++) {
    if (cells[i]!.length > MAX_CELL_LENGTH) {
      return { ok: false, reason: `column ${i + 1} is longer than ${MAX_CELL_LENGTH.toLocaleString('en')} characters` };
    }
  }
  const phone = normalizePhone(cells[plan.phone], country);
  if (!phone.ok) return { ok: false, reason: phone.reason };
  let name: string | null = null;
  if (plan.name !== null) {
    const v = cells[plan.name]?.trim();
    if (v) name = v;
  }
  const consent = plan.consent !== null && parseConsent(cells[plan.consent]);
  const fields: Record<string, string> = {};
  for (const f of plan.fields) {
    const v = cells[f.index];
    if (v === undefined) continue;
    const t = v.trim();
    if (t !== '') fields[f.key] = t;
  }
  return { ok: true, phone: phone.e164, name, consent, fields };
}

/** A later row for the same phone: its non-empty values win, consent given anywhere stays given. */
export function mergeContactRows(into: Pick<ContactRow, 'name' | 'consent' | 'fields'>, later: ContactRow): void {
  if (later.name !== null) into.name = later.name;
  if (later.consent) into.consent = true;
  Object.assign(into.fields, later.fields);
}

/** A compact in-memory key for an E.164 number (at most 15 digits: exact in a double). */
export const phoneKey = (e164: string) => Number(e164.slice(1));

export const duplicateReason = (firstRow: number) => `duplicate in file (merged into row ${firstRow})`;

/**
 * Phone → row of its first appearance in the file, for a whole file at once (millions of phones).
 * An open-addressing table in typed arrays: a fraction of a Map's memory, and nothing for the
 * garbage collector to walk through on every collection.
 */
export class FirstRowIndex {
  private keys = new Float64Array(1 << 16);
  private rows = new Int32Array(1 << 16);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** The row recorded for `key` (a phoneKey, never 0), or undefined. */
  get(key: number): number | undefined {
    const mask = this.keys.length - 1;
    for (let i = hashOf(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return this.rows[i];
      if (k === 0) return undefined;
    }
  }

  /** Records `row` for `key` unless the key has a row already. */
  add(key: number, row: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let i = hashOf(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return;
      if (k === 0) {
        this.keys[i] = key;
        this.rows[i] = row;
        this.used++;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(keys.length * 2);
    this.used = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.add(keys[i]!, rows[i]!);
  }
}

function hashOf(key: number): number {
  // E.164 numbers share prefixes and differ in their last digits: mix both halves.
  const lo = key % 0x100000000 | 0;
  const hi = (key / 0x100000000) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) ^ (lo >>> 15);
}
