// What a member submits to start an analysis: a stored upload or pasted text,
// never both. Client-safe (zod only) so forms can validate with the same rules.
import { z } from 'zod';
import { SPECIALTIES } from '@/lib/analysis/schema';
import { checkDocumentSource, handwrittenField, idempotencyKeyField, titleField } from './job-input';

export const SPECIALTY_CHOICES = [...SPECIALTIES, 'auto'] as const;
export type SpecialtyChoice = (typeof SPECIALTY_CHOICES)[number];

export { MAX_TEXT_CHARS, MIN_TEXT_CHARS } from './job-input';

export const submitAnalysisSchema = z
  .object({
    uploadId: z.uuid({ message: 'Choose a file to analyse.' }).optional(),
    text: z.string({ message: 'Paste the note as text.' }).optional(),
    specialty: z.enum(SPECIALTY_CHOICES, { message: 'Choose a specialty, or "Detect automatically".' }).default('auto'),
    handwritten: handwrittenField,
    title: titleField,
    idempotencyKey: idempotencyKeyField,
  })
  .superRefine((value, ctx) =>
    checkDocumentSource(value, ctx, { verb: 'analyse', noun: 'note', missing: 'Upload a file or paste the note text to analyse.' }),
  );

export type SubmitAnalysisInput = z.input<typeof submitAnalysisSchema>;
export type SubmitAnalysis = z.output<typeof submitAnalysisSchema>;
