import { and, asc, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from './client.ts';
import type { FieldType } from '../domain/fields.ts';
import type { Tx } from './audit.repo.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { contactFields, contacts, listMembers } from './schema.ts';
import { escapeLike } from './like.ts';

export type FieldValue = string | number | boolean | null;
export type { FieldType };

/** The columns the API shows; internal ones (workspace, sticky profile, source import) stay inside. */
export const contactColumns = {
  id: contacts.id,
  phone: contacts.phone,
  name: contacts.name,
  fields: contacts.fields,
  labels: contacts.labels,
  workflowStatus: contacts.workflowStatus,
  consent: contacts.consent,
  consentAt: contacts.consentAt,
  consentSource: contacts.consentSource,
  optedOutAt: contacts.optedOutAt,
  optOutReason: contacts.optOutReason,
  lastInteractionAt: contacts.lastInteractionAt,
  conversationCount: contacts.conversationCount,
  rating: contacts.rating,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};

export type ContactRow = Omit<typeof contacts.$inferSelect, 'workspaceId' | 'stickyProfileId' | 'sourceImportId'>;

export interface NewContact {
  phone: string;
  name: string | null;
  fields: Record<string, FieldValue>;
  labels: string[];
  workflowStatus: string | null;
  consent: boolean;
  consentAt: Date | null;
  consentSource: string | null;
  /** Set when the number opted out before it was a contact (phone_opt_outs). */
  optedOutAt?: Date | null;
  optOutReason?: string | null;
}

export type ContactChanges = Partial<NewContact & { optedOutAt: Date | null; optOutReason: string | null }>;

export interface ContactFilter {
  search?: string | undefined;
  label?: string | undefined;
  listId?: string | undefined;
  field?: { key: string; value?: string | undefined } | undefined;
  consent?: boolean | undefined;
  optedOut?: boolean | undefined;
  /** Only contacts older than this id (the cursor). */
  before?: string | undefined;
  limit: number;
}

const PHONE_LIKE = /^[\d\s+\-().]+$/;

function filterConditions(workspaceId: string, f: ContactFilter): SQL[] {
  const conds: SQL[] = [eq(contacts.workspaceId, workspaceId)];
  const search = f.search?.trim();
  if (search) {
    const byName = sql`${contacts.name} ILIKE ${`%${escapeLike(search)}%`}`;
    // Phones are stored as E.164; people type them with spaces, dashes or a national trunk 0.
    const digits = PHONE_LIKE.test(search) ? search.replace(/\D/g, '').replace(/^0+/, '') : '';
    conds.push(digits ? or(byName, sql`${contacts.phone} LIKE ${`%${digits}%`}`)! : byName);
  }
  // `labels <> '{}'` lets the planner use the labels index, which leaves unlabelled contacts out.
  if (f.label) conds.push(sql`${contacts.labels} @> ARRAY[${f.label}]::text[] AND ${contacts.labels} <> '{}'::text[]`);
  if (f.listId) {
    conds.push(
      sql`EXISTS (SELECT 1 FROM ${listMembers} WHERE ${listMembers.workspaceId} = ${workspaceId} AND ${listMembers.listId} = ${f.listId} AND ${listMembers.contactId} = ${contacts.id})`,
    );
  }
  if (f.field) {
    // The key is a bound parameter like the value: a field name can never become SQL.
    conds.push(
      f.field.value === undefined
        ? sql`(${contacts.fields} -> ${f.field.key}) IS NOT NULL`
        : sql`${contacts.fields} ->> ${f.field.key} = ${f.field.value}`,
    );
  }
  if (f.consent !== undefined) conds.push(eq(contacts.consent, f.consent));
  if (f.optedOut !== undefined) conds.push(f.optedOut ? isNotNull(contacts.optedOutAt) : isNull(contacts.optedOutAt));
  if (f.before) conds.push(lt(contacts.id, f.before));
  return conds;
}

/** Newest first; returns up to `limit + 1` rows so the caller knows whether another page exists. */
export async function searchContacts(db: Orm | Tx, workspaceId: string, f: ContactFilter): Promise<ContactRow[]> {
  return db
    .select(contactColumns)
    .from(contacts)
    .where(and(...filterConditions(workspaceId, f)))
    .orderBy(desc(contacts.id))
    .limit(f.limit + 1);
}

export async function getContact(db: Orm | Tx, workspaceId: string, id: string): Promise<ContactRow | null> {
  const [row] = await db.select(contactColumns).from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id))).limit(1);
  return row ?? null;
}

/** The row locked until the transaction ends, so read-modify-write (field merges) cannot lose updates. */
export async function lockContact(tx: Tx, workspaceId: string, id: string): Promise<ContactRow | null> {
  const [row] = await tx
    .select(contactColumns)
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
    .for('update')
    .limit(1);
  return row ?? null;
}

export async function findContactIdByPhone(db: Orm | Tx, workspaceId: string, phone: string): Promise<string | null> {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.phone, phone)))
    .limit(1);
  return row?.id ?? null;
}

/** Null when the workspace already has a contact with this phone. */
export async function insertContact(tx: Tx, workspaceId: string, c: NewContact): Promise<ContactRow | null> {
  const [row] = await tx
    .insert(contacts)
    .values({ workspaceId, ...c })
    .onConflictDoNothing({ target: [contacts.workspaceId, contacts.phone] })
    .returning(contactColumns);
  return row ?? null;
}

/** `'phone_taken'` when the new phone belongs to another contact of the workspace. */
export async function updateContact(
  tx: Tx,
  workspaceId: string,
  id: string,
  set: ContactChanges,
): Promise<ContactRow | null | 'phone_taken'> {
  try {
    const [row] = await tx
      .update(contacts)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
      .returning(contactColumns);
    return row ?? null;
  } catch (err) {
    if (isUniqueViolation(err, 'contacts_workspace_phone_key')) return 'phone_taken';
    throw err;
  }
}

export async function deleteContact(tx: Tx, workspaceId: string, id: string): Promise<ContactRow | null> {
  const [row] = await tx
    .delete(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
    .returning(contactColumns);
  return row ?? null;
}

export async function listContactFields(db: Orm | Tx, workspaceId: string) {
  return db
    .select({ key: contactFields.key, label: contactFields.label, type: contactFields.type })
    .from(contactFields)
    .where(eq(contactFields.workspaceId, workspaceId))
    .orderBy(asc(contactFields.key));
}

/** Registers custom fields (label defaults to the key); fields the workspace has keep their label and type. */
export async function registerContactFields(
  tx: Orm | Tx,
  workspaceId: string,
  fields: { key: string; type: FieldType; label?: string }[],
): Promise<void> {
  if (fields.length === 0) return;
  await tx
    .insert(contactFields)
    .values(fields.map((f) => ({ workspaceId, key: f.key, label: f.label ?? f.key, type: f.type })))
    .onConflictDoNothing();
}
