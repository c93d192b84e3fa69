/**
 * The life of one open-chat message in the outbox (architecture.md, Dispatch):
 * `queued → sending → sent → delivered → read` (+ `replied`), or `failed` (with a reason, retryable
 * or not), `skipped` (with a reason), `cancelled`, and `unknown`: a send whose outcome was lost
 * (its worker died after handing it to WhatsApp, before recording the answer). `unknown` is never
 * re-sent automatically — sending twice silently is worse than asking a person.
 *
 * Receipts may arrive out of order and twice (whatsapp-facts.md): a status only ever moves
 * forward, so a late "delivered" after "read" changes nothing.
 */

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped', 'cancelled', 'unknown'] as const;
export type MessageState = (typeof MESSAGE_STATUSES)[number];

/**
 * The order receipts move a message along: a receipt applies only if it is further than the
 * message's status (`unknown` sits before `sent`: a receipt settles it). `failed` is off this line
 * (it applies to a message not yet delivered) and ranks last, so of two receipts of one message it wins.
 */
export const RECEIPT_ORDER = ['sending', 'unknown', 'sent', 'delivered', 'read', 'replied'] as const;

export function receiptRank(status: string): number {
  return status === 'failed' ? RECEIPT_ORDER.length : (RECEIPT_ORDER as readonly string[]).indexOf(status);
}

/** Retries of transient failures: exponential from 30 s, capped at 30 min, at most this many attempts. */
export const MAX_ATTEMPTS = 5;

/** The wait before attempt `attempt + 1` (attempt counts from 1), jittered by `random` ∈ [0,1) by ±20 %. */
export function retryDelayMs(attempt: number, random: number): number {
  const base = Math.min(30_000 * 2 ** (attempt - 1), 30 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random));
}
