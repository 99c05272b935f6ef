// Transcription jobs from the member's side: submission (role, plan, provider,
// the audio's duration read before acceptance), the transcript with its
// versions, edits and restores, and "analyze this transcript". The worker side
// is lib/jobs/transcription-handler.ts.
import path from 'node:path';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import { assertRole, type Actor, type Role } from '@/lib/auth/authorize';
import { fieldErrorsOf } from '@/lib/auth/update-profile';
import { requireFeature } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import type { FileKind, JobStatus, Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { assertJobSubmissionAllowed } from '@/lib/ratelimit/jobs';
import { transcriptionAvailability } from '@/lib/transcription/availability';
import { probeDurationMs } from '@/lib/transcription/ffmpeg';
import { downloadObject, withWorkspace } from '@/lib/transcription/workspace';
import { SPECIALTY_CHOICES, type SpecialtyChoice } from './analysis-input';
import { assertJobId, jobNotFound } from './access';
import { insertQueuedJob } from './create';
import { enqueueInTransaction, type Enqueue } from './queue';
import { TRANSCRIPTION_QUEUE } from './queues';
import { createAnalysisJob, PRIORITY_QUEUE_PRIORITY } from './submit';
import {
  saveTranscriptSchema,
  submitTranscriptionSchema,
  transcriptText,
  type TranscriptionLanguage,
  type TranscriptionMode,
  type TranscriptSegment,
} from './transcription-input';

export { transcriptionAvailability };

/** Start, edit and analyse transcripts: clinical work. Staff read them. */
export const TRANSCRIPTION_ROLES: readonly Role[] = ['owner', 'admin', 'clinician'];

export const AUDIO_UPLOAD_KINDS: readonly FileKind[] = ['webm', 'ogg', 'mp3', 'm4a', 'wav'];

/** The longest recording accepted: a long consultation with margin. */
export const MAX_RECORDING_MS = 3 * 60 * 60 * 1000;
/** Shorter than this is a slip of the finger, not a recording. */
export const MIN_RECORDING_MS = 500;

export interface TranscriptionOptions {
  mode: TranscriptionMode;
  language: TranscriptionLanguage;
}

/** Stored on the job when it succeeds (no transcript text: that lives in TranscriptVersion). */
export interface TranscriptionResult {
  mode: TranscriptionMode;
  language: TranscriptionLanguage;
  speakers: 'diarized' | 'single';
  durationMs: number;
  chunkCount: number;
  /** 'provider': per-segment timestamps from the model; 'estimated': the model returned text only and times are spread over each chunk. */
  timing: 'provider' | 'estimated';
  model: string;
}

export interface TranscriptView {
  jobId: string;
  status: JobStatus;
  mode: TranscriptionMode;
  language: TranscriptionLanguage;
  durationMs: number | null;
  speakers: 'diarized' | 'single';
  timing: 'provider' | 'estimated' | null;
  versions: { version: number; authorId: string | null; authorName: string | null; createdAt: string }[];
  current: { version: number; segments: TranscriptSegment[]; text: string } | null;
  analysisJobs: { id: string; status: string; createdAt: string }[];
  upload: { id: string; contentType: string } | null;
}

export interface TranscriptionDeps {
  enqueue?: Enqueue;
  /** Replaced in tests; reads the stored recording's duration (null: unreadable). */
  probe?: (storageKey: string) => Promise<number | null>;
  /** Runs inside the job's transaction once it exists (a retry records itself there). */
  afterCreate?: (tx: Tx, jobId: string) => Promise<void>;
}

function assertMayTranscribe(actor: Actor, what: 'start' | 'edit' | 'analyse'): void {
  try {
    assertRole(actor, TRANSCRIPTION_ROLES);
  } catch {
    const verb = { start: 'start transcriptions', edit: 'edit transcripts', analyse: 'analyse transcripts' }[what];
    throw new AppError('forbidden', {
      message: `role ${actor.role} may not ${verb}`,
      userMessage: `Only clinicians, admins and owners can ${verb}. Ask one of them to do it for you.`,
    });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'P2002';
}

async function findByKey(db: Db | Tx, organizationId: string, idempotencyKey: string): Promise<string | null> {
  const job = await db.job.findUnique({ where: { organizationId_idempotencyKey: { organizationId, idempotencyKey } }, select: { id: true } });
  return job?.id ?? null;
}

async function probeStored(storageKey: string): Promise<number | null> {
  return withWorkspace(async (dir) => {
    const file = path.join(dir, 'recording');
    await downloadObject(storageKey, file);
    return probeDurationMs(file);
  });
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

const uploadError = (message: string, userMessage: string) => new AppError('validation_failed', { message, fieldErrors: { uploadId: [userMessage] } });

/** The clinic's audio upload with its duration (read with ffprobe and stored on first use). */
async function checkAudioUpload(db: Db, organizationId: string, uploadId: string, probe: (key: string) => Promise<number | null>): Promise<number> {
  const upload = await db.upload.findFirst({
    where: { id: uploadId, organizationId },
    select: { id: true, kind: true, deletedAt: true, durationMs: true, storageKey: true },
  });
  if (!upload) throw new AppError('not_found', { message: 'no such upload in the clinic', userMessage: 'We could not find that recording. Upload it again.' });
  if (upload.deletedAt) {
    throw new AppError('not_found', { message: 'upload bytes deleted', userMessage: 'That recording was deleted from Maneiro. Upload it again to transcribe it.' });
  }
  if (!AUDIO_UPLOAD_KINDS.includes(upload.kind)) {
    throw uploadError(`upload kind ${upload.kind} is not audio`, 'Only audio recordings (WebM, Ogg, MP3, M4A or WAV) can be transcribed. To analyse a document, start an analysis instead.');
  }
  let durationMs = upload.durationMs;
  if (durationMs === null) {
    durationMs = await probe(upload.storageKey);
    if (durationMs === null) {
      throw uploadError('ffprobe could not read the upload', 'We could not read any audio in this file; it may be damaged or not really a recording. Export it again as MP3, M4A or WAV and upload that.');
    }
    await db.upload.update({ where: { id: upload.id }, data: { durationMs } });
  }
  if (durationMs < MIN_RECORDING_MS) throw uploadError('recording too short', 'This recording is shorter than half a second: there is nothing to transcribe. Record again.');
  if (durationMs > MAX_RECORDING_MS) {
    throw uploadError(
      'recording too long',
      `This recording lasts ${formatDuration(durationMs)}; the limit is ${formatDuration(MAX_RECORDING_MS)}. Split it into shorter recordings and transcribe each one.`,
    );
  }
  return durationMs;
}

export async function submitTranscriptionJob(
  db: Db,
  actor: Actor,
  input: unknown,
  context: RequestContext | null,
  deps: TranscriptionDeps = {},
): Promise<{ jobId: string; duplicate: boolean }> {
  assertMayTranscribe(actor, 'start');
  const parsed = submitTranscriptionSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const data = parsed.data;
  const { organizationId } = actor;
  // The plan gate lives here, not only on the page: a Free clinic is refused whatever calls this.
  const clinicPlan = await requireFeature(db, actor, 'transcription');
  const availability = transcriptionAvailability();
  if (!availability.available) {
    throw new AppError('unavailable', { message: 'no transcription provider configured', userMessage: availability.reason ?? undefined });
  }

  const existing = await findByKey(db, organizationId, data.idempotencyKey);
  if (existing) return { jobId: existing, duplicate: true };
  await assertJobSubmissionAllowed(db, actor, clinicPlan.plan.id);

  const durationMs = await checkAudioUpload(db, organizationId, data.uploadId, deps.probe ?? probeStored);
  const options: TranscriptionOptions = { mode: data.mode, language: data.language };
  const priority = clinicPlan.plan.features.has('priorityQueue') ? PRIORITY_QUEUE_PRIORITY : 0;
  const enqueue = deps.enqueue ?? enqueueInTransaction;
  try {
    const jobId = await db.$transaction(
      async (tx) => {
        const jobId = await insertQueuedJob(
          tx,
          actor,
          {
            type: 'transcription',
            queue: TRANSCRIPTION_QUEUE,
            priority,
            title: data.title ?? null,
            uploadId: data.uploadId,
            inputText: null,
            options,
            idempotencyKey: data.idempotencyKey,
            auditMetadata: { mode: data.mode, language: data.language, durationMs },
          },
          context,
          enqueue,
        );
        await deps.afterCreate?.(tx, jobId);
        return jobId;
      },
      { timeout: 15_000 },
    );
    return { jobId, duplicate: false };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await findByKey(db, organizationId, data.idempotencyKey);
      if (winner) return { jobId: winner, duplicate: true };
    }
    throw error;
  }
}

function parseOptions(value: Prisma.JsonValue): TranscriptionOptions {
  const o = (value ?? {}) as { mode?: unknown; language?: unknown };
  return {
    mode: o.mode === 'conversation' ? 'conversation' : 'dictation',
    language: typeof o.language === 'string' && ['auto', 'en', 'pt', 'es', 'fr'].includes(o.language) ? (o.language as TranscriptionLanguage) : 'auto',
  };
}

function parseResult(value: Prisma.JsonValue | null): Partial<TranscriptionResult> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<TranscriptionResult>) : {};
}

/** Segments as stored; anything malformed is dropped rather than shown wrongly. */
export function parseSegments(value: Prisma.JsonValue): TranscriptSegment[] {
  if (!Array.isArray(value)) return [];
  const out: TranscriptSegment[] = [];
  for (const item of value) {
    const s = item as Partial<TranscriptSegment> | null;
    if (!s || typeof s.startMs !== 'number' || typeof s.endMs !== 'number' || typeof s.text !== 'string') continue;
    out.push({ startMs: s.startMs, endMs: s.endMs, speaker: typeof s.speaker === 'string' ? s.speaker : null, text: s.text });
  }
  return out;
}

async function findTranscriptionJob(db: Db | Tx, actor: Actor, jobId: string) {
  assertJobId(jobId);
  const job = await db.job.findFirst({
    where: { id: jobId, organizationId: actor.organizationId, type: 'transcription' },
    select: { id: true, status: true, title: true, options: true, result: true, upload: { select: { id: true, contentType: true, durationMs: true, deletedAt: true } } },
  });
  if (!job) throw jobNotFound();
  return job;
}

/** The transcript page's data: readable by every member of the clinic. */
export async function getTranscript(db: Db, actor: Actor, jobId: string): Promise<TranscriptView> {
  const job = await findTranscriptionJob(db, actor, jobId);
  const options = parseOptions(job.options);
  const result = parseResult(job.result);
  const [versions, latest, analyses] = await Promise.all([
    db.transcriptVersion.findMany({
      where: { jobId, organizationId: actor.organizationId },
      orderBy: { version: 'desc' },
      select: { version: true, authorId: true, createdAt: true, author: { select: { name: true } } },
    }),
    db.transcriptVersion.findFirst({ where: { jobId, organizationId: actor.organizationId }, orderBy: { version: 'desc' }, select: { version: true, segments: true, text: true } }),
    db.job.findMany({
      where: { sourceJobId: jobId, organizationId: actor.organizationId, type: 'analysis' },
      orderBy: { createdAt: 'desc' },
      select: { id: true, status: true, createdAt: true },
    }),
  ]);
  return {
    jobId: job.id,
    status: job.status,
    mode: options.mode,
    language: options.language,
    durationMs: job.upload?.durationMs ?? (typeof result.durationMs === 'number' ? result.durationMs : null),
    speakers: result.speakers === 'diarized' ? 'diarized' : 'single',
    timing: result.timing === 'provider' || result.timing === 'estimated' ? result.timing : null,
    versions: versions.map((v) => ({ version: v.version, authorId: v.authorId, authorName: v.author?.name ?? null, createdAt: v.createdAt.toISOString() })),
    current: latest ? { version: latest.version, segments: parseSegments(latest.segments), text: latest.text } : null,
    analysisJobs: analyses.map((a) => ({ id: a.id, status: a.status, createdAt: a.createdAt.toISOString() })),
    upload: job.upload && !job.upload.deletedAt ? { id: job.upload.id, contentType: job.upload.contentType } : null,
  };
}

/** Cleans an edited transcript: trimmed text, empty passages dropped, times ordered and non-negative. */
function normaliseSegments(segments: readonly TranscriptSegment[]): TranscriptSegment[] {
  return segments
    .map((s) => ({ startMs: s.startMs, endMs: Math.max(s.startMs, s.endMs), speaker: s.speaker, text: s.text.trim() }))
    .filter((s) => s.text !== '');
}

/**
 * Appends a version in `tx` after checking that `baseVersion` is still the latest
 * (the row lock serialises two editors; the loser gets a conflict, not a lost edit).
 */
async function appendVersion(
  tx: Tx,
  actor: Actor,
  jobId: string,
  baseVersion: number,
  segments: TranscriptSegment[],
  context: RequestContext | null,
  restoredFrom: number | null,
): Promise<number> {
  await tx.$queryRaw`SELECT id FROM jobs WHERE id = ${jobId}::uuid AND organization_id = ${actor.organizationId}::uuid FOR UPDATE`;
  const latest = await tx.transcriptVersion.findFirst({ where: { jobId, organizationId: actor.organizationId }, orderBy: { version: 'desc' }, select: { version: true } });
  if (!latest) {
    throw new AppError('conflict', { message: 'no transcript yet', userMessage: 'This transcript is not ready yet; wait for the transcription to finish.' });
  }
  if (latest.version !== baseVersion) {
    throw new AppError('conflict', {
      message: `base version ${baseVersion} is not the latest (${latest.version})`,
      userMessage: `Someone saved a newer version (version ${latest.version}) while you were editing. Reload the transcript to see it, then make your changes again.`,
    });
  }
  const version = latest.version + 1;
  await tx.transcriptVersion.create({
    data: {
      jobId,
      organizationId: actor.organizationId,
      version,
      segments: segments as unknown as Prisma.InputJsonValue,
      text: transcriptText(segments),
      authorId: actor.userId,
    },
  });
  await recordAudit(tx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    event: 'transcript.edited',
    targetType: 'job',
    targetId: jobId,
    metadata: restoredFrom === null ? { version, segments: segments.length } : { version, restoredFrom },
    request: context,
  });
  return version;
}

export async function saveTranscriptVersion(
  db: Db,
  actor: Actor,
  jobId: string,
  input: { baseVersion: number; segments: TranscriptSegment[] },
  context: RequestContext | null,
): Promise<{ version: number }> {
  assertMayTranscribe(actor, 'edit');
  await findTranscriptionJob(db, actor, jobId);
  const parsed = saveTranscriptSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const segments = normaliseSegments(parsed.data.segments);
  if (segments.length === 0) {
    throw new AppError('validation_failed', { message: 'empty transcript', fieldErrors: { segments: ['The transcript is empty. Undo the deletion or restore an earlier version.'] } });
  }
  const version = await db.$transaction((tx) => appendVersion(tx, actor, jobId, parsed.data.baseVersion, segments, context, null));
  return { version };
}

/** Restoring adds a new version equal to the old one: history is never rewritten. */
export async function restoreTranscriptVersion(db: Db, actor: Actor, jobId: string, version: number, context: RequestContext | null): Promise<{ version: number }> {
  assertMayTranscribe(actor, 'edit');
  await findTranscriptionJob(db, actor, jobId);
  if (!Number.isInteger(version) || version < 1) throw new AppError('not_found', { message: 'bad version', userMessage: 'That version of the transcript does not exist.' });
  const created = await db.$transaction(async (tx) => {
    const old = await tx.transcriptVersion.findFirst({ where: { jobId, organizationId: actor.organizationId, version }, select: { segments: true } });
    if (!old) throw new AppError('not_found', { message: 'no such version', userMessage: 'That version of the transcript does not exist.' });
    const latest = await tx.transcriptVersion.findFirst({ where: { jobId, organizationId: actor.organizationId }, orderBy: { version: 'desc' }, select: { version: true } });
    return appendVersion(tx, actor, jobId, latest?.version ?? 0, parseSegments(old.segments), context, version);
  });
  return { version: created };
}

/**
 * Starts an analysis of the transcript's current version (the edited text): the
 * same pipeline as pasted text, linked back through sourceJobId.
 */
export async function analyzeTranscript(
  db: Db,
  actor: Actor,
  jobId: string,
  input: { specialty: string; idempotencyKey: string },
  context: RequestContext | null,
  deps: { enqueue?: Enqueue } = {},
): Promise<{ jobId: string; duplicate: boolean }> {
  assertMayTranscribe(actor, 'analyse');
  const job = await findTranscriptionJob(db, actor, jobId);
  const specialty = (SPECIALTY_CHOICES as readonly string[]).includes(input.specialty) ? (input.specialty as SpecialtyChoice) : null;
  if (!specialty) throw new AppError('validation_failed', { fieldErrors: { specialty: ['Choose a specialty, or "Detect automatically".'] } });
  const key = typeof input.idempotencyKey === 'string' ? input.idempotencyKey : '';
  if (key.length < 8 || key.length > 100) {
    throw new AppError('validation_failed', { fieldErrors: { idempotencyKey: ['The form is missing its submission key; reload the page and try again.'] } });
  }
  const existing = await findByKey(db, actor.organizationId, key);
  if (existing) return { jobId: existing, duplicate: true };
  if (job.status !== 'succeeded') {
    throw new AppError('conflict', { message: `transcription is ${job.status}`, userMessage: 'The transcription has not finished yet; analyse it once the transcript is ready.' });
  }
  const latest = await db.transcriptVersion.findFirst({ where: { jobId, organizationId: actor.organizationId }, orderBy: { version: 'desc' }, select: { text: true } });
  if (!latest || latest.text.replace(/\s/g, '').length < 20) {
    throw new AppError('conflict', { message: 'transcript too short', userMessage: 'The transcript is too short to analyse. Edit it to include the consultation, then try again.' });
  }
  await assertJobSubmissionAllowed(db, actor);
  try {
    const newId = await db.$transaction(
      (tx) =>
        createAnalysisJob(
          tx,
          actor,
          { uploadId: null, inputText: latest.text, options: { specialty, handwritten: false }, title: job.title, idempotencyKey: key, sourceJobId: jobId },
          context,
          deps.enqueue,
        ),
      { timeout: 15_000 },
    );
    return { jobId: newId, duplicate: false };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await findByKey(db, actor.organizationId, key);
      if (winner) return { jobId: winner, duplicate: true };
    }
    throw error;
  }
}
