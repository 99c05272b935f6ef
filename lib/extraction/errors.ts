// Extraction failures, each with a message that tells the clinician what to do.
// Internal messages name the kind and the reason only: never file content.
import { AppError } from '@/lib/errors';

export const ACCEPTED_DOCUMENTS = 'PDF, Word (.docx), text, PNG, JPEG, WebP or TIFF';

export function unreadableFile(kind: string, reason: string, userMessage: string, cause?: unknown): AppError {
  return new AppError('validation_failed', { message: `extraction failed (${kind}): ${reason}`, userMessage, cause });
}

export const extractionErrors = {
  encryptedPdf: (cause?: unknown) =>
    unreadableFile('pdf', 'password-protected', 'This PDF is password-protected. Remove the password and upload it again.', cause),
  corrupt: (kind: string, label: string, cause?: unknown) =>
    unreadableFile(kind, 'corrupt', `This ${label} file is damaged or not really a ${label} file, so no text could be read from it. Export it again and upload the new copy.`, cause),
  empty: (kind: string, userMessage: string) => unreadableFile(kind, 'no text', userMessage),
  audio: (kind: string) =>
    unreadableFile(kind, 'audio', 'Audio recordings are transcribed, not analysed directly. Start a transcription for this recording, then analyse the transcript.'),
  unsupported: (kind: string) =>
    new AppError('unsupported_media_type', {
      message: `extraction failed (${kind}): unsupported`,
      userMessage: `This kind of file cannot be analysed. Use a ${ACCEPTED_DOCUMENTS} file.`,
    }),
};
