/**
 * A Content-Disposition value with the file name in both forms: an ASCII fallback for old clients
 * (non-printable, non-ASCII, quote and backslash replaced by `_`) and RFC 5987 UTF-8 for the rest.
 */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
