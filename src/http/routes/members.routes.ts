import type { Container } from '../../container.ts';
import * as service from '../../services/members.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { member, memberAdd, memberPatch, membersResponse, userIdParam } from '../schemas/members.ts';

export async function membersRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/members',
    {
      config: { permission: 'members:read' },
      schema: { tags: ['members'], summary: 'People in this workspace and their roles', response: { 200: membersResponse } },
    },
    async (req) => service.listMembers(c, actorOf(req)),
  );

  app.post(
    '/api/v1/members',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags: ['members'],
        summary: 'Add a person with a role (creates their account if the email is new)',
        body: memberAdd,
        response: { 201: member },
      },
    },
    async (req, reply) => reply.status(201).send(await service.addMember(c, actorOf(req), req.body)),
  );

  app.patch(
    '/api/v1/members/:userId',
    {
      config: { permission: 'members:manage' },
      schema: { tags: ['members'], summary: "Change a member's role", params: userIdParam, body: memberPatch, response: { 200: member } },
    },
    async (req) => service.updateMember(c, actorOf(req), req.params.userId, req.body.role),
  );

  app.delete(
    '/api/v1/members/:userId',
    {
      config: { permission: 'members:manage' },
      schema: { tags: ['members'], summary: 'Remove a member (ends their sessions in this workspace)', params: userIdParam },
    },
    async (req, reply) => {
      await service.removeMember(c, actorOf(req), req.params.userId);
      return reply.status(204).send();
    },
  );
}
