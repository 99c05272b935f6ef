// The worker side of an analysis job: extract, analyse, store — reporting each
// stage as it goes. Every write is fenced to this attempt (`attempts = n AND
// status = 'running'`): a worker whose lease lapsed, a duplicate delivery or a
// cancel turns the stale attempt's writes into no-ops, so a job completes exactly
// once and its quota unit is committed or released exactly once.
import type { Job as BossJob } from 'pg-boss';
import { ANALYSIS_STAGE_PROGRESS, type AnalysisContext, type AnalysisInput, type AnalysisStage } from '@/lib/analysis/provider';
import type { AnalysisResult, Specialty } from '@/lib/analysis/schema';
import { getConfig } from '@/lib/config';
import { db as defaultDb, type Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { ExtractionResult } from '@/lib/extraction';
import { logger, type Logger } from '@/lib/logger';
import { runFencedJob, settleCompleted } from './attempt';
import { writeJobEvent } from './events';
import type { PgListener } from './listener';
import { ANALYSIS_QUEUE, ANALYSIS_QUEUE_OPTIONS, type QueueOptions } from './queues';
import type { AnalysisOptions } from './submit';
import type { JobHandlerDefinition } from './worker';

export const STAGE_PROGRESS = { received: 0, extracting: 10, ocr: 15, ...ANALYSIS_STAGE_PROGRESS, complete: 100 } as const;

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

/** The attempt's document as text (the upload extracted, or the pasted text), capped: analyses and triages alike. */
export function extractAttempt(
  extract: Extractor,
  db: Db,
  a: Pick<Attempt, 'organizationId' | 'uploadId' | 'inputText' | 'options'>,
  options: { maxChars: number; signal: AbortSignal; onOcr: () => Promise<void> },
): Promise<ExtractionResult> {
  return extract({ db, organizationId: a.organizationId, uploadId: a.uploadId, inputText: a.inputText, handwritten: a.options.handwritten, ...options });
}

export const defaultAnalyzer: Analyzer = async (input, context) => {
  const { runAnalysis } = await import('@/lib/analysis/run');
  return runAnalysis(input, context);
};

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
    await settleCompleted(tx, a, 'analysis', { method: extraction.method, truncated: extraction.truncated, provider: result.meta.provider }, now);
    return true;
  });
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
    handle: (bossJob: BossJob<unknown>) =>
      runFencedJob(bossJob, {
        noun: 'analysis',
        db: getDb(),
        retryLimit,
        log,
        cancelListener: deps.cancelListener,
        claim: startAttempt,
        async run({ a, db, signal, stage }) {
          const extraction = await extractAttempt(extract, db, a, { maxChars: getConfig().limits.analysisMaxChars, signal, onOcr: () => stage('ocr', STAGE_PROGRESS.ocr) });
          const specialty: Specialty | null = a.options.specialty === 'auto' ? null : a.options.specialty;
          const result = await analyze(
            { text: extraction.text, specialty, truncated: extraction.truncated },
            { signal, onStage: (s: AnalysisStage) => stage(s, STAGE_PROGRESS[s]) },
          );
          signal.throwIfAborted();
          return complete(db, a, result, extraction);
        },
      }),
  };
}
