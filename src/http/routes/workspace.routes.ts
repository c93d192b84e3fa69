import type { Container } from '../../container.ts';
import * as service from '../../services/workspace.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { workspacePatch, workspaceResponse } from '../schemas/workspace.ts';

export async function workspaceRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/workspace',
    {
      config: { permission: 'workspace:read' },
      schema: { tags: ['workspace'], summary: 'The current workspace', response: { 200: workspaceResponse } },
    },
    async (req) => service.getWorkspace(c, actorOf(req)),
  );

  app.patch(
    '/api/v1/workspace',
    {
      config: { permission: 'workspace:manage' },
      schema: { tags: ['workspace'], summary: 'Rename the workspace or change its default country', body: workspacePatch, response: { 200: workspaceResponse } },
    },
    async (req) => service.updateWorkspace(c, actorOf(req), req.body),
  );
}
