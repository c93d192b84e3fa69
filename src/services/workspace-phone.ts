import { getWorkspace } from '../db/auth.repo.ts';
import type { Tx } from '../db/audit.repo.ts';
import { invalid } from '../domain/errors.ts';
import { normalizePhone } from '../domain/phone.ts';

/** A phone as typed, in E.164, read with the workspace's default country; 400 INVALID_PHONE with the reason otherwise. */
export async function toE164(db: Tx, workspaceId: string, phone: string | number): Promise<string> {
  const ws = await getWorkspace(db, workspaceId);
  const result = normalizePhone(phone, ws!.defaultCountry);
  if (!result.ok) {
    throw invalid('INVALID_PHONE', result.reason.charAt(0).toUpperCase() + result.reason.slice(1), { phone, reason: result.reason });
  }
  return result.e164;
}
