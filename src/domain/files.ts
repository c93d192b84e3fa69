/** Uploaded files, whatever they hold (imports, media): names fit to show and sizes in words. */

const KB = 1024;
const MB = 1024 * KB;

export function formatBytes(n: number): string {
  const [value, unit] = n >= MB ? [n / MB, 'MB'] : n >= KB ? [n / KB, 'KB'] : [n, n === 1 ? 'byte' : 'bytes'];
  return `${value.toLocaleString('en', { maximumFractionDigits: 1 })} ${unit}`;
}

/** A file name fit to show and to send a document with: no folders, no control characters. */
export function cleanFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || fallback;
}
