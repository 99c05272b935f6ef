// Starting a letter: the form's context (the analysis's diagnoses, the focus
// options for each, who signs) and the submission, which writes the letter job
// (row, quota reservation, first event, audit, queue entry) and the letter row
// that /reports lists in ONE transaction. The worker (lib/jobs/letter-handler.ts)
// then writes version 1.
import { z } from 'zod';
import type { RequestContext, Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import type { AnalysisResult } from '@/lib/analysis/schema';
import { getClinicPlan } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { assertJobSubmissionAllowed } from '@/lib/ratelimit/jobs';
import { assertJobId } from '@/lib/jobs/access';
import { insertQueuedJob } from '@/lib/jobs/create';
import { idempotencyKeyField } from '@/lib/jobs/job-input';
import { parseAnalysisResult } from '@/lib/jobs/queries';
import { enqueueInTransaction, type Enqueue } from '@/lib/jobs/queue';
import { LETTER_QUEUE } from '@/lib/jobs/queues';
import { PRIORITY_QUEUE_PRIORITY } from '@/lib/jobs/submit';
import { assertMayWriteTemplate, writableTemplates } from './access';
import { referralFocusOptions } from './focus';
import { LETTER_TEMPLATES, TEMPLATE_LABELS, letterRequestSchema, type LetterRequest, type LetterTemplate } from './options';

export interface LetterSubmitDeps {
  enqueue?: Enqueue;
  now?: () => Date;
}

export const submitLetterSchema = z.object({
  analysisJobId: z.string({ message: 'Choose the analysis to write from.' }).regex(/^[0-9a-f-]{36}$/i, 'Choose the analysis to write from.'),
  idempotencyKey: idempotencyKeyField,
  request: letterRequestSchema,
});

/** What a letter job keeps in `jobs.options` (the worker's input; PHI stays in the row). */
export interface LetterJobOptions {
  analysisJobId: string;
  letterId: string;
  request: LetterRequest;
}

export interface LetterFormDiagnosis {
  number: number;
  label: string;
  icd10Code: string | null;
  urgent: boolean;
  focusOptions: string[];
}

export interface LetterFormContext {
  analysisJobId: string;
  templates: LetterTemplate[];
  diagnoses: LetterFormDiagnosis[];
  /** Focus options when the reason is not one of the diagnoses. */
  otherFocusOptions: string[];
  /** The provider found in the analysis (the default "From"). */
  defaultFrom: string;
  patientName: string | null;
}

/** Field errors keyed by the field's own name (request.reason.text → text), for the form. */
function letterFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.filter((p) => typeof p === 'string' && p !== 'request').join('.') || 'form';
    (out[key === 'reason.text' ? 'reasonText' : key === 'reason.diagnosisNumber' ? 'reason' : key] ??= []).push(issue.message);
  }
  return out;
}

async function loadAnalysis(db: Db | Tx, actor: Actor, analysisJobId: string): Promise<{ id: string; title: string | null; result: AnalysisResult }> {
  assertJobId(analysisJobId);
  const job = await db.job.findFirst({
    where: { id: analysisJobId, organizationId: actor.organizationId, type: 'analysis' },
    select: { id: true, status: true, title: true, result: true },
  });
  if (!job) throw new AppError('not_found', { message: 'no such analysis in the clinic', userMessage: 'We could not find that analysis.' });
  const result = job.status === 'succeeded' ? parseAnalysisResult(job.result) : null;
  if (!result) {
    throw new AppError('conflict', { message: `letter from a ${job.status} analysis`, userMessage: 'Letters are written from a completed analysis. Wait for it to finish, or start a new one.' });
  }
  return { id: job.id, title: job.title, result };
}

/** The form's choices for one analysis. */
export async function getLetterFormContext(db: Db, actor: Actor, analysisJobId: string): Promise<LetterFormContext> {
  const analysis = await loadAnalysis(db, actor, analysisJobId);
  const { result } = analysis;
  return {
    analysisJobId: analysis.id,
    templates: writableTemplates(actor, LETTER_TEMPLATES),
    diagnoses: result.diagnoses.map((d) => ({
      number: d.number,
      label: d.label,
      icd10Code: d.icd10Code,
      urgent: d.urgency === 'urgent' || d.urgency === 'emergent',
      focusOptions: referralFocusOptions(d, result.detectedSpecialty),
    })),
    otherFocusOptions: referralFocusOptions(null, result.detectedSpecialty),
    defaultFrom: result.provider.name ?? '',
    patientName: result.patient.name,
  };
}

function checkAgainstAnalysis(request: LetterRequest, result: AnalysisResult): void {
  const diagnosis = request.reason.kind === 'diagnosis' ? result.diagnoses.find((d) => d.number === (request.reason as { diagnosisNumber: number }).diagnosisNumber) : null;
  if (request.reason.kind === 'diagnosis' && !diagnosis) {
    throw new AppError('validation_failed', { message: 'reason names a missing diagnosis', fieldErrors: { reason: ['Choose one of the diagnoses of this analysis, or "Other".'] } });
  }
  if (request.referralFocus) {
    const options = referralFocusOptions(diagnosis ?? null, result.detectedSpecialty);
    if (!options.includes(request.referralFocus)) {
      throw new AppError('validation_failed', { message: 'referral focus not offered', fieldErrors: { referralFocus: ['Choose one of the focus options offered for this reason.'] } });
    }
  }
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown }).code === 'P2002';

async function byKey(db: Db, organizationId: string, idempotencyKey: string): Promise<{ jobId: string; letterId: string } | null> {
  const job = await db.job.findUnique({
    where: { organizationId_idempotencyKey: { organizationId, idempotencyKey } },
    select: { id: true, letter: { select: { id: true } } },
  });
  return job?.letter ? { jobId: job.id, letterId: job.letter.id } : null;
}

/** ISO date (YYYY-MM-DD) of a moment, in UTC. */
export const isoDate = (at: Date): string => at.toISOString().slice(0, 10);

/** Starts a letter job from a completed analysis. Same idempotency key → the first letter. */
export async function submitLetterJob(
  db: Db,
  actor: Actor,
  input: unknown,
  context: RequestContext | null,
  deps: LetterSubmitDeps = {},
): Promise<{ jobId: string; letterId: string; duplicate: boolean }> {
  const parsed = submitLetterSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: letterFieldErrors(parsed.error) });
  const { analysisJobId, idempotencyKey, request } = parsed.data;
  assertMayWriteTemplate(actor, request.template);
  const existing = await byKey(db, actor.organizationId, idempotencyKey);
  if (existing) return { ...existing, duplicate: true };
  await assertJobSubmissionAllowed(db, actor);

  const analysis = await loadAnalysis(db, actor, analysisJobId);
  checkAgainstAnalysis(request, analysis.result);
  const { patient } = analysis.result;
  const now = deps.now?.() ?? new Date();
  try {
    const created = await db.$transaction(
      async (tx) => {
        const clinicPlan = await getClinicPlan(tx, actor.organizationId);
        const priority = clinicPlan.plan.features.has('priorityQueue') ? PRIORITY_QUEUE_PRIORITY : 0;
        // The letter's id is chosen first so the job's options can name it.
        const letterId = crypto.randomUUID();
        const options: LetterJobOptions = { analysisJobId, letterId, request };
        const jobId = await insertQueuedJob(
          tx,
          actor,
          {
            type: 'letter',
            queue: LETTER_QUEUE,
            priority,
            title: analysis.title ? `${TEMPLATE_LABELS[request.template]}: ${analysis.title}` : TEMPLATE_LABELS[request.template],
            uploadId: null,
            inputText: null,
            options,
            idempotencyKey,
            sourceJobId: analysisJobId,
            auditMetadata: { template: request.template, recipientType: request.recipientType, language: request.language, letterId },
          },
          context,
          deps.enqueue ?? enqueueInTransaction,
        );
        await tx.letter.create({
          data: {
            id: letterId,
            organizationId: actor.organizationId,
            jobId,
            analysisJobId,
            createdById: actor.userId,
            template: request.template,
            recipientType: request.recipientType,
            language: request.language,
            request: request as unknown as Prisma.InputJsonValue,
            toLine: request.to,
            fromLine: request.from,
            letterDate: new Date(`${isoDate(now)}T00:00:00Z`),
            patient: { name: patient.name, dateOfBirth: patient.dateOfBirth, identifiers: patient.identifiers } as Prisma.InputJsonValue,
            patientName: patient.name,
            status: 'drafting',
          },
        });
        return { jobId, letterId };
      },
      { timeout: 15_000 },
    );
    return { ...created, duplicate: false };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await byKey(db, actor.organizationId, idempotencyKey);
      if (winner) return { ...winner, duplicate: true };
    }
    throw error;
  }
}
