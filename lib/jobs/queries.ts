// Reading jobs: the clinic's list (filters, search, pages), one job's page, and
// the PHI-free status used by polling and the live stream. Every member of the
// clinic may read its jobs; nothing crosses clinics.
import { z } from 'zod';
import { analysisResultSchema, type AnalysisResult } from '@/lib/analysis/schema';
import { recordView, type RequestContext } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import type { JobStatus, JobType, Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { ANALYSIS_ROLES, assertJobId, jobNotFound } from './access';
import { SPECIALTY_CHOICES, type SpecialtyChoice } from './analysis-input';
import { RETRY_KEY_PREFIX, retryKeyFor } from './manage';
import type { JobDetail, JobListItem, JobStatusView } from './types';

export const JOB_TYPES = ['analysis', 'transcription', 'letter', 'triage'] as const satisfies readonly JobType[];
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const satisfies readonly JobStatus[];
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface JobListFilters {
  type?: JobType;
  status?: JobStatus;
  memberId?: string;
  /** YYYY-MM-DD (UTC), inclusive. */
  from?: string;
  /** YYYY-MM-DD (UTC), inclusive. */
  to?: string;
  /** Searches titles and patient names. */
  q?: string;
  page?: number;
  pageSize?: number;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use a date like 2026-03-31.' })
  // Date.parse rolls 2026-02-31 over to March: the round trip catches it.
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, { message: 'That date does not exist.' });

const filtersSchema = z.object({
  type: z.enum(JOB_TYPES, { message: 'Choose a job type from the list.' }).optional(),
  status: z.enum(JOB_STATUSES, { message: 'Choose a status from the list.' }).optional(),
  memberId: z.uuid({ message: 'Choose a member from the list.' }).optional(),
  from: day.optional(),
  to: day.optional(),
  q: z.string().trim().max(200, { message: 'Keep the search to 200 characters or fewer.' }).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const listSelect = {
  id: true,
  type: true,
  status: true,
  stage: true,
  progress: true,
  title: true,
  patientName: true,
  uploadId: true,
  options: true,
  createdAt: true,
  finishedAt: true,
  errorMessage: true,
  createdBy: { select: { id: true, name: true } },
} as const satisfies Prisma.JobSelect;

type ListRow = Prisma.JobGetPayload<{ select: typeof listSelect }>;

function specialtyOf(options: Prisma.JsonValue): SpecialtyChoice | null {
  const value = (options as { specialty?: unknown } | null)?.specialty;
  return typeof value === 'string' && (SPECIALTY_CHOICES as readonly string[]).includes(value) ? (value as SpecialtyChoice) : null;
}

function toListItem(row: ListRow): JobListItem {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    stage: row.stage,
    progress: row.progress,
    title: row.title,
    patientName: row.patientName,
    source: row.uploadId ? 'upload' : 'text',
    specialty: specialtyOf(row.options),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    errorMessage: row.errorMessage,
  };
}

export async function listJobs(
  db: Db,
  actor: Actor,
  filters: JobListFilters,
): Promise<{ jobs: JobListItem[]; total: number; page: number; pageSize: number; members: { id: string; name: string }[] }> {
  const parsed = filtersSchema.safeParse(filters);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
    throw new AppError('validation_failed', { fieldErrors });
  }
  const f = parsed.data;
  const where: Prisma.JobWhereInput = { organizationId: actor.organizationId };
  if (f.type) where.type = f.type;
  if (f.status) where.status = f.status;
  if (f.memberId) where.createdById = f.memberId;
  if (f.from || f.to) {
    where.createdAt = {
      ...(f.from ? { gte: new Date(`${f.from}T00:00:00Z`) } : {}),
      ...(f.to ? { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) } : {}),
    };
  }
  if (f.q) {
    where.OR = [{ title: { contains: f.q, mode: 'insensitive' } }, { patientName: { contains: f.q, mode: 'insensitive' } }];
  }
  const [rows, total, members] = await Promise.all([
    db.job.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (f.page - 1) * f.pageSize, take: f.pageSize, select: listSelect }),
    db.job.count({ where }),
    db.membership.findMany({
      where: { organizationId: actor.organizationId },
      orderBy: { user: { name: 'asc' } },
      select: { user: { select: { id: true, name: true } } },
    }),
  ]);
  return { jobs: rows.map(toListItem), total, page: f.page, pageSize: f.pageSize, members: members.map((m) => m.user) };
}

/** The stored analysis result, or null when absent or not valid against the schema (never trusted blindly). */
export function parseAnalysisResult(value: Prisma.JsonValue | null): AnalysisResult | null {
  if (value === null) return null;
  const parsed = analysisResultSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function parseNotices(value: Prisma.JsonValue): string[] {
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : [];
}

/** One job's page. Records that the member viewed it (ids only in the audit row). */
export async function getJobDetail(db: Db, actor: Actor, jobId: string, context: RequestContext | null): Promise<JobDetail> {
  assertJobId(jobId);
  const job = await db.job.findFirst({
    where: { id: jobId, organizationId: actor.organizationId },
    select: {
      ...listSelect,
      attempts: true,
      errorCode: true,
      cancelRequestedAt: true,
      startedAt: true,
      updatedAt: true,
      result: true,
      notices: true,
      extractedText: true,
      inputText: true,
      idempotencyKey: true,
      sourceJobId: true,
      upload: { select: { id: true, originalName: true, kind: true, deletedAt: true } },
      events: { orderBy: { id: 'asc' }, select: { id: true, status: true, stage: true, progress: true, message: true, createdAt: true } },
    },
  });
  if (!job) throw jobNotFound();
  const retriedBy = await db.job.findUnique({
    where: { organizationId_idempotencyKey: { organizationId: actor.organizationId, idempotencyKey: retryKeyFor(job.id) } },
    select: { id: true },
  });
  await db.$transaction((tx) =>
    recordView(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'job.viewed',
      targetType: 'job',
      targetId: job.id,
      metadata: { type: job.type, status: job.status },
      request: context,
    }),
  );
  const mayRun = ANALYSIS_ROLES.includes(actor.role) && job.type === 'analysis';
  return {
    ...toListItem(job),
    sourceJobId: job.sourceJobId,
    handwritten: (job.options as { handwritten?: unknown } | null)?.handwritten === true,
    attempts: job.attempts,
    errorCode: job.errorCode,
    cancelRequested: job.cancelRequestedAt !== null && job.status === 'running',
    startedAt: job.startedAt,
    updatedAt: job.updatedAt,
    result: parseAnalysisResult(job.result),
    notices: parseNotices(job.notices),
    extractedText: job.extractedText,
    inputText: job.inputText,
    upload: job.upload ? { id: job.upload.id, name: job.upload.originalName, kind: job.upload.kind, deleted: job.upload.deletedAt !== null } : null,
    events: job.events.map((e) => ({ ...e, id: e.id.toString() })),
    retryOf: job.idempotencyKey?.startsWith(RETRY_KEY_PREFIX) ? job.idempotencyKey.slice(RETRY_KEY_PREFIX.length) : null,
    retriedBy: retriedBy?.id ?? null,
    canCancel: mayRun && (job.status === 'queued' || (job.status === 'running' && job.cancelRequestedAt === null)),
    canRetry: mayRun && (job.status === 'failed' || job.status === 'canceled') && !retriedBy,
  };
}

/** Status only (no PHI, no audit): for polling and the live stream. */
export async function getJobStatus(db: Db, actor: Actor, jobId: string): Promise<JobStatusView> {
  assertJobId(jobId);
  const job = await db.job.findFirst({
    where: { id: jobId, organizationId: actor.organizationId },
    select: {
      id: true,
      status: true,
      stage: true,
      progress: true,
      errorMessage: true,
      updatedAt: true,
      events: { orderBy: { id: 'desc' }, take: 1, select: { id: true } },
    },
  });
  if (!job) throw jobNotFound();
  return {
    id: job.id,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    errorMessage: job.errorMessage,
    lastEventId: job.events[0]?.id.toString() ?? null,
    updatedAt: job.updatedAt,
  };
}
