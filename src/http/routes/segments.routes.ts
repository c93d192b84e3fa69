import type { Container } from '../../container.ts';
import * as service from '../../services/segments.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { idParam } from '../schemas/common.ts';
import {
  segment,
  segmentContactsPage,
  segmentContactsQuery,
  segmentCreate,
  segmentDetail,
  segmentPatch,
  segmentPreview,
  segmentPreviewBody,
  segmentsPage,
  segmentsQuery,
} from '../schemas/segments.ts';

export async function segmentsRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/segments',
    {
      config: { permission: 'segments:read' },
      schema: {
        tags: ['segments'],
        summary: 'Segments, newest first, with the count last taken (not recounted here)',
        querystring: segmentsQuery,
        response: { 200: segmentsPage },
      },
    },
    async (req) => service.listSegments(c, actorOf(req), req.query),
  );

  app.post(
    '/api/v1/segments',
    {
      config: { permission: 'segments:write' },
      schema: {
        tags: ['segments'],
        summary: 'Create a segment; a static one takes its snapshot now',
        body: segmentCreate,
        response: { 201: segment },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createSegment(c, actorOf(req), req.body)),
  );

  app.post(
    '/api/v1/segments/preview',
    {
      config: { permission: 'segments:read' },
      schema: {
        tags: ['segments'],
        summary: 'Count the contacts that criteria match now, with the newest few (the live count of the builder)',
        body: segmentPreviewBody,
        response: { 200: segmentPreview },
      },
    },
    async (req) => service.previewSegment(c, actorOf(req), req.body),
  );

  app.get(
    '/api/v1/segments/:id',
    {
      config: { permission: 'segments:read' },
      schema: {
        tags: ['segments'],
        summary: 'One segment, counted now: a dynamic one by its criteria, a static one by its snapshot',
        params: idParam,
        response: { 200: segmentDetail },
      },
    },
    async (req) => service.getSegment(c, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/segments/:id',
    {
      config: { permission: 'segments:write' },
      schema: {
        tags: ['segments'],
        summary: 'Rename, describe or change the criteria (the kind stays as created)',
        params: idParam,
        body: segmentPatch,
        response: { 200: segment },
      },
    },
    async (req) => service.updateSegment(c, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/segments/:id',
    {
      config: { permission: 'segments:write' },
      schema: { tags: ['segments'], summary: 'Delete a segment (its contacts stay)', params: idParam },
    },
    async (req, reply) => {
      await service.deleteSegment(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/segments/:id/refresh',
    {
      config: { permission: 'segments:write' },
      schema: {
        tags: ['segments'],
        summary: "Re-take a static segment's snapshot with its criteria evaluated now",
        params: idParam,
        response: { 200: segmentDetail },
      },
    },
    async (req) => service.refreshSegment(c, actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/segments/:id/contacts',
    {
      config: { permission: 'segments:read' },
      schema: {
        tags: ['segments'],
        summary: 'The contacts in a segment, newest first',
        params: idParam,
        querystring: segmentContactsQuery,
        response: { 200: segmentContactsPage },
      },
    },
    async (req) => service.segmentContacts(c, actorOf(req), req.params.id, req.query),
  );
}
