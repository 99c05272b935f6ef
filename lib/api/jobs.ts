// Jobs through the REST API: starting one (JSON text or a multipart file), the
// clinic's list by cursor, one job with its result, and cancelling. Each call
// goes through the same data-layer functions as the web app with the key's
// actor (its clinic, its creator's current role), so roles, quotas, audit
// records and tenant scoping are the web app's.
//
// Idempotency: an `Idempotency-Key` header is stored, namespaced by the API key,
// in the jobs' own idempotency column ("api:<keyId>:j:<sha256 of the header>").
// Within 24 hours the same header returns the job it first created; after that
// the old job gives up the key (its key becomes "api-expired:<jobId>") and the
// request starts a new job.
import { createHash, randomUUID } from 'node:crypto';
import { recordView, type RequestContext } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { assertJobId, jobNotFound } from '@/lib/jobs/access';
import { cancelJob } from '@/lib/jobs/manage';
import { parseAnalysisResult } from '@/lib/jobs/queries';
import type { Enqueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { parseSegments, submitTranscriptionJob, type TranscriptionDeps } from '@/lib/jobs/transcription';
import { parseTriageResult, submitTriageJob } from '@/lib/jobs/triage';
import { getStorage, type ObjectStorage } from '@/lib/storage';
import { FILE_FIELD } from '@/lib/uploads';
import { apiFieldErrors, isJson, isMultipart, readJson, renameField } from './body';
import type { ApiPrincipal } from './keys';
import { discardStored, readJobForm, recordFormUpload } from './multipart';
import { IDEMPOTENCY_KEY_PATTERN, jobListQuerySchema, jobSubmitFormFieldsSchema, jobSubmitJsonSchema, SUBMITTABLE_TYPES, type ApiJob, type ApiJobList, type ApiJobSummary } from './schemas';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const API_BASE = '/api/v1';

export interface ApiJobDeps {
  storage?: ObjectStorage;
  enqueue?: Enqueue;
  /** Transcription: how a recording's duration is read (ffprobe by default). */
  probe?: TranscriptionDeps['probe'];
  now?: () => Date;
}

const summarySelect = {
  id: true,
  type: true,
  status: true,
  stage: true,
  progress: true,
  cancelRequestedAt: true,
  errorCode: true,
  errorMessage: true,
  sourceJobId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  updatedAt: true,
  letter: { select: { id: true } },
} as const satisfies Prisma.JobSelect;

type SummaryRow = Prisma.JobGetPayload<{ select: typeof summarySelect }>;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function toJobSummary(row: SummaryRow): ApiJobSummary {
  const self = `${API_BASE}/jobs/${row.id}`;
  const cancellable = row.status === 'queued' || (row.status === 'running' && row.cancelRequestedAt === null);
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    stage: row.stage,
    progress: row.progress,
    cancelRequested: row.cancelRequestedAt !== null && row.status === 'running',
    error: row.status === 'failed' ? { code: row.errorCode, message: row.errorMessage ?? 'The job failed.' } : null,
    sourceJobId: row.sourceJobId,
    letterId: row.letter?.id ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    updatedAt: row.updatedAt.toISOString(),
    links: {
      self,
      ...(cancellable ? { cancel: `${self}/cancel` } : {}),
      ...(row.type === 'analysis' && row.status === 'succeeded' ? { letters: `${self}/letters` } : {}),
      ...(row.letter ? { letter: `${API_BASE}/letters/${row.letter.id}` } : {}),
    },
  };
}

async function findSummary(db: Db, actor: Actor, jobId: string): Promise<SummaryRow> {
  assertJobId(jobId);
  const row = await db.job.findFirst({ where: { id: jobId, organizationId: actor.organizationId }, select: summarySelect });
  if (!row) throw jobNotFound();
  return row;
}

// ---------------------------------------------------------------------------
// Idempotency

/** The header, checked; null when absent. */
export function idempotencyHeader(headers: Headers): string | null {
  const value = headers.get('idempotency-key');
  if (value === null) return null;
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new AppError('validation_failed', {
      message: 'malformed idempotency key',
      fieldErrors: { 'Idempotency-Key': ['Use 1 to 255 printable ASCII characters without spaces, for example a UUID.'] },
    });
  }
  return value;
}

/** The jobs-column key for a header: namespaced by the API key and the kind of request, hashed to a fixed length. */
export function storedIdempotencyKey(apiKeyId: string, kind: 'j' | 'l', header: string | null): string {
  if (header === null) return `api:${apiKeyId}:${kind}:${randomUUID()}`;
  return `api:${apiKeyId}:${kind}:${createHash('sha256').update(header).digest('base64url')}`;
}

/**
 * The job a key already created within the window, or null. A match older than
 * the window gives its key up, so the caller's submission creates a new job.
 */
export async function claimIdempotencyKey(db: Db, organizationId: string, key: string, now: Date): Promise<string | null> {
  const existing = await db.job.findUnique({ where: { organizationId_idempotencyKey: { organizationId, idempotencyKey: key } }, select: { id: true, createdAt: true } });
  if (!existing) return null;
  if (now.getTime() - existing.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS) return existing.id;
  // Conditional, so two late retries racing here rename it once; the unique index settles which one creates.
  await db.job.updateMany({ where: { id: existing.id, idempotencyKey: key }, data: { idempotencyKey: `api-expired:${existing.id}` } });
  return null;
}

// ---------------------------------------------------------------------------
// Submission

function checkType(type: unknown, multipart: boolean): (typeof SUBMITTABLE_TYPES)[number] {
  if (type === 'transcription' && !multipart) {
    throw new AppError('validation_failed', {
      message: 'json transcription',
      fieldErrors: { type: ['Transcriptions need the recording: send multipart/form-data with the audio in a part named "file".'] },
    });
  }
  if (typeof type === 'string' && (SUBMITTABLE_TYPES as readonly string[]).includes(type)) return type as (typeof SUBMITTABLE_TYPES)[number];
  throw new AppError('validation_failed', { message: 'unknown job type', fieldErrors: { type: ['Choose analysis, triage or transcription.'] } });
}

type DataLayerInput =
  | { type: 'analysis'; input: Record<string, unknown> }
  | { type: 'triage'; input: Record<string, unknown> }
  | { type: 'transcription'; input: Record<string, unknown> };

async function fromJson(headers: Headers, body: ReadableStream<Uint8Array> | null): Promise<DataLayerInput> {
  const json = await readJson(headers, body);
  const type = checkType((json as { type?: unknown } | null)?.type, false);
  const parsed = jobSubmitJsonSchema.safeParse(json);
  if (!parsed.success) throw new AppError('validation_failed', { message: 'invalid job json', fieldErrors: apiFieldErrors(parsed.error) });
  const { type: _type, ...fields } = parsed.data;
  return { type, input: { ...fields } } as DataLayerInput;
}

function fromFormFields(fields: Record<string, string>, uploadId: string): DataLayerInput {
  const type = checkType(fields.type, true);
  const parsed = jobSubmitFormFieldsSchema.safeParse(fields);
  if (!parsed.success) throw new AppError('validation_failed', { message: 'invalid job form', fieldErrors: apiFieldErrors(parsed.error) });
  const f = parsed.data;
  if (type === 'transcription') return { type, input: { uploadId, mode: f.mode, language: f.language, title: f.title } };
  const handwritten = f.handwritten === 'true';
  return type === 'analysis'
    ? { type, input: { uploadId, specialty: f.specialty, handwritten, title: f.title } }
    : { type, input: { uploadId, handwritten, title: f.title } };
}

async function runSubmission(db: Db, actor: Actor, submission: DataLayerInput, idempotencyKey: string, context: RequestContext | null, deps: ApiJobDeps) {
  const input = { ...submission.input, idempotencyKey };
  try {
    if (submission.type === 'analysis') return await submitAnalysisJob(db, actor, input, context, { enqueue: deps.enqueue });
    if (submission.type === 'triage') return await submitTriageJob(db, actor, input, context, { enqueue: deps.enqueue });
    return await submitTranscriptionJob(db, actor, input, context, { enqueue: deps.enqueue, probe: deps.probe });
  } catch (error) {
    throw renameField(error, 'uploadId', FILE_FIELD);
  }
}

/**
 * POST /api/v1/jobs. A replay of an Idempotency-Key seen in the last 24 hours
 * answers with the first job before the body is read (a retried upload is not stored twice).
 */
export async function submitApiJob(
  db: Db,
  principal: ApiPrincipal,
  request: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  context: RequestContext | null,
  deps: ApiJobDeps = {},
): Promise<{ job: ApiJobSummary; replayed: boolean }> {
  const { actor } = principal;
  const header = idempotencyHeader(request.headers);
  const key = storedIdempotencyKey(principal.keyId, 'j', header);
  const now = deps.now?.() ?? new Date();
  if (header !== null) {
    const existing = await claimIdempotencyKey(db, actor.organizationId, key, now);
    if (existing) return { job: toJobSummary(await findSummary(db, actor, existing)), replayed: true };
  }

  let submission: DataLayerInput;
  if (isJson(request.headers)) {
    submission = await fromJson(request.headers, request.body);
  } else if (isMultipart(request.headers)) {
    const storage = deps.storage ?? getStorage();
    const form = await readJobForm(request.headers, request.body, { organizationId: actor.organizationId, clinicPlan: principal.clinicPlan, storage });
    try {
      // The fields are checked before the file becomes an upload of the clinic.
      checkType(form.fields.type, true);
      const fields = jobSubmitFormFieldsSchema.safeParse(form.fields);
      if (!fields.success) throw new AppError('validation_failed', { message: 'invalid job form', fieldErrors: apiFieldErrors(fields.error) });
    } catch (error) {
      await discardStored(storage, form.stored);
      throw error;
    }
    const upload = await recordFormUpload(db, actor, form.stored, storage, context);
    submission = fromFormFields(form.fields, upload.id);
  } else {
    throw new AppError('unsupported_media_type', {
      message: 'job body neither json nor multipart',
      userMessage: 'Send the job as application/json (pasted text) or multipart/form-data (a file in a part named "file").',
    });
  }
  const started = await runSubmission(db, actor, submission, key, context, deps);
  return { job: toJobSummary(await findSummary(db, actor, started.jobId)), replayed: started.duplicate };
}

// ---------------------------------------------------------------------------
// Reading

/** An opaque cursor: the last row's (createdAt, id), base64url. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const invalid = () => new AppError('validation_failed', { message: 'malformed cursor', fieldErrors: { cursor: ['This cursor is not valid: pass the nextCursor of the previous page unchanged.'] } });
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') throw invalid();
  const createdAt = new Date(value[0]);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(value[1])) throw invalid();
  return { createdAt, id: value[1] };
}

/** GET /api/v1/jobs: newest first, by (createdAt, id), so pages never skip or repeat a job while new ones arrive. */
export async function listApiJobs(db: Db, actor: Actor, query: Record<string, string>): Promise<ApiJobList> {
  const parsed = jobListQuerySchema.safeParse(query);
  if (!parsed.success) throw new AppError('validation_failed', { message: 'invalid list query', fieldErrors: apiFieldErrors(parsed.error) });
  const { cursor, limit, type, status } = parsed.data;
  const where: Prisma.JobWhereInput = { organizationId: actor.organizationId, ...(type ? { type } : {}), ...(status ? { status } : {}) };
  if (cursor) {
    const after = decodeCursor(cursor);
    where.OR = [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }];
  }
  const rows = await db.job.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1, select: summarySelect });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
  let next: string | null = null;
  if (nextCursor) {
    const params = new URLSearchParams({ ...(type ? { type } : {}), ...(status ? { status } : {}), limit: String(limit), cursor: nextCursor });
    next = `${API_BASE}/jobs?${params.toString()}`;
  }
  return { data: page.map(toJobSummary), nextCursor, links: { next } };
}

async function resultOf(db: Db, actor: Actor, row: SummaryRow, stored: Prisma.JsonValue | null): Promise<ApiJob['result']> {
  if (row.status !== 'succeeded') return null;
  if (row.type === 'analysis') return parseAnalysisResult(stored);
  if (row.type === 'triage') return parseTriageResult(stored);
  if (row.type === 'transcription') {
    const latest = await db.transcriptVersion.findFirst({
      where: { jobId: row.id, organizationId: actor.organizationId },
      orderBy: { version: 'desc' },
      select: { version: true, text: true, segments: true },
    });
    return latest ? { version: latest.version, text: latest.text, segments: parseSegments(latest.segments) } : null;
  }
  return null;
}

/**
 * GET /api/v1/jobs/{id}. A response that carries a result (clinical content)
 * records `job.viewed`, as the job page does; status polls do not.
 */
export async function getApiJob(db: Db, principal: Pick<ApiPrincipal, 'actor' | 'keyId'>, jobId: string, context: RequestContext | null): Promise<ApiJob> {
  const { actor } = principal;
  assertJobId(jobId);
  const row = await db.job.findFirst({ where: { id: jobId, organizationId: actor.organizationId }, select: { ...summarySelect, result: true } });
  if (!row) throw jobNotFound();
  const result = await resultOf(db, actor, row, row.result);
  if (result) {
    await db.$transaction((tx) =>
      recordView(tx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        event: 'job.viewed',
        targetType: 'job',
        targetId: row.id,
        metadata: { type: row.type, status: row.status, apiKeyId: principal.keyId },
        request: context,
      }),
    );
  }
  return { ...toJobSummary(row), result };
}

/** POST /api/v1/jobs/{id}/cancel: the web app's cancel (roles, quota release, audit). */
export async function cancelApiJob(db: Db, actor: Actor, jobId: string, context: RequestContext | null): Promise<ApiJobSummary> {
  await cancelJob(db, actor, jobId, context);
  return toJobSummary(await findSummary(db, actor, jobId));
}
