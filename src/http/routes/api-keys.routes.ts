import type { Container } from '../../container.ts';
import * as service from '../../services/api-keys.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { idParam } from '../schemas/common.ts';
import { apiKeyCreate, apiKeyCreated, apiKeysResponse } from '../schemas/api-keys.ts';

export async function apiKeysRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/api-keys',
    {
      config: { permission: 'api_keys:manage' },
      schema: { tags: ['api keys'], summary: 'API keys of this workspace, revoked ones included', response: { 200: apiKeysResponse } },
    },
    async (req) => service.listApiKeys(c, actorOf(req)),
  );

  app.post(
    '/api/v1/api-keys',
    {
      config: { permission: 'api_keys:manage' },
      schema: { tags: ['api keys'], summary: 'Create an API key with a role; the key is shown only in this answer', body: apiKeyCreate, response: { 201: apiKeyCreated } },
    },
    async (req, reply) => reply.status(201).send(await service.createApiKey(c, actorOf(req), req.body)),
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { permission: 'api_keys:manage' },
      schema: { tags: ['api keys'], summary: 'Revoke an API key (it stops working at once)', params: idParam },
    },
    async (req, reply) => {
      await service.revokeApiKey(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
