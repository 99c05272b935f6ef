// CSV export of a clinic's usage ledger for one quota period: one row per usage
// record, released ones included (their state says they did not count), so a
// clinic can reconcile the page's numbers job by job. Any member may export: the
// file holds job types, states, job ids and member names, never clinical content.
// The export is audited like every other copy of clinic data leaving the product.
import { z } from 'zod';
import { csvRecord } from '@/lib/audit/export';
import { DELETED_USER } from '@/lib/audit/list';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { getClinicPlan } from '@/lib/billing/entitlements';
import type { Period } from '@/lib/billing/periods';
import type { Db } from '@/lib/db/client';
import type { UsageRecord } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { utcDay } from './stats';

export const USAGE_CSV_HEADER = ['created_at', 'job_type', 'state', 'member_name', 'member_email', 'job_id', 'settled_at'] as const;

export const USAGE_EXPORT_CHUNK = 1000;

const PERIOD_FORMAT_MESSAGE =
  'The period must be the start of a usage period as an ISO 8601 date and time in UTC, such as 2026-11-01T00:00:00.000Z.';

const isoInstant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/**
 * The `period` query value as an instant: absent or empty means the current
 * period (null); anything else must be an ISO 8601 date-time (or a bare date,
 * read as midnight UTC), else a bad_request naming the expected form.
 */
export function parsePeriodParam(value: string | null | undefined): Date | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (text.length > 40 || !isoInstant.safeParse(text).success) {
    throw new AppError('bad_request', { message: 'malformed usage period', userMessage: PERIOD_FORMAT_MESSAGE });
  }
  const instant = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text);
  if (Number.isNaN(instant.getTime())) {
    throw new AppError('bad_request', { message: 'malformed usage period', userMessage: PERIOD_FORMAT_MESSAGE });
  }
  return instant;
}

/** The clinic's period starting at `start` (the current one when null), or bad_request when it has none. */
async function resolvePeriod(tx: Tx, organizationId: string, start: Date | null, now: Date): Promise<Period> {
  const current = (await getClinicPlan(tx, organizationId, now)).period;
  if (start === null || start.getTime() === current.start.getTime()) return current;
  const counter = await tx.usageCounter.findUnique({
    where: { organizationId_periodStart: { organizationId, periodStart: start } },
    select: { periodStart: true, periodEnd: true },
  });
  if (!counter) {
    throw new AppError('bad_request', {
      message: 'no usage period starts there',
      userMessage: `Your clinic has no usage period starting at ${start.toISOString()}. Choose a period listed on the Usage page.`,
    });
  }
  return { start: counter.periodStart, end: counter.periodEnd };
}

// Spelled out because the loop's cursor feeds back into the query, which defeats inference.
type LedgerRow = Pick<UsageRecord, 'id' | 'createdAt' | 'jobType' | 'state' | 'userId' | 'jobId' | 'settledAt'>;

export interface UsageExport {
  filename: string;
  csv: string;
  rows: number;
  period: Period;
}

/**
 * The period's usage records, oldest first, as RFC 4180 CSV. The read is one
 * REPEATABLE READ snapshot, so a job settling meanwhile cannot appear twice or
 * not at all across chunks.
 */
export async function exportUsageCsv(
  db: Db,
  actor: Actor,
  rawPeriod: string | null | undefined,
  request: RequestContext | null,
  options: { now?: Date; chunkSize?: number } = {},
): Promise<UsageExport> {
  const { now = new Date(), chunkSize = USAGE_EXPORT_CHUNK } = options;
  const { organizationId } = actor;
  const start = parsePeriodParam(rawPeriod);

  const { slug, period, parts, rows } = await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET TRANSACTION READ ONLY`;
      // As in stats.ts: the pg adapter's timestamps are only right in a UTC session.
      await tx.$executeRaw`SET LOCAL TIME ZONE 'UTC'`;
      const clinic = await tx.organization.findUnique({ where: { id: organizationId }, select: { slug: true } });
      if (!clinic) throw new AppError('not_found');
      const period = await resolvePeriod(tx, organizationId, start, now);
      const parts: string[] = [csvRecord(USAGE_CSV_HEADER)];
      let rows = 0;
      let after: { createdAt: Date; id: string } | null = null;
      for (;;) {
        const chunk: LedgerRow[] = await tx.usageRecord.findMany({
          where: {
            organizationId,
            periodStart: period.start,
            ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
          },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: chunkSize,
          select: { id: true, createdAt: true, jobType: true, state: true, userId: true, jobId: true, settledAt: true },
        });
        const ids = [...new Set(chunk.flatMap((r) => (r.userId ? [r.userId] : [])))];
        const users = ids.length ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } }) : [];
        const byId = new Map(users.map((u) => [u.id, u]));
        for (const r of chunk) {
          const user = r.userId ? byId.get(r.userId) : undefined;
          parts.push(
            csvRecord([
              r.createdAt.toISOString(),
              r.jobType,
              r.state,
              user?.name ?? DELETED_USER,
              user?.email ?? null,
              r.jobId,
              r.settledAt?.toISOString() ?? null,
            ]),
          );
        }
        rows += chunk.length;
        const last = chunk.at(-1);
        if (!last || chunk.length < chunkSize) break;
        after = { createdAt: last.createdAt, id: last.id };
      }
      return { slug: clinic.slug, period, parts, rows };
    },
    // A busy Enterprise period can hold tens of thousands of rows.
    { isolationLevel: 'RepeatableRead', timeout: 60_000 },
  );

  // Reading changes nothing, so the event is written in its own short transaction
  // just before the file is handed over, rather than holding one open for the read.
  await db.$transaction((tx) =>
    recordAudit(tx, {
      organizationId,
      actorUserId: actor.userId,
      event: 'data.exported',
      metadata: { kind: 'usage', rows, period: period.start.toISOString() },
      request,
    }),
  );

  return { filename: `maneiro-usage-${slug}-${utcDay(period.start)}.csv`, csv: parts.join(''), rows, period };
}
