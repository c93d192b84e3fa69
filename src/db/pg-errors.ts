/** The error and the errors it wraps: drizzle wraps a failed query's error in its own, as `cause`. */
function* causes(err: unknown): Generator<{ code?: unknown; constraint?: unknown }> {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) yield e as { code?: unknown; constraint?: unknown };
}

/**
 * Recognises PostgreSQL's unique violation (23505) through drizzle's wrapper, so a service can turn
 * a race the database settled into a 409 instead of a 500.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (const pg of causes(err)) {
    if (pg.code === '23505') return constraint === undefined || pg.constraint === constraint;
  }
  return false;
}

/**
 * The database is down, restarting or out of connections — nothing wrong with the statement itself.
 * Node's socket and DNS errors (ECONNREFUSED, ECONNRESET, EAI_AGAIN…), SQLSTATE class 08 (connection) and 57P
 * (shutdown), and 53300 (too many connections), whether drizzle wrapped them or not.
 */
export function databaseUnreachable(err: unknown): boolean {
  for (const { code } of causes(err)) {
    // 08P01 (protocol violation) can come from the statement itself: not a reason to wait.
    if (typeof code === 'string' && (/^E[A-Z_]+$/.test(code) || (code.startsWith('08') && code !== '08P01') || code.startsWith('57P') || code === '53300')) return true;
  }
  return false;
}
