import type { Readable } from 'node:stream';

/** A file as a multipart route hands it to a service. */
export interface Upload {
  fileName: string | undefined;
  /** The file's bytes; `truncated` is set by multipart parsers that cut a file at their size limit. */
  stream: Readable & { truncated?: boolean };
}
