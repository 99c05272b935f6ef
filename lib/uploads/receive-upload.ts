// POST /api/uploads, without the HTTP: the multipart body is parsed as it
// arrives and the file part streamed straight into storage (hashed, counted and
// size-checked on the way), so a request never holds a whole file in memory.
// The kind comes from the first bytes; the Upload row and its audit event are
// written together once the object is safely stored.
import 'server-only';
import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Actor } from '@/lib/auth/authorize';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import { getClinicPlan } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import type { FileKind, Upload } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { getStorage, type ObjectStorage } from '@/lib/storage';
import { formatMegabytes } from '@/lib/storage/images';
import { contentDisposition } from './content-disposition';
import { detectFileKind, KIND_CONTENT_TYPES, SNIFF_BYTES } from './file-kind';

/** Room for the multipart boundaries and part headers around the file when checking Content-Length. */
const MULTIPART_ALLOWANCE = 64 * 1024;
const MAX_NAME_LENGTH = 255;
/** The form field that carries the file. */
export const FILE_FIELD = 'file';

export interface ReceiveUploadInput {
  actor: Actor;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  request?: RequestContext | null;
  /** For tests; the configured storage otherwise. */
  storage?: ObjectStorage;
}

export interface ReceivedUpload {
  upload: Upload;
  /** True when the clinic already had this exact file: the existing row is returned. */
  duplicate: boolean;
}

export interface StoredFile {
  key: string;
  kind: FileKind;
  byteSize: number;
  sha256: string;
  originalName: string;
}

function missingFile(): AppError {
  const message = 'Choose a file to upload.';
  return new AppError('validation_failed', { message: 'no file part', userMessage: message, fieldErrors: { [FILE_FIELD]: [message] } });
}

function emptyFile(): AppError {
  const message = 'This file is empty. Choose the file again; if it still fails, open it on your computer to check it has content.';
  return new AppError('validation_failed', { message: 'empty file', userMessage: message, fieldErrors: { [FILE_FIELD]: [message] } });
}

function tooLarge(limit: number, planName: string): AppError {
  const message = `Files can be up to ${formatMegabytes(limit)} on the ${planName} plan; this one is larger. Split or compress it, or upgrade the plan.`;
  return new AppError('payload_too_large', { message: 'upload over the plan limit', userMessage: message, fieldErrors: { [FILE_FIELD]: [message] } });
}

/** The name as metadata: control characters dropped, trimmed, at most 255 characters. */
export function cleanFileName(name: string | undefined, kind: FileKind): string {
  const cleaned = Array.from((name ?? '').replace(/\p{Cc}/gu, '').trim())
    .slice(0, MAX_NAME_LENGTH)
    .join('')
    .trim();
  return cleaned || `upload.${kind}`;
}

async function deleteQuietly(storage: ObjectStorage, key: string): Promise<void> {
  // Best effort: an orphaned object is harmless and the error is already being reported.
  await storage.delete(key).catch(() => undefined);
}

/**
 * Streams one file part into storage under `key`. Reads the first SNIFF_BYTES to
 * decide the kind, then passes everything through while hashing and counting;
 * passing `limit` throws, which aborts the write and removes the partial object.
 */
export async function storeFilePart(
  file: Readable,
  info: Pick<busboy.FileInfo, 'filename' | 'mimeType'>,
  options: { storage: ObjectStorage; key: string; limit: number; planName: string },
): Promise<StoredFile> {
  const { storage, key, limit, planName } = options;
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    headChunks.push(next.value);
    headLength += next.value.length;
  }
  const head = Buffer.concat(headChunks);
  if (head.length === 0) throw emptyFile();
  const kind = await detectFileKind(head.subarray(0, SNIFF_BYTES), info.filename ?? '', info.mimeType ?? '');
  const originalName = cleanFileName(info.filename, kind);

  const hash = createHash('sha256');
  let byteSize = 0;
  const take = (chunk: Buffer): Buffer => {
    byteSize += chunk.length;
    if (byteSize > limit) throw tooLarge(limit, planName);
    hash.update(chunk);
    return chunk;
  };
  async function* body(): AsyncGenerator<Buffer> {
    yield take(head);
    if (ended) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield take(next.value);
    }
  }

  try {
    await storage.putStream(key, Readable.from(body(), { objectMode: false }), KIND_CONTENT_TYPES[kind], {
      contentDisposition: contentDisposition(originalName, kind),
    });
  } catch (error) {
    await deleteQuietly(storage, key);
    throw error;
  }
  return { key, kind, byteSize, sha256: hash.digest('hex'), originalName };
}

/** Parses the multipart body and stores its "file" part; other fields and extra files are ignored. */
function receiveFilePart(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  options: { storage: ObjectStorage; key: string; limit: number; planName: string },
): Promise<StoredFile> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      limits: { files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25, headerPairs: 100 },
    });
  } catch {
    // A multipart content type without a boundary.
    return Promise.reject(missingFile());
  }
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);

  return new Promise<StoredFile>((resolve, reject) => {
    let settled = false;
    let work: Promise<StoredFile> | null = null;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // Stop reading the rest of the request: nothing more of it is wanted.
      source.unpipe(parser);
      source.destroy();
      reject(error instanceof AppError ? error : new AppError('bad_request', { message: 'malformed multipart body', userMessage: 'The upload was interrupted or malformed. Please try again.', cause: error }));
    };
    parser.on('file', (field, file, info) => {
      if (field !== FILE_FIELD || work) {
        file.resume();
        return;
      }
      work = storeFilePart(file, info, options);
      work.catch(fail);
    });
    parser.on('close', () => {
      if (!work) {
        fail(missingFile());
        return;
      }
      work.then((stored) => {
        if (settled) return;
        settled = true;
        resolve(stored);
      }, fail);
    });
    parser.on('error', fail);
    source.on('error', fail);
    source.pipe(parser);
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'P2002';
}

/**
 * The Upload row for a stored file: a new row, the clinic's existing copy, or a
 * purged row brought back. `alsoInTx` lets a caller (a finished recording) write
 * its own rows in the same transaction.
 */
export async function recordUpload(
  db: Db,
  actor: Actor,
  stored: StoredFile,
  request: RequestContext | null | undefined,
  alsoInTx?: (tx: Tx, upload: Upload) => Promise<void>,
): Promise<ReceivedUpload> {
  return db.$transaction(async (tx) => {
    const existing = await tx.upload.findUnique({
      where: { organizationId_sha256: { organizationId: actor.organizationId, sha256: stored.sha256 } },
    });
    let upload: Upload;
    const duplicate = existing !== null && existing.deletedAt === null;
    if (existing && duplicate) {
      upload = existing;
    } else {
      const data = {
        storageKey: stored.key,
        originalName: stored.originalName,
        kind: stored.kind,
        contentType: KIND_CONTENT_TYPES[stored.kind],
        byteSize: stored.byteSize,
        uploadedById: actor.userId,
      };
      upload = existing
        ? // Same bytes as a purged upload: the row (and the jobs citing it) gets its file back.
          await tx.upload.update({ where: { id: existing.id }, data: { ...data, deletedAt: null } })
        : await tx.upload.create({ data: { ...data, organizationId: actor.organizationId, sha256: stored.sha256 } });
    }
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'file.uploaded',
      targetType: 'upload',
      targetId: upload.id,
      metadata: { kind: upload.kind, byteSize: stored.byteSize, duplicate },
      request,
    });
    if (alsoInTx) await alsoInTx(tx, upload);
    return { upload, duplicate };
  });
}

export async function receiveUpload(db: Db, input: ReceiveUploadInput): Promise<ReceivedUpload> {
  const { actor } = input;
  const { plan } = await getClinicPlan(db, actor.organizationId);
  const limit = plan.maxUploadBytes;
  const contentType = input.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !input.body) throw missingFile();
  const declaredLength = Number(input.headers.get('content-length') ?? NaN);
  // Refused before reading a byte when the sender says up front that it is too large.
  if (Number.isFinite(declaredLength) && declaredLength > limit + MULTIPART_ALLOWANCE) throw tooLarge(limit, plan.name);

  const storage = input.storage ?? getStorage();
  const key = `${actor.organizationId}/${randomUUID()}`;
  const stored = await receiveFilePart(input.body, contentType, { storage, key, limit, planName: plan.name });

  let received: ReceivedUpload;
  try {
    try {
      received = await recordUpload(db, actor, stored, input.request);
    } catch (error) {
      // The same file uploaded twice at once: the other request's row won; this one is the duplicate.
      if (!isUniqueViolation(error)) throw error;
      received = await recordUpload(db, actor, stored, input.request);
    }
  } catch (error) {
    await deleteQuietly(storage, key);
    throw error;
  }
  if (received.duplicate) await deleteQuietly(storage, key);
  return received;
}
