import type { Container } from '../../container.ts';
import { MEDIA_MAX_BYTES } from '../../domain/media.ts';
import * as service from '../../services/media.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { errorBody, idParam } from '../schemas/common.ts';
import { mediaItem, mediaLimits, mediaPage, mediaQuery } from '../schemas/media.ts';
import { filePart } from '../multipart.ts';
import { contentDisposition } from '../content-disposition.ts';

/** Media never changes under its id, but a browser should not keep another member's copy for long. */
const CACHE_CONTROL = 'private, max-age=3600';

export async function mediaRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/media',
    {
      config: { permission: 'media:read' },
      schema: { tags: ['media'], summary: 'The media library, newest first (optionally one kind)', querystring: mediaQuery, response: { 200: mediaPage, 400: errorBody } },
    },
    async (req) => service.listMedia(c, actorOf(req), req.query),
  );

  app.get(
    '/api/v1/media/limits',
    {
      config: { permission: 'media:read' },
      schema: { tags: ['media'], summary: 'What the library accepts: kinds, file types and WhatsApp size limits in words', response: { 200: mediaLimits } },
    },
    async () => service.limits(),
  );

  app.post(
    '/api/v1/media',
    {
      config: { permission: 'media:write' },
      schema: {
        tags: ['media'],
        summary:
          'Upload a file (multipart field "file"). Its type is read from its content, never its name; WhatsApp size limits apply per kind',
        consumes: ['multipart/form-data'],
        response: { 201: mediaItem, 400: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const part = await filePart(req, { fileSize: MEDIA_MAX_BYTES });
      const item = await service.uploadMedia(c, actor, { fileName: part.filename, stream: part.file });
      return reply.status(201).send(item);
    },
  );

  app.get(
    '/api/v1/media/:id',
    {
      config: { permission: 'media:read' },
      schema: { tags: ['media'], summary: 'One media item', params: idParam, response: { 200: mediaItem, 404: errorBody } },
    },
    async (req) => service.getMedia(c, actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/media/:id/content',
    {
      config: { permission: 'media:read' },
      schema: {
        tags: ['media'],
        summary: 'The file itself, with its stored type; one byte range (Range: bytes=…) for seeking in videos',
        params: idParam,
      },
    },
    async (req, reply) => {
      const content = await service.openContent(c, actorOf(req), req.params.id, req.headers.range);
      const { media } = content;
      if (content.range === 'unsatisfiable') {
        return reply
          .status(416)
          .header('content-range', `bytes */${media.size}`)
          .send({ error: { code: 'RANGE_NOT_SATISFIABLE', message: `The file has ${media.size} bytes; the range asked for is outside it` } });
      }
      reply
        .header('content-type', media.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : media.mimeType)
        .header('content-disposition', contentDisposition('inline', media.fileName))
        .header('x-content-type-options', 'nosniff')
        // Uploaded PDFs, text or anything a browser might render must not run script in our origin.
        .header('content-security-policy', 'sandbox')
        .header('cache-control', CACHE_CONTROL)
        .header('accept-ranges', 'bytes');
      if (content.range) {
        const { start, end } = content.range;
        reply.status(206).header('content-range', `bytes ${start}-${end}/${media.size}`).header('content-length', end - start + 1);
      } else {
        reply.header('content-length', media.size);
      }
      return reply.send(content.body);
    },
  );

  app.delete(
    '/api/v1/media/:id',
    {
      config: { permission: 'media:write' },
      schema: {
        tags: ['media'],
        summary: 'Delete a media item and its file (409 MEDIA_IN_USE while a template uses it)',
        params: idParam,
      },
    },
    async (req, reply) => {
      await service.deleteMedia(c, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
