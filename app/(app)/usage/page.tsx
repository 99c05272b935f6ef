import type { Metadata } from 'next';
import Link from 'next/link';
import { ChartColumn, Download, TriangleAlert } from 'lucide-react';
import { formatBillingDate } from '@/components/billing/format';
import { PageHeader } from '@/components/shell/page-header';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Progress } from '@/components/ui/progress';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Period } from '@/lib/billing/periods';
import { formatQuota } from '@/lib/billing/plans';
import { db } from '@/lib/db/client';
import { getUsageStats, type DailyUsage, type UsageStats } from '@/lib/usage/stats';
import { requirePageActor } from '@/lib/web/session';
import { JOB_TYPE_SERIES, jobTypeLabel } from './job-types';
import { UsageChart } from './usage-chart';

export const metadata: Metadata = { title: 'Usage' };

/** Warn before the allowance runs out, once this share of it is used. */
const NEARLY_USED = 0.8;

const n = (value: number) => value.toLocaleString('en-US');
const jobs = (value: number) => `${n(value)} ${value === 1 ? 'job' : 'jobs'}`;

/** "December 1, 2026", or "December 10, 2026 at 09:00 UTC" for a billing period that turns mid-day. */
function formatInstant(date: Date): string {
  const midnight = date.getUTCHours() === 0 && date.getUTCMinutes() === 0;
  return midnight ? formatBillingDate(date) : `${formatBillingDate(date)} at ${date.toISOString().slice(11, 16)} UTC`;
}

/** "November 1 – November 30, 2026": the first and last UTC days of a period (its end is exclusive). */
function formatPeriod(period: Period): string {
  const last = new Date(period.end.getTime() - 1);
  const sameYear = period.start.getUTCFullYear() === last.getUTCFullYear();
  const first = period.start.toLocaleDateString('en-US', { day: 'numeric', month: 'long', timeZone: 'UTC', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${first} – ${formatBillingDate(last)}`;
}

function dayName(date: string): string {
  return formatBillingDate(new Date(`${date}T00:00:00.000Z`));
}

export default async function UsagePage() {
  const { actor } = await requirePageActor();
  const stats = await getUsageStats(db(), actor);
  const isOwner = actor.role === 'owner';

  return (
    <>
      <PageHeader
        title="Usage"
        description="Jobs your clinic has started this period against its plan’s allowance. Every analysis, transcription, letter or fax triage counts as one job; failed and canceled jobs do not. Dates are in UTC."
        actions={
          <a href="/api/usage/export" className={buttonClasses('outline')}>
            <Download className="size-4" aria-hidden="true" />
            Export CSV
          </a>
        }
      />

      {stats.exceeded && <QuotaExceeded stats={stats} isOwner={isOwner} />}
      <Allowance stats={stats} />

      <section aria-labelledby="daily-heading" className="mt-10">
        <h2 id="daily-heading" className="text-lg font-semibold text-slate-950">
          Jobs per day
        </h2>
        <div className="mt-4">
          {stats.used === 0 ? (
            <EmptyState
              icon={ChartColumn}
              headingLevel="h3"
              title="No jobs counted yet this period"
              description={`Each analysis, transcription, letter or fax triage your clinic starts will appear here by day, until the count starts again on ${formatInstant(stats.period.end)}.`}
            />
          ) : (
            <DailyChart stats={stats} />
          )}
        </div>
      </section>

      <div className="mt-10 grid gap-10 lg:grid-cols-2 lg:gap-6">
        <ByType stats={stats} />
        <ByMember stats={stats} />
      </div>

      <PreviousPeriods stats={stats} />
    </>
  );
}

function QuotaExceeded({ stats, isOwner }: { stats: UsageStats; isOwner: boolean }) {
  const { plan, period, limit } = stats;
  return (
    <section
      aria-labelledby="quota-exceeded-heading"
      className="mb-6 flex gap-3 rounded-lg border border-danger-200 bg-danger-50 p-4 text-danger-700"
    >
      <TriangleAlert className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
      <div className="min-w-0">
        <h2 id="quota-exceeded-heading" className="font-semibold">
          Your clinic has used all {formatQuota(limit)} jobs of the {plan.name} plan
        </h2>
        <p className="mt-1 text-sm">
          New jobs are refused until the count starts again on {formatInstant(period.end)}. Jobs already started still finish.
        </p>
        {isOwner ? (
          <p className="mt-3 text-sm">
            <Link href="/pricing" className="font-semibold underline underline-offset-2 hover:no-underline">
              Compare plans and upgrade
            </Link>{' '}
            for a larger allowance{stats.planSource === 'override' ? ' (your plan was set by Maneiro’s operators: contact support to change it)' : ''}.
          </p>
        ) : (
          <p className="mt-3 text-sm font-medium">Need more jobs before then? Ask an owner of your clinic to upgrade the plan.</p>
        )}
      </div>
    </section>
  );
}

function Allowance({ stats }: { stats: UsageStats }) {
  const { used, limit, remaining, plan, period } = stats;
  const nearlyUsed = limit !== null && !stats.exceeded && used >= limit * NEARLY_USED;
  return (
    <Card>
      <CardContent>
        <section aria-labelledby="allowance-heading">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="allowance-heading" className="text-base font-semibold text-slate-900">
              This period
            </h2>
            <Badge variant="info">{plan.name} plan</Badge>
          </div>

          <p className="mt-3 text-slate-700">
            <span className="text-3xl font-bold text-slate-950 tabular-nums">{n(used)}</span>{' '}
            {limit === null ? (used === 1 ? 'job' : 'jobs') : `of ${formatQuota(limit)} jobs`}
          </p>
          {limit === null ? (
            <p className="mt-1 text-sm font-medium text-slate-700">{`Unlimited: the ${plan.name} plan has no monthly limit; jobs are still counted.`}</p>
          ) : (
            <>
              <Progress
                className="mt-3 h-3"
                aria-label="Jobs used this period"
                value={used}
                max={Math.max(1, limit)}
                valueText={`${n(used)} of ${formatQuota(limit)} jobs used, ${n(remaining ?? 0)} left`}
              />
              <p className={`mt-2 text-sm ${nearlyUsed ? 'font-medium text-warning-700' : 'text-slate-600'}`}>
                {stats.exceeded ? 'No jobs left this period.' : `${jobs(remaining ?? 0)} left.`}
                {nearlyUsed && ' The allowance is nearly used up.'}
              </p>
            </>
          )}
          <p className="mt-1 text-sm font-medium text-slate-800">Resets on {formatInstant(period.end)}</p>

          <dl className="mt-5 grid gap-x-6 gap-y-4 border-t border-slate-100 pt-4 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-slate-600">Period (UTC)</dt>
              <dd className="mt-0.5 font-medium text-slate-900">{formatPeriod(period)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Counted</dt>
              <dd className="mt-0.5 font-medium text-slate-900 tabular-nums">
                {n(stats.completed)} completed, {n(stats.inProgress)} in progress
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Not counted</dt>
              <dd className="mt-0.5 font-medium text-slate-900 tabular-nums">{jobs(stats.released)} failed or canceled</dd>
            </div>
          </dl>
        </section>
      </CardContent>
    </Card>
  );
}

function DailyChart({ stats }: { stats: UsageStats }) {
  const { daily } = stats;
  const busiest = daily.reduce<DailyUsage | null>((best, d) => (best === null || d.total > best.total ? d : best), null);
  const idle = daily.filter((d) => d.total === 0).length;
  const summary =
    `${jobs(stats.used)} counted over the ${n(daily.length)} days of the period (${formatPeriod(stats.period)}, UTC). ` +
    (busiest ? `The busiest day was ${dayName(busiest.date)}, with ${jobs(busiest.total)}. ` : '') +
    `${n(idle)} ${idle === 1 ? 'day' : 'days'} had none.`;
  return (
    <figure aria-labelledby="daily-summary" className="rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
      <UsageChart data={daily} />
      <figcaption id="daily-summary" className="mt-4 text-sm text-slate-700">
        {summary}
      </figcaption>
      <details className="group mt-3">
        <summary className="cursor-pointer rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
          Show the daily numbers as a table
        </summary>
        <div className="mt-3">
          <Table label="Jobs per day">
            <TableCaption>Jobs counted each day of the period, by type. Days are in UTC.</TableCaption>
            <THead>
              <TR>
                <TH>Day (UTC)</TH>
                {JOB_TYPE_SERIES.map((s) => (
                  <TH key={s.key} className="text-right">
                    {s.label}
                  </TH>
                ))}
                <TH className="text-right">Total</TH>
              </TR>
            </THead>
            <TBody>
              {daily.map((d) => (
                <TR key={d.date}>
                  <TH scope="row" className="font-normal">
                    <time dateTime={d.date}>{dayName(d.date)}</time>
                  </TH>
                  {JOB_TYPE_SERIES.map((s) => (
                    <TD key={s.key} className="text-right tabular-nums">
                      {n(d[s.key])}
                    </TD>
                  ))}
                  <TD className="text-right font-medium tabular-nums">{n(d.total)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      </details>
    </figure>
  );
}

function ByType({ stats }: { stats: UsageStats }) {
  return (
    <section aria-labelledby="by-type-heading" className="min-w-0">
      <h2 id="by-type-heading" className="text-lg font-semibold text-slate-950">
        By job type
      </h2>
      <div className="mt-4">
        <Table label="Jobs by type">
          <TableCaption>In progress jobs count from the moment they start; a job that fails or is canceled is given back.</TableCaption>
          <THead>
            <TR>
              <TH>Job type</TH>
              <TH className="text-right">Completed</TH>
              <TH className="text-right">In progress</TH>
              <TH className="text-right">Total</TH>
            </TR>
          </THead>
          <TBody>
            {stats.byType.map((t) => (
              <TR key={t.jobType}>
                <TH scope="row" className="font-medium text-slate-900">
                  {jobTypeLabel(t.jobType)}
                </TH>
                <TD className="text-right tabular-nums">{n(t.completed)}</TD>
                <TD className="text-right tabular-nums">{n(t.inProgress)}</TD>
                <TD className="text-right font-medium tabular-nums">{n(t.total)}</TD>
              </TR>
            ))}
            <TR className="bg-slate-50">
              <TH scope="row">All types</TH>
              <TD className="text-right tabular-nums">{n(stats.completed)}</TD>
              <TD className="text-right tabular-nums">{n(stats.inProgress)}</TD>
              <TD className="text-right font-semibold tabular-nums">{n(stats.used)}</TD>
            </TR>
          </TBody>
        </Table>
      </div>
    </section>
  );
}

function ByMember({ stats }: { stats: UsageStats }) {
  return (
    <section aria-labelledby="by-member-heading" className="min-w-0">
      <h2 id="by-member-heading" className="text-lg font-semibold text-slate-950">
        By member
      </h2>
      <div className="mt-4">
        {stats.byMember.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
            No one in the clinic has started a job this period.
          </p>
        ) : (
          <Table label="Jobs by member">
            <TableCaption>Who started the jobs counted this period, busiest first.</TableCaption>
            <THead>
              <TR>
                <TH>Member</TH>
                <TH className="text-right">Completed</TH>
                <TH className="text-right">In progress</TH>
                <TH className="text-right">Total</TH>
              </TR>
            </THead>
            <TBody>
              {stats.byMember.map((m) => (
                <TR key={m.userId ?? 'deleted'}>
                  <TH scope="row" className="font-normal whitespace-normal">
                    <span className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
                      {m.name}
                      {m.userId !== null && !m.currentMember && <Badge>Former member</Badge>}
                    </span>
                    {m.email && <span className="block text-xs break-all text-slate-600">{m.email}</span>}
                  </TH>
                  <TD className="text-right tabular-nums">{n(m.completed)}</TD>
                  <TD className="text-right tabular-nums">{n(m.inProgress)}</TD>
                  <TD className="text-right font-medium tabular-nums">{n(m.total)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </section>
  );
}

function PreviousPeriods({ stats }: { stats: UsageStats }) {
  return (
    <section aria-labelledby="previous-heading" className="mt-10">
      <h2 id="previous-heading" className="text-lg font-semibold text-slate-950">
        Previous periods
      </h2>
      <div className="mt-4">
        {stats.previous.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
            No earlier periods yet: this is the first period in which your clinic has used Maneiro.
          </p>
        ) : (
          <Table label="Previous periods">
            <TableCaption>
              Jobs counted in each earlier period (failed and canceled jobs excluded). The limit that applied then is not recorded:
              it was the allowance of the clinic’s plan at the time.
            </TableCaption>
            <THead>
              <TR>
                <TH>Period (UTC)</TH>
                <TH className="text-right">Jobs counted</TH>
                <TH>
                  <span className="sr-only">Export</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {stats.previous.map((p) => {
                const label = formatPeriod(p);
                return (
                  <TR key={p.start.toISOString()}>
                    <TH scope="row" className="font-normal whitespace-normal">
                      <time dateTime={p.start.toISOString()}>{label}</time>
                    </TH>
                    <TD className="text-right font-medium tabular-nums">{n(p.used)}</TD>
                    <TD className="text-right">
                      <a
                        href={`/api/usage/export?period=${encodeURIComponent(p.start.toISOString())}`}
                        aria-label={`Export CSV of ${label}`}
                        className="inline-flex items-center gap-1.5 rounded text-sm font-medium whitespace-nowrap text-brand-700 underline-offset-2 hover:underline"
                      >
                        <Download className="size-4" aria-hidden="true" />
                        CSV
                      </a>
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </div>
    </section>
  );
}
