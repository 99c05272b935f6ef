// Content-Disposition for a download: a plain ASCII filename for old clients and
// the exact (UTF-8) name in RFC 5987 `filename*` for everyone else.
import type { FileKind } from '@/lib/db/generated/client';

/** ASCII letters, digits and a few safe marks; anything else (quotes, slashes, accents) becomes "_". */
export function asciiFileName(name: string, kind: FileKind): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  return /[A-Za-z0-9]/.test(ascii) ? ascii : `download.${kind}`;
}

/** RFC 5987 value: percent-encoded UTF-8, including the characters encodeURIComponent leaves alone. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function contentDisposition(name: string, kind: FileKind): string {
  return `attachment; filename="${asciiFileName(name, kind)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
