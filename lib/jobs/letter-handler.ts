// The worker side of a letter job: load the analysis and the clinic, write the
// letter (OpenAI or the offline writer, lib/letters/run.ts), and store version 1.
// Stages per DOMAIN.md: received 0 → loading_context 15 → drafting 50 →
// formatting 80 → complete 100. The attempt runs in runFencedJob (./attempt.ts):
// every write is fenced by the attempt, so a letter completes exactly once and its
// quota unit is committed or released exactly once.
import type { Job as BossJob } from 'pg-boss';
import { db as defaultDb, type Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { LETTER_STAGE_PROGRESS, type LetterDraftInput, type LetterStage, type LetterWriteContext, type WrittenLetter } from '@/lib/letters/provider';
import type { LetterJobOptions } from '@/lib/letters/submit';
import { letterRequestSchema } from '@/lib/letters/options';
import { logger, type Logger } from '@/lib/logger';
import { emitWebhookEvent } from '@/lib/webhooks/emit';
import { startAttempt, type Attempt } from './analysis-handler';
import { runFencedJob, settleCompleted } from './attempt';
import type { PgListener } from './listener';
import { parseAnalysisResult } from './queries';
import { LETTER_QUEUE, LETTER_QUEUE_OPTIONS, type QueueOptions } from './queues';
import type { JobHandlerDefinition } from './worker';

export const LETTER_PROGRESS = { received: 0, loading_context: 15, ...LETTER_STAGE_PROGRESS, complete: 100 } as const;

export type LetterWriter = (input: LetterDraftInput, context: LetterWriteContext) => Promise<WrittenLetter>;

export const defaultLetterWriter: LetterWriter = async (input, context) => {
  const { writeLetter } = await import('@/lib/letters/run');
  return writeLetter(input, context);
};

export interface LetterHandlerDeps {
  db?: () => Db;
  write?: LetterWriter;
  queueOptions?: QueueOptions;
  cancelListener?: PgListener | null;
  log?: Logger;
}

const CONTEXT_GONE = 'The analysis this letter was written from is no longer available, so the letter could not be drafted. Write it again from a completed analysis.';

function parseOptions(value: Prisma.JsonValue): LetterJobOptions | null {
  const o = (value ?? {}) as Partial<Record<keyof LetterJobOptions, unknown>>;
  const request = letterRequestSchema.safeParse(o.request);
  if (typeof o.analysisJobId !== 'string' || typeof o.letterId !== 'string' || !request.success) return null;
  return { analysisJobId: o.analysisJobId, letterId: o.letterId, request: request.data };
}

/** The writer's input, read inside the clinic: the analysis, the clinic's name, the letter's date. */
async function loadContext(db: Db, a: Attempt): Promise<{ options: LetterJobOptions; input: LetterDraftInput }> {
  const job = await db.job.findUnique({ where: { id: a.jobId }, select: { options: true } });
  const options = job ? parseOptions(job.options) : null;
  if (!options) throw new AnalysisFailure('letter_input_invalid', 'This letter request could not be read. Write the letter again.', false, { cause: new Error('letter job options invalid') });
  const [analysis, clinic, letter] = await Promise.all([
    db.job.findFirst({ where: { id: options.analysisJobId, organizationId: a.organizationId, type: 'analysis', status: 'succeeded' }, select: { result: true } }),
    db.organization.findUnique({ where: { id: a.organizationId }, select: { name: true } }),
    db.letter.findFirst({ where: { id: options.letterId, organizationId: a.organizationId }, select: { letterDate: true, deletedAt: true } }),
  ]);
  const result = analysis ? parseAnalysisResult(analysis.result) : null;
  if (!result || !clinic || !letter) throw new AnalysisFailure('letter_context_missing', CONTEXT_GONE, false, { cause: new Error('letter context missing') });
  return { options, input: { request: options.request, analysis: result, clinic: { name: clinic.name }, date: letter.letterDate.toISOString().slice(0, 10) } };
}

async function complete(db: Db, a: Attempt, letterId: string, written: WrittenLetter): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.job.updateMany({
      where: { id: a.jobId, status: 'running', attempts: a.attempt, cancelRequestedAt: null },
      data: {
        status: 'succeeded',
        stage: 'complete',
        progress: LETTER_PROGRESS.complete,
        result: { letterId, meta: written.meta } as unknown as Prisma.InputJsonValue,
        notices: written.notices,
        finishedAt: now,
        errorCode: null,
        errorMessage: null,
      },
    });
    if (count === 0) return false;
    await tx.letterVersion.create({
      data: { letterId, organizationId: a.organizationId, version: 1, content: written.content as unknown as Prisma.InputJsonValue, source: 'generated' },
    });
    await tx.letter.update({
      where: { id: letterId },
      data: {
        subject: written.subject,
        meta: written.meta as unknown as Prisma.InputJsonValue,
        notices: written.notices,
        status: 'draft',
        currentVersion: 1,
      },
    });
    await settleCompleted(tx, a, 'letter', { letterId, provider: written.meta.provider, model: written.meta.model, language: written.meta.language }, now);
    await emitWebhookEvent(tx, { organizationId: a.organizationId, event: 'letter.completed', data: { letterId, jobId: a.jobId } });
    return true;
  });
}

export function createLetterHandler(deps: LetterHandlerDeps = {}): JobHandlerDefinition {
  const getDb = deps.db ?? defaultDb;
  const write = deps.write ?? defaultLetterWriter;
  const queueOptions = deps.queueOptions ?? LETTER_QUEUE_OPTIONS;
  const retryLimit = queueOptions.retryLimit ?? 0;
  const log = () => deps.log ?? logger().child({ queue: LETTER_QUEUE });

  return {
    queue: LETTER_QUEUE,
    queueOptions,
    handle: (bossJob: BossJob<unknown>) =>
      runFencedJob(bossJob, {
        noun: 'letter',
        db: getDb(),
        retryLimit,
        log,
        cancelListener: deps.cancelListener,
        claim: startAttempt,
        internalMessage: 'The letter could not be drafted because of a problem on our side. Write it again; if it keeps failing, contact support.',
        async run({ a, db, signal, stage }) {
          await stage('loading_context', LETTER_PROGRESS.loading_context);
          const { options, input } = await loadContext(db, a);
          const written = await write(input, { signal, onStage: (s: LetterStage) => stage(s, LETTER_PROGRESS[s]) });
          signal.throwIfAborted();
          return complete(db, a, options.letterId, written);
        },
      }),
  };
}
