/**
 * Recognises PostgreSQL's unique violation (23505) through drizzle's wrapper, so a service can turn
 * a race the database settled into a 409 instead of a 500.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: unknown; constraint?: unknown };
    if (pg.code === '23505') return constraint === undefined || pg.constraint === constraint;
  }
  return false;
}
