// What every new job is, whatever its type: the row, its quota reservation, its
// first event, the `job.started` audit record and its queue entry, written inside
// the caller's transaction so that either all of them exist or none does.
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import type { AuditMetadata } from '@/lib/audit/events';
import type { Actor } from '@/lib/auth/authorize';
import type { JobType, Prisma } from '@/lib/db/generated/client';
import { assertClinicAcceptsJobs } from '@/lib/data-controls/state';
import { jobPayloadFor } from '@/lib/observability/log-context';
import { reserveJobQuota } from '@/lib/usage/quota';
import { writeJobEvent } from './events';
import type { Enqueue } from './queue';

export interface QueuedJobInput {
  type: JobType;
  queue: string;
  /** pg-boss priority: higher runs first. */
  priority: number;
  title: string | null;
  uploadId: string | null;
  inputText: string | null;
  options: object;
  idempotencyKey: string | null;
  sourceJobId?: string | null;
  /** Ids, choices and flags for the audit record (never PHI); `type` and `priority` are added. */
  auditMetadata: AuditMetadata;
}

export async function insertQueuedJob(tx: Tx, actor: Actor, job: QueuedJobInput, context: RequestContext | null, enqueue: Enqueue): Promise<string> {
  const { organizationId, userId } = actor;
  // A clinic waiting out its deletion grace period starts nothing new.
  await assertClinicAcceptsJobs(tx, organizationId);
  // The row first (so the reservation can name it); the reservation then throws
  // quota_exceeded before anything else is written, and the transaction undoes the row.
  const created = await tx.job.create({
    data: {
      organizationId,
      createdById: userId,
      type: job.type,
      status: 'queued',
      stage: 'received',
      progress: 0,
      title: job.title,
      uploadId: job.uploadId,
      inputText: job.inputText,
      options: job.options as Prisma.InputJsonValue,
      priority: job.priority,
      idempotencyKey: job.idempotencyKey,
      sourceJobId: job.sourceJobId ?? null,
    },
    select: { id: true },
  });
  await reserveJobQuota(tx, { organizationId, userId, jobType: job.type, jobId: created.id });
  await writeJobEvent(tx, { jobId: created.id, organizationId, status: 'queued', stage: 'received', progress: 0 });
  await recordAudit(tx, {
    organizationId,
    actorUserId: userId,
    event: 'job.started',
    targetType: 'job',
    targetId: created.id,
    metadata: { type: job.type, ...job.auditMetadata, priority: job.priority },
    request: context,
  });
  // Only the id crosses the queue: the row holds the input (and any PHI).
  const bossJobId = await enqueue(tx, job.queue, jobPayloadFor(created.id), { priority: job.priority });
  await tx.job.update({ where: { id: created.id }, data: { bossJobId } });
  return created.id;
}
