// Cancel and retry. A queued job is canceled at once (its queue entry too); a
// running one is asked to stop and ends canceled at its next stage boundary (the
// worker hears the request on `job_cancel`). Either way the quota unit is
// released. Retry starts a NEW job with the same input (own quota reservation,
// own history) and leaves the failed or canceled one as it was, so the record of
// what happened stays intact; retrying the same job twice returns the first retry.
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import { ALL_ROLES, type Actor, type Role } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import type { JobStatus, JobType } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { assertJobSubmissionAllowed } from '@/lib/ratelimit/jobs';
import { releaseJobQuota } from '@/lib/usage/quota';
import { ANALYSIS_ROLES, assertJobId, jobNotFound } from './access';
import type { SpecialtyChoice } from './analysis-input';
import { JOB_CANCEL_CHANNEL, writeJobEvent } from './events';
import { cancelQueued, enqueueInTransaction, type Enqueue } from './queue';
import { QUEUE_OF_TYPE } from './queues';
import { createAnalysisJob } from './submit';
import { submitTranscriptionJob } from './transcription';
import { submitTriageJob } from './triage';
import type { JobSummary } from './types';

export const RETRY_KEY_PREFIX = 'retry-of:';
export const retryKeyFor = (jobId: string): string => `${RETRY_KEY_PREFIX}${jobId}`;

const summarySelect = {
  id: true,
  type: true,
  status: true,
  stage: true,
  progress: true,
  errorMessage: true,
  cancelRequestedAt: true,
} as const;

function toSummary(job: {
  id: string;
  type: JobSummary['type'];
  status: JobStatus;
  stage: string;
  progress: number;
  errorMessage: string | null;
  cancelRequestedAt: Date | null;
}): JobSummary {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    errorMessage: job.errorMessage,
    cancelRequested: job.cancelRequestedAt !== null && job.status === 'running',
  };
}

/** Gives the job's quota unit back (when it still holds one). */
export async function releaseQuotaOf(tx: Tx, organizationId: string, jobId: string): Promise<void> {
  const records = await tx.usageRecord.findMany({ where: { organizationId, jobId, state: 'reserved' }, select: { id: true } });
  for (const record of records) await releaseJobQuota(tx, record.id);
}

/** Who may start, cancel and retry each kind of job: the front desk triages; clinical work is for clinicians and up. */
const MANAGING_ROLES: Record<JobType, readonly Role[]> = {
  analysis: ANALYSIS_ROLES,
  transcription: ANALYSIS_ROLES,
  letter: ALL_ROLES,
  triage: ALL_ROLES,
};
const JOB_NOUNS: Record<JobType, string> = { analysis: 'clinical analyses', transcription: 'transcriptions', letter: 'letters', triage: 'triages' };

export function assertMayManage(actor: Actor, type: JobType, what: 'cancel' | 'retry'): void {
  if (MANAGING_ROLES[type].includes(actor.role)) return;
  throw new AppError('forbidden', {
    message: `role ${actor.role} may not ${what} ${type} jobs`,
    userMessage: `Only clinicians, admins and owners can ${what} ${JOB_NOUNS[type]}. Ask one of them to do it for you.`,
  });
}

export async function cancelJob(db: Db, actor: Actor, jobId: string, context: RequestContext | null): Promise<JobSummary> {
  assertJobId(jobId);
  return db.$transaction(async (tx) => {
    // Locked: the worker's start and finish updates wait for this decision (and vice versa).
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM jobs WHERE id = ${jobId}::uuid AND organization_id = ${actor.organizationId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw jobNotFound();
    const job = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { ...summarySelect, organizationId: true, bossJobId: true } });
    assertMayManage(actor, job.type, 'cancel');
    const now = new Date();
    if (job.status === 'queued') {
      const updated = await tx.job.update({
        where: { id: jobId },
        data: { status: 'canceled', finishedAt: now, errorCode: null, errorMessage: null },
        select: summarySelect,
      });
      await releaseQuotaOf(tx, job.organizationId, jobId);
      await writeJobEvent(tx, { jobId, organizationId: job.organizationId, status: 'canceled', stage: job.stage, progress: job.progress, message: 'canceled' });
      await recordAudit(tx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        event: 'job.canceled',
        targetType: 'job',
        targetId: jobId,
        metadata: { type: job.type, whileRunning: false },
        request: context,
      });
      if (job.bossJobId) await cancelQueued(tx, queueFor(job.type), job.bossJobId);
      return toSummary(updated);
    }
    if (job.status === 'running') {
      if (job.cancelRequestedAt) return toSummary(job);
      const updated = await tx.job.update({ where: { id: jobId }, data: { cancelRequestedAt: now }, select: summarySelect });
      await writeJobEvent(tx, { jobId, organizationId: job.organizationId, status: 'running', stage: job.stage, progress: job.progress, message: 'cancel requested' });
      await recordAudit(tx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        event: 'job.canceled',
        targetType: 'job',
        targetId: jobId,
        metadata: { type: job.type, whileRunning: true },
        request: context,
      });
      await tx.$executeRaw`SELECT pg_notify(${JOB_CANCEL_CHANNEL}, ${jobId})`;
      return toSummary(updated);
    }
    const verb = job.status === 'succeeded' ? 'already finished' : job.status === 'failed' ? 'already failed' : 'already canceled';
    throw new AppError('conflict', { message: `job is ${job.status}`, userMessage: `This job ${verb}, so there is nothing to cancel.` });
  });
}

function queueFor(type: JobType): string {
  const queue = QUEUE_OF_TYPE[type];
  if (!queue) throw new AppError('bad_request', { message: `no queue for job type ${type}` });
  return queue;
}

export async function retryJob(
  db: Db,
  actor: Actor,
  jobId: string,
  context: RequestContext | null,
  retryDeps: { enqueue?: Enqueue; afterRetry?: (tx: Tx, newJobId: string) => Promise<void> } = {},
): Promise<{ jobId: string }> {
  assertJobId(jobId);
  const original = await db.job.findFirst({
    where: { id: jobId, organizationId: actor.organizationId },
    select: { id: true, type: true, status: true, uploadId: true, inputText: true, options: true, title: true },
  });
  if (!original) throw jobNotFound();
  assertMayManage(actor, original.type, 'retry');
  if (original.type === 'letter') {
    throw new AppError('bad_request', { message: 'retry of letter jobs', userMessage: 'Letters are drafted again from their analysis, not retried.' });
  }
  if (original.status !== 'failed' && original.status !== 'canceled') {
    throw new AppError('conflict', {
      message: `retry of a ${original.status} job`,
      userMessage:
        original.status === 'succeeded' ? 'This job succeeded; there is nothing to retry.' : 'This job is still in progress; wait for it to finish or cancel it first.',
    });
  }
  const key = retryKeyFor(jobId);
  const existing = await db.job.findUnique({ where: { organizationId_idempotencyKey: { organizationId: actor.organizationId, idempotencyKey: key } }, select: { id: true } });
  if (existing) return { jobId: existing.id };
  const audit = async (tx: Tx, newJobId: string) => {
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'job.retried',
      targetType: 'job',
      targetId: jobId,
      metadata: { type: original.type, newJobId, previousStatus: original.status },
      request: context,
    });
    // The operator console's own audit record, in the same transaction (lib/admin/retry.ts).
    await retryDeps.afterRetry?.(tx, newJobId);
  };
  if (original.type === 'triage' || original.type === 'transcription') {
    const stored = (original.options ?? {}) as { handwritten?: boolean; mode?: string; language?: string };
    const title = original.title ?? undefined;
    const deps = { enqueue: retryDeps.enqueue ?? enqueueInTransaction, afterCreate: audit };
    const started =
      original.type === 'triage'
        ? await submitTriageJob(db, actor, { uploadId: original.uploadId ?? undefined, text: original.uploadId ? undefined : (original.inputText ?? undefined), handwritten: stored.handwritten ?? false, title, idempotencyKey: key }, context, deps)
        : await submitTranscriptionJob(db, actor, { uploadId: original.uploadId, mode: stored.mode, language: stored.language, title, idempotencyKey: key }, context, deps);
    return { jobId: started.jobId };
  }
  if (!original.uploadId && !original.inputText) {
    throw new AppError('conflict', { message: 'retry without input', userMessage: 'The input of this analysis is no longer stored, so it cannot be retried. Start a new analysis.' });
  }
  const stored = (original.options ?? {}) as { specialty?: SpecialtyChoice; handwritten?: boolean };
  // Triage and transcription retries are counted by their submit functions above.
  await assertJobSubmissionAllowed(db, actor);
  try {
    const newId = await db.$transaction(
      async (tx) => {
        const id = await createAnalysisJob(
          tx,
          actor,
          {
            uploadId: original.uploadId,
            inputText: original.uploadId ? null : original.inputText,
            options: { specialty: stored.specialty ?? 'auto', handwritten: stored.handwritten ?? false },
            title: original.title,
            idempotencyKey: key,
          },
          context,
          retryDeps.enqueue ?? enqueueInTransaction,
        );
        await audit(tx, id);
        return id;
      },
      { timeout: 15_000 },
    );
    return { jobId: newId };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P2002') {
      const winner = await db.job.findUnique({ where: { organizationId_idempotencyKey: { organizationId: actor.organizationId, idempotencyKey: key } }, select: { id: true } });
      if (winner) return { jobId: winner.id };
    }
    throw error;
  }
}
