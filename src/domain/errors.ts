/**
 * Errors the services throw. `code` is stable and machine-readable; `message` is for people.
 * Only the HTTP error handler maps codes to status codes.
 */
export type ErrorKind =
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'too_many'
  | 'too_large'
  | 'unsupported'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const invalid = (code: string, message: string, details?: unknown) =>
  new DomainError('invalid', code, message, details);
export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError('conflict', code, message, details);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const unauthenticated = (code: string, message: string) => new DomainError('unauthenticated', code, message);
