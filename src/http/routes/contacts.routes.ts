import type { Container } from '../../container.ts';
import * as service from '../../services/contacts.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { idParam } from '../schemas/common.ts';
import { contact, contactDetail, contactCreate, contactFieldsResponse, contactPatch, contactsPage, contactsQuery, optOutBody } from '../schemas/contacts.ts';

export async function contactsRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/contacts',
    {
      config: { permission: 'contacts:read' },
      schema: {
        tags: ['contacts'],
        summary: 'Search contacts by name, phone, label, list, custom field, consent and opt-out; newest first',
        querystring: contactsQuery,
        response: { 200: contactsPage },
      },
    },
    async (req) => service.searchContacts(c, actorOf(req), req.query),
  );

  app.get(
    '/api/v1/contacts/fields',
    {
      config: { permission: 'contacts:read' },
      schema: { tags: ['contacts'], summary: "The workspace's custom fields, usable as template variables {{key}}", response: { 200: contactFieldsResponse } },
    },
    async (req) => service.listContactFields(c, actorOf(req)),
  );

  app.post(
    '/api/v1/contacts',
    {
      config: { permission: 'contacts:write' },
      schema: { tags: ['contacts'], summary: 'Create a contact', body: contactCreate, response: { 201: contact } },
    },
    async (req, reply) => reply.status(201).send(await service.createContact(c, actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/contacts/:id',
    {
      config: { permission: 'contacts:read' },
      schema: { tags: ['contacts'], summary: 'One contact, with the lists it is in', params: idParam, response: { 200: contactDetail } },
    },
    async (req) => service.getContact(c, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/contacts/:id',
    {
      config: { permission: 'contacts:write' },
      schema: {
        tags: ['contacts'],
        summary: 'Change a contact; custom fields are merged (null removes one), labels are replaced',
        params: idParam,
        body: contactPatch,
        response: { 200: contact },
      },
    },
    async (req) => service.updateContact(c, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/contacts/:id',
    {
      config: { permission: 'contacts:write' },
      schema: { tags: ['contacts'], summary: 'Delete a contact', params: idParam },
    },
    async (req, reply) => {
      await service.deleteContact(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/contacts/:id/opt-out',
    {
      config: { permission: 'contacts:consent' },
      schema: { tags: ['contacts'], summary: 'Opt a contact out of campaigns', params: idParam, body: optOutBody, response: { 200: contact } },
    },
    async (req) => service.optOut(c, actorOf(req), req.params.id, req.body?.reason),
  );

  app.post(
    '/api/v1/contacts/:id/opt-in',
    {
      config: { permission: 'contacts:consent' },
      schema: { tags: ['contacts'], summary: 'Opt a contact back in (owners only)', params: idParam, response: { 200: contact } },
    },
    async (req) => service.optIn(c, actorOf(req), req.params.id),
  );
}
