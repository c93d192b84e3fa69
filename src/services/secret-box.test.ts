import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openSecret, sealSecret, SecretBoxError } from './secret-box.ts';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);
const token = 'EAAG-super-secret-access-token-1a2b';

/** Replaces the base64url part `index` (1 iv, 2 tag, 3 ciphertext) with `f` of its bytes. */
const alterPart = (sealed: string, index: number, f: (b: Buffer) => Buffer) => {
  const parts = sealed.split('.');
  parts[index] = f(Buffer.from(parts[index]!, 'base64url')).toString('base64url');
  return parts.join('.');
};
const flipFirstBit = (b: Buffer) => {
  const c = Buffer.from(b);
  c[0] = c[0]! ^ 1;
  return c;
};

describe('secret box', () => {
  it('opens what it sealed, for any text and binding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 60 }), (text, boundTo) => {
        expect(openSecret(key, sealSecret(key, text, boundTo), boundTo)).toBe(text);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });

  it('writes the versioned text format, never the plaintext, with a fresh IV each time', () => {
    const a = sealSecret(key, token, 'profile-1');
    const b = sealSecret(key, token, 'profile-1');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(token);
    expect(Buffer.from(a.split('.')[3]!, 'base64url').toString('latin1')).not.toContain(token);
  });

  it('refuses another key', () => {
    const sealed = sealSecret(key, token, 'profile-1');
    expect(() => openSecret(otherKey, sealed, 'profile-1')).toThrow(SecretBoxError);
    expect(() => openSecret(otherKey, sealed, 'profile-1')).toThrow(/another key sealed it/);
  });

  it('refuses a ciphertext moved to another record (the binding is authenticated)', () => {
    const sealed = sealSecret(key, token, 'profile-1');
    expect(() => openSecret(key, sealed, 'profile-2')).toThrow(SecretBoxError);
  });

  it('refuses any tampering with the IV, the tag or the ciphertext', () => {
    const sealed = sealSecret(key, token, 'p');
    for (const part of [1, 2, 3]) expect(() => openSecret(key, alterPart(sealed, part, flipFirstBit), 'p'), `part ${part}`).toThrow(SecretBoxError);
    expect(() => openSecret(key, alterPart(sealed, 3, (b) => b.subarray(0, b.length - 1)), 'p')).toThrow(SecretBoxError);
    expect(() => openSecret(key, alterPart(sealed, 3, (b) => Buffer.concat([b, Buffer.from([0])])), 'p')).toThrow(SecretBoxError);
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.constantFrom(...'ABCxyz019-_'), (at, ch) => {
        const altered = sealed.slice(0, at) + ch + sealed.slice(at + 1);
        fc.pre(altered !== sealed);
        let opened: string | null = null;
        try {
          opened = openSecret(key, altered, 'p');
        } catch (err) {
          expect(err).toBeInstanceOf(SecretBoxError);
        }
        // base64url's last character may carry unused bits: such a change decodes to the same bytes.
        if (opened !== null) expect(opened).toBe(token);
      }),
      { seed: 99, numRuns: 300 },
    );
  });

  it('refuses texts that are not sealed secrets, and keys of the wrong size', () => {
    for (const bad of ['', token, 'v2.a.b.c', 'v1.a.b', 'v1.!!.??.**', `v1.${randomBytes(4).toString('base64url')}.${randomBytes(16).toString('base64url')}.AAAA`]) {
      expect(() => openSecret(key, bad, 'p'), bad).toThrow(SecretBoxError);
    }
    expect(() => sealSecret(Buffer.alloc(16), token, 'p')).toThrow(/32 bytes/);
    expect(() => openSecret(Buffer.alloc(31), sealSecret(key, token, 'p'), 'p')).toThrow(/32 bytes/);
  });
});
