// Image uploads are identified by their first bytes, never by the filename or
// the type the browser reports (both are whatever the sender says). Only PNG,
// JPEG and WebP are accepted: they are what PDF letterheads can embed, and none
// of them can carry script the way SVG can.
import { AppError } from '@/lib/errors';

export type ImageType = 'png' | 'jpeg' | 'webp';

export const IMAGE_CONTENT_TYPES: Record<ImageType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

export const IMAGE_EXTENSIONS: Record<ImageType, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/** What the file input offers; the server still checks the bytes. */
export const IMAGE_ACCEPT = 'image/png,image/jpeg,image/webp';

export const CLINIC_IMAGE_KINDS = ['logo', 'signature'] as const;
export type ClinicImageKind = (typeof CLINIC_IMAGE_KINDS)[number];

const MB = 1024 * 1024;
/** Largest accepted upload per kind, in bytes. A letterhead image needs far less; the cap bounds memory per request. */
export const IMAGE_SIZE_LIMITS: Record<ClinicImageKind, number> = { logo: 2 * MB, signature: 2 * MB };

export const CLINIC_IMAGE_LABELS: Record<ClinicImageKind, string> = { logo: 'logo', signature: 'signature' };

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SOI = [0xff, 0xd8, 0xff];

/**
 * The image type from the magic bytes, or null. Beyond the signature, PNG must
 * open with its IHDR chunk and WebP with a VP8/VP8L/VP8X chunk, so a few right
 * bytes in front of arbitrary content are not enough.
 */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, PNG_SIGNATURE) && startsWith(bytes, ascii('IHDR'), 12)) return 'png';
  // SOI, then a marker byte (0xFF is padding, not a marker).
  if (startsWith(bytes, JPEG_SOI) && bytes.length > 3 && bytes[3] !== 0xff) return 'jpeg';
  if (
    startsWith(bytes, ascii('RIFF')) &&
    startsWith(bytes, ascii('WEBP'), 8) &&
    (startsWith(bytes, ascii('VP8 '), 12) || startsWith(bytes, ascii('VP8L'), 12) || startsWith(bytes, ascii('VP8X'), 12))
  ) {
    return 'webp';
  }
  return null;
}

/** Megabytes to one decimal, rounded up so that a file just over a limit never reads as equal to it. */
export function formatMegabytes(bytes: number): string {
  return `${Math.ceil((bytes / MB) * 10) / 10} MB`;
}

export interface CheckedImage {
  type: ImageType;
  contentType: string;
  extension: string;
}

function imageError(code: 'validation_failed' | 'payload_too_large' | 'unsupported_media_type', message: string): AppError {
  return new AppError(code, { userMessage: message, fieldErrors: { file: [message] } });
}

/** Refuses an empty or oversized upload of `kind` from its size alone (before it is read into memory). */
export function checkImageSize(kind: ClinicImageKind, byteLength: number): void {
  const label = CLINIC_IMAGE_LABELS[kind];
  if (byteLength === 0) throw imageError('validation_failed', `Choose an image file for the ${label}.`);
  const limit = IMAGE_SIZE_LIMITS[kind];
  if (byteLength > limit) {
    throw imageError('payload_too_large', `The ${label} must be ${formatMegabytes(limit)} or smaller; this file is ${formatMegabytes(byteLength)}.`);
  }
}

/** The type of an acceptable upload of `kind`, or a validation error saying what is wrong (field "file"). */
export function checkImage(kind: ClinicImageKind, bytes: Uint8Array): CheckedImage {
  checkImageSize(kind, bytes.byteLength);
  const type = detectImageType(bytes);
  if (!type) {
    throw imageError(
      'unsupported_media_type',
      `The ${CLINIC_IMAGE_LABELS[kind]} must be a PNG, JPEG or WebP image. This file is not one, whatever its name says.`,
    );
  }
  return { type, contentType: IMAGE_CONTENT_TYPES[type], extension: IMAGE_EXTENSIONS[type] };
}
