/**
 * Shapes of the API as the dashboard receives them: the zod schemas' types, with dates as the ISO
 * strings JSON carries. A contract change breaks the dashboard's build, not its users.
 */
import type { z } from 'zod';
import type { ApiKey as ApiKeyOut, ApiKeyCreated as ApiKeyCreatedOut } from '../../../src/http/schemas/api-keys.ts';
import type { AuditEntry as AuditEntryOut } from '../../../src/http/schemas/audit.ts';
import type { MeResponse } from '../../../src/http/schemas/auth.ts';
import type { Contact as ContactOut, ContactDetail as ContactDetailOut, ContactField as ContactFieldOut, FieldValue as FieldValueOut, contactCreate, contactPatch } from '../../../src/http/schemas/contacts.ts';
import type { ImportItem, ImportProgressNotice as ImportProgressNoticeOut, StartImportBody } from '../../../src/http/schemas/imports.ts';
import type { ContactList as ContactListOut, listCreate } from '../../../src/http/schemas/lists.ts';
import type { Member as MemberOut, memberAdd } from '../../../src/http/schemas/members.ts';
import type { Workspace as WorkspaceOut, workspacePatch } from '../../../src/http/schemas/workspace.ts';

/** A schema's output type as it arrives over JSON. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type Me = Json<MeResponse>;
export type Role = Me['role'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Workspace = Json<WorkspaceOut>;
export type WorkspaceInput = z.input<typeof workspacePatch>;
export type Member = Json<MemberOut>;
export type MemberInput = z.input<typeof memberAdd>;
export type ApiKey = Json<ApiKeyOut>;
export type ApiKeyCreated = Json<ApiKeyCreatedOut>;
export type AuditEntry = Json<AuditEntryOut>;

export type FieldValue = FieldValueOut;
export type Contact = Json<ContactOut>;
export type ContactDetail = Json<ContactDetailOut>;
export type ContactField = ContactFieldOut;
export type ContactCreateInput = z.input<typeof contactCreate>;
export type ContactPatchInput = z.input<typeof contactPatch>;

export type ContactList = Json<ContactListOut>;
export type ListInput = z.input<typeof listCreate>;

export type ImportJob = Json<ImportItem>;
export type ImportStatus = ImportJob['status'];
export type Detected = ImportJob['detected'];
export type ColumnRole = Detected['columns'][number]['role'];
export type ImportCounters = Pick<ImportJob, 'rowsDone' | 'bytesDone' | 'imported' | 'updated' | 'skipped' | 'rejected'>;
export type ImportProgressNotice = ImportProgressNoticeOut;
export type StartImportInput = StartImportBody;
