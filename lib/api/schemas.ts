// The REST API's request and response shapes, as zod schemas. Handlers parse
// requests and type their responses with them, and lib/api/openapi.ts turns the
// same schemas into the OpenAPI document, so the two cannot disagree.
import { z } from 'zod';
import { analysisResultSchema } from '@/lib/analysis/schema';
import { PLAN_IDS } from '@/lib/billing/plans';
import { JobStatus, JobType } from '@/lib/db/generated/enums';
import { SPECIALTY_CHOICES } from '@/lib/jobs/analysis-input';
import { TRANSCRIPTION_LANGUAGES, TRANSCRIPTION_MODES, transcriptSegmentSchema } from '@/lib/jobs/transcription-input';
import { letterContentSchema } from '@/lib/letters/content';
import { LETTER_STATUS_FILTERS } from '@/lib/letters/letters';
import { LETTER_TEMPLATES, RECIPIENT_TYPES, letterRequestSchema } from '@/lib/letters/options';
import { triageResultSchema } from '@/lib/triage/schema';
import { PROBLEM_CODES } from './problem';

export const JOB_TYPE_VALUES = Object.values(JobType);
export const JOB_STATUS_VALUES = Object.values(JobStatus);
/** The types a client may start through POST /api/v1/jobs (letters start from an analysis). */
export const SUBMITTABLE_TYPES = ['analysis', 'triage', 'transcription'] as const;

export const DEFAULT_LIST_LIMIT = 25;
export const MAX_LIST_LIMIT = 100;
/** An Idempotency-Key header: any printable ASCII, as clients generate them (UUIDs, hashes, names). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const timestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 date-time (UTC).' });
const id = z.uuid();

// ---------------------------------------------------------------------------
// Requests

const titleField = z.string().max(200).optional().meta({ description: 'Your label for the job (may identify the patient: it is stored as PHI and never logged).' });
const textField = z.string().meta({ description: 'The document as plain text: at least 20 non-space characters, at most 200,000 characters.' });
const handwrittenField = z.boolean().optional().meta({ description: 'The document is handwritten (OCR tuned for handwriting). Default false.' });

export const jobSubmitJsonSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('analysis'),
    text: textField,
    specialty: z.enum(SPECIALTY_CHOICES).optional().meta({ description: 'The note’s specialty, or "auto" (default) to detect it.' }),
    handwritten: handwrittenField,
    title: titleField,
  }),
  z.strictObject({ type: z.literal('triage'), text: textField, handwritten: handwrittenField, title: titleField }),
]);
export type JobSubmitJson = z.output<typeof jobSubmitJsonSchema>;

/** The text fields of a multipart submission (the file part is read separately as it streams). */
export const jobSubmitFormFieldsSchema = z.strictObject({
  type: z.enum(SUBMITTABLE_TYPES).meta({ description: 'analysis and triage take a document (PDF, Word, text or an image); transcription takes audio.' }),
  specialty: z.enum(SPECIALTY_CHOICES).optional().meta({ description: 'analysis only; default "auto".' }),
  handwritten: z.enum(['true', 'false']).optional().meta({ description: 'analysis and triage only; default "false".' }),
  mode: z.enum(TRANSCRIPTION_MODES).optional().meta({ description: 'transcription only, required: dictation (one speaker) or conversation (speakers labelled).' }),
  language: z.enum(TRANSCRIPTION_LANGUAGES).optional().meta({ description: 'transcription only; default "auto".' }),
  title: titleField,
});
export type JobSubmitFormFields = z.output<typeof jobSubmitFormFieldsSchema>;

/** For the document only: the multipart body with its file part. */
export const jobSubmitFormSchema = jobSubmitFormFieldsSchema.extend({
  file: z.string().meta({ format: 'binary', description: 'The document or recording. Its kind is read from its first bytes; the size limit is the plan’s (100 MB on Enterprise).' }),
});

export const jobListQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional().meta({ description: 'The `nextCursor` of the previous page; omit for the first page.' }),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT).meta({ description: `Jobs per page, 1–${MAX_LIST_LIMIT} (default ${DEFAULT_LIST_LIMIT}).` }),
  type: z.enum(JOB_TYPE_VALUES).optional(),
  status: z.enum(JOB_STATUS_VALUES).optional(),
});

/** The letter request of POST /api/v1/jobs/{id}/letters: the web form's schema, unchanged. */
export const letterCreateSchema = letterRequestSchema;

// ---------------------------------------------------------------------------
// Responses

export const transcriptResultSchema = z.object({
  version: z.number().int().min(1).meta({ description: 'The transcript version (edits in the app add versions).' }),
  text: z.string(),
  segments: z.array(transcriptSegmentSchema),
});

export const jobSummarySchema = z.object({
  id,
  type: z.enum(JOB_TYPE_VALUES),
  status: z.enum(JOB_STATUS_VALUES),
  stage: z.string().meta({ description: 'The pipeline stage (received, extracting, ocr, analyzing, …, complete).' }),
  progress: z.number().int().min(0).max(100),
  cancelRequested: z.boolean().meta({ description: 'A cancel was asked for while the job ran; it stops at its next stage.' }),
  error: z
    .object({ code: z.string().nullable(), message: z.string() })
    .nullable()
    .meta({ description: 'Why the job failed (never PHI); null unless failed.' }),
  sourceJobId: id.nullable().meta({ description: 'The job this one was made from (a letter’s analysis).' }),
  letterId: id.nullable().meta({ description: 'Letter jobs: the letter they draft.' }),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  updatedAt: timestamp,
  links: z.object({
    self: z.string(),
    cancel: z.string().optional(),
    letters: z.string().optional().meta({ description: 'Analyses: where to POST a letter request.' }),
    letter: z.string().optional(),
  }),
});
export type ApiJobSummary = z.output<typeof jobSummarySchema>;

export const jobSchema = jobSummarySchema.extend({
  result: z
    .union([analysisResultSchema, triageResultSchema, transcriptResultSchema])
    .nullable()
    .meta({ description: 'The job’s output once it succeeded: the analysis, the triage, or the transcript (by `type`); null otherwise and for letter jobs (see `links.letter`).' }),
});
export type ApiJob = z.output<typeof jobSchema>;

export const jobListSchema = z.object({
  data: z.array(jobSummarySchema),
  nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  links: z.object({ next: z.string().nullable() }),
});
export type ApiJobList = z.output<typeof jobListSchema>;

export const letterSchema = z.object({
  id,
  status: z.enum(LETTER_STATUS_FILTERS).meta({ description: 'drafting (being written), failed, draft (ready), exported (a PDF of the current version exists).' }),
  template: z.enum(LETTER_TEMPLATES),
  recipientType: z.enum(RECIPIENT_TYPES),
  language: z.string(),
  version: z.number().int().min(0).meta({ description: 'The current version; 0 while drafting.' }),
  header: z.object({
    to: z.string(),
    from: z.string(),
    date: z.iso.date(),
    re: z.string().nullable(),
    patient: z.object({
      name: z.string().nullable(),
      dateOfBirth: z.string().nullable(),
      identifiers: z.array(z.object({ kind: z.string(), value: z.string() })),
    }),
  }),
  content: letterContentSchema.nullable().meta({ description: 'The current version’s structured content; null while drafting.' }),
  error: z.string().nullable().meta({ description: 'Why drafting failed (never PHI); null otherwise.' }),
  jobId: id.nullable(),
  analysisJobId: id.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  links: z.object({ self: z.string(), pdf: z.string().nullable(), job: z.string().nullable(), analysis: z.string().nullable() }),
});
export type ApiLetter = z.output<typeof letterSchema>;

const countsSchema = { inProgress: z.number().int(), completed: z.number().int(), total: z.number().int() };

export const usageSchema = z.object({
  plan: z.object({ id: z.enum(PLAN_IDS), name: z.string(), monthlyJobQuota: z.number().int().nullable() }),
  period: z.object({ start: timestamp, end: timestamp.meta({ description: 'Exclusive.' }) }),
  used: z.number().int().meta({ description: 'Jobs counted this period (in progress and completed).' }),
  limit: z.number().int().nullable().meta({ description: 'null: unlimited.' }),
  remaining: z.number().int().nullable(),
  inProgress: z.number().int(),
  completed: z.number().int(),
  released: z.number().int().meta({ description: 'Failed or canceled jobs, given back to the allowance.' }),
  byType: z.array(z.object({ jobType: z.enum(JOB_TYPE_VALUES), ...countsSchema })),
  daily: z.array(
    z.object({
      date: z.iso.date(),
      total: z.number().int(),
      analysis: z.number().int(),
      transcription: z.number().int(),
      letter: z.number().int(),
      triage: z.number().int(),
    }),
  ),
});
export type ApiUsage = z.output<typeof usageSchema>;

export const problemSchema = z.object({
  type: z.string().meta({ description: 'A link to this code’s explanation on the reference page.' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().meta({ description: 'What went wrong and what to do, for a person to read. Never contains PHI.' }),
  instance: z.string().optional().meta({ description: 'The request path.' }),
  code: z.enum(PROBLEM_CODES).meta({ description: 'Stable: program against this.' }),
  requestId: z.string().meta({ description: 'Also in the X-Request-Id header; quote it to support.' }),
  fieldErrors: z.record(z.string(), z.array(z.string())).optional().meta({ description: 'validation_failed: messages per field.' }),
});
