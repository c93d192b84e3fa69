import type { Container } from '../../container.ts';
import * as service from '../../services/templates.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { idParam } from '../schemas/common.ts';
import {
  template,
  templateCreate,
  templateDuplicate,
  templatePatch,
  templatePreview,
  templatePreviewBody,
  templatesPage,
  templatesQuery,
  templateVersion,
  templateVersionParams,
  templateVersionsResponse,
} from '../schemas/templates.ts';

export async function templatesRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/templates',
    {
      config: { permission: 'templates:read' },
      schema: { tags: ['templates'], summary: 'Templates, newest first (search by name, filter by type)', querystring: templatesQuery, response: { 200: templatesPage } },
    },
    async (req) => service.listTemplates(c, actorOf(req), req.query),
  );

  app.post(
    '/api/v1/templates',
    {
      config: { permission: 'templates:write' },
      schema: {
        tags: ['templates'],
        summary: 'Create a template (its version 1); unknown variables come back as warnings',
        body: templateCreate,
        response: { 201: template },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createTemplate(c, actorOf(req), req.body)),
  );

  app.post(
    '/api/v1/templates/preview',
    {
      config: { permission: 'templates:read' },
      schema: {
        tags: ['templates'],
        summary: 'Render a body for a chosen contact or a sample one, with problems and highlighting',
        body: templatePreviewBody,
        response: { 200: templatePreview },
      },
    },
    async (req) => service.previewTemplate(c, actorOf(req), req.body),
  );

  app.get(
    '/api/v1/templates/:id',
    {
      config: { permission: 'templates:read' },
      schema: { tags: ['templates'], summary: 'One template with its current version', params: idParam, response: { 200: template } },
    },
    async (req) => service.getTemplate(c, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/templates/:id',
    {
      config: { permission: 'templates:write' },
      schema: {
        tags: ['templates'],
        summary: 'Rename, or change the content (which makes a new version)',
        params: idParam,
        body: templatePatch,
        response: { 200: template },
      },
    },
    async (req) => service.updateTemplate(c, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/templates/:id',
    {
      config: { permission: 'templates:write' },
      schema: { tags: ['templates'], summary: 'Delete a template (the versions campaigns used stay)', params: idParam },
    },
    async (req, reply) => {
      await service.deleteTemplate(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/templates/:id/versions',
    {
      config: { permission: 'templates:read' },
      schema: { tags: ['templates'], summary: 'Every version, newest first, with its author', params: idParam, response: { 200: templateVersionsResponse } },
    },
    async (req) => service.listVersions(c, actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/templates/:id/versions/:version',
    {
      config: { permission: 'templates:read' },
      schema: { tags: ['templates'], summary: 'One version as it was saved', params: templateVersionParams, response: { 200: templateVersion } },
    },
    async (req) => service.getVersion(c, actorOf(req), req.params.id, req.params.version),
  );

  app.post(
    '/api/v1/templates/:id/duplicate',
    {
      config: { permission: 'templates:write' },
      schema: {
        tags: ['templates'],
        summary: 'Copy a template: "<name> (copy)" or the given name, made unique with " 2", " 3" …',
        params: idParam,
        body: templateDuplicate,
        response: { 201: template },
      },
    },
    async (req, reply) => reply.status(201).send(await service.duplicateTemplate(c, actorOf(req), req.params.id, req.body)),
  );
}
