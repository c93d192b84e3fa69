import type { Container } from '../../container.ts';
import * as service from '../../services/open-chat.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { errorBody, idParam } from '../schemas/common.ts';
import { message, messagesPage, openChatAccepted, openChatBody, requestMessagesQuery, sendRequest } from '../schemas/messages.ts';

export async function messagesRoutes(app: TypedApp, c: Container) {
  app.post(
    '/api/v1/packages/:id/messages/open',
    {
      config: { permission: 'messages:send' },
      schema: {
        tags: ['messages'],
        summary:
          "Send open chat (business-initiated) to up to 10,000 recipients through a package: queued, paced and limited per profile. Answers 202 with who was skipped and why, which profile got whom, the estimated completion and each profile's live usage",
        params: idParam,
        body: openChatBody,
        response: { 202: openChatAccepted, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => reply.status(202).send(await service.sendOpenChat(c, actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/send-requests/:id',
    {
      config: { permission: 'messages:read' },
      schema: {
        tags: ['messages'],
        summary: 'An open-chat request: its messages counted by status and by profile, and how far they got',
        params: idParam,
        response: { 200: sendRequest, 404: errorBody },
      },
    },
    async (req) => service.getSendRequest(c, actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/send-requests/:id/messages',
    {
      config: { permission: 'messages:read' },
      schema: {
        tags: ['messages'],
        summary: "An open-chat request's messages in the order they were queued, each with its status, profile, failure reason and timestamps",
        params: idParam,
        querystring: requestMessagesQuery,
        response: { 200: messagesPage, 400: errorBody, 404: errorBody },
      },
    },
    async (req) => service.listRequestMessages(c, actorOf(req), req.params.id, req.query),
  );

  app.get(
    '/api/v1/messages/:id',
    {
      config: { permission: 'messages:read' },
      schema: { tags: ['messages'], summary: 'One open-chat message: its status, profile, failure reason and timestamps', params: idParam, response: { 200: message, 404: errorBody } },
    },
    async (req) => service.getMessage(c, actorOf(req), req.params.id),
  );
}
