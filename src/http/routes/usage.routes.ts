import type { Container } from '../../container.ts';
import * as service from '../../services/usage.service.ts';
import { actorOf } from '../auth.ts';
import { idParam } from '../schemas/common.ts';
import { packageUsageDetail, sendersUsagePage, sendersUsageQuery } from '../schemas/usage.ts';
import type { TypedApp } from '../typed-app.ts';

export async function usageRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/senders/usage',
    {
      config: { permission: 'senders:read' },
      schema: {
        tags: ['senders'],
        summary: "Live usage of every package, newest first: each profile's sends and receipts over the last hour, 3 hours and day against its caps, its state and why",
        querystring: sendersUsageQuery,
        response: { 200: sendersUsagePage },
      },
    },
    async (req) => service.sendersUsage(c, actorOf(req), req.query),
  );

  app.get(
    '/api/v1/packages/:id/usage',
    {
      config: { permission: 'senders:read' },
      schema: {
        tags: ['senders'],
        summary: 'Live usage of one package, with every profile’s caps, state, next send, health, warm-up, pacing parameters and weight, each with its reason',
        params: idParam,
        response: { 200: packageUsageDetail },
      },
    },
    async (req) => service.packageUsage(c, actorOf(req), req.params.id),
  );
}
