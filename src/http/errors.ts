import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type ErrorKind } from '../domain/errors.ts';

const statusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  too_many: 429,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The only place that turns errors into HTTP answers; internals never reach the client. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof DomainError) {
    return reply.status(statusOf[err.kind]).send({
      error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) },
    } satisfies ErrorBody);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'invalid',
    }));
    const first = issues[0];
    return reply.status(400).send({
      error: {
        code: 'VALIDATION_FAILED',
        message: first ? `${first.path}: ${first.message}` : 'The request is not valid',
        details: issues,
      },
    } satisfies ErrorBody);
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, 'response did not match its schema');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  }
  const status = err.statusCode ?? 500;
  if (status >= 500) {
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  }
  // Fastify's own 4xx (bad JSON, body too large, wrong content type, rate limit): safe to show.
  const code = err.code?.replace(/^FST_ERR_/, '') ?? 'BAD_REQUEST';
  return reply.status(status).send({ error: { code, message: err.message } } satisfies ErrorBody);
}
