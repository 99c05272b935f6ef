// The console's list of clinics across every tenant: plan, billing status, size,
// this period's usage against the quota and whether an operator paused it.
import 'server-only';
import type { RequestContext } from '@/lib/audit/record';
import type { PlanId } from '@/lib/billing/plans';
import type { Db } from '@/lib/db/client';
import type { SubscriptionStatus } from '@/lib/db/generated/client';
import { getQuotaStatus } from '@/lib/usage/quota';
import { recordConsoleView, requireOperator } from './operators';

/** The newest clinics first; enough for one screen, searched by name beyond that. */
export const CLINICS_PER_VIEW = 100;

export interface AdminClinicRow {
  id: string;
  name: string;
  slug: string;
  plan: PlanId;
  planSource: 'subscription' | 'free' | 'default' | 'override';
  subscriptionStatus: SubscriptionStatus | null;
  members: number;
  jobsThisPeriod: number;
  /** null: unlimited. */
  quota: number | null;
  periodEnd: Date;
  createdAt: Date;
  pausedAt: Date | null;
  pausedReason: string | null;
  deletionScheduledAt: Date | null;
}

export interface AdminClinicList {
  clinics: AdminClinicRow[];
  total: number;
}

export async function listClinics(
  db: Db,
  userId: string,
  context: RequestContext | null,
  options: { search?: string; now?: Date } = {},
): Promise<AdminClinicList> {
  const operator = await requireOperator(db, userId);
  const search = options.search?.trim().slice(0, 100);
  const where = search ? { OR: [{ name: { contains: search, mode: 'insensitive' as const } }, { slug: { contains: search.toLowerCase() } }] } : {};
  const [rows, total] = await Promise.all([
    db.organization.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      take: CLINICS_PER_VIEW,
      select: {
        id: true,
        name: true,
        slug: true,
        createdAt: true,
        pausedAt: true,
        pausedReason: true,
        deletionScheduledAt: true,
        _count: { select: { memberships: true } },
      },
    }),
    db.organization.count({ where }),
  ]);
  const clinics: AdminClinicRow[] = [];
  // A few clinics at a time: the plan and counter reads are the same ones the quota uses, without exhausting the pool.
  for (let i = 0; i < rows.length; i += 8) {
    const batch = rows.slice(i, i + 8);
    const statuses = await Promise.all(batch.map((row) => getQuotaStatus(db, row.id, options.now)));
    batch.forEach((row, j) => {
      const status = statuses[j]!;
      clinics.push({
        id: row.id,
        name: row.name,
        slug: row.slug,
        plan: status.clinicPlan.plan.id,
        planSource: status.clinicPlan.source,
        subscriptionStatus: status.clinicPlan.subscription?.status ?? null,
        members: row._count.memberships,
        jobsThisPeriod: status.used,
        quota: status.limit,
        periodEnd: status.clinicPlan.period.end,
        createdAt: row.createdAt,
        pausedAt: row.pausedAt,
        pausedReason: row.pausedReason,
        deletionScheduledAt: row.deletionScheduledAt,
      });
    });
  }
  await recordConsoleView(db, operator, 'clinics', context, { shown: clinics.length, total });
  return { clinics, total };
}
