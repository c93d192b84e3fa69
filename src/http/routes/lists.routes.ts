import type { Container } from '../../container.ts';
import * as service from '../../services/lists.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { idParam } from '../schemas/common.ts';
import {
  contactList,
  listCreate,
  listMembersAdded,
  listMembersBody,
  listMembersRemoved,
  listPatch,
  listsPage,
  listsQuery,
} from '../schemas/lists.ts';

export async function listsRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/lists',
    {
      config: { permission: 'lists:read' },
      schema: { tags: ['lists'], summary: 'Lists of contacts, newest first', querystring: listsQuery, response: { 200: listsPage } },
    },
    async (req) => service.listLists(c, actorOf(req), req.query),
  );

  app.post(
    '/api/v1/lists',
    {
      config: { permission: 'lists:write' },
      schema: { tags: ['lists'], summary: 'Create a list', body: listCreate, response: { 201: contactList } },
    },
    async (req, reply) => reply.status(201).send(await service.createList(c, actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/lists/:id',
    {
      config: { permission: 'lists:read' },
      schema: { tags: ['lists'], summary: 'One list with its member count', params: idParam, response: { 200: contactList } },
    },
    async (req) => service.getList(c, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/lists/:id',
    {
      config: { permission: 'lists:write' },
      schema: { tags: ['lists'], summary: 'Rename a list or change its description', params: idParam, body: listPatch, response: { 200: contactList } },
    },
    async (req) => service.updateList(c, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/lists/:id',
    {
      config: { permission: 'lists:write' },
      schema: { tags: ['lists'], summary: 'Delete a list (its contacts stay)', params: idParam },
    },
    async (req, reply) => {
      await service.deleteList(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/lists/:id/members',
    {
      config: { permission: 'lists:write' },
      schema: { tags: ['lists'], summary: 'Add contacts to a list', params: idParam, body: listMembersBody, response: { 200: listMembersAdded } },
    },
    async (req) => service.addMembers(c, actorOf(req), req.params.id, req.body.contactIds),
  );

  app.delete(
    '/api/v1/lists/:id/members',
    {
      config: { permission: 'lists:write' },
      schema: { tags: ['lists'], summary: 'Remove contacts from a list (the contacts stay)', params: idParam, body: listMembersBody, response: { 200: listMembersRemoved } },
    },
    async (req) => service.removeMembers(c, actorOf(req), req.params.id, req.body.contactIds),
  );
}
