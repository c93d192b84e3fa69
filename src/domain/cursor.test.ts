import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './cursor.ts';
import { DomainError } from './errors.ts';

describe('cursor', () => {
  const id = '01890a5d-ac96-774b-bcce-b302099a8057';

  it('round-trips an id through an opaque token', () => {
    const c = encodeCursor(id);
    expect(c).not.toContain(id);
    expect(decodeCursor(c)).toBe(id);
  });

  it('treats a missing cursor as the first page', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });

  it.each(['garbage!', 'bm90IGEgdXVpZA', encodeCursor("'; DROP TABLE contacts; --")])('rejects %s with INVALID_CURSOR', (bad) => {
    expect(() => decodeCursor(bad)).toThrow(DomainError);
    try {
      decodeCursor(bad);
    } catch (err) {
      expect((err as DomainError).code).toBe('INVALID_CURSOR');
    }
  });

  it('cuts the extra row and points the next cursor at the last item kept', () => {
    const rows = [{ id: 'c' }, { id: 'b' }, { id: 'a' }];
    expect(toPage(rows, 3)).toEqual({ items: rows, nextCursor: null });
    const page = toPage(rows, 2);
    expect(page.items.map((r) => r.id)).toEqual(['c', 'b']);
    expect(Buffer.from(page.nextCursor!, 'base64url').toString()).toBe('b');
  });
});
