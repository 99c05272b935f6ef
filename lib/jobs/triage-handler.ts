// The worker side of a triage job: extract, triage, store. The attempt runs in
// runFencedJob (./attempt.ts): every write is conditional on this attempt still
// owning the running job, so a triage completes exactly once and its quota unit is
// committed or released exactly once.
import type { Job as BossJob } from 'pg-boss';
import { getConfig } from '@/lib/config';
import { db as defaultDb, type Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { ExtractionResult } from '@/lib/extraction';
import { logger, type Logger } from '@/lib/logger';
import { TRIAGE_STAGE_PROGRESS, type TriageContext, type TriageStage } from '@/lib/triage/provider';
import type { TriageResult } from '@/lib/triage/schema';
import { defaultExtractor, extractAttempt, type Attempt, type Extractor, startAttempt } from './analysis-handler';
import { runFencedJob, settleCompleted } from './attempt';
import type { PgListener } from './listener';
import { TRIAGE_QUEUE, TRIAGE_QUEUE_OPTIONS, type QueueOptions } from './queues';
import type { JobHandlerDefinition } from './worker';

export const TRIAGE_PROGRESS = { received: 0, extracting: 10, ocr: 15, ...TRIAGE_STAGE_PROGRESS, complete: 100 } as const;

export type Triager = (input: { text: string; truncated: boolean }, context: TriageContext) => Promise<TriageResult>;

export const defaultTriager: Triager = async (input, context) => {
  const { runTriage } = await import('@/lib/triage/run');
  return runTriage(input, context);
};

export interface TriageHandlerDeps {
  db?: () => Db;
  extract?: Extractor;
  triage?: Triager;
  queueOptions?: QueueOptions;
  cancelListener?: PgListener | null;
  log?: Logger;
}

async function complete(db: Db, a: Attempt, result: TriageResult, extraction: ExtractionResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.job.updateMany({
      where: { id: a.jobId, status: 'running', attempts: a.attempt, cancelRequestedAt: null },
      data: {
        status: 'succeeded',
        stage: 'complete',
        progress: TRIAGE_PROGRESS.complete,
        result: result as unknown as Prisma.InputJsonValue,
        urgency: result.urgency,
        patientName: result.regarding.patientName,
        extractedText: extraction.text,
        notices: extraction.notices,
        finishedAt: now,
        errorCode: null,
        errorMessage: null,
      },
    });
    if (count === 0) return false;
    await settleCompleted(tx, a, 'triage', { method: extraction.method, truncated: extraction.truncated, provider: result.meta.provider, documentType: result.documentType, urgency: result.urgency }, now);
    return true;
  });
}

export function createTriageHandler(deps: TriageHandlerDeps = {}): JobHandlerDefinition {
  const getDb = deps.db ?? defaultDb;
  const extract = deps.extract ?? defaultExtractor;
  const triage = deps.triage ?? defaultTriager;
  const queueOptions = deps.queueOptions ?? TRIAGE_QUEUE_OPTIONS;
  const retryLimit = queueOptions.retryLimit ?? 0;
  const log = () => deps.log ?? logger().child({ queue: TRIAGE_QUEUE });

  return {
    queue: TRIAGE_QUEUE,
    queueOptions,
    handle: (bossJob: BossJob<unknown>) =>
      runFencedJob(bossJob, {
        noun: 'triage',
        db: getDb(),
        retryLimit,
        log,
        cancelListener: deps.cancelListener,
        claim: startAttempt,
        // The analysis wording of the generic message would confuse a triage.
        internalMessage: 'The triage could not be completed because of a problem on our side. Retry it; if it keeps failing, contact support.',
        async run({ a, db, signal, stage }) {
          const extraction = await extractAttempt(extract, db, a, { maxChars: getConfig().limits.triageMaxChars, signal, onOcr: () => stage('ocr', TRIAGE_PROGRESS.ocr) });
          const result = await triage(
            { text: extraction.text, truncated: extraction.truncated },
            { signal, onStage: (s: TriageStage) => stage(s, TRIAGE_PROGRESS[s]) },
          );
          signal.throwIfAborted();
          return complete(db, a, result, extraction);
        },
      }),
  };
}
