// Plain-text rules shared by every input kind: decoding, the "meaningful" test
// that decides whether a PDF needs OCR, and truncation with a visible notice.
import type { ExtractionResult } from './index';

/** DOMAIN.md: at least 250 characters, at least a quarter of them letters. */
export const MEANINGFUL_MIN_CHARS = 250;
export const MEANINGFUL_MIN_LETTER_SHARE = 0.25;

export function isMeaningful(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length < MEANINGFUL_MIN_CHARS) return false;
  const letters = trimmed.match(/\p{L}/gu)?.length ?? 0;
  return letters / trimmed.length >= MEANINGFUL_MIN_LETTER_SHARE;
}

/** Unifies line endings, drops control characters and runs of blank lines; keeps paragraph breaks. */
export function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // NUL and other C0 controls (not tab/newline) are noise from broken encoders.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      .replace(/[ \t\u00A0]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** UTF-8 (BOM stripped) when the bytes are valid UTF-8, else Latin-1, which decodes anything. */
export function decodeText(bytes: Uint8Array): string {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return utf8.decode(body);
  } catch {
    return latin1.decode(body);
  }
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Cuts `text` to at most `maxChars`, at the last word boundary when one is near
 * (so a word is never split), and says so in a notice.
 */
export function truncate(text: string, maxChars: number): Pick<ExtractionResult, 'text' | 'truncated' | 'originalLength' | 'notices'> {
  const originalLength = text.length;
  if (originalLength <= maxChars) return { text, truncated: false, originalLength, notices: [] };
  let cut = text.slice(0, maxChars);
  const boundary = cut.search(/\s\S*$/);
  // Only back off to a boundary within the last fifth; a giant "word" is cut where it is.
  if (boundary > maxChars * 0.8) cut = cut.slice(0, boundary);
  return {
    text: cut.trimEnd(),
    truncated: true,
    originalLength,
    notices: [`The note was ${count(originalLength)} characters long; only the first ${count(maxChars)} were analysed.`],
  };
}
