import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Container } from '../container.ts';
import { can, type Permission } from '../domain/roles.ts';
import { forbidden, unauthenticated } from '../domain/errors.ts';
import type { Actor } from '../services/actor.ts';
import { authenticate } from '../services/auth.service.ts';

export const SESSION_COOKIE = 'chorus_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; routes under /api/v1 must name one or be `public`. */
    permission?: Permission;
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** The authenticated actor; routes with a permission always have one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated('UNAUTHENTICATED', 'Log in or send an API key');
  return req.actor;
}

/**
 * Resolves the actor of every request and enforces the route's permission. A route under
 * /api/v1 that names neither a permission nor `public` fails at start-up, so no route can be
 * added without a role check.
 */
export function registerAuth(app: FastifyInstance, c: Container) {
  app.decorateRequest('actor', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const cfg = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (!cfg?.permission && !cfg?.public) {
      throw new Error(`Route ${route.method} ${route.url} declares no permission`);
    }
  });
  // onRequest, before body and params are validated: without the right credentials a caller learns
  // nothing about a route, not even what input it expects.
  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config;
    const apiKey = bearerToken(req);
    const sessionToken = req.cookies[SESSION_COOKIE];
    if (apiKey || sessionToken) req.actor = await authenticate(c, { apiKey, sessionToken });
    if (!cfg.permission) return;
    if (!req.actor) {
      throw unauthenticated(
        apiKey ? 'INVALID_API_KEY' : 'UNAUTHENTICATED',
        apiKey ? 'This API key is unknown or revoked' : 'Log in or send an API key',
      );
    }
    if (!can(req.actor.role, cfg.permission)) {
      throw forbidden('FORBIDDEN', `Your role (${req.actor.role}) may not do this (needs ${cfg.permission})`);
    }
  });
}
