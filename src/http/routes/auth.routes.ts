import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { Container } from '../../container.ts';
import * as auth from '../../services/auth.service.ts';
import { actorOf, SESSION_COOKIE } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { meResponse } from '../schemas/auth.ts';

export async function authRoutes(app: TypedApp, c: Container) {
  const setCookie = (reply: FastifyReply, s: auth.SessionResult) =>
    reply.setCookie(SESSION_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: c.config.COOKIE_SECURE,
      path: '/',
      expires: s.expiresAt,
    });

  app.post(
    '/api/v1/auth/signup',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Create an account with its own workspace (you become its owner)', body: auth.signupInput },
    },
    async (req, reply) => {
      const s = await auth.signup(c, req.body);
      setCookie(reply, s);
      return reply.status(201).send(await auth.me(c, { workspaceId: s.workspaceId, userId: s.userId, apiKeyId: null, role: 'owner' }));
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: {
        public: true,
        rateLimit: {
          max: c.config.LOGIN_MAX_ATTEMPTS,
          timeWindow: c.config.LOGIN_WINDOW_SECONDS * 1000,
          // Per address and per account: one attacker cannot lock everybody out, nor guess one account from many addresses quickly.
          keyGenerator: (req) => `login:${req.ip}:${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
        },
      },
      schema: { tags: ['auth'], summary: 'Log in; sets the session cookie', body: auth.loginInput },
    },
    async (req, reply) => {
      const s = await auth.login(c, req.body);
      setCookie(reply, s);
      const actor = await auth.authenticate(c, { sessionToken: s.token });
      return reply.send(await auth.me(c, actor!));
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Log out (ends this session)' } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await auth.logout(c, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { permission: 'workspace:read' },
      schema: { tags: ['auth'], summary: 'Who am I: user, role and current workspace', response: { 200: meResponse } },
    },
    async (req) => auth.me(c, actorOf(req)),
  );

  app.post(
    '/api/v1/me/workspace',
    {
      config: { permission: 'workspace:read' },
      schema: { tags: ['auth'], summary: 'Switch the session to another workspace you belong to', body: z.object({ workspaceId: z.string().uuid() }) },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const token = req.cookies[SESSION_COOKIE];
      if (!token || !actor.userId) return reply.status(400).send({ error: { code: 'SESSION_ONLY', message: 'Only dashboard sessions can switch workspace' } });
      await auth.switchWorkspace(c, token, actor.userId, req.body.workspaceId);
      const next = await auth.authenticate(c, { sessionToken: token });
      return auth.me(c, next!);
    },
  );
}
