// The monthly job quota. A job reserves one unit when it is accepted (in the same
// transaction as the job row), commits it when it succeeds and releases it when it
// fails or is canceled, so failed jobs do not count. The reservation is a single
// conditional UPDATE on the period's counter: concurrent reservations queue on the
// row and each re-checks the limit, so the counter can never pass it.
import type { Tx } from '@/lib/audit/record';
import { getClinicPlan, type ClinicPlan } from '@/lib/billing/entitlements';
import { formatQuota } from '@/lib/billing/plans';
import type { Db } from '@/lib/db/client';
import type { JobType } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';

export interface Reservation {
  reservationId: string;
  periodStart: Date;
  periodEnd: Date;
  /** Jobs counted in the period, this one included. */
  used: number;
  limit: number | null;
}

const formatDay = (date: Date) => date.toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function quotaExceededMessage(clinicPlan: ClinicPlan): string {
  const { plan, period } = clinicPlan;
  return (
    `Your clinic has used all ${formatQuota(plan.monthlyJobQuota)} jobs of the ${plan.name} plan for this period. ` +
    `The count starts again on ${formatDay(period.end)}. Upgrade your plan for more jobs.`
  );
}

export async function reserveJobQuota(
  tx: Tx,
  input: { organizationId: string; userId: string | null; jobType: JobType; jobId?: string | null },
  now = new Date(),
): Promise<Reservation> {
  const clinicPlan = await getClinicPlan(tx, input.organizationId, now);
  const { period, plan } = clinicPlan;
  const limit = plan.monthlyJobQuota;
  await tx.$executeRaw`
    INSERT INTO usage_counters (organization_id, period_start, period_end, used)
    VALUES (${input.organizationId}::uuid, ${period.start}, ${period.end}, 0)
    ON CONFLICT (organization_id, period_start) DO NOTHING`;
  const rows = await tx.$queryRaw<{ used: number }[]>`
    UPDATE usage_counters SET used = used + 1
    WHERE organization_id = ${input.organizationId}::uuid AND period_start = ${period.start}
      AND (${limit}::int IS NULL OR used < ${limit}::int)
    RETURNING used`;
  const used = rows[0]?.used;
  if (used === undefined) {
    throw new AppError('quota_exceeded', { message: `quota of ${limit} reached`, userMessage: quotaExceededMessage(clinicPlan) });
  }
  const record = await tx.usageRecord.create({
    data: {
      organizationId: input.organizationId,
      periodStart: period.start,
      jobType: input.jobType,
      userId: input.userId,
      jobId: input.jobId ?? null,
    },
    select: { id: true },
  });
  return { reservationId: record.id, periodStart: period.start, periodEnd: period.end, used, limit };
}

/** The job succeeded: its unit stays counted. False when it was not reserved (already settled). */
export async function commitJobQuota(db: Db | Tx, reservationId: string, now = new Date()): Promise<boolean> {
  const { count } = await db.usageRecord.updateMany({ where: { id: reservationId, state: 'reserved' }, data: { state: 'committed', settledAt: now } });
  return count === 1;
}

/** The job failed or was canceled: its unit is given back. Idempotent; false when already settled. */
export async function releaseJobQuota(db: Db | Tx, reservationId: string, now = new Date()): Promise<boolean> {
  const rows = await db.$queryRaw<{ used: number }[]>`
    WITH released AS (
      UPDATE usage_records SET state = 'released', settled_at = ${now}
      WHERE id = ${reservationId}::uuid AND state = 'reserved'
      RETURNING organization_id, period_start
    )
    UPDATE usage_counters c SET used = c.used - 1
    FROM released r
    WHERE c.organization_id = r.organization_id AND c.period_start = r.period_start
    RETURNING c.used`;
  return rows.length === 1;
}

export interface QuotaStatus {
  clinicPlan: ClinicPlan;
  used: number;
  limit: number | null;
  /** 0..1, or null for unlimited plans. */
  fraction: number | null;
}

/** This period's count against the limit, from the same counter the reservations use. */
export async function getQuotaStatus(db: Db | Tx, organizationId: string, now = new Date()): Promise<QuotaStatus> {
  const clinicPlan = await getClinicPlan(db, organizationId, now);
  const counter = await db.usageCounter.findUnique({
    where: { organizationId_periodStart: { organizationId, periodStart: clinicPlan.period.start } },
    select: { used: true },
  });
  const used = counter?.used ?? 0;
  const limit = clinicPlan.plan.monthlyJobQuota;
  return { clinicPlan, used, limit, fraction: limit === null ? null : Math.min(1, used / Math.max(1, limit)) };
}
