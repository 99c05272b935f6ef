// The worker side of a transcription job: normalise the recording with ffmpeg,
// cut it at silences into chunks (rows created once), transcribe the chunks one
// by one and stitch them into the transcript's first version. Each finished chunk
// is saved in its own transaction, so a retried job never sends (or pays for) a
// finished chunk again; a failed chunk is retried alone a few times inside the
// attempt before the job is handed back to the queue. The attempt runs in
// runFencedJob (./attempt.ts) with this handler's own claim: job writes are fenced
// to it exactly as for every other job type.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Job as BossJob } from 'pg-boss';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { getConfig } from '@/lib/config';
import { db as defaultDb, type Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AppError, describeError } from '@/lib/errors';
import { logger, type Logger } from '@/lib/logger';
import { cutAudio, normaliseAudio, NORMALISED, probeDurationMs, ToolFailed } from '@/lib/transcription/ffmpeg';
import { createTranscriptionProvider, type ChunkSegment, type TranscriptionProvider } from '@/lib/transcription/openai';
import { planChunks } from '@/lib/transcription/split';
import { downloadObject, withWorkspace } from '@/lib/transcription/workspace';
import { runFencedJob, settleCompleted } from './attempt';
import { writeJobEvent } from './events';
import type { PgListener } from './listener';
import { TRANSCRIPTION_QUEUE, TRANSCRIPTION_QUEUE_OPTIONS, type QueueOptions } from './queues';
import { parseSegments, type TranscriptionOptions, type TranscriptionResult } from './transcription';
import { transcriptText, type TranscriptSegment } from './transcription-input';
import type { JobHandlerDefinition } from './worker';

export const TRANSCRIPTION_STAGE_PROGRESS = { received: 0, preparing: 10, splitting: 20, transcribing: 25, stitching: 95, complete: 100 } as const;

const AUDIO_UNREADABLE_MESSAGE =
  'We could not decode this recording; it may be damaged. Export it again as MP3, M4A or WAV and start a new transcription.';
const INTERNAL_MESSAGE = 'The transcription could not be completed because of a problem on our side. Retry it; if it keeps failing, contact support.';
const PURGED_MESSAGE = "This recording's audio was deleted (by the clinic's retention policy or by a member), so it can no longer be transcribed.";

export interface TranscriptionHandlerDeps {
  db?: () => Db;
  /** Built per job from the config unless given (tests pass one aimed at the fake server). */
  provider?: () => TranscriptionProvider;
  queueOptions?: QueueOptions;
  cancelListener?: PgListener | null;
  log?: Logger;
  /** Waits between tries of one chunk inside an attempt (default 2 s, 8 s). */
  chunkRetryDelaysMs?: readonly number[];
}

interface Attempt {
  jobId: string;
  organizationId: string;
  createdById: string | null;
  attempt: number;
  uploadId: string | null;
  options: TranscriptionOptions;
  startedAt: Date;
}

function parseOptions(value: Prisma.JsonValue): TranscriptionOptions {
  const o = (value ?? {}) as { mode?: unknown; language?: unknown };
  const language = typeof o.language === 'string' && ['en', 'pt', 'es', 'fr'].includes(o.language) ? (o.language as TranscriptionOptions['language']) : 'auto';
  return { mode: o.mode === 'conversation' ? 'conversation' : 'dictation', language };
}

/** Claims the job for this attempt (queued, or running after a lost lease) unless a cancel was asked for. */
async function claim(db: Db, jobId: string): Promise<Attempt | 'canceled' | null> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ status: string; cancel_requested_at: Date | null }[]>`
      SELECT status, cancel_requested_at FROM jobs WHERE id = ${jobId}::uuid AND type = 'transcription' FOR UPDATE`;
    const row = rows[0];
    if (!row || row.status === 'succeeded' || row.status === 'failed' || row.status === 'canceled') return null;
    if (row.cancel_requested_at) return 'canceled';
    const progress = TRANSCRIPTION_STAGE_PROGRESS.preparing;
    const job = await tx.job.update({
      where: { id: jobId },
      data: { status: 'running', stage: 'preparing', progress, attempts: { increment: 1 }, startedAt: new Date(), errorCode: null, errorMessage: null },
      select: { organizationId: true, createdById: true, attempts: true, uploadId: true, options: true, startedAt: true },
    });
    await writeJobEvent(tx, { jobId, organizationId: job.organizationId, status: 'running', stage: 'preparing', progress });
    return {
      jobId,
      organizationId: job.organizationId,
      createdById: job.createdById,
      attempt: job.attempts,
      uploadId: job.uploadId,
      options: parseOptions(job.options),
      startedAt: job.startedAt ?? new Date(),
    };
  });
}

const owned = (a: Attempt) => ({ id: a.jobId, status: 'running' as const, attempts: a.attempt, cancelRequestedAt: null });

/**
 * Provider labels ("A", "B"… per request) become "Speaker 1"… in order of first
 * appearance across the recording; null everywhere for a single-speaker transcript.
 */
export function labelSpeakers(segments: readonly ChunkSegment[]): { segments: TranscriptSegment[]; diarized: boolean } {
  const names = new Map<string, string>();
  const out = segments.map((s) => {
    if (s.speaker === null) return { ...s, speaker: null };
    let name = names.get(s.speaker);
    if (!name) {
      // Models label up to MAX_SPEAKERS voices; a further one still gets its own number rather than a wrong one.
      name = `Speaker ${names.size + 1}`;
      names.set(s.speaker, name);
    }
    return { ...s, speaker: name };
  });
  return { segments: out, diarized: names.size > 0 };
}

/** Chunk segments shifted to the recording's clock and kept inside the chunk, so stitched times only move forward. */
export function offsetSegments(segments: readonly ChunkSegment[], chunk: { startMs: number; endMs: number }): ChunkSegment[] {
  const out: ChunkSegment[] = [];
  let floor = chunk.startMs;
  for (const s of segments) {
    const startMs = Math.min(chunk.endMs, Math.max(floor, chunk.startMs + s.startMs));
    const endMs = Math.min(chunk.endMs, Math.max(startMs, chunk.startMs + s.endMs));
    out.push({ startMs, endMs, speaker: s.speaker, text: s.text });
    floor = startMs;
  }
  return out;
}

async function complete(db: Db, a: Attempt, segments: TranscriptSegment[], result: TranscriptionResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.job.updateMany({
      where: owned(a),
      data: { status: 'succeeded', stage: 'complete', progress: 100, result: result as unknown as Prisma.InputJsonValue, finishedAt: now, errorCode: null, errorMessage: null },
    });
    if (count === 0) return false;
    await tx.transcriptVersion.create({
      data: { jobId: a.jobId, organizationId: a.organizationId, version: 1, segments: segments as unknown as Prisma.InputJsonValue, text: transcriptText(segments), authorId: null },
    });
    await settleCompleted(tx, a, 'transcription', { chunks: result.chunkCount, speakers: result.speakers, audioMs: result.durationMs }, now);
    return true;
  });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export function createTranscriptionHandler(deps: TranscriptionHandlerDeps = {}): JobHandlerDefinition {
  const getDb = deps.db ?? defaultDb;
  const queueOptions = deps.queueOptions ?? TRANSCRIPTION_QUEUE_OPTIONS;
  const retryLimit = queueOptions.retryLimit ?? 0;
  const retryDelays = deps.chunkRetryDelaysMs ?? [2_000, 8_000];
  const log = () => deps.log ?? logger().child({ queue: TRANSCRIPTION_QUEUE });
  const provider = () => (deps.provider ? deps.provider() : createTranscriptionProvider(getConfig().transcription));

  async function run(db: Db, a: Attempt, signal: AbortSignal, stage: (name: string, progress: number) => Promise<void>): Promise<boolean> {
    if (!a.uploadId) throw new AppError('conflict', { message: 'transcription without upload', userMessage: PURGED_MESSAGE });
    const upload = await db.upload.findFirst({
      where: { id: a.uploadId, organizationId: a.organizationId },
      select: { storageKey: true, deletedAt: true, durationMs: true },
    });
    if (!upload || upload.deletedAt) throw new AppError('conflict', { message: 'upload purged', userMessage: PURGED_MESSAGE });
    const transcriber = provider();

    return withWorkspace(async (dir) => {
      const existing = await db.transcriptionChunk.findMany({ where: { jobId: a.jobId }, orderBy: { index: 'asc' } });
      const pending = existing.filter((c) => c.status !== 'done');
      let normalised: string | null = null;
      let durationMs = upload.durationMs ?? 0;

      // Only needed while some chunk still has to be sent (a retry after the last chunk skips ffmpeg).
      if (existing.length === 0 || pending.length > 0) {
        const original = path.join(dir, 'original');
        await downloadObject(upload.storageKey, original, signal);
        normalised = path.join(dir, `normalised.${NORMALISED.extension}`);
        let silences;
        try {
          silences = await normaliseAudio(original, normalised, { signal });
        } catch (error) {
          if (error instanceof ToolFailed) throw new AnalysisFailure('audio_unreadable', AUDIO_UNREADABLE_MESSAGE, false, { cause: new Error(`ffmpeg exit ${error.exitCode}`) });
          throw error;
        }
        await fs.rm(original, { force: true });
        // The original's duration (read at submission) is the clock the member plays back against;
        // the MP3 is a few frames longer (encoder padding), so it is only the fallback.
        if (durationMs <= 0) durationMs = (await probeDurationMs(normalised, signal)) ?? 0;
        if (durationMs <= 0) throw new AnalysisFailure('audio_unreadable', AUDIO_UNREADABLE_MESSAGE, false);

        if (existing.length === 0) {
          await stage('splitting', TRANSCRIPTION_STAGE_PROGRESS.splitting);
          const { size } = await fs.stat(normalised);
          const plan = planChunks(durationMs, silences, { targetMs: getConfig().transcription.chunkSeconds * 1000, byteSize: size });
          // Once per job: a concurrent or later attempt finds the same rows (unique job + index).
          await db.transcriptionChunk.createMany({
            data: plan.map((c) => ({ jobId: a.jobId, organizationId: a.organizationId, index: c.index, startMs: c.startMs, endMs: c.endMs })),
            skipDuplicates: true,
          });
        }
      }

      const chunks = await db.transcriptionChunk.findMany({ where: { jobId: a.jobId }, orderBy: { index: 'asc' } });
      const span = TRANSCRIPTION_STAGE_PROGRESS.stitching - 5 - TRANSCRIPTION_STAGE_PROGRESS.transcribing;
      let done = chunks.filter((c) => c.status === 'done').length;
      const progress = () => TRANSCRIPTION_STAGE_PROGRESS.transcribing + Math.floor((span * done) / chunks.length);
      await stage('transcribing', progress());

      for (const chunk of chunks) {
        if (chunk.status === 'done') continue;
        if (!normalised) throw new Error('normalised audio missing for a pending chunk');
        const single = chunks.length === 1;
        const file = single ? normalised : path.join(dir, `chunk-${chunk.index}.${NORMALISED.extension}`);
        if (!single) await cutAudio(normalised, file, chunk.startMs, chunk.endMs, { signal });
        let transcript;
        for (let attempt = 0; ; attempt++) {
          signal.throwIfAborted();
          await db.transcriptionChunk.update({ where: { id: chunk.id }, data: { attempts: { increment: 1 } } });
          try {
            transcript = await transcriber.transcribe({
              file,
              fileName: `chunk-${chunk.index}.${NORMALISED.extension}`,
              durationMs: chunk.endMs - chunk.startMs,
              mode: a.options.mode,
              language: a.options.language,
              signal,
            });
            break;
          } catch (error) {
            if (signal.aborted) throw error;
            const retryable = error instanceof AnalysisFailure ? error.retryable : !(error instanceof AppError);
            const wait = retryDelays[attempt];
            if (!retryable || wait === undefined) {
              await db.transcriptionChunk.update({ where: { id: chunk.id }, data: { status: 'failed' } });
              throw error;
            }
            log().warn({ jobId: a.jobId, chunk: chunk.index, try: attempt + 1, err: describeError(error) }, 'transcription chunk failed; retrying it');
            await sleep(wait, signal);
          }
        }
        const segments = offsetSegments(transcript.segments, chunk);
        // Saved at once and only if still pending: this chunk is never sent (or paid for) again.
        await db.transcriptionChunk.updateMany({
          where: { id: chunk.id, status: { not: 'done' } },
          data: { status: 'done', segments: { timing: transcript.timing, segments } as unknown as Prisma.InputJsonValue, completedAt: new Date() },
        });
        if (!single) await fs.rm(file, { force: true });
        done++;
        await stage('transcribing', progress());
      }

      await stage('stitching', TRANSCRIPTION_STAGE_PROGRESS.stitching);
      const finished = await db.transcriptionChunk.findMany({ where: { jobId: a.jobId }, orderBy: { index: 'asc' }, select: { status: true, segments: true, endMs: true } });
      if (finished.some((c) => c.status !== 'done')) throw new Error('a chunk is not transcribed');
      const all: ChunkSegment[] = [];
      let estimated = false;
      for (const c of finished) {
        const stored = (c.segments ?? {}) as { timing?: unknown; segments?: Prisma.JsonValue };
        if (stored.timing === 'estimated') estimated = true;
        all.push(...parseSegments(stored.segments ?? []));
      }
      const labelled = labelSpeakers(all);
      const diarized = labelled.diarized && a.options.mode === 'conversation';
      const segments = diarized ? labelled.segments : labelled.segments.map((s) => ({ ...s, speaker: null }));
      const result: TranscriptionResult = {
        mode: a.options.mode,
        language: a.options.language,
        speakers: diarized ? 'diarized' : 'single',
        durationMs: finished.at(-1)?.endMs ?? durationMs,
        chunkCount: finished.length,
        timing: estimated ? 'estimated' : 'provider',
        model: transcriber.model,
      };
      signal.throwIfAborted();
      return complete(db, a, segments, result);
    });
  }

  return {
    queue: TRANSCRIPTION_QUEUE,
    queueOptions,
    handle: (bossJob: BossJob<unknown>) =>
      runFencedJob(bossJob, {
        noun: 'transcription',
        db: getDb(),
        retryLimit,
        log,
        cancelListener: deps.cancelListener,
        claim,
        internalMessage: INTERNAL_MESSAGE,
        run: ({ a, db, signal, stage }) => run(db, a, signal, stage),
      }),
  };
}
