// A job's stage history. Every event is announced on the `job_events` channel in
// the same statement (delivered at commit), so live views never see an event
// whose change rolled back. The payload is the job id only: no PHI on the wire.
import type { Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import type { JobStatus } from '@/lib/db/generated/client';

export const JOB_EVENTS_CHANNEL = 'job_events';
/** Worker-facing: a running job whose cancellation was requested. */
export const JOB_CANCEL_CHANNEL = 'job_cancel';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];

export interface JobEventInput {
  jobId: string;
  organizationId: string;
  status: JobStatus;
  stage: string;
  progress: number;
  /** Never PHI: a fixed phrase such as "retrying" or "cancel requested". */
  message?: string | null;
}

export async function writeJobEvent(tx: Tx | Db, event: JobEventInput): Promise<bigint> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    WITH e AS (
      INSERT INTO job_events (job_id, organization_id, status, stage, progress, message)
      VALUES (${event.jobId}::uuid, ${event.organizationId}::uuid, ${event.status}::"JobStatus", ${event.stage}, ${event.progress}, ${event.message ?? null})
      RETURNING id
    )
    SELECT e.id FROM e CROSS JOIN LATERAL (SELECT pg_notify(${JOB_EVENTS_CHANNEL}, ${event.jobId})) AS n`;
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('job event not written');
  return id;
}
