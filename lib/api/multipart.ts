// The multipart body of POST /api/v1/jobs: the "file" part streamed straight into
// storage (lib/uploads' storeFilePart: sniffed, hashed, size-checked on the way)
// and the text fields collected beside it. Fields may come before or after the
// file, so they are checked once the whole body has been read; a body whose
// fields are invalid leaves nothing behind in storage.
import 'server-only';
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RequestContext } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import type { ClinicPlan } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import type { Upload } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import type { ObjectStorage } from '@/lib/storage';
import { formatMegabytes } from '@/lib/storage/images';
import { FILE_FIELD } from '@/lib/uploads';
import { recordUpload, storeFilePart, type StoredFile } from '@/lib/uploads/receive-upload';

/** Room for the boundaries and part headers around the file when checking Content-Length. */
const MULTIPART_ALLOWANCE = 64 * 1024;
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 16 * 1024;

export interface JobForm {
  fields: Record<string, string>;
  /** Stored but not yet recorded: the caller records it once the fields are valid. */
  stored: StoredFile;
}

const fileError = (message: string) => new AppError('validation_failed', { message: 'multipart without a usable file', userMessage: message, fieldErrors: { [FILE_FIELD]: [message] } });

function tooLarge(clinicPlan: ClinicPlan): AppError {
  const message = `Files can be up to ${formatMegabytes(clinicPlan.plan.maxUploadBytes)} on the ${clinicPlan.plan.name} plan; this one is larger.`;
  return new AppError('payload_too_large', { message: 'upload over the plan limit', userMessage: message, fieldErrors: { [FILE_FIELD]: [message] } });
}

/** Reads the whole multipart body: its fields, and its file part into storage. */
export async function readJobForm(
  headers: Headers,
  body: ReadableStream<Uint8Array> | null,
  options: { organizationId: string; clinicPlan: ClinicPlan; storage: ObjectStorage },
): Promise<JobForm> {
  const limit = options.clinicPlan.plan.maxUploadBytes;
  const declared = Number(headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit + MULTIPART_ALLOWANCE) throw tooLarge(options.clinicPlan);
  if (!body) throw fileError('Send the document or recording in a part named "file".');
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': headers.get('content-type') ?? '' },
      defParamCharset: 'utf8',
      limits: { files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1, headerPairs: 100 },
    });
  } catch {
    throw new AppError('bad_request', { message: 'multipart without boundary', userMessage: 'The multipart/form-data body has no boundary. Let your HTTP client build the body.' });
  }
  const key = `${options.organizationId}/${randomUUID()}`;
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  const fields: Record<string, string> = {};

  return new Promise<JobForm>((resolve, reject) => {
    let settled = false;
    let work: Promise<StoredFile> | null = null;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe(parser);
      source.destroy();
      // A file already stored (or being stored) is removed: nothing of a refused request stays.
      void work?.then((stored) => options.storage.delete(stored.key)).catch(() => undefined);
      reject(error instanceof AppError ? error : new AppError('bad_request', { message: 'malformed multipart body', userMessage: 'The multipart/form-data body was interrupted or malformed.', cause: error }));
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(new AppError('validation_failed', { message: 'multipart field too long', fieldErrors: { [name.slice(0, 40)]: [`Keep each field under ${MAX_FIELD_BYTES / 1024} KB.`] } }));
        return;
      }
      fields[name] = value;
    });
    parser.on('file', (field, file, info) => {
      if (field !== FILE_FIELD || work) {
        file.resume();
        return;
      }
      work = storeFilePart(file, info, { storage: options.storage, key, limit, planName: options.clinicPlan.plan.name });
      work.catch(fail);
    });
    parser.on('fieldsLimit', () => fail(new AppError('validation_failed', { message: 'too many multipart fields', fieldErrors: { form: [`Send at most ${MAX_FIELDS} fields.`] } })));
    parser.on('close', () => {
      if (!work) {
        fail(fileError('Send the document or recording in a part named "file".'));
        return;
      }
      work.then((stored) => {
        if (settled) return;
        settled = true;
        resolve({ fields, stored });
      }, fail);
    });
    parser.on('error', fail);
    source.on('error', fail);
    source.pipe(parser);
  });
}

/** Records the stored file as the clinic's upload (or finds the clinic's copy of the same bytes). */
export async function recordFormUpload(db: Db, actor: Actor, stored: StoredFile, storage: ObjectStorage, context: RequestContext | null): Promise<Upload> {
  const isUniqueViolation = (error: unknown) => (error as { code?: unknown }).code === 'P2002';
  let received;
  try {
    try {
      received = await recordUpload(db, actor, stored, context);
    } catch (error) {
      // The same file sent twice at once: the other request's row won, this one is its duplicate.
      if (!isUniqueViolation(error)) throw error;
      received = await recordUpload(db, actor, stored, context);
    }
  } catch (error) {
    await storage.delete(stored.key).catch(() => undefined);
    throw error;
  }
  if (received.duplicate) await storage.delete(stored.key).catch(() => undefined);
  return received.upload;
}

/** Removes a stored file whose request was refused before it was recorded. */
export async function discardStored(storage: ObjectStorage, stored: StoredFile): Promise<void> {
  await storage.delete(stored.key).catch(() => undefined);
}
