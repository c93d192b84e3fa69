import type { FastifyRequest } from 'fastify';
import { invalid } from '../domain/errors.ts';

/** The upload in multipart field "file" (every upload route takes one file under that name). */
export async function filePart(req: FastifyRequest, limits?: { fileSize: number }) {
  if (!req.isMultipart()) throw invalid('NOT_MULTIPART', 'Send the file as multipart/form-data in a field named "file"');
  const part = await req.file(limits ? { limits } : undefined);
  if (!part) throw invalid('FILE_REQUIRED', 'No file in the request: send it in a multipart field named "file"');
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw invalid('FILE_REQUIRED', `Send the file in a multipart field named "file" (got "${part.fieldname}")`);
  }
  return part;
}
