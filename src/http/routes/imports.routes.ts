import type { Container } from '../../container.ts';
import * as imports from '../../services/imports.service.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { cursorQuery, errorBody, idParam, page } from '../schemas/common.ts';
import { importItem, startImportBody } from '../schemas/imports.ts';
import { filePart } from '../multipart.ts';
import { contentDisposition } from '../content-disposition.ts';

export async function importsRoutes(app: TypedApp, c: Container) {
  app.post(
    '/api/v1/imports',
    {
      config: { permission: 'imports:write' },
      schema: {
        tags: ['imports'],
        summary: 'Upload a contact file (multipart field "file": CSV, TSV, TXT or .xlsx) and get its detected columns and preview',
        consumes: ['multipart/form-data'],
        response: { 201: importItem, 400: errorBody, 413: errorBody },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const part = await filePart(req);
      const view = await imports.createImport(c, actor, { fileName: part.filename, stream: part.file });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/v1/imports',
    {
      config: { permission: 'imports:read' },
      schema: { tags: ['imports'], summary: 'Imports of this workspace, newest first', querystring: cursorQuery, response: { 200: page(importItem) } },
    },
    async (req) => imports.listImports(c, actorOf(req), req.query),
  );

  app.get(
    '/api/v1/imports/:id',
    {
      config: { permission: 'imports:read' },
      schema: { tags: ['imports'], summary: 'One import: detection, mapping, status and counts', params: idParam, response: { 200: importItem, 404: errorBody } },
    },
    async (req) => imports.getImport(c, actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/imports/:id/start',
    {
      config: { permission: 'imports:write' },
      schema: {
        tags: ['imports'],
        summary: 'Confirm the column mapping and run the import in the background',
        params: idParam,
        body: startImportBody,
        response: { 202: importItem, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const view = await imports.startImport(c, actorOf(req), req.params.id, req.body);
      return reply.status(202).send(view);
    },
  );

  app.get(
    '/api/v1/imports/:id/rejections.csv',
    {
      config: { permission: 'imports:read' },
      schema: { tags: ['imports'], summary: 'Rows the import rejected or merged, with the reason of each (CSV: row, reason, original columns)', params: idParam },
    },
    async (req, reply) => {
      const { fileName, body } = await imports.rejectionsCsv(c, actorOf(req), req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', fileName))
        .send(body);
    },
  );
}
