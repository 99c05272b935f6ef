// Which kind an uploaded file is, from its first bytes: names and declared types
// are whatever the sender says. Plain text has no signature, so it is accepted
// only when the sender calls it text AND its opening bytes look like text.
import { fileTypeFromBuffer } from 'file-type';
import type { FileKind } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';

/** Bytes read before deciding the kind: enough for every signature we accept, including a .docx's zip directory entry. */
export const SNIFF_BYTES = 8 * 1024;

export const ACCEPTED_TYPES_MESSAGE =
  'Upload a PDF, Word (.docx), text, PNG, JPEG, WebP or TIFF file, or an audio recording for transcription (WebM, Ogg, MP3, M4A or WAV).';

/** The content type each kind is stored and served with (the browser's claim is not kept). */
export const KIND_CONTENT_TYPES: Record<FileKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  tiff: 'image/tiff',
  webm: 'audio/webm',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
};

export const AUDIO_KINDS: ReadonlySet<FileKind> = new Set(['webm', 'ogg', 'mp3', 'm4a', 'wav']);

/** file-type's extension → our kind. */
const BY_EXTENSION: Record<string, FileKind> = {
  pdf: 'pdf',
  docx: 'docx',
  png: 'png',
  jpg: 'jpeg',
  webp: 'webp',
  tif: 'tiff',
  webm: 'webm',
  ogg: 'ogg',
  oga: 'ogg',
  opus: 'ogg',
  mp3: 'mp3',
  m4a: 'm4a',
  wav: 'wav',
};

const TEXT_EXTENSIONS = /\.(txt|text|md)$/i;

function unsupported(detail: string, userMessage = `This kind of file is not supported. ${ACCEPTED_TYPES_MESSAGE}`): AppError {
  return new AppError('unsupported_media_type', { message: `upload rejected: ${detail}`, userMessage, fieldErrors: { file: [userMessage] } });
}

function saysAudio(name: string, declaredType: string): boolean {
  return declaredType.startsWith('audio/') || /\.(m4a|mp4a)$/i.test(name);
}

function saysText(name: string, declaredType: string): boolean {
  return declaredType.startsWith('text/plain') || TEXT_EXTENSIONS.test(name);
}

/**
 * The first KB has no NULs or other binary control bytes. Any byte sequence
 * decodes as text (extraction falls back to Latin-1 when it is not UTF-8), so
 * control bytes are what tell a binary file from a text one.
 */
export function looksLikeText(head: Uint8Array): boolean {
  for (const byte of head.subarray(0, 1024)) {
    // Tab, LF, FF, CR and ESC occur in real text files; other C0 controls and DEL do not.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

/**
 * The kind of a file from its first bytes (up to SNIFF_BYTES), or an
 * unsupported_media_type error that lists what is accepted.
 */
export async function detectFileKind(head: Uint8Array, name: string, declaredType: string): Promise<FileKind> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) {
    const kind = BY_EXTENSION[detected.ext];
    if (kind) return kind;
    // Safari records audio as MP4 with a generic brand.
    if (detected.ext === 'mp4' && saysAudio(name, declaredType)) return 'm4a';
    if (detected.ext === 'cfb') {
      throw unsupported(
        'cfb container',
        'This looks like an old Word (.doc) file or a password-protected Word document, which cannot be read. Save it as .docx without a password and upload it again.',
      );
    }
    throw unsupported(`detected ${detected.ext}`);
  }
  if (saysText(name, declaredType) && looksLikeText(head)) return 'txt';
  throw unsupported('no known signature');
}
