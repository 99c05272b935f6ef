// Fax triage jobs in the data layer: submission (every role, staff included),
// the triage page's view, ticking tasks off, opening the full analysis of the
// same document, and the staff inbox. Submission follows lib/jobs/submit.ts: the
// job row, its quota reservation, first event, audit record and queue entry in
// one transaction. Everything is scoped to the actor's clinic.
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { fieldErrorsOf } from '@/lib/auth/update-profile';
import { getClinicPlan } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import type { JobStatus, Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { assertJobSubmissionAllowed } from '@/lib/ratelimit/jobs';
import { parseTriageTaskKey, triageResultSchema, triageTaskKey, type TriageResult, type TriageTaskList } from '@/lib/triage/schema';
import { assertJobId, assertMayRunAnalysis, jobNotFound } from './access';
import { insertQueuedJob } from './create';
import { enqueueInTransaction, type Enqueue } from './queue';
import { TRIAGE_QUEUE } from './queues';
import { DOCUMENT_KINDS, PRIORITY_QUEUE_PRIORITY, createAnalysisJob } from './submit';
import { submitTriageSchema } from './triage-input';

export interface TriageSubmitDeps {
  enqueue?: Enqueue;
  /** Runs inside the job's transaction once it exists (a retry records itself there). */
  afterCreate?: (tx: Tx, jobId: string) => Promise<void>;
}

export interface TriageTaskView {
  key: string;
  list: TriageTaskList;
  text: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
}

export interface TriageView {
  jobId: string;
  status: JobStatus;
  result: TriageResult | null;
  tasks: TriageTaskView[];
  upload: { id: string; name: string; kind: string } | null;
  analysisJobs: { id: string; status: string }[];
}

export interface TriageInboxItem {
  id: string;
  title: string | null;
  urgency: TriageResult['urgency'] | null;
  documentType: TriageResult['documentType'] | null;
  from: string | null;
  patientName: string | null;
  createdAt: string;
  openTasks: number;
  totalTasks: number;
  status: JobStatus;
}

export interface TriageInbox {
  items: TriageInboxItem[];
  counts: { urgent: number; soon: number; routine: number; pending: number };
  total: number;
  page: number;
  pageSize: number;
}

export const TRIAGE_INBOX_PAGE_SIZE = 25;

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown }).code === 'P2002';

async function jobIdByKey(db: Db | Tx, organizationId: string, idempotencyKey: string): Promise<string | null> {
  const job = await db.job.findUnique({ where: { organizationId_idempotencyKey: { organizationId, idempotencyKey } }, select: { id: true } });
  return job?.id ?? null;
}

async function checkTriageUpload(tx: Tx, organizationId: string, uploadId: string): Promise<void> {
  const upload = await tx.upload.findFirst({ where: { id: uploadId, organizationId }, select: { kind: true, deletedAt: true } });
  if (!upload) throw new AppError('not_found', { message: 'no such upload in the clinic', userMessage: 'We could not find that file. Upload it again.' });
  if (upload.deletedAt) throw new AppError('not_found', { message: 'upload bytes deleted', userMessage: 'That file was deleted from Maneiro. Upload it again to triage it.' });
  if (!DOCUMENT_KINDS.includes(upload.kind)) {
    throw new AppError('validation_failed', {
      message: `upload kind ${upload.kind} is not a document`,
      fieldErrors: { uploadId: ['Only documents (PDF, Word, text or an image of a page) can be triaged. Audio recordings are transcribed instead.'] },
    });
  }
}

/** Starts a triage. Every member of the clinic may (the front desk triages incoming faxes). */
export async function submitTriageJob(
  db: Db,
  actor: Actor,
  input: unknown,
  context: RequestContext | null,
  deps: TriageSubmitDeps = {},
): Promise<{ jobId: string; duplicate: boolean }> {
  const parsed = submitTriageSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const data = parsed.data;
  const { organizationId } = actor;
  const existing = await jobIdByKey(db, organizationId, data.idempotencyKey);
  if (existing) return { jobId: existing, duplicate: true };
  await assertJobSubmissionAllowed(db, actor);
  const enqueue = deps.enqueue ?? enqueueInTransaction;
  const uploadId = data.uploadId ?? null;
  try {
    const jobId = await db.$transaction(
      async (tx) => {
        if (uploadId) await checkTriageUpload(tx, organizationId, uploadId);
        const clinicPlan = await getClinicPlan(tx, organizationId);
        const priority = clinicPlan.plan.features.has('priorityQueue') ? PRIORITY_QUEUE_PRIORITY : 0;
        const jobId = await insertQueuedJob(
          tx,
          actor,
          {
            type: 'triage',
            queue: TRIAGE_QUEUE,
            priority,
            title: data.title ?? null,
            uploadId,
            inputText: uploadId ? null : (data.text ?? null),
            options: { handwritten: data.handwritten },
            idempotencyKey: data.idempotencyKey,
            auditMetadata: { source: uploadId ? 'upload' : 'text', handwritten: data.handwritten },
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
      const winner = await jobIdByKey(db, organizationId, data.idempotencyKey);
      if (winner) return { jobId: winner, duplicate: true };
    }
    throw error;
  }
}

/** The stored result, or null when absent or not a valid triage (never trusted blindly). */
export function parseTriageResult(value: Prisma.JsonValue | null): TriageResult | null {
  if (value === null) return null;
  const parsed = triageResultSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

async function findTriageJob(db: Db | Tx, actor: Actor, jobId: string) {
  assertJobId(jobId);
  const job = await db.job.findFirst({
    where: { id: jobId, organizationId: actor.organizationId, type: 'triage' },
    select: { id: true, status: true, result: true, uploadId: true, inputText: true, options: true, title: true },
  });
  if (!job) throw jobNotFound();
  return job;
}

function tasksOf(result: TriageResult | null): { key: string; list: TriageTaskList; index: number; text: string }[] {
  if (!result) return [];
  return [
    ...result.frontDeskTasks.map((text, index) => ({ key: triageTaskKey('front_desk', index), list: 'front_desk' as const, index, text })),
    ...result.doctorTasks.map((text, index) => ({ key: triageTaskKey('doctor', index), list: 'doctor' as const, index, text })),
  ];
}

export async function getTriageView(db: Db, actor: Actor, jobId: string): Promise<TriageView> {
  const job = await findTriageJob(db, actor, jobId);
  const result = parseTriageResult(job.result);
  const [states, upload, derived] = await Promise.all([
    db.triageTaskState.findMany({
      where: { jobId, organizationId: actor.organizationId },
      select: { taskKey: true, doneAt: true, doneBy: { select: { name: true } } },
    }),
    job.uploadId
      ? db.upload.findFirst({ where: { id: job.uploadId, organizationId: actor.organizationId }, select: { id: true, originalName: true, kind: true } })
      : Promise.resolve(null),
    db.job.findMany({
      where: { sourceJobId: jobId, organizationId: actor.organizationId, type: 'analysis' },
      orderBy: { createdAt: 'desc' },
      select: { id: true, status: true },
    }),
  ]);
  const byKey = new Map(states.map((s) => [s.taskKey, s]));
  return {
    jobId: job.id,
    status: job.status,
    result,
    tasks: tasksOf(result).map((t) => {
      const state = byKey.get(t.key);
      return { key: t.key, list: t.list, text: t.text, done: state !== undefined, doneAt: state?.doneAt.toISOString() ?? null, doneBy: state?.doneBy?.name ?? null };
    }),
    upload: upload ? { id: upload.id, name: upload.originalName, kind: upload.kind } : null,
    analysisJobs: derived.map((d) => ({ id: d.id, status: d.status })),
  };
}

/** Ticks a task off (or back on). Idempotent: ticking a done task again changes nothing and is not audited. */
export async function setTriageTask(
  db: Db,
  actor: Actor,
  jobId: string,
  input: { key: string; done: boolean },
  context: RequestContext | null,
): Promise<{ key: string; done: boolean }> {
  assertJobId(jobId);
  const parsedKey = typeof input?.key === 'string' ? parseTriageTaskKey(input.key) : null;
  if (typeof input?.done !== 'boolean') throw new AppError('validation_failed', { fieldErrors: { done: ['Say whether the task is done.'] } });
  return db.$transaction(async (tx) => {
    const job = await findTriageJob(tx, actor, jobId);
    const result = parseTriageResult(job.result);
    if (!result) {
      throw new AppError('conflict', { message: `triage job is ${job.status}`, userMessage: 'This document has not been triaged yet, so it has no tasks to tick off.' });
    }
    const task = parsedKey ? tasksOf(result).find((t) => t.list === parsedKey.list && t.index === parsedKey.index) : undefined;
    if (!task || !parsedKey) throw new AppError('validation_failed', { message: 'unknown triage task key', fieldErrors: { key: ['That task is not on this triage. Reload the page.'] } });
    const where = { jobId_taskKey: { jobId, taskKey: task.key } };
    const existing = await tx.triageTaskState.findUnique({ where, select: { jobId: true } });
    if ((existing !== null) === input.done) return { key: task.key, done: input.done };
    if (input.done) {
      await tx.triageTaskState.create({ data: { jobId, organizationId: actor.organizationId, taskKey: task.key, doneById: actor.userId } });
    } else {
      await tx.triageTaskState.delete({ where });
    }
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'triage.task_updated',
      targetType: 'job',
      targetId: jobId,
      metadata: { list: task.list, index: task.index, done: input.done },
      request: context,
    });
    return { key: task.key, done: input.done };
  });
}

/**
 * "Open the full analysis": an analysis of the triaged document, linked to the
 * triage (sourceJobId). A live or finished one is returned instead of a second.
 */
export async function analyzeTriagedDocument(
  db: Db,
  actor: Actor,
  jobId: string,
  input: { idempotencyKey: string },
  context: RequestContext | null,
  deps: TriageSubmitDeps = {},
): Promise<{ jobId: string; duplicate: boolean }> {
  assertJobId(jobId);
  assertMayRunAnalysis(actor, 'start');
  const key = input?.idempotencyKey;
  if (typeof key !== 'string' || key.length < 8 || key.length > 100) {
    throw new AppError('validation_failed', { fieldErrors: { idempotencyKey: ['The form is missing its submission key; reload the page and try again.'] } });
  }
  const triage = await findTriageJob(db, actor, jobId);
  const byKey = await jobIdByKey(db, actor.organizationId, key);
  if (byKey) return { jobId: byKey, duplicate: true };
  const live = await db.job.findFirst({
    where: { sourceJobId: jobId, organizationId: actor.organizationId, type: 'analysis', status: { in: ['queued', 'running', 'succeeded'] } },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  if (live) return { jobId: live.id, duplicate: true };
  if (!triage.uploadId && !triage.inputText) {
    throw new AppError('conflict', { message: 'triage without input', userMessage: 'The document of this triage is no longer stored, so it cannot be analysed. Upload it again.' });
  }
  await assertJobSubmissionAllowed(db, actor);
  const handwritten = (triage.options as { handwritten?: unknown } | null)?.handwritten === true;
  try {
    const newId = await db.$transaction(
      async (tx) => {
        const id = await createAnalysisJob(
          tx,
          actor,
          { uploadId: triage.uploadId, inputText: triage.uploadId ? null : triage.inputText, options: { specialty: 'auto', handwritten }, title: triage.title, idempotencyKey: key },
          context,
          deps.enqueue ?? enqueueInTransaction,
        );
        await tx.job.update({ where: { id }, data: { sourceJobId: jobId } });
        return id;
      },
      { timeout: 15_000 },
    );
    return { jobId: newId, duplicate: false };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await jobIdByKey(db, actor.organizationId, key);
      if (winner) return { jobId: winner, duplicate: true };
    }
    throw error;
  }
}

interface InboxRow {
  id: string;
  title: string | null;
  urgency: string | null;
  document_type: string | null;
  from_provider: string | null;
  from_clinic: string | null;
  from_fax: string | null;
  patient_name: string | null;
  created_at: Date;
  status: JobStatus;
  total_tasks: number;
  done_tasks: number;
}

const URGENCY_VALUES = new Set(['urgent', 'soon', 'routine']);
const TYPE_VALUES = new Set(['referral_request', 'consultation_report', 'lab_results', 'insurance', 'records_request', 'prescription', 'correspondence', 'marketing', 'other']);

/**
 * The staff inbox: triaged documents with open tasks first, then pending ones,
 * then the rest; within each, urgent before soon before routine, oldest first.
 * "open" (the default) hides finished documents whose tasks are all done and
 * failed or canceled triages. Counts: open documents per urgency, and pending ones.
 */
export async function listTriageInbox(db: Db, actor: Actor, filters: { status?: 'open' | 'all'; page?: number } = {}): Promise<TriageInbox> {
  const status = filters.status === 'all' ? 'all' : 'open';
  const page = Number.isInteger(filters.page) && (filters.page ?? 0) >= 1 ? Math.min(filters.page!, 100_000) : 1;
  const pageSize = TRIAGE_INBOX_PAGE_SIZE;
  const orgId = actor.organizationId;
  const openOnly = status === 'open';
  // One pass over the clinic's triage jobs: task totals from the stored result, done counts from the tick table.
  const rows = await db.$queryRaw<InboxRow[]>`
    WITH t AS (
      SELECT j.id, j.title, j.urgency, j.status, j.created_at, j.patient_name,
        j.result->>'documentType' AS document_type,
        j.result->'from'->>'provider' AS from_provider,
        j.result->'from'->>'clinic' AS from_clinic,
        j.result->'from'->>'fax' AS from_fax,
        (CASE WHEN j.status = 'succeeded' THEN COALESCE(jsonb_array_length(j.result->'frontDeskTasks'), 0) + COALESCE(jsonb_array_length(j.result->'doctorTasks'), 0) ELSE 0 END)::int AS total_tasks,
        (SELECT count(*) FROM triage_task_states s WHERE s.job_id = j.id AND s.organization_id = ${orgId}::uuid)::int AS done_tasks
      FROM jobs j
      WHERE j.organization_id = ${orgId}::uuid AND j.type = 'triage'
    ), g AS (
      SELECT t.*,
        CASE WHEN t.status = 'succeeded' AND t.total_tasks > t.done_tasks THEN 0
             WHEN t.status IN ('queued', 'running') THEN 1 ELSE 2 END AS grp
      FROM t
    )
    SELECT id, title, urgency, document_type, from_provider, from_clinic, from_fax, patient_name, created_at, status, total_tasks, done_tasks
    FROM g
    WHERE ${openOnly}::boolean = false OR grp < 2
    ORDER BY grp, CASE urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 WHEN 'routine' THEN 2 ELSE 3 END, created_at ASC, id
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
  const countRows = await db.$queryRaw<{ urgent: number; soon: number; routine: number; pending: number; total_open: number; total_all: number }[]>`
    WITH t AS (
      SELECT j.status, j.urgency,
        (CASE WHEN j.status = 'succeeded' THEN COALESCE(jsonb_array_length(j.result->'frontDeskTasks'), 0) + COALESCE(jsonb_array_length(j.result->'doctorTasks'), 0) ELSE 0 END)
          - (SELECT count(*) FROM triage_task_states s WHERE s.job_id = j.id AND s.organization_id = ${orgId}::uuid) AS open_tasks
      FROM jobs j
      WHERE j.organization_id = ${orgId}::uuid AND j.type = 'triage'
    )
    SELECT
      count(*) FILTER (WHERE status = 'succeeded' AND open_tasks > 0 AND urgency = 'urgent')::int AS urgent,
      count(*) FILTER (WHERE status = 'succeeded' AND open_tasks > 0 AND urgency = 'soon')::int AS soon,
      count(*) FILTER (WHERE status = 'succeeded' AND open_tasks > 0 AND urgency = 'routine')::int AS routine,
      count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS pending,
      count(*) FILTER (WHERE (status = 'succeeded' AND open_tasks > 0) OR status IN ('queued', 'running'))::int AS total_open,
      count(*)::int AS total_all
    FROM t`;
  const c = countRows[0] ?? { urgent: 0, soon: 0, routine: 0, pending: 0, total_open: 0, total_all: 0 };
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      urgency: r.urgency && URGENCY_VALUES.has(r.urgency) ? (r.urgency as TriageResult['urgency']) : null,
      documentType: r.document_type && TYPE_VALUES.has(r.document_type) ? (r.document_type as TriageResult['documentType']) : null,
      from: r.from_provider ?? r.from_clinic ?? r.from_fax ?? null,
      patientName: r.patient_name,
      createdAt: r.created_at.toISOString(),
      openTasks: Math.max(0, r.total_tasks - r.done_tasks),
      totalTasks: r.total_tasks,
      status: r.status,
    })),
    counts: { urgent: c.urgent, soon: c.soon, routine: c.routine, pending: c.pending },
    total: openOnly ? c.total_open : c.total_all,
    page,
    pageSize,
  };
}
