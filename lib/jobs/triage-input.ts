// What a member submits to triage an incoming document: a stored upload or
// pasted text, never both. Client-safe (zod only) so forms validate with the same rules.
import { z } from 'zod';
import { checkDocumentSource, handwrittenField, idempotencyKeyField, titleField } from './job-input';

export const submitTriageSchema = z
  .object({
    uploadId: z.uuid({ message: 'Choose a document to triage.' }).optional(),
    text: z.string({ message: 'Paste the document as text.' }).optional(),
    handwritten: handwrittenField,
    title: titleField,
    idempotencyKey: idempotencyKeyField,
  })
  .superRefine((value, ctx) =>
    checkDocumentSource(value, ctx, { verb: 'triage', noun: 'document', missing: 'Upload the incoming document or paste its text to triage.' }),
  );

export type SubmitTriageInput = z.input<typeof submitTriageSchema>;
export type SubmitTriage = z.output<typeof submitTriageSchema>;
