import type { Container } from '../container.ts';
import { toE164 } from './workspace-phone.ts';
import { insertAudit, type Tx } from '../db/audit.repo.ts';
import { forgetPhoneOptOut, optOutPhones } from '../db/inbound.repo.ts';
import { optedOutPhones } from '../db/send-requests.repo.ts';
import * as repo from '../db/contacts.repo.ts';
import { listsOfContact } from '../db/lists.repo.ts';
import type { ContactChanges, ContactRow, FieldValue } from '../db/contacts.repo.ts';
import { guessValueType, type FieldType } from '../domain/fields.ts';
import { decodeCursor, toPage } from '../domain/cursor.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { Actor } from './actor.ts';

export interface ContactInput {
  phone: string | number;
  name?: string | null | undefined;
  fields?: Record<string, FieldValue> | undefined;
  labels?: string[] | undefined;
  consent?: boolean | undefined;
  consentSource?: string | undefined;
  workflowStatus?: string | null | undefined;
}

export type ContactPatchInput = Partial<ContactInput>;

export interface ContactSearch {
  search?: string | undefined;
  label?: string | undefined;
  listId?: string | undefined;
  field?: string | undefined;
  value?: string | undefined;
  consent?: boolean | undefined;
  optedOut?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

function fieldTypes(fields: Record<string, FieldValue>): { key: string; type: FieldType }[] {
  return Object.entries(fields).flatMap(([key, v]) => (v === null ? [] : [{ key, type: guessValueType(v) }]));
}

const contactNotFound = () => notFound('CONTACT_NOT_FOUND', 'No such contact in this workspace');

async function phoneTaken(db: Tx, workspaceId: string, phone: string) {
  const contactId = await repo.findContactIdByPhone(db, workspaceId, phone);
  return conflict('CONTACT_EXISTS', `A contact with the phone ${phone} already exists`, { phone, contactId });
}

export async function searchContacts(c: Container, actor: Actor, q: ContactSearch) {
  const rows = await repo.searchContacts(c.db.orm, actor.workspaceId, {
    search: q.search,
    label: q.label,
    listId: q.listId,
    field: q.field === undefined ? undefined : { key: q.field, value: q.value },
    consent: q.consent,
    optedOut: q.optedOut,
    before: decodeCursor(q.cursor),
    limit: q.limit,
  });
  return toPage(rows, q.limit);
}

export async function getContact(c: Container, actor: Actor, id: string) {
  const row = await repo.getContact(c.db.orm, actor.workspaceId, id);
  if (!row) throw contactNotFound();
  return { ...row, lists: await listsOfContact(c.db.orm, actor.workspaceId, id) };
}

export async function listContactFields(c: Container, actor: Actor) {
  return { items: await repo.listContactFields(c.db.orm, actor.workspaceId) };
}

export async function createContact(c: Container, actor: Actor, input: ContactInput): Promise<ContactRow> {
  const ws = actor.workspaceId;
  // A null value means "no value": nothing to store on a new contact.
  const fields = Object.fromEntries(Object.entries(input.fields ?? {}).filter(([, v]) => v !== null));
  const consent = input.consent ?? false;
  return c.db.orm.transaction(async (tx) => {
    const phone = await toE164(tx, ws, input.phone);
    // A number that said "STOP" before it was a contact is an opted-out contact from the start.
    const optedOut = (await optedOutPhones(tx, ws, [phone])).get(phone);
    const row = await repo.insertContact(tx, ws, {
      ...(optedOut ? { optedOutAt: optedOut.at, optOutReason: optedOut.reason } : {}),
      phone,
      name: input.name ?? null,
      fields,
      labels: input.labels ?? [],
      workflowStatus: input.workflowStatus ?? null,
      consent,
      consentAt: consent ? new Date() : null,
      consentSource: consent ? (input.consentSource ?? 'manual') : null,
    });
    if (!row) throw await phoneTaken(tx, ws, phone);
    await repo.registerContactFields(tx, ws, fieldTypes(fields));
    await insertAudit(tx, actor, {
      action: 'contact.create',
      entityType: 'contact',
      entityId: row.id,
      changes: {
        phone: row.phone,
        name: row.name,
        fields: row.fields,
        labels: row.labels,
        consent: row.consent,
        consentSource: row.consentSource,
        workflowStatus: row.workflowStatus,
      },
    });
    return row;
  });
}

type Diff = Record<string, { before: unknown; after: unknown }>;

const sameLabels = (a: string[], b: string[]) => a.length === b.length && a.every((l, i) => l === b[i]);

/** What the patch changes on the current row, as a column update and an audit diff. */
function diffContact(cur: ContactRow, input: ContactPatchInput, phone: string | undefined) {
  const set: ContactChanges = {};
  const changes: Diff = {};
  if (phone !== undefined && phone !== cur.phone) {
    set.phone = phone;
    changes.phone = { before: cur.phone, after: phone };
  }
  if (input.name !== undefined && input.name !== cur.name) {
    set.name = input.name;
    changes.name = { before: cur.name, after: input.name };
  }
  if (input.workflowStatus !== undefined && input.workflowStatus !== cur.workflowStatus) {
    set.workflowStatus = input.workflowStatus;
    changes.workflowStatus = { before: cur.workflowStatus, after: input.workflowStatus };
  }
  if (input.labels !== undefined && !sameLabels(input.labels, cur.labels)) {
    set.labels = input.labels;
    changes.labels = { before: cur.labels, after: input.labels };
  }
  if (input.fields) {
    const merged = { ...cur.fields };
    let changed = false;
    for (const [key, value] of Object.entries(input.fields)) {
      const before = key in merged ? merged[key] : null;
      if (before === value) continue;
      if (value === null) delete merged[key];
      else merged[key] = value;
      changes[`fields.${key}`] = { before, after: value };
      changed = true;
    }
    if (changed) set.fields = merged;
  }
  if (input.consent !== undefined && input.consent !== cur.consent) {
    set.consent = input.consent;
    set.consentAt = input.consent ? new Date() : null;
    set.consentSource = input.consent ? (input.consentSource ?? 'manual') : null;
    changes.consent = { before: cur.consent, after: input.consent };
  } else if (input.consentSource !== undefined && cur.consent && input.consentSource !== cur.consentSource) {
    set.consentSource = input.consentSource;
  }
  if (set.consentSource !== undefined && set.consentSource !== cur.consentSource) {
    changes.consentSource = { before: cur.consentSource, after: set.consentSource };
  }
  return { set, changes };
}

export async function updateContact(c: Container, actor: Actor, id: string, input: ContactPatchInput): Promise<ContactRow> {
  const ws = actor.workspaceId;
  return c.db.orm.transaction(async (tx) => {
    const cur = await repo.lockContact(tx, ws, id);
    if (!cur) throw contactNotFound();
    const phone = input.phone === undefined ? undefined : await toE164(tx, ws, input.phone);
    const { set, changes } = diffContact(cur, input, phone);
    if (Object.keys(changes).length === 0) return cur;
    if (set.phone) {
      const owner = await repo.findContactIdByPhone(tx, ws, set.phone);
      if (owner && owner !== id) throw await phoneTaken(tx, ws, set.phone);
    }
    const row = await repo.updateContact(tx, ws, id, set);
    // Another request took the phone between the check and the update.
    if (row === 'phone_taken') throw conflict('CONTACT_EXISTS', `A contact with the phone ${set.phone} already exists`, { phone: set.phone });
    if (!row) throw contactNotFound();
    if (set.fields) await repo.registerContactFields(tx, ws, fieldTypes(input.fields ?? {}));
    await insertAudit(tx, actor, { action: 'contact.update', entityType: 'contact', entityId: id, changes });
    return row;
  });
}

export async function deleteContact(c: Container, actor: Actor, id: string): Promise<void> {
  await c.db.orm.transaction(async (tx) => {
    const row = await repo.deleteContact(tx, actor.workspaceId, id);
    if (!row) throw contactNotFound();
    await insertAudit(tx, actor, {
      action: 'contact.delete',
      entityType: 'contact',
      entityId: id,
      changes: { phone: row.phone, name: row.name },
    });
  });
}

/** Opting out twice keeps the first date and reason: the contact's first request is the one on record. */
export async function optOut(c: Container, actor: Actor, id: string, reason: string | undefined): Promise<ContactRow> {
  return c.db.orm.transaction(async (tx) => {
    const cur = await repo.lockContact(tx, actor.workspaceId, id);
    if (!cur) throw contactNotFound();
    if (cur.optedOutAt) return cur;
    const now = new Date();
    const row = await repo.updateContact(tx, actor.workspaceId, id, { optedOutAt: now, optOutReason: reason ?? null });
    if (!row || row === 'phone_taken') throw contactNotFound();
    // The person's wish holds for the number (a re-import, a typed number) and for what is already queued for it.
    await optOutPhones(tx, actor.workspaceId, [row.phone], reason ?? 'opted out by a team member', now.getTime());
    await insertAudit(tx, actor, {
      action: 'contact.opt_out',
      entityType: 'contact',
      entityId: id,
      changes: { optedOutAt: { before: null, after: row.optedOutAt }, optOutReason: { before: null, after: row.optOutReason } },
    });
    return row;
  });
}

export async function optIn(c: Container, actor: Actor, id: string): Promise<ContactRow> {
  return c.db.orm.transaction(async (tx) => {
    const cur = await repo.lockContact(tx, actor.workspaceId, id);
    if (!cur) throw contactNotFound();
    // The number itself may have opted out (a "STOP" before it was a contact): a person opting the contact back in speaks for it too.
    const byPhone = (await optedOutPhones(tx, actor.workspaceId, [cur.phone])).get(cur.phone) ?? null;
    if (!cur.optedOutAt && !byPhone) return cur;
    const row = await repo.updateContact(tx, actor.workspaceId, id, { optedOutAt: null, optOutReason: null });
    if (!row || row === 'phone_taken') throw contactNotFound();
    await forgetPhoneOptOut(tx, actor.workspaceId, row.phone);
    await insertAudit(tx, actor, {
      action: 'contact.opt_in',
      entityType: 'contact',
      entityId: id,
      changes: {
        optedOutAt: { before: cur.optedOutAt ?? byPhone?.at ?? null, after: null },
        optOutReason: { before: cur.optOutReason ?? byPhone?.reason ?? null, after: null },
      },
    });
    return row;
  });
}
