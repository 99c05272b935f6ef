// Browser recordings, uploaded in chunks while they are made. Each chunk is
// streamed to storage under <clinic>/recordings/<id>/<index>; chunks arrive in
// order (a repeat of the last one is answered as already stored, so a retried
// request is harmless). Completing streams the chunks, in order, into a new
// Upload through the same path as POST /api/uploads (magic bytes, SHA-256,
// plan size limit, file.uploaded audit), then removes the chunks. A recording
// belongs to the member who made it: nobody else, not even an admin of the
// same clinic, sees or changes it, and another clinic's id is not found.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import { assertRole, type Actor } from '@/lib/auth/authorize';
import { getClinicPlan, requireFeature } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import type { Recording, RecordingStatus } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { ANALYSIS_ROLES } from '@/lib/jobs/access';
import { getStorage, type ObjectStorage } from '@/lib/storage';
import { formatMegabytes } from '@/lib/storage/images';
import { recordUpload, storeFilePart, type ReceivedUpload, type StoredFile } from '@/lib/uploads/receive-upload';
import { RECORDING_CHUNK_MAX_BYTES, RECORDING_CONTENT_TYPES, RECORDING_MAX_CHUNKS, recordingContentType, type RecordingContentType } from './limits';
import { joinStreams, startsStream } from './merge';

export * from './limits';

/** What the API answers about a recording: no PHI (a recording has no name). */
export interface RecordingView {
  id: string;
  status: RecordingStatus;
  contentType: string;
  byteSize: number;
  chunkCount: number;
  uploadId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RecordingOptions {
  /** For tests; the configured storage otherwise. */
  storage?: ObjectStorage;
  request?: RequestContext | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toRecordingView(recording: Recording): RecordingView {
  return {
    id: recording.id,
    status: recording.status,
    contentType: recording.contentType,
    byteSize: recording.byteSize,
    chunkCount: recording.chunkCount,
    uploadId: recording.uploadId,
    createdAt: recording.createdAt.toISOString(),
    updatedAt: recording.updatedAt.toISOString(),
  };
}

export function chunkKey(recording: Pick<Recording, 'organizationId' | 'id'>, index: number): string {
  return `${recording.organizationId}/recordings/${recording.id}/${index}`;
}

function notFound(): AppError {
  return new AppError('not_found', { message: 'no such recording of the user', userMessage: 'We could not find that recording. It may have been discarded.' });
}

function assertMayRecord(actor: Actor): void {
  try {
    assertRole(actor, ANALYSIS_ROLES);
  } catch {
    throw new AppError('forbidden', {
      message: `role ${actor.role} may not record`,
      userMessage: 'Only clinicians, admins and owners can record for transcription. Ask one of them to do it for you.',
    });
  }
}

function notRecording(recording: Recording): AppError {
  const userMessage =
    recording.status === 'complete'
      ? 'This recording is already finished; start a new one to record more.'
      : 'This recording was discarded; start a new one.';
  return new AppError('conflict', { message: `recording is ${recording.status}`, userMessage });
}

/** The actor's own recording in the active clinic, or not_found. */
async function findOwn(db: Db, actor: Actor, id: string): Promise<Recording> {
  if (!UUID.test(id)) throw notFound();
  const recording = await db.recording.findFirst({ where: { id, organizationId: actor.organizationId, userId: actor.userId } });
  if (!recording) throw notFound();
  return recording;
}

const createSchema = z.object({ contentType: z.string({ message: 'Say which audio format the browser records.' }).max(200) });

const unsupportedFormat = () =>
  new AppError('unsupported_media_type', {
    message: 'recording content type not accepted',
    userMessage: `This browser records in a format Maneiro cannot transcribe yet (${RECORDING_CONTENT_TYPES.join(' or ')} is needed). Record in Chrome, Edge or Firefox, or upload an audio file instead.`,
    fieldErrors: { contentType: ['Unsupported recording format.'] },
  });

/** Starts a recording. The content type is the browser's MediaRecorder mimeType ("audio/webm;codecs=opus"). */
export async function createRecording(db: Db, actor: Actor, input: unknown): Promise<RecordingView> {
  assertMayRecord(actor);
  await requireFeature(db, actor, 'transcription');
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { userMessage: parsed.error.issues[0]?.message ?? 'Invalid recording.' });
  const contentType = recordingContentType(parsed.data.contentType);
  if (!contentType) throw unsupportedFormat();
  const recording = await db.recording.create({ data: { organizationId: actor.organizationId, userId: actor.userId, contentType } });
  return toRecordingView(recording);
}

const STATUSES: readonly RecordingStatus[] = ['recording', 'complete', 'discarded'];

/** The actor's recordings in the active clinic with this status (newest first): unfinished ones to resume or discard. */
export async function listRecordings(db: Db, actor: Actor, status: string | null = 'recording'): Promise<RecordingView[]> {
  const wanted = STATUSES.find((s) => s === (status ?? 'recording'));
  if (!wanted) throw new AppError('validation_failed', { userMessage: 'Choose recording, complete or discarded as the status.' });
  const recordings = await db.recording.findMany({
    where: { organizationId: actor.organizationId, userId: actor.userId, status: wanted },
    orderBy: { createdAt: 'desc' },
    take: 20,
  });
  return recordings.map(toRecordingView);
}

function tooLarge(limit: number, what: 'chunk' | 'recording', planName: string): AppError {
  const userMessage =
    what === 'chunk'
      ? `A part of the recording was larger than ${formatMegabytes(limit)}; reload the page and resume the recording.`
      : `Recordings can be up to ${formatMegabytes(limit)} on the ${planName} plan and this one has reached that size. Stop here and transcribe it, or upgrade the plan.`;
  return new AppError('payload_too_large', { message: `${what} over the limit`, userMessage });
}

/** Counts the bytes on their way to storage; passing `limit` throws, which aborts the write. */
async function* counted(source: AsyncIterable<Uint8Array>, limit: number, onTooLarge: () => AppError, total: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    total.bytes += chunk.length;
    if (total.bytes > limit) throw onTooLarge();
    yield chunk;
  }
}

export interface AppendedChunk {
  chunkCount: number;
  byteSize: number;
  /** True when this index was already stored (a retried request): nothing changed. */
  duplicate: boolean;
}

export interface AppendChunkInput extends RecordingOptions {
  body: ReadableStream<Uint8Array> | null;
  /** Content-Length when the sender gave one: an oversized chunk is refused before reading it. */
  declaredLength?: number | null;
}

/**
 * Stores chunk `index` of the recording. It must be the next one, or a repeat of
 * one already stored (then nothing is read or changed).
 */
export async function appendRecordingChunk(db: Db, actor: Actor, id: string, index: string | number, input: AppendChunkInput): Promise<AppendedChunk> {
  const recording = await findOwn(db, actor, id);
  assertMayRecord(actor);
  const position = typeof index === 'number' ? index : /^\d{1,6}$/.test(index) ? Number(index) : NaN;
  if (!Number.isInteger(position) || position < 0 || position >= RECORDING_MAX_CHUNKS) {
    throw new AppError('validation_failed', { message: 'bad chunk index', userMessage: `Chunk numbers run from 0 to ${RECORDING_MAX_CHUNKS - 1}.` });
  }
  if (recording.status !== 'recording') throw notRecording(recording);
  if (position < recording.chunkCount) return { chunkCount: recording.chunkCount, byteSize: recording.byteSize, duplicate: true };
  if (position > recording.chunkCount) {
    throw new AppError('conflict', {
      message: `chunk ${position} before ${recording.chunkCount}`,
      userMessage: `Part ${recording.chunkCount + 1} of the recording has not arrived yet; parts are sent in order.`,
    });
  }
  const { plan } = await getClinicPlan(db, actor.organizationId);
  const remaining = plan.maxUploadBytes - recording.byteSize;
  const chunkLimit = Math.min(RECORDING_CHUNK_MAX_BYTES, remaining);
  const onTooLarge = () => (remaining < RECORDING_CHUNK_MAX_BYTES ? tooLarge(plan.maxUploadBytes, 'recording', plan.name) : tooLarge(RECORDING_CHUNK_MAX_BYTES, 'chunk', plan.name));
  if (input.declaredLength != null && Number.isFinite(input.declaredLength) && input.declaredLength > chunkLimit) throw onTooLarge();
  if (!input.body) throw new AppError('validation_failed', { message: 'empty chunk', userMessage: 'This part of the recording was empty.' });

  const storage = input.storage ?? getStorage();
  const key = chunkKey(recording, position);
  const total = { bytes: 0 };
  const source = Readable.fromWeb(input.body as WebReadableStream<Uint8Array>);
  await storage.putStream(key, Readable.from(counted(source, chunkLimit, onTooLarge, total), { objectMode: false }), recording.contentType);
  if (total.bytes === 0) {
    await storage.delete(key).catch(() => undefined);
    throw new AppError('validation_failed', { message: 'empty chunk', userMessage: 'This part of the recording was empty.' });
  }

  // Only the request that moves the count from `position` wins; a concurrent repeat finds it moved.
  const updated = await db.recording.updateMany({
    where: { id: recording.id, status: 'recording', chunkCount: position },
    data: { chunkCount: position + 1, byteSize: { increment: total.bytes } },
  });
  const now = await db.recording.findUniqueOrThrow({ where: { id: recording.id } });
  if (updated.count === 0) {
    if (now.status !== 'recording') {
      // Discarded or completed meanwhile: this chunk is not part of anything.
      await storage.delete(key).catch(() => undefined);
      throw notRecording(now);
    }
    return { chunkCount: now.chunkCount, byteSize: now.byteSize, duplicate: true };
  }
  return { chunkCount: now.chunkCount, byteSize: now.byteSize, duplicate: false };
}

async function deleteChunks(storage: ObjectStorage, recording: Recording): Promise<void> {
  // Best effort: a leftover chunk is unreachable (its recording is finished) and harmless.
  for (let i = 0; i < recording.chunkCount; i++) await storage.delete(chunkKey(recording, i)).catch(() => undefined);
}

/** Thrown inside the single-pass concatenation when a chunk opens a second stream. */
class ResumedRecording extends Error {}

function missingChunk(): AppError {
  return new AppError('conflict', {
    message: 'recording chunk missing from storage',
    userMessage: 'Part of this recording is missing from storage, so it cannot be finished. Discard it and record again.',
  });
}

async function openChunk(storage: ObjectStorage, recording: Recording, index: number): Promise<Readable> {
  const object = await storage.getStream(chunkKey(recording, index));
  if (!object) throw missingChunk();
  return object.stream;
}

/** All chunks in order; throws ResumedRecording if one after the first starts a new stream. */
async function* concatenated(storage: ObjectStorage, recording: Recording, contentType: RecordingContentType): AsyncGenerator<Buffer> {
  for (let i = 0; i < recording.chunkCount; i++) {
    const stream = await openChunk(storage, recording, i);
    let first = true;
    try {
      for await (const part of stream as AsyncIterable<Buffer>) {
        if (first && i > 0 && startsStream(part, contentType)) throw new ResumedRecording();
        first = false;
        yield part;
      }
    } finally {
      stream.destroy();
    }
  }
}

/** The chunk indexes grouped by the stream each belongs to (a new group at each header). */
async function streamGroups(storage: ObjectStorage, recording: Recording, contentType: RecordingContentType): Promise<number[][]> {
  const groups: number[][] = [];
  for (let i = 0; i < recording.chunkCount; i++) {
    const stream = await openChunk(storage, recording, i);
    const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const head = await iterator.next();
    stream.destroy();
    if (i === 0 || (!head.done && startsStream(head.value, contentType))) groups.push([i]);
    else groups.at(-1)!.push(i);
  }
  return groups;
}

function recordingFileName(recording: Recording, contentType: RecordingContentType): string {
  const stamp = recording.createdAt.toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  return `recording-${stamp}.${contentType === 'audio/webm' ? 'webm' : 'ogg'}`;
}

export interface CompletedRecording {
  recording: RecordingView;
  uploadId: string;
  /** The clinic already had these exact bytes: the existing upload is used. */
  duplicate: boolean;
}

/**
 * Finishes the recording: its chunks become one Upload (file.uploaded audited in
 * the same transaction that marks the recording complete), then the chunks are
 * removed. Completing a completed recording answers the same upload again.
 */
export async function completeRecording(db: Db, actor: Actor, id: string, options: RecordingOptions = {}): Promise<CompletedRecording> {
  const recording = await findOwn(db, actor, id);
  if (recording.status === 'complete' && recording.uploadId) {
    return { recording: toRecordingView(recording), uploadId: recording.uploadId, duplicate: true };
  }
  assertMayRecord(actor);
  if (recording.status !== 'recording') throw notRecording(recording);
  if (recording.chunkCount === 0) {
    throw new AppError('validation_failed', { message: 'no chunks', userMessage: 'Nothing was recorded yet. Record for a few seconds, then stop.' });
  }
  const contentType = recordingContentType(recording.contentType);
  if (!contentType) throw unsupportedFormat();
  const { plan } = await requireFeature(db, actor, 'transcription');
  const storage = options.storage ?? getStorage();
  const key = `${actor.organizationId}/${randomUUID()}`;
  const info = { filename: recordingFileName(recording, contentType), mimeType: contentType };
  const storeOptions = { storage, key, limit: plan.maxUploadBytes, planName: plan.name };

  let stored: StoredFile;
  try {
    stored = await storeFilePart(Readable.from(concatenated(storage, recording, contentType), { objectMode: false }), info, storeOptions);
  } catch (error) {
    if (!(error instanceof ResumedRecording)) throw error;
    const groups = await streamGroups(storage, recording, contentType);
    const joined = await joinStreams(
      groups.map((indexes) => () => Readable.from((async function* () {
        for (const i of indexes) {
          const stream = await openChunk(storage, recording, i);
          yield* stream as AsyncIterable<Buffer>;
        }
      })(), { objectMode: false })),
      contentType,
    );
    try {
      stored = await storeFilePart(createReadStream(joined.file), info, storeOptions);
    } finally {
      await joined.cleanup();
    }
  }

  const markComplete = async (tx: Tx, uploadId: string) => {
    const updated = await tx.recording.updateMany({ where: { id: recording.id, status: 'recording' }, data: { status: 'complete', uploadId } });
    if (updated.count === 0) throw new AppError('conflict', { message: 'recording changed while completing', userMessage: 'This recording was finished or discarded in another tab.' });
  };
  let received: ReceivedUpload;
  try {
    try {
      received = await recordUpload(db, actor, stored, options.request, (tx, upload) => markComplete(tx, upload.id));
    } catch (error) {
      // The same bytes stored twice at once (a double click): the other row won; this one is the duplicate.
      if ((error as { code?: unknown }).code !== 'P2002') throw error;
      received = await recordUpload(db, actor, stored, options.request, (tx, upload) => markComplete(tx, upload.id));
    }
  } catch (error) {
    await storage.delete(key).catch(() => undefined);
    throw error;
  }
  if (received.duplicate) await storage.delete(key).catch(() => undefined);
  await deleteChunks(storage, recording);
  const done = await db.recording.findUniqueOrThrow({ where: { id: recording.id } });
  return { recording: toRecordingView(done), uploadId: received.upload.id, duplicate: received.duplicate };
}

/** Throws the recording away: status discarded and recording.discarded audited together, then the chunks are deleted. */
export async function discardRecording(db: Db, actor: Actor, id: string, options: RecordingOptions = {}): Promise<RecordingView> {
  const recording = await findOwn(db, actor, id);
  if (recording.status === 'discarded') return toRecordingView(recording);
  if (recording.status === 'complete') {
    throw new AppError('conflict', { message: 'recording is complete', userMessage: 'This recording is already finished and saved as an audio file; it cannot be discarded here.' });
  }
  const discarded = await db.$transaction(async (tx) => {
    const updated = await tx.recording.updateMany({ where: { id: recording.id, status: 'recording' }, data: { status: 'discarded' } });
    if (updated.count === 0) throw new AppError('conflict', { message: 'recording changed while discarding', userMessage: 'This recording was finished in another tab.' });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'recording.discarded',
      targetType: 'recording',
      targetId: recording.id,
      metadata: { chunkCount: recording.chunkCount, byteSize: recording.byteSize },
      request: options.request,
    });
    return tx.recording.findUniqueOrThrow({ where: { id: recording.id } });
  });
  await deleteChunks(options.storage ?? getStorage(), recording);
  return toRecordingView(discarded);
}
