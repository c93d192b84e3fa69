import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (transport credentials, sessions): AES-256-GCM under the container's 32-byte
 * `secretKey`, as `v1.<iv>.<tag>.<ciphertext>` in base64url. `boundTo` is authenticated but not
 * stored: a ciphertext opens only for the same string (a profile's id), so one copied onto
 * another row fails instead of lending that row someone else's credentials.
 */

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key is wrong, or the text was altered, truncated or is not a sealed secret. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new SecretBoxError(`the secret key must be 32 bytes, not ${key.length}`);
}

export function sealSecret(key: Buffer, plaintext: string, boundTo: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function openSecret(key: Buffer, sealed: string, boundTo: string): string {
  checkKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((p) => B64URL.test(p))) {
    throw new SecretBoxError(`not a sealed secret of version ${VERSION}`);
  }
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('the sealed secret is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('the secret does not open: another key sealed it, it belongs to another record, or it was altered');
  }
}
