// Jobs that need an operator: failed in the last week, or stuck (running with no
// progress for 15 minutes, queued for 30). Only what diagnoses the job leaves
// this module: ids, the clinic's name, type, status, stage, the error CODE and
// times. Never titles, patient names, input or result (PHI), nor the member-facing
// error message (it may quote what the member typed).
import 'server-only';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { fieldErrorsOf } from '@/lib/auth/update-profile';
import type { Db } from '@/lib/db/client';
import type { JobStatus, JobType } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { jobNotFound } from '@/lib/jobs/access';
import { retryJob, retryKeyFor } from '@/lib/jobs/manage';
import type { Enqueue } from '@/lib/jobs/queue';
import { recordConsoleView, requireOperator } from './operators';
import { retryJobInputSchema } from './schemas';

export const FAILED_WINDOW_DAYS = 7;
export const STUCK_RUNNING_MINUTES = 15;
export const STUCK_QUEUED_MINUTES = 30;
export const PROBLEM_JOBS_SHOWN = 200;

export type JobProblem = 'failed' | 'stuck_running' | 'stuck_queued';

export interface ProblemJobRow {
  id: string;
  organizationId: string;
  clinicName: string;
  type: JobType;
  status: JobStatus;
  stage: string;
  problem: JobProblem;
  errorCode: string | null;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  /** The last change of the row: how long a stuck job has been silent. */
  updatedAt: Date;
  finishedAt: Date | null;
  /** The job a retry (by a member or an operator) started, if any. */
  retriedAs: string | null;
  /** Whether the console offers Retry: failed, not a letter (letters are drafted again), not retried yet. */
  retryable: boolean;
}

function problemOf(job: { status: JobStatus }): JobProblem {
  return job.status === 'failed' ? 'failed' : job.status === 'running' ? 'stuck_running' : 'stuck_queued';
}

export async function listProblemJobs(db: Db, userId: string, context: RequestContext | null, options: { now?: Date } = {}): Promise<ProblemJobRow[]> {
  const operator = await requireOperator(db, userId);
  const now = (options.now ?? new Date()).getTime();
  const minutesAgo = (m: number) => new Date(now - m * 60_000);
  const jobs = await db.job.findMany({
    where: {
      OR: [
        { status: 'failed', updatedAt: { gte: minutesAgo(FAILED_WINDOW_DAYS * 24 * 60) } },
        // A running job's row changes at every stage; silence this long means no worker is moving it.
        { status: 'running', updatedAt: { lt: minutesAgo(STUCK_RUNNING_MINUTES) } },
        { status: 'queued', updatedAt: { lt: minutesAgo(STUCK_QUEUED_MINUTES) } },
      ],
    },
    orderBy: { updatedAt: 'desc' },
    take: PROBLEM_JOBS_SHOWN,
    select: {
      id: true,
      organizationId: true,
      type: true,
      status: true,
      stage: true,
      errorCode: true,
      attempts: true,
      createdAt: true,
      startedAt: true,
      updatedAt: true,
      finishedAt: true,
      organization: { select: { name: true } },
    },
  });
  const retries = await db.job.findMany({
    where: { idempotencyKey: { in: jobs.map((j) => retryKeyFor(j.id)) } },
    select: { id: true, idempotencyKey: true },
  });
  const retryOf = new Map(retries.map((r) => [r.idempotencyKey, r.id]));
  const rows = jobs.map((job): ProblemJobRow => {
    const retriedAs = retryOf.get(retryKeyFor(job.id)) ?? null;
    return {
      id: job.id,
      organizationId: job.organizationId,
      clinicName: job.organization.name,
      type: job.type,
      status: job.status,
      stage: job.stage,
      problem: problemOf(job),
      errorCode: job.errorCode,
      attempts: job.attempts,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      updatedAt: job.updatedAt,
      finishedAt: job.finishedAt,
      retriedAs,
      retryable: job.status === 'failed' && job.type !== 'letter' && retriedAs === null,
    };
  });
  const stuck = rows.filter((r) => r.problem !== 'failed').length;
  await recordConsoleView(db, operator, 'problem_jobs', context, { failed: rows.length - stuck, stuck });
  return rows;
}

/**
 * Starts a failed job again for its clinic, the way a member's Retry does
 * (lib/jobs/manage.ts: a new job with the same input, its own quota unit, the
 * same once-only retry key). The operator acts in the job's clinic with an
 * admin's reach; the clinic's chain records job.retried and job.started by the
 * operator's user and operator.job_retried ({ operator: true }) in the same
 * transaction as the new job.
 */
export async function retryJobAsOperator(
  db: Db,
  userId: string,
  input: unknown,
  context: RequestContext | null,
  deps: { enqueue?: Enqueue } = {},
): Promise<{ jobId: string; duplicate: boolean }> {
  const operator = await requireOperator(db, userId);
  const parsed = retryJobInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { jobId } = parsed.data;
  const job = await db.job.findUnique({ where: { id: jobId }, select: { organizationId: true, type: true, status: true } });
  if (!job) throw jobNotFound();
  if (job.status !== 'failed') {
    throw new AppError('conflict', {
      message: `operator retry of a ${job.status} job`,
      userMessage:
        job.status === 'running' || job.status === 'queued'
          ? 'This job has not failed yet. The sweeper fails a job whose queue entry is gone; retry it then.'
          : `This job is ${job.status}; only failed jobs are retried from the console.`,
    });
  }
  const actor: Actor = { userId: operator.userId, organizationId: job.organizationId, role: 'admin' };
  let created = false;
  const result = await retryJob(db, actor, jobId, context, {
    enqueue: deps.enqueue,
    afterRetry: async (tx, newJobId) => {
      created = true;
      await recordAudit(tx, {
        organizationId: job.organizationId,
        actorUserId: operator.userId,
        event: 'operator.job_retried',
        targetType: 'job',
        targetId: jobId,
        metadata: { operator: true, type: job.type, newJobId },
        request: context,
      });
    },
  });
  return { jobId: result.jobId, duplicate: !created };
}
