// Starting an analysis: validation, the upload check, idempotency, the quota
// reservation, the job row, its first event, the audit record and the queue
// entry, all in one transaction: if any of them fails, none of them happened.
import type { RequestContext, Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { fieldErrorsOf } from '@/lib/auth/update-profile';
import { getClinicPlan } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import type { FileKind } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { assertJobSubmissionAllowed } from '@/lib/ratelimit/jobs';
import { submitAnalysisSchema, type SubmitAnalysis } from './analysis-input';
import { assertMayRunAnalysis } from './access';
import { insertQueuedJob } from './create';
import { enqueueInTransaction, type Enqueue } from './queue';
import { ANALYSIS_QUEUE } from './queues';

/** pg-boss priority (higher runs first) for clinics whose plan has the priority queue. */
export const PRIORITY_QUEUE_PRIORITY = 10;

export const DOCUMENT_KINDS: readonly FileKind[] = ['pdf', 'docx', 'txt', 'png', 'jpeg', 'webp', 'tiff'];

export interface SubmitDeps {
  /** The queue send; replaced in tests to prove a failed send rolls everything back. */
  enqueue?: Enqueue;
}

export interface AnalysisOptions {
  specialty: SubmitAnalysis['specialty'];
  handwritten: boolean;
}

export interface NewAnalysisJob {
  uploadId: string | null;
  inputText: string | null;
  options: AnalysisOptions;
  title: string | null;
  idempotencyKey: string | null;
  /** The transcript job this analysis was made from, when any. */
  sourceJobId?: string | null;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'P2002';
}

async function findByKey(db: Db | Tx, organizationId: string, idempotencyKey: string): Promise<string | null> {
  const job = await db.job.findUnique({
    where: { organizationId_idempotencyKey: { organizationId, idempotencyKey } },
    select: { id: true },
  });
  return job?.id ?? null;
}

async function checkUpload(tx: Tx, organizationId: string, uploadId: string): Promise<void> {
  const upload = await tx.upload.findFirst({ where: { id: uploadId, organizationId }, select: { kind: true, deletedAt: true } });
  if (!upload) {
    throw new AppError('not_found', { message: 'no such upload in the clinic', userMessage: 'We could not find that file. Upload it again.' });
  }
  if (upload.deletedAt) {
    throw new AppError('not_found', { message: 'upload bytes deleted', userMessage: 'That file was deleted from Maneiro. Upload it again to analyse it.' });
  }
  if (!DOCUMENT_KINDS.includes(upload.kind)) {
    throw new AppError('validation_failed', {
      message: `upload kind ${upload.kind} is not a document`,
      fieldErrors: {
        uploadId: ['Audio recordings are transcribed, not analysed directly. Start a transcription, then analyse the transcript.'],
      },
    });
  }
}

/**
 * Inserts an analysis job and everything that belongs with it inside `tx`.
 * Shared by submission and retry. Returns the new job's id.
 */
export async function createAnalysisJob(
  tx: Tx,
  actor: Actor,
  job: NewAnalysisJob,
  context: RequestContext | null,
  enqueue: Enqueue = enqueueInTransaction,
): Promise<string> {
  if (job.uploadId) await checkUpload(tx, actor.organizationId, job.uploadId);
  const clinicPlan = await getClinicPlan(tx, actor.organizationId);
  const priority = clinicPlan.plan.features.has('priorityQueue') ? PRIORITY_QUEUE_PRIORITY : 0;
  return insertQueuedJob(
    tx,
    actor,
    {
      type: 'analysis',
      queue: ANALYSIS_QUEUE,
      priority,
      title: job.title,
      uploadId: job.uploadId,
      inputText: job.inputText,
      options: job.options,
      idempotencyKey: job.idempotencyKey,
      sourceJobId: job.sourceJobId ?? null,
      auditMetadata: { source: job.uploadId ? 'upload' : job.sourceJobId ? 'transcript' : 'text', specialty: job.options.specialty, handwritten: job.options.handwritten },
    },
    context,
    enqueue,
  );
}

export async function submitAnalysisJob(
  db: Db,
  actor: Actor,
  input: unknown,
  context: RequestContext | null,
  deps: SubmitDeps = {},
): Promise<{ jobId: string; duplicate: boolean }> {
  assertMayRunAnalysis(actor, 'start');
  const parsed = submitAnalysisSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const data = parsed.data;
  const { organizationId } = actor;

  // A resubmitted form (double click, network retry) finds the job its first submit created.
  const existing = await findByKey(db, organizationId, data.idempotencyKey);
  if (existing) return { jobId: existing, duplicate: true };
  await assertJobSubmissionAllowed(db, actor);

  const job: NewAnalysisJob = {
    uploadId: data.uploadId ?? null,
    inputText: data.uploadId ? null : (data.text ?? null),
    options: { specialty: data.specialty, handwritten: data.handwritten },
    title: data.title ?? null,
    idempotencyKey: data.idempotencyKey,
  };
  try {
    const jobId = await db.$transaction((tx) => createAnalysisJob(tx, actor, job, context, deps.enqueue), { timeout: 15_000 });
    return { jobId, duplicate: false };
  } catch (error) {
    // Two submits with the same key raced: the loser's transaction rolled back whole; answer with the winner's job.
    if (isUniqueViolation(error)) {
      const winner = await findByKey(db, organizationId, data.idempotencyKey);
      if (winner) return { jobId: winner, duplicate: true };
    }
    throw error;
  }
}
