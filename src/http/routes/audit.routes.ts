import type { Container } from '../../container.ts';
import * as service from '../../services/audit.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { auditPage, auditQuery } from '../schemas/audit.ts';

export async function auditRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: { tags: ['audit'], summary: 'Who changed what, newest first', querystring: auditQuery, response: { 200: auditPage } },
    },
    async (req) => service.listAuditLog(c, actorOf(req), req.query),
  );
}
