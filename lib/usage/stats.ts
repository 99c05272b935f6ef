// Usage statistics for the /usage page: this period's count against the plan,
// by job type, by member and by day, and the clinic's earlier periods. Every
// number comes from the quota's own ledger (usage_counters and usage_records),
// read in one snapshot, so the page can never disagree with what the quota
// enforces: the period total is the counter, and the breakdowns are the
// period's records that still count (reserved + committed; released do not).
import { DELETED_USER } from '@/lib/audit/list';
import type { Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { getClinicPlan, type PlanSource } from '@/lib/billing/entitlements';
import type { Period } from '@/lib/billing/periods';
import type { PlanDefinition } from '@/lib/billing/plans';
import type { Db } from '@/lib/db/client';
import { JobType, type UsageState } from '@/lib/db/generated/enums';

export const JOB_TYPES = Object.values(JobType);
export type { JobType };

export const PREVIOUS_PERIODS_SHOWN = 24;

const DAY_MS = 86_400_000;

export interface StateCounts {
  /** Accepted and not finished yet: counted. */
  inProgress: number;
  /** Succeeded: counted. */
  completed: number;
  /** inProgress + completed. */
  total: number;
}

export interface TypeUsage extends StateCounts {
  jobType: JobType;
}

export interface MemberUsage extends StateCounts {
  /** null when the account was deleted (the ledger keeps the row, without the person). */
  userId: string | null;
  /** "Deleted user" when the account is gone. */
  name: string;
  email: string | null;
  /** False for someone who has since left the clinic (their jobs still count). */
  currentMember: boolean;
}

export type DailyUsage = { date: string; total: number } & Record<JobType, number>;

export interface PastPeriod {
  start: Date;
  /** Exclusive. */
  end: Date;
  used: number;
}

export interface UsageStats {
  plan: PlanDefinition;
  planSource: PlanSource;
  billingEnabled: boolean;
  period: Period;
  /** The quota counter of the period: what reservations are checked against. */
  used: number;
  limit: number | null;
  /** Jobs still available; null when unlimited. */
  remaining: number | null;
  exceeded: boolean;
  inProgress: number;
  completed: number;
  /** Failed or canceled jobs of the period, given back to the allowance. */
  released: number;
  /** Every job type in a fixed order, zeros included. */
  byType: TypeUsage[];
  /** Busiest first. */
  byMember: MemberUsage[];
  /** One entry per UTC day of the period, empty days included. */
  daily: DailyUsage[];
  /** Newest first, at most PREVIOUS_PERIODS_SHOWN. */
  previous: PastPeriod[];
}

/** "2026-11-30": the UTC calendar day of an instant. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Every UTC day touched by [start, end): a Stripe period starting at 09:00 includes its partial first and last days. */
export function periodDays(period: Period): string[] {
  const days: string[] = [];
  const first = Date.parse(`${utcDay(period.start)}T00:00:00.000Z`);
  const last = period.end.getTime() - 1;
  for (let t = first; t <= last; t += DAY_MS) days.push(utcDay(new Date(t)));
  return days;
}

function emptyCounts(): StateCounts {
  return { inProgress: 0, completed: 0, total: 0 };
}

function add(counts: StateCounts, state: UsageState, n: number): void {
  if (state === 'reserved') counts.inProgress += n;
  else if (state === 'committed') counts.completed += n;
  else return;
  counts.total += n;
}

/**
 * The clinic's usage in the period containing `now`. Any member may read it.
 * The reads share one REPEATABLE READ snapshot: a reservation or release that
 * commits meanwhile changes the counter and a record together, so reading them
 * at different moments could show a total that its breakdowns do not add up to.
 */
export async function getUsageStats(db: Db, actor: Actor, now = new Date()): Promise<UsageStats> {
  return db.$transaction((tx) => readStats(tx, actor.organizationId, now), { isolationLevel: 'RepeatableRead' });
}

async function readStats(tx: Tx, organizationId: string, now: Date): Promise<UsageStats> {
  await tx.$executeRaw`SET TRANSACTION READ ONLY`;
  // Prisma's pg adapter sends and reads timestamps as UTC without an offset
  // (prisma/orm#26786, #28629): on a server whose time zone is not UTC, period
  // starts would not match. Pinning the session's zone keeps these reads right.
  await tx.$executeRaw`SET LOCAL TIME ZONE 'UTC'`;
  const clinicPlan = await getClinicPlan(tx, organizationId, now);
  const { period, plan } = clinicPlan;
  const inPeriod = { organizationId, periodStart: period.start };

  const [counter, byTypeRows, byUserRows, dayRows, previousRows] = await Promise.all([
    tx.usageCounter.findUnique({ where: { organizationId_periodStart: inPeriod }, select: { used: true } }),
    tx.usageRecord.groupBy({ by: ['jobType', 'state'], where: inPeriod, _count: { _all: true } }),
    tx.usageRecord.groupBy({ by: ['userId', 'state'], where: { ...inPeriod, state: { not: 'released' } }, _count: { _all: true } }),
    // Days are cut in UTC whatever the session's time zone, as the page labels them.
    tx.$queryRaw<{ day: string; job_type: JobType; n: number }[]>`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, job_type, count(*)::int AS n
      FROM usage_records
      WHERE organization_id = ${organizationId}::uuid AND period_start = ${period.start} AND state <> 'released'
      GROUP BY 1, 2`,
    // Every other period of the clinic that began before this one ends: when a
    // clinic moves between a subscription's billing period and the calendar
    // month, the two can overlap, and the earlier one still belongs here.
    tx.usageCounter.findMany({
      where: { organizationId, periodStart: { not: period.start, lt: period.end } },
      orderBy: { periodStart: 'desc' },
      take: PREVIOUS_PERIODS_SHOWN,
      select: { periodStart: true, periodEnd: true, used: true },
    }),
  ]);

  const byType = JOB_TYPES.map((jobType): TypeUsage => ({ jobType, ...emptyCounts() }));
  let released = 0;
  for (const row of byTypeRows) {
    if (row.state === 'released') released += row._count._all;
    else for (const t of byType) if (t.jobType === row.jobType) add(t, row.state, row._count._all);
  }
  const inProgress = byType.reduce((n, t) => n + t.inProgress, 0);
  const completed = byType.reduce((n, t) => n + t.completed, 0);

  const byMember = await describeMembers(tx, organizationId, byUserRows);

  const daily = periodDays(period).map((date): DailyUsage => ({ date, total: 0, analysis: 0, transcription: 0, letter: 0, triage: 0 }));
  const index = new Map(daily.map((d, i) => [d.date, i]));
  for (const row of dayRows) {
    // A record stamped just outside its period (clock skew between web instances)
    // goes to the nearest day, so the days always add up to the total.
    const entry = daily[index.get(row.day) ?? (row.day < (daily[0]?.date ?? '') ? 0 : daily.length - 1)];
    if (!entry) continue;
    entry[row.job_type] += row.n;
    entry.total += row.n;
  }

  const used = counter?.used ?? 0;
  const limit = plan.monthlyJobQuota;
  return {
    plan,
    planSource: clinicPlan.source,
    billingEnabled: clinicPlan.billingEnabled,
    period,
    used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    exceeded: limit !== null && used >= limit,
    inProgress,
    completed,
    released,
    byType,
    byMember,
    daily,
    previous: previousRows.map((r) => ({ start: r.periodStart, end: r.periodEnd, used: r.used })),
  };
}

/** Names for the ledger's user ids, looked up by primary key; a null id is an account since deleted. */
async function describeMembers(
  tx: Tx,
  organizationId: string,
  rows: { userId: string | null; state: UsageState; _count: { _all: number } }[],
): Promise<MemberUsage[]> {
  const counts = new Map<string | null, StateCounts>();
  for (const row of rows) {
    const entry = counts.get(row.userId) ?? emptyCounts();
    add(entry, row.state, row._count._all);
    counts.set(row.userId, entry);
  }
  const ids = [...counts.keys()].filter((id): id is string => id !== null);
  const [users, memberships] =
    ids.length === 0
      ? [[], []]
      : await Promise.all([
          tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } }),
          tx.membership.findMany({ where: { organizationId, userId: { in: ids } }, select: { userId: true } }),
        ]);
  const byId = new Map(users.map((u) => [u.id, u]));
  const current = new Set(memberships.map((m) => m.userId));
  return [...counts.entries()]
    .map(([userId, c]): MemberUsage => {
      const user = userId ? byId.get(userId) : undefined;
      return {
        userId,
        name: user?.name ?? DELETED_USER,
        email: user?.email ?? null,
        currentMember: userId !== null && current.has(userId),
        ...c,
      };
    })
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}
