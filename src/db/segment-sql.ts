import { sql, type SQL } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { Tx } from './audit.repo.ts';
import { contacts, listMembers } from './schema.ts';
import { dateSpan, dayOf, isGroup, type SegmentCondition, type SegmentGroup } from '../domain/segment-criteria.ts';
import {
  FALSE_WORDS,
  ISO_DAY_PATTERN,
  NUMERIC_TEXT_MAX,
  NUMERIC_TEXT_PATTERN,
  TRUE_WORDS,
  daysBefore,
} from '../domain/segment-match.ts';

/**
 * Segment criteria → one boolean SQL expression over `contacts`. The meaning of every operator is
 * written down (and implemented in memory) in src/domain/segment-match.ts; this file must agree with
 * it, and test/segment-sql.test.ts compares the two on random criteria trees.
 *
 * Every user value and every custom-field key is a bound parameter; the module has no `sql.raw`.
 * Lists of values go as one array parameter (`= ANY($1::text[])`), so a 200-value filter is one
 * parameter and one plan shape.
 *
 * Shapes chosen for speed (docs/benchmarks.md, "Segment counts", has the measurements):
 * - label filters add `labels <> '{}'`, the predicate of the partial GIN index `contacts_labels_idx`;
 * - last interaction is a plain comparison on the column, which `contacts_last_interaction_idx`
 *   (partial: only contacts that ever interacted, so imports never pay for it) serves;
 * - custom fields have no index: the only kind that could help, GIN on `fields`, answers neither
 *   case-insensitive text nor ranges and costs every imported contact ≈ 9 µs of server time (+40 %).
 *   So they are scanned, and written for the scan: `->>` without type tests (it gives the text of
 *   any value, which is what the operators compare), no bounded repetition in patterns, the cheap
 *   comparison before the regular expression, an OR of equals on one key as one `= ANY`;
 * - casts are guarded (`CASE WHEN text ~ pattern THEN left(text, 1000)::numeric END`): nothing stored
 *   in a custom field can make a segment query fail.
 *
 * Negative operators are `(positive) IS NOT TRUE`, the exact complement even where the positive is
 * NULL for a missing value.
 */

type Condition<F extends SegmentCondition['field']> = Extract<SegmentCondition, { field: F }>;
type NumberOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

const textArray = (values: readonly string[]) => sql`${sql.param(values)}::text[]`;
const not = (positive: SQL) => sql`(${positive}) IS NOT TRUE`;
const presence = (op: 'exists' | 'not_exists', value: unknown) => (op === 'exists' ? sql`${value} IS NOT NULL` : sql`${value} IS NULL`);

function compare(left: SQL, op: NumberOp, right: SQL): SQL {
  switch (op) {
    case 'eq':
      return sql`${left} = ${right}`;
    case 'ne':
      return sql`${left} <> ${right}`;
    case 'gt':
      return sql`${left} > ${right}`;
    case 'gte':
      return sql`${left} >= ${right}`;
    case 'lt':
      return sql`${left} < ${right}`;
    case 'lte':
      return sql`${left} <= ${right}`;
  }
}

function numberColumn(column: SQL, c: { op: NumberOp; value: number } | { op: 'between'; min: number; max: number }): SQL {
  return c.op === 'between' ? sql`${column} BETWEEN ${c.min} AND ${c.max}` : compare(column, c.op, sql`${c.value}`);
}

function labels(c: Condition<'labels'>): SQL {
  const values = textArray(c.values);
  switch (c.op) {
    case 'has_any':
      return sql`(${contacts.labels} && ${values} AND ${contacts.labels} <> '{}'::text[])`;
    case 'has_all':
      return sql`(${contacts.labels} @> ${values} AND ${contacts.labels} <> '{}'::text[])`;
    case 'has_none':
      return sql`NOT (${contacts.labels} && ${values})`;
  }
}

function workflowStatus(c: Condition<'workflow_status'>): SQL {
  switch (c.op) {
    case 'exists':
    case 'not_exists':
      return presence(c.op, contacts.workflowStatus);
    case 'in':
      return sql`${contacts.workflowStatus} = ANY(${textArray(c.values)})`;
    case 'not_in':
      return not(sql`${contacts.workflowStatus} = ANY(${textArray(c.values)})`);
  }
}

function lastInteraction(c: Condition<'last_interaction_at'>, now: Date): SQL {
  const at = contacts.lastInteractionAt;
  switch (c.op) {
    case 'exists':
    case 'not_exists':
      return presence(c.op, at);
    case 'within_last_days':
      return sql`${at} >= ${daysBefore(now, c.days)}`;
    case 'not_within_last_days':
      return not(sql`${at} >= ${daysBefore(now, c.days)}`);
    case 'before':
      return sql`${at} < ${dateSpan(c.value).start}`;
    case 'after':
      return sql`${at} >= ${dateSpan(c.value).end}`;
    case 'between':
      return sql`(${at} >= ${dateSpan(c.from).start} AND ${at} < ${dateSpan(c.to).end})`;
  }
}

// `->>` gives the text of any value (numbers as plain decimals, booleans as true/false) and NULL for
// a missing key or JSON null: one lookup, no type test, as the meaning of the operators asks.
const fieldText = (key: string) => sql`(${contacts.fields} ->> ${key}::text)`;
const folded = (value: string) => sql`lower(${value}::text)`;
/** A field's text as a number; only where it matched NUMERIC_TEXT_PATTERN, which keeps the cast from failing. */
const numberOf = (text: SQL) => sql`left(${text}, ${NUMERIC_TEXT_MAX})::numeric`;

/** "key equals one of values": one lookup and one `lower()` a row however many values. */
function equalsAny(key: string, values: string[]): SQL {
  const lowered = sql`lower(${fieldText(key)})`;
  if (values.length === 1) return sql`${lowered} = ${folded(values[0]!)}`;
  return sql`${lowered} = ANY(ARRAY[${sql.join(values.map(folded), sql`, `)}])`;
}

function custom(c: Condition<'custom'>): SQL {
  const text = fieldText(c.key);
  const lowered = sql`lower(${text})`;
  switch (c.op) {
    case 'exists':
    case 'not_exists':
      return presence(c.op, text);
    case 'equals':
      return equalsAny(c.key, [c.value]);
    case 'not_equals':
      return not(equalsAny(c.key, [c.value]));
    case 'contains':
      return sql`strpos(${lowered}, ${folded(c.value)}) > 0`;
    case 'not_contains':
      return not(sql`strpos(${lowered}, ${folded(c.value)}) > 0`);
    case 'starts_with':
      return sql`starts_with(${lowered}, ${folded(c.value)})`;
    case 'is_true':
      return sql`${lowered} = ANY(${textArray(TRUE_WORDS)})`;
    case 'is_false':
      return sql`${lowered} = ANY(${textArray(FALSE_WORDS)})`;
    case 'before':
    case 'after':
    case 'on': {
      const op = c.op === 'before' ? sql`<` : c.op === 'after' ? sql`>` : sql`=`;
      // The day is compared first (the C collation compares digits byte by byte, the same in every
      // database) and the pattern checked only for the values that pass: a regular expression costs
      // PostgreSQL ≈ 0.5 µs a row, most of a scan of a million contacts.
      return sql`(CASE WHEN left(${text}, 10) COLLATE "C" ${op} ${dayOf(c.value)}::text THEN ${text} ~ ${ISO_DAY_PATTERN}::text END)`;
    }
    case 'between':
      // Inside the CASE, so the pattern is tested once a row (BETWEEN repeats its left side).
      if ('min' in c) {
        return sql`(CASE WHEN ${text} ~ ${NUMERIC_TEXT_PATTERN}::text THEN ${numberOf(text)} BETWEEN ${String(c.min)}::numeric AND ${String(c.max)}::numeric END)`;
      }
      return sql`(CASE WHEN left(${text}, 10) COLLATE "C" BETWEEN ${dayOf(c.from)}::text AND ${dayOf(c.to)}::text THEN ${text} ~ ${ISO_DAY_PATTERN}::text END)`;
    default: {
      const number = sql`(CASE WHEN ${text} ~ ${NUMERIC_TEXT_PATTERN}::text THEN ${numberOf(text)} END)`;
      return compare(number, c.op, sql`${String(c.value)}::numeric`);
    }
  }
}

function list(workspaceId: string, c: Condition<'list'>): SQL {
  const member = sql`EXISTS (SELECT 1 FROM ${listMembers} WHERE ${listMembers.workspaceId} = ${workspaceId}::uuid AND ${listMembers.listId} = ANY(${sql.param(c.listIds)}::uuid[]) AND ${listMembers.contactId} = ${contacts.id})`;
  return c.op === 'in_any' ? member : sql`NOT ${member}`;
}

function condition(workspaceId: string, c: SegmentCondition, now: Date): SQL {
  switch (c.field) {
    case 'labels':
      return labels(c);
    case 'workflow_status':
      return workflowStatus(c);
    case 'last_interaction_at':
      return lastInteraction(c, now);
    case 'conversation_count':
      return numberColumn(sql`${contacts.conversationCount}`, c);
    case 'rating':
      if (!('value' in c) && !('min' in c)) return presence(c.op, contacts.rating);
      return numberColumn(sql`${contacts.rating}`, c);
    case 'custom':
      return custom(c);
    case 'list':
      return list(workspaceId, c);
    case 'consent':
      return c.value ? sql`${contacts.consent}` : sql`NOT ${contacts.consent}`;
    case 'opted_out':
      return c.value ? sql`${contacts.optedOutAt} IS NOT NULL` : sql`${contacts.optedOutAt} IS NULL`;
  }
}

function group(workspaceId: string, g: SegmentGroup, now: Date): SQL {
  if (g.conditions.length === 0) return g.op === 'and' ? sql`true` : sql`false`;
  const parts: SQL[] = [];
  // "plan is gold OR plan is platinum" is how the builder says "plan in (gold, platinum)": one
  // `= ANY` instead of a lookup and a lower() per value (measured 1.37× slower as separate ORs).
  const equalsOf = new Map<string, string[]>();
  for (const c of g.conditions) {
    if (isGroup(c)) parts.push(group(workspaceId, c, now));
    else if (g.op === 'or' && c.field === 'custom' && c.op === 'equals') equalsOf.set(c.key, [...(equalsOf.get(c.key) ?? []), c.value]);
    else parts.push(condition(workspaceId, c, now));
  }
  for (const [key, values] of equalsOf) parts.push(equalsAny(key, values));
  return sql`(${sql.join(parts, g.op === 'and' ? sql` AND ` : sql` OR `)})`;
}

/**
 * Boolean SQL over the table `contacts` (columns written `"contacts"."…"`, so use it where the
 * table is in FROM under its own name), already scoped: it includes `workspace_id = $ws`, and list
 * conditions look only at the workspace's own list memberships.
 */
export function segmentFilter(workspaceId: string, criteria: SegmentGroup, now: Date): SQL {
  return sql`${contacts.workspaceId} = ${workspaceId}::uuid AND ${group(workspaceId, criteria, now)}`;
}

export async function countMatching(db: Orm | Tx, workspaceId: string, criteria: SegmentGroup, now: Date): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`SELECT count(*) AS n FROM ${contacts} WHERE ${segmentFilter(workspaceId, criteria, now)}`);
  return Number(rows[0]!.n);
}

export interface MatchStats {
  total: number;
  /** Consented and not opted out: who a campaign can reach. */
  reachable: number;
  optedOut: number;
  notConsented: number;
  interactedLast30Days: number;
}

/** The statistics of a set of contacts, one pass of `count(*) FILTER (…)`: for matching contacts and for snapshots. */
export function matchStatsColumns(now: Date) {
  return {
    total: sql<number>`count(*)`.mapWith(Number),
    reachable: sql<number>`count(*) FILTER (WHERE ${contacts.consent} AND ${contacts.optedOutAt} IS NULL)`.mapWith(Number),
    optedOut: sql<number>`count(*) FILTER (WHERE ${contacts.optedOutAt} IS NOT NULL)`.mapWith(Number),
    notConsented: sql<number>`count(*) FILTER (WHERE NOT ${contacts.consent})`.mapWith(Number),
    interactedLast30Days: sql<number>`count(*) FILTER (WHERE ${contacts.lastInteractionAt} >= ${daysBefore(now, 30)})`.mapWith(Number),
  };
}

/** Reachable = consented and not opted out. */
export async function statsOfMatching(db: Orm | Tx, workspaceId: string, criteria: SegmentGroup, now: Date): Promise<MatchStats> {
  const [row] = await db.select(matchStatsColumns(now)).from(contacts).where(segmentFilter(workspaceId, criteria, now));
  return row!;
}
