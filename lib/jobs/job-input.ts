// Fields every job form shares, and the "a stored upload or pasted text, never
// both" rule of the document jobs (analysis, triage). Client-safe (zod only).
import { z } from 'zod';

/** Pasted text below this many non-space characters is not a note. */
export const MIN_TEXT_CHARS = 20;
/** Longer pastes are refused outright; up to this, the job's cap truncates with a notice. */
export const MAX_TEXT_CHARS = 200_000;

export const titleField = z
  .string()
  .trim()
  .max(200, { message: 'Keep the title to 200 characters or fewer.' })
  .optional()
  .transform((t) => (t ? t : undefined));

export const idempotencyKeyField = z
  .string({ message: 'The form is missing its submission key; reload the page and try again.' })
  .min(8, { message: 'The submission key is too short; reload the page and try again.' })
  .max(100, { message: 'The submission key is too long; reload the page and try again.' });

export const handwrittenField = z.boolean({ message: 'Handwritten must be on or off.' }).default(false);

const nonSpaceLength = (text: string): number => text.replace(/\s/g, '').length;

/** How a document job names itself in its messages. */
export interface DocumentSourceWording {
  /** "analyse", "triage" */
  verb: string;
  /** "note", "document" */
  noun: string;
  /** What to do when neither a file nor text was given. */
  missing: string;
}

/** Checks that exactly one of uploadId / text was given, and the pasted text's length. */
export function checkDocumentSource(value: { uploadId?: string; text?: string }, ctx: z.RefinementCtx, wording: DocumentSourceWording): void {
  const hasText = value.text !== undefined && value.text.trim() !== '';
  const verb = wording.verb.charAt(0).toUpperCase() + wording.verb.slice(1);
  if (value.uploadId && hasText) {
    ctx.addIssue({ code: 'custom', path: ['text'], message: `${verb} either a file or pasted text, not both: clear one of them.` });
    return;
  }
  if (!value.uploadId && !hasText) {
    ctx.addIssue({ code: 'custom', path: ['text'], message: wording.missing });
    return;
  }
  if (!hasText || value.text === undefined) return;
  if (nonSpaceLength(value.text) < MIN_TEXT_CHARS) {
    ctx.addIssue({ code: 'custom', path: ['text'], message: `The pasted text is too short to ${wording.verb}: paste at least ${MIN_TEXT_CHARS} characters of the ${wording.noun}.` });
  } else if (value.text.length > MAX_TEXT_CHARS) {
    ctx.addIssue({
      code: 'custom',
      path: ['text'],
      message: `The pasted text is ${value.text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_TEXT_CHARS.toLocaleString('en-US')}. Paste the relevant part of the ${wording.noun}.`,
    });
  }
}
