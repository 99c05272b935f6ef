// Letters through the REST API: starting one from a completed analysis, reading
// one (structured content, header, status) and its PDF. Visibility, roles,
// audit records and PDF storage are the web app's (lib/letters).
import type { Readable } from 'node:stream';
import { recordView, type RequestContext } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { assertJobId } from '@/lib/jobs/access';
import type { Enqueue } from '@/lib/jobs/queue';
import { displayStatus, findLetter, parseContent, parsePatient } from '@/lib/letters/letters';
import { storedTemplate } from '@/lib/letters/access';
import { RECIPIENT_TYPES, type RecipientType } from '@/lib/letters/options';
import { openLetterPdf } from '@/lib/letters/pdf';
import { submitLetterJob } from '@/lib/letters/submit';
import type { ObjectStorage } from '@/lib/storage';
import { apiFieldErrors, isJson, readJson } from './body';
import { API_BASE, claimIdempotencyKey, idempotencyHeader, storedIdempotencyKey } from './jobs';
import type { ApiPrincipal } from './keys';
import { letterCreateSchema, type ApiLetter } from './schemas';

const recipient = (value: string): RecipientType => ((RECIPIENT_TYPES as readonly string[]).includes(value) ? (value as RecipientType) : 'other');

/** The letter as the API shows it; `audit` records `letter.viewed` when content goes out. */
async function loadApiLetter(db: Db, principal: Pick<ApiPrincipal, 'actor' | 'keyId'>, letterId: string, context: RequestContext | null, audit: boolean): Promise<ApiLetter> {
  const { actor } = principal;
  const letter = await findLetter(db, actor, letterId);
  const current =
    letter.currentVersion > 0
      ? await db.letterVersion.findUnique({ where: { letterId_version: { letterId: letter.id, version: letter.currentVersion } }, select: { content: true } })
      : null;
  const content = current ? parseContent(current.content) : null;
  if (audit && content) {
    await db.$transaction((tx) =>
      recordView(tx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        event: 'letter.viewed',
        targetType: 'letter',
        targetId: letter.id,
        metadata: { version: letter.currentVersion, apiKeyId: principal.keyId },
        request: context,
      }),
    );
  }
  const self = `${API_BASE}/letters/${letter.id}`;
  const status = displayStatus(letter.status, letter.currentVersion, letter.job?.status ?? null);
  return {
    id: letter.id,
    status,
    template: storedTemplate(letter.template),
    recipientType: recipient(letter.recipientType),
    language: letter.language,
    version: letter.currentVersion,
    header: {
      to: letter.toLine,
      from: letter.fromLine,
      date: letter.letterDate.toISOString().slice(0, 10),
      re: letter.subject,
      patient: parsePatient(letter.patient),
    },
    content,
    error: status === 'failed' ? (letter.job?.errorMessage ?? 'The letter could not be drafted.') : null,
    jobId: letter.jobId,
    analysisJobId: letter.analysisJobId,
    createdAt: letter.createdAt.toISOString(),
    updatedAt: letter.updatedAt.toISOString(),
    links: {
      self,
      pdf: content ? `${self}/pdf` : null,
      job: letter.jobId ? `${API_BASE}/jobs/${letter.jobId}` : null,
      analysis: letter.analysisJobId ? `${API_BASE}/jobs/${letter.analysisJobId}` : null,
    },
  };
}

export function getApiLetter(db: Db, principal: Pick<ApiPrincipal, 'actor' | 'keyId'>, letterId: string, context: RequestContext | null): Promise<ApiLetter> {
  return loadApiLetter(db, principal, letterId, context, true);
}

/**
 * POST /api/v1/jobs/{id}/letters: the body is the web form's letter request.
 * Idempotency-Key works as for jobs (24 hours, per API key).
 */
export async function submitApiLetter(
  db: Db,
  principal: ApiPrincipal,
  analysisJobId: string,
  request: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  context: RequestContext | null,
  deps: { enqueue?: Enqueue; now?: () => Date } = {},
): Promise<{ letter: ApiLetter; replayed: boolean }> {
  const { actor } = principal;
  assertJobId(analysisJobId);
  const header = idempotencyHeader(request.headers);
  const key = storedIdempotencyKey(principal.keyId, 'l', header);
  const now = deps.now?.() ?? new Date();
  if (header !== null) {
    const existing = await claimIdempotencyKey(db, actor.organizationId, key, now);
    const letter = existing ? await db.letter.findFirst({ where: { jobId: existing, organizationId: actor.organizationId }, select: { id: true } }) : null;
    if (letter) return { letter: await loadApiLetter(db, principal, letter.id, context, false), replayed: true };
  }
  if (!isJson(request.headers)) {
    throw new AppError('unsupported_media_type', { message: 'letter body not json', userMessage: 'Send the letter request as application/json.' });
  }
  // Checked here too so field errors carry the API's paths ("reason.text"), not the web form's names.
  const parsed = letterCreateSchema.safeParse(await readJson(request.headers, request.body));
  if (!parsed.success) throw new AppError('validation_failed', { message: 'invalid letter request', fieldErrors: apiFieldErrors(parsed.error) });
  const started = await submitLetterJob(db, actor, { analysisJobId, idempotencyKey: key, request: parsed.data }, context, { enqueue: deps.enqueue, now: deps.now });
  return { letter: await loadApiLetter(db, principal, started.letterId, context, false), replayed: started.duplicate };
}

export interface ApiPdf {
  stream: Readable;
  byteSize: number;
  contentDisposition: string;
  sha256: string;
}

/** GET /api/v1/letters/{id}/pdf: the current version's PDF (rendered and stored on first download). */
export async function openApiLetterPdf(db: Db, storage: ObjectStorage, actor: Actor, letterId: string, context: RequestContext | null): Promise<ApiPdf> {
  const pdf = await openLetterPdf(db, storage, actor, letterId, context);
  return { stream: pdf.stream, byteSize: pdf.byteSize, contentDisposition: pdf.contentDisposition, sha256: pdf.sha256 };
}
