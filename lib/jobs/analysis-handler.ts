// The worker side of an analysis job: extract, analyse, store — reporting each
// stage as it goes. Every write is fenced to this attempt (`attempts = n AND
// status = 'running'`): a worker whose lease lapsed, a duplicate delivery or a
// cancel turns the stale attempt's writes into no-ops, so a job completes exactly
// once and its quota unit is committed or released exactly once.
import type { Job as BossJob } from 'pg-boss';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { ANALYSIS_STAGE_PROGRESS, type AnalysisContext, type AnalysisInput, type AnalysisStage } from '@/lib/analysis/provider';
import type { AnalysisResult, Specialty } from '@/lib/analysis/schema';
import { recordAudit } from '@/lib/audit/record';
import { getConfig, requireDatabaseUrl } from '@/lib/config';
import { db as defaultDb, type Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AppError, describeError } from '@/lib/errors';
import type { ExtractionResult } from '@/lib/extraction';
import { logger, type Logger } from '@/lib/logger';
import { recordProviderError } from '@/lib/observability/metrics';
import { commitJobQuota } from '@/lib/usage/quota';
import { emitWebhookEvent } from '@/lib/webhooks/emit';
import { JOB_CANCEL_CHANNEL, writeJobEvent } from './events';
import { sharedListener, type PgListener } from './listener';
import { releaseQuotaOf } from './manage';
import { ANALYSIS_QUEUE, ANALYSIS_QUEUE_OPTIONS, type JobPayload, type QueueOptions } from './queues';
import type { AnalysisOptions } from './submit';
import type { JobHandlerDefinition } from './worker';

export const STAGE_PROGRESS = { received: 0, extracting: 10, ocr: 15, ...ANALYSIS_STAGE_PROGRESS, complete: 100 } as const;

export const INTERNAL_FAILURE_MESSAGE =
  'The analysis could not be completed because of a problem on our side. Retry it; if it keeps failing, contact support.';
export const STOPPED_MESSAGE = 'The analysis stopped unexpectedly and could not be resumed. Retry it.';

export interface ExtractRequest {
  db: Db;
  organizationId: string;
  uploadId: string | null;
  inputText: string | null;
  handwritten: boolean;
  maxChars: number;
  signal: AbortSignal;
  onOcr: () => Promise<void>;
}

export type Extractor = (request: ExtractRequest) => Promise<ExtractionResult>;
export type Analyzer = (input: AnalysisInput & { truncated: boolean }, context: AnalysisContext) => Promise<AnalysisResult>;

export interface AnalysisHandlerDeps {
  db?: () => Db;
  extract?: Extractor;
  analyze?: Analyzer;
  queueOptions?: QueueOptions;
  /** Cancel requests arrive here; null: only the checks at each stage boundary. */
  cancelListener?: PgListener | null;
  log?: Logger;
}

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

/** Reads the upload (or takes the pasted text) and caps it; loaded on first use. */
export const defaultExtractor: Extractor = async (request) => {
  const { extractText, preparePastedText } = await import('@/lib/extraction');
  if (!request.uploadId) return preparePastedText(request.inputText ?? '', request.maxChars);
  const { readUploadBytes } = await import('@/lib/uploads/read-upload');
  const { upload, bytes } = await readUploadBytes(request.db, request.organizationId, request.uploadId);
  return extractText({
    bytes,
    kind: upload.kind,
    handwritten: request.handwritten,
    maxChars: request.maxChars,
    signal: request.signal,
    onOcr: request.onOcr,
  });
};

export const defaultAnalyzer: Analyzer = async (input, context) => {
  const { runAnalysis } = await import('@/lib/analysis/run');
  return runAnalysis(input, context);
};

export class JobCanceled extends Error {
  constructor() {
    super('job canceled');
    this.name = 'JobCanceled';
  }
}

export interface Attempt {
  jobId: string;
  organizationId: string;
  createdById: string | null;
  attempt: number;
  uploadId: string | null;
  inputText: string | null;
  options: AnalysisOptions;
  startedAt: Date;
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

function parseOptions(value: Prisma.JsonValue): AnalysisOptions {
  const o = (value ?? {}) as { specialty?: unknown; handwritten?: unknown };
  return {
    specialty: typeof o.specialty === 'string' ? (o.specialty as AnalysisOptions['specialty']) : 'auto',
    handwritten: o.handwritten === true,
  };
}

/** Claims the job for this attempt: queued or running (a re-delivery) and not asked to cancel. */
export async function startAttempt(db: Db, jobId: string): Promise<Attempt | 'canceled' | null> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ status: string; cancel_requested_at: Date | null }[]>`
      SELECT status, cancel_requested_at FROM jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (!row || row.status === 'succeeded' || row.status === 'failed' || row.status === 'canceled') return null;
    if (row.cancel_requested_at) return 'canceled';
    const job = await tx.job.update({
      where: { id: jobId },
      data: {
        status: 'running',
        stage: 'extracting',
        progress: STAGE_PROGRESS.extracting,
        attempts: { increment: 1 },
        startedAt: new Date(),
        errorCode: null,
        errorMessage: null,
      },
      select: { id: true, organizationId: true, createdById: true, attempts: true, uploadId: true, inputText: true, options: true, startedAt: true },
    });
    await writeJobEvent(tx, { jobId, organizationId: job.organizationId, status: 'running', stage: 'extracting', progress: STAGE_PROGRESS.extracting });
    return {
      jobId,
      organizationId: job.organizationId,
      createdById: job.createdById,
      attempt: job.attempts,
      uploadId: job.uploadId,
      inputText: job.inputText,
      options: parseOptions(job.options),
      startedAt: job.startedAt ?? new Date(),
    };
  });
}

/** Moves this attempt to a stage. False when the attempt no longer owns the job or a cancel was requested. */
export async function setStage(db: Db, a: Attempt, stage: string, progress: number): Promise<boolean> {
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

async function complete(db: Db, a: Attempt, result: AnalysisResult, extraction: ExtractionResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.job.updateMany({
      where: { id: a.jobId, status: 'running', attempts: a.attempt, cancelRequestedAt: null },
      data: {
        status: 'succeeded',
        stage: 'complete',
        progress: STAGE_PROGRESS.complete,
        result: result as unknown as Prisma.InputJsonValue,
        patientName: result.patient.name,
        extractedText: extraction.text,
        notices: extraction.notices,
        finishedAt: now,
        errorCode: null,
        errorMessage: null,
      },
    });
    if (count === 0) return false;
    const records = await tx.usageRecord.findMany({ where: { organizationId: a.organizationId, jobId: a.jobId, state: 'reserved' }, select: { id: true } });
    for (const record of records) await commitJobQuota(tx, record.id, now);
    await writeJobEvent(tx, { jobId: a.jobId, organizationId: a.organizationId, status: 'succeeded', stage: 'complete', progress: STAGE_PROGRESS.complete });
    await recordAudit(tx, {
      organizationId: a.organizationId,
      actorUserId: a.createdById,
      event: 'job.completed',
      targetType: 'job',
      targetId: a.jobId,
      metadata: {
        type: 'analysis',
        attempts: a.attempt,
        method: extraction.method,
        truncated: extraction.truncated,
        provider: result.meta.provider,
        durationMs: now.getTime() - a.startedAt.getTime(),
      },
    });
    await emitWebhookEvent(tx, { organizationId: a.organizationId, event: 'job.completed', data: { jobId: a.jobId, jobType: 'analysis' } });
    return true;
  });
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
export async function handBack(db: Db, a: Attempt, message: string): Promise<void> {
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

export function createAnalysisHandler(deps: AnalysisHandlerDeps = {}): JobHandlerDefinition {
  const getDb = deps.db ?? defaultDb;
  const extract = deps.extract ?? defaultExtractor;
  const analyze = deps.analyze ?? defaultAnalyzer;
  const queueOptions = deps.queueOptions ?? ANALYSIS_QUEUE_OPTIONS;
  const retryLimit = queueOptions.retryLimit ?? 0;
  // Resolved per job: handlers are built at import time, before the process's config is loaded.
  const log = () => deps.log ?? logger().child({ queue: ANALYSIS_QUEUE });

  return {
    queue: ANALYSIS_QUEUE,
    queueOptions,
    async handle(bossJob: BossJob<unknown>) {
      const jobId = (bossJob.data as Partial<JobPayload> | null)?.jobId;
      if (typeof jobId !== 'string' || !/^[0-9a-f-]{36}$/i.test(jobId)) return;
      const db = getDb();
      const claimed = await startAttempt(db, jobId);
      if (claimed === null) return; // already finished: a duplicate delivery
      if (claimed === 'canceled') return finishCanceled(db, jobId);
      const a = claimed;

      const canceler = new AbortController();
      const signal = AbortSignal.any([canceler.signal, bossJob.signal]);
      const unsubscribe = await listenForCancel(db, jobId, canceler, deps.cancelListener, log);

      const stage = async (name: string, progress: number) => {
        signal.throwIfAborted();
        if (!(await setStage(db, a, name, progress))) throw new JobCanceled();
      };

      try {
        const extraction = await extract({
          db,
          organizationId: a.organizationId,
          uploadId: a.uploadId,
          inputText: a.inputText,
          handwritten: a.options.handwritten,
          maxChars: getConfig().limits.analysisMaxChars,
          signal,
          onOcr: () => stage('ocr', STAGE_PROGRESS.ocr),
        });
        const specialty: Specialty | null = a.options.specialty === 'auto' ? null : a.options.specialty;
        const result = await analyze(
          { text: extraction.text, specialty, truncated: extraction.truncated },
          { signal, onStage: (s: AnalysisStage) => stage(s, STAGE_PROGRESS[s]) },
        );
        signal.throwIfAborted();
        if (await complete(db, a, result, extraction)) return;
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
        const failure = classifyFailure(error);
        if (failure.retryable && bossJob.retryCount < retryLimit) {
          log().warn({ jobId, attempt: a.attempt, code: failure.code, err: describeError(error) }, 'analysis attempt failed; retrying');
          await handBack(db, a, 'retrying');
          throw error;
        }
        log().warn({ jobId, attempt: a.attempt, code: failure.code, err: describeError(error) }, 'analysis failed');
        await failJob(db, { jobId, organizationId: a.organizationId, createdById: a.createdById, attempt: a.attempt }, failure);
      } finally {
        unsubscribe?.();
      }
    },
  };
}
