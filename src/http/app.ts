import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import type { Container } from '../container.ts';
import { errorHandler } from './errors.ts';
import { DomainError } from '../domain/errors.ts';
import { registerAuth } from './auth.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { realtimeRoutes } from './routes/realtime.routes.ts';
import { apiRoutes } from './routes/index.ts';
import { typed } from './typed-app.ts';

export type App = FastifyInstance;

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export async function buildApp(c: Container): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: c.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: c.config.LOG_LEVEL !== 'debug' && c.config.LOG_LEVEL !== 'trace' }),
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: c.config.IMPORT_MAX_BYTES, files: 1 } });
  await app.register(rateLimit, {
    global: false,
    // After body parsing, so the login limit can key on the account as well as the address.
    hook: 'preHandler',
    ...(c.config.REDIS_URL ? { redis: new Redis(c.config.REDIS_URL, { maxRetriesPerRequest: null }) } : {}),
    errorResponseBuilder: (_req, ctx) =>
      new DomainError('too_many', 'TOO_MANY_REQUESTS', `Too many attempts: try again in ${Math.ceil(ctx.ttl / 1000)} seconds`),
  });
  await app.register(websocket);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Chorus API', version: '1', description: 'Self-hosted WhatsApp campaign and broadcast engine' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'chorus_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    c.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    c.metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  registerAuth(app, c);
  await app.register(async (api) => {
    const z = typed(api);
    await healthRoutes(z, c);
    await authRoutes(z, c);
    await realtimeRoutes(z, c);
    await apiRoutes(z, c);
  });

  if (fs.existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
    });
  } else {
    app.setNotFoundHandler((req, reply) =>
      reply.status(404).send({
        error: {
          code: 'NOT_FOUND',
          message: req.url.startsWith('/api/')
            ? `No route ${req.method} ${req.url.split('?')[0]}`
            : 'The dashboard is not built: run `npm run build`',
        },
      }),
    );
  }
  return app;
}

