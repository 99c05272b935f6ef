// One attempt at a queued job, the same for every job type: claim the job, move it
// through stages only while this attempt owns it (attempt-fenced writes), listen for a
// cancel, and end it exactly once: completed by the handler's own transaction,
// canceled, handed back to the queue for a retry, or failed with a message for the
// member. `runFencedJob` is the skeleton; each handler supplies its claim and its work.
import type { Job as BossJob } from 'pg-boss';
import { AnalysisFailure } from '@/lib/analysis/errors';
import type { AuditMetadata } from '@/lib/audit/events';
import { recordAudit, type Tx } from '@/lib/audit/record';
import { getConfig, requireDatabaseUrl } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { AppError, describeError } from '@/lib/errors';
import type { Logger } from '@/lib/logger';
import { recordProviderError } from '@/lib/observability/metrics';
import { commitJobQuota } from '@/lib/usage/quota';
import { emitWebhookEvent } from '@/lib/webhooks/emit';
import { JOB_CANCEL_CHANNEL, writeJobEvent } from './events';
import { sharedListener, type PgListener } from './listener';
import { releaseQuotaOf } from './manage';
import type { JobPayload } from './queues';

/** What the fenced writes need to know of an attempt. */
export interface AttemptRef {
  jobId: string;
  organizationId: string;
  createdById: string | null;
  /** The job's attempt counter when this attempt claimed it: writes check it. */
  attempt: number;
}

/** The member's message for a failure on our side; handlers of other job types give their own wording. */
export const INTERNAL_FAILURE_MESSAGE =
  'The analysis could not be completed because of a problem on our side. Retry it; if it keeps failing, contact support.';

/**
 * Aborts `canceler` as soon as a cancel request for the job arrives on `job_cancel`
 * (or, after the listener reconnected, if one was missed). Null when no listener
 * could be had: cancels then take effect at the next stage boundary.
 * `listener` undefined means this process's shared one; null means none.
 */
export async function listenForCancel(
  db: Db,
  jobId: string,
  canceler: AbortController,
  listener: PgListener | null | undefined,
  log: () => Logger,
): Promise<(() => void) | null> {
  const source = listener === undefined ? sharedListener(requireDatabaseUrl(getConfig()), [JOB_CANCEL_CHANNEL]) : listener;
  if (!source) return null;
  return source
    .subscribe(
      JOB_CANCEL_CHANNEL,
      jobId,
      () => canceler.abort(new JobCanceled()),
      () => void cancelRequested(db, jobId).then((yes) => yes && canceler.abort(new JobCanceled())),
    )
    .catch((error: unknown) => {
      log().warn({ err: describeError(error) }, 'cancel listener unavailable; cancels apply at stage boundaries');
      return null;
    });
}

export class JobCanceled extends Error {
  constructor() {
    super('job canceled');
    this.name = 'JobCanceled';
  }
}

/** Classifies a failure: what the member sees, and whether another attempt could help. */
export function classifyFailure(error: unknown): { code: string; userMessage: string; retryable: boolean } {
  if (error instanceof AnalysisFailure) {
    // Every handler classifies each failed attempt exactly once, here: the one place to count provider errors.
    recordProviderError(error.code, error.retryable);
    return { code: error.code, userMessage: error.userMessage, retryable: error.retryable };
  }
  if (error instanceof AppError) {
    // Storage or database trouble may pass; a bad file or a purged upload will not.
    const retryable = error.code === 'unavailable' || error.code === 'rate_limited';
    const userMessage = error.code === 'internal' ? INTERNAL_FAILURE_MESSAGE : error.userMessage;
    return { code: error.code, userMessage, retryable };
  }
  // Connection resets and the like: worth another attempt, and a generic message when none is left.
  return { code: 'internal', userMessage: INTERNAL_FAILURE_MESSAGE, retryable: true };
}

/** Moves this attempt to a stage. False when the attempt no longer owns the job or a cancel was requested. */
export async function setStage(db: Db, a: AttemptRef, stage: string, progress: number): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: a.jobId, status: 'running', attempts: a.attempt, cancelRequestedAt: null },
      data: { stage, progress },
    });
    if (count === 0) return false;
    await writeJobEvent(tx, { jobId: a.jobId, organizationId: a.organizationId, status: 'running', stage, progress });
    return true;
  });
}

/**
 * The bookkeeping of a job this attempt has just marked succeeded, inside the same
 * transaction: its quota unit stays counted, the last stage event, `job.completed`
 * in the audit log (type, attempts, the handler's `metadata`, time since the claim)
 * and the `job.completed` webhook event.
 */
export async function settleCompleted(
  tx: Tx,
  a: AttemptRef & { startedAt: Date },
  jobType: 'analysis' | 'triage' | 'letter' | 'transcription',
  metadata: AuditMetadata,
  now: Date,
): Promise<void> {
  const records = await tx.usageRecord.findMany({ where: { organizationId: a.organizationId, jobId: a.jobId, state: 'reserved' }, select: { id: true } });
  for (const record of records) await commitJobQuota(tx, record.id, now);
  await writeJobEvent(tx, { jobId: a.jobId, organizationId: a.organizationId, status: 'succeeded', stage: 'complete', progress: 100 });
  await recordAudit(tx, {
    organizationId: a.organizationId,
    actorUserId: a.createdById,
    event: 'job.completed',
    targetType: 'job',
    targetId: a.jobId,
    metadata: { type: jobType, attempts: a.attempt, ...metadata, durationMs: now.getTime() - a.startedAt.getTime() },
  });
  await emitWebhookEvent(tx, { organizationId: a.organizationId, event: 'job.completed', data: { jobId: a.jobId, jobType } });
}

/** Ends the job failed (from this attempt, or from any live state when `attempt` is null: the sweeper). */
export async function failJob(
  db: Db,
  job: { jobId: string; organizationId: string; createdById: string | null; attempt: number | null },
  failure: { code: string; userMessage: string },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: job.attempt === null ? { id: job.jobId, status: { in: ['queued', 'running'] } } : { id: job.jobId, status: 'running', attempts: job.attempt },
      data: { status: 'failed', errorCode: failure.code, errorMessage: failure.userMessage, finishedAt: new Date() },
    });
    if (count === 0) return false;
    const current = await tx.job.findUniqueOrThrow({ where: { id: job.jobId }, select: { type: true, stage: true, progress: true, attempts: true } });
    await releaseQuotaOf(tx, job.organizationId, job.jobId);
    await writeJobEvent(tx, { jobId: job.jobId, organizationId: job.organizationId, status: 'failed', stage: current.stage, progress: current.progress, message: 'failed' });
    await recordAudit(tx, {
      organizationId: job.organizationId,
      actorUserId: job.createdById,
      event: 'job.failed',
      targetType: 'job',
      targetId: job.jobId,
      outcome: 'failure',
      metadata: { type: current.type, code: failure.code, attempts: current.attempts },
    });
    await emitWebhookEvent(tx, { organizationId: job.organizationId, event: 'job.failed', data: { jobId: job.jobId, jobType: current.type, errorCode: failure.code } });
    return true;
  });
}

/** Ends a job whose cancel was requested (the request itself was audited by cancelJob). */
export async function finishCanceled(db: Db, jobId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const job = await tx.job.findUnique({ where: { id: jobId }, select: { organizationId: true, stage: true, progress: true } });
    if (!job) return;
    const { count } = await tx.job.updateMany({
      where: { id: jobId, status: { in: ['queued', 'running'] } },
      data: { status: 'canceled', finishedAt: new Date() },
    });
    if (count === 0) return;
    await releaseQuotaOf(tx, job.organizationId, jobId);
    await writeJobEvent(tx, { jobId, organizationId: job.organizationId, status: 'canceled', stage: job.stage, progress: job.progress, message: 'canceled' });
  });
}

/** Gives the job back to the queue for another attempt (this attempt only). */
export async function handBack(db: Db, a: AttemptRef, message: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: a.jobId, status: 'running', attempts: a.attempt },
      data: { status: 'queued', stage: 'received', progress: 0 },
    });
    if (count === 1) await writeJobEvent(tx, { jobId: a.jobId, organizationId: a.organizationId, status: 'queued', stage: 'received', progress: 0, message });
  });
}

export async function cancelRequested(db: Db, jobId: string): Promise<boolean> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { cancelRequestedAt: true } });
  return job?.cancelRequestedAt != null;
}

export interface FencedJob<A extends AttemptRef> {
  /** The job type, in log lines: "analysis attempt failed; retrying". */
  noun: string;
  db: Db;
  retryLimit: number;
  log: () => Logger;
  /** Undefined: this process's shared listener; null: none (cancels apply at stage boundaries). */
  cancelListener: PgListener | null | undefined;
  /** Claims the job for this attempt; null when it already ended (a duplicate delivery). */
  claim: (db: Db, jobId: string) => Promise<A | 'canceled' | null>;
  /** What a member reads when the failure was ours (code "internal"), in the job type's words. */
  internalMessage?: string;
  /** The work. Resolves true when its own transaction completed the job. */
  run: (attempt: { a: A; db: Db; signal: AbortSignal; stage: (name: string, progress: number) => Promise<void> }) => Promise<boolean>;
}

/** Runs one delivery of a queue job through claim, work and exactly one ending. */
export async function runFencedJob<A extends AttemptRef>(bossJob: BossJob<unknown>, job: FencedJob<A>): Promise<void> {
  const jobId = (bossJob.data as Partial<JobPayload> | null)?.jobId;
  if (typeof jobId !== 'string' || !/^[0-9a-f-]{36}$/i.test(jobId)) return;
  const { db, log } = job;
  const claimed = await job.claim(db, jobId);
  if (claimed === null) return; // already finished: a duplicate delivery
  if (claimed === 'canceled') return finishCanceled(db, jobId);
  const a = claimed;

  const canceler = new AbortController();
  const signal = AbortSignal.any([canceler.signal, bossJob.signal]);
  const unsubscribe = await listenForCancel(db, jobId, canceler, job.cancelListener, log);
  const stage = async (name: string, progress: number) => {
    signal.throwIfAborted();
    if (!(await setStage(db, a, name, progress))) throw new JobCanceled();
  };

  try {
    if (await job.run({ a, db, signal, stage })) return;
    // Not ours to complete: canceled meanwhile, or a later attempt owns the job.
    if (await cancelRequested(db, jobId)) await finishCanceled(db, jobId);
  } catch (error) {
    if (error instanceof JobCanceled || canceler.signal.aborted || (await cancelRequested(db, jobId))) {
      // A stale attempt (the job moved on without it) also lands here: finishCanceled only acts on live jobs with a request.
      if (await cancelRequested(db, jobId)) await finishCanceled(db, jobId);
      return;
    }
    if (bossJob.signal.aborted) {
      // Shutdown past its grace period, or the lease was lost: let the queue deliver it again.
      await handBack(db, a, 'retrying').catch(() => undefined);
      throw error;
    }
    const classified = classifyFailure(error);
    const failure = classified.code === 'internal' && job.internalMessage ? { ...classified, userMessage: job.internalMessage } : classified;
    if (failure.retryable && bossJob.retryCount < job.retryLimit) {
      log().warn({ jobId, attempt: a.attempt, code: failure.code, err: describeError(error) }, `${job.noun} attempt failed; retrying`);
      await handBack(db, a, 'retrying');
      throw error;
    }
    log().warn({ jobId, attempt: a.attempt, code: failure.code, err: describeError(error) }, `${job.noun} failed`);
    await failJob(db, { jobId, organizationId: a.organizationId, createdById: a.createdById, attempt: a.attempt }, failure);
  } finally {
    unsubscribe?.();
  }
}
