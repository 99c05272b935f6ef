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

// Lone UTF-16 surrogates make encodeURIComponent throw; they become U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Control characters (CR and LF included) and path separators never belong in a download name.
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f/\\]/g;

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266): the quoted
 * fallback holds only letters, digits, dot, hyphen, underscore and space, so quotes, backslashes,
 * line breaks and non-ASCII never appear raw in the header. Used for uploads and letter PDFs.
 */
export function contentDisposition(name: string, kind: FileKind): string {
  const clean = name.replace(LONE_SURROGATE, '\uFFFD').replace(UNSAFE_IN_NAME, '_').trim() || `download.${kind}`;
  return `attachment; filename="${asciiFileName(clean, kind)}"; filename*=UTF-8''${encodeRfc5987(clean)}`;
}
