import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { PauseClinicDialog } from '@/components/admin/pause-clinic-dialog';
import { RetryJobButton } from '@/components/admin/retry-job-button';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { listClinics } from '@/lib/admin/clinics';
import { listProblemJobs, STUCK_QUEUED_MINUTES, STUCK_RUNNING_MINUTES, FAILED_WINDOW_DAYS } from '@/lib/admin/jobs';
import { requireOperator } from '@/lib/admin/operators';
import { listWebhookProblems } from '@/lib/admin/webhooks';
import { PLANS } from '@/lib/billing/plans';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requestContextFrom } from '@/lib/http/request-context';
import { cn } from '@/lib/utils';
import { getCurrentUser } from '@/lib/web/session';

/**
 * Whether the user is a platform operator, read once per request for the metadata and the
 * page alike (React's cache). Each data function below checks again: this only decides
 * between the console and the 404 page.
 */
const isOperator = cache(async (userId: string): Promise<boolean> => {
  try {
    await requireOperator(db(), userId);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return false;
    throw error;
  }
});

/** Named only for operators: to anyone else the page is the 404 page, title included. */
export async function generateMetadata(): Promise<Metadata> {
  const user = await getCurrentUser();
  const operator = user ? await isOperator(user.id) : false;
  return { title: operator ? 'Operator console' : 'Page not found', robots: { index: false } };
}

const TABS = [
  { id: 'clinics', label: 'Clinics' },
  { id: 'jobs', label: 'Problem jobs' },
  { id: 'webhooks', label: 'Webhook problems' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const time = (date: Date | null) => (date ? date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');
const PROBLEM_LABELS = { failed: 'Failed', stuck_running: `Running, silent ${STUCK_RUNNING_MINUTES}+ min`, stuck_queued: `Queued ${STUCK_QUEUED_MINUTES}+ min` } as const;

/**
 * The platform operators' console. Outside the clinic shell (app/(app)): an
 * operator need not belong to any clinic. Everyone else gets the 404 page.
 * Each tab loads only its own section, and each load is one audited view.
 */
export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getCurrentUser();
  if (!user) redirect('/login?next=%2Fadmin');
  if (!(await isOperator(user.id))) notFound();
  const params = await searchParams;
  const tab: TabId = TABS.find((t) => t.id === params.tab)?.id ?? 'clinics';
  const search = typeof params.q === 'string' ? params.q : '';
  const context = requestContextFrom(await headers());

  return (
    <main id="main-content" tabIndex={-1} className="mx-auto w-full max-w-7xl px-4 py-6 focus:outline-none sm:px-6 lg:px-10 lg:py-10">
      <header className="mb-6 flex flex-col gap-1">
        <p className="text-sm font-semibold text-brand-700">Platform operators</p>
        <h1 className="text-2xl font-bold tracking-tight text-slate-950">Operator console</h1>
        <p className="text-sm text-slate-600">Signed in as {user.email}. Every view and action here is recorded in the audit trail.</p>
      </header>
      <nav aria-label="Console sections" className="mb-6 flex flex-wrap gap-2 border-b border-slate-200">
        {TABS.map((t) => (
          <Link
            key={t.id}
            href={`/admin?tab=${t.id}`}
            aria-current={t.id === tab ? 'page' : undefined}
            className={cn('-mb-px border-b-2 px-3 py-2 text-sm font-medium', t.id === tab ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-600 hover:text-slate-900')}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === 'clinics' && <ClinicsSection userId={user.id} search={search} context={context} />}
      {tab === 'jobs' && <ProblemJobsSection userId={user.id} context={context} />}
      {tab === 'webhooks' && <WebhooksSection userId={user.id} context={context} />}
    </main>
  );
}

type SectionProps = { userId: string; context: ReturnType<typeof requestContextFrom> };

async function ClinicsSection({ userId, search, context }: SectionProps & { search: string }) {
  const { clinics, total } = await listClinics(db(), userId, context, { search });
  return (
    <section aria-labelledby="clinics-heading" className="flex flex-col gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <h2 id="clinics-heading" className="text-lg font-semibold text-slate-950">
          Clinics <span className="text-sm font-normal text-slate-600">({clinics.length} of {total} shown, newest first)</span>
        </h2>
        <form action="/admin" className="flex gap-2" role="search">
          <input type="hidden" name="tab" value="clinics" />
          <label htmlFor="clinic-search" className="sr-only">
            Search clinics by name
          </label>
          <input id="clinic-search" name="q" defaultValue={search} placeholder="Search by name" className="h-9 rounded-md border border-slate-300 px-3 text-sm" />
          <button type="submit" className="h-9 rounded-md border border-slate-300 px-3 text-sm font-medium">
            Search
          </button>
        </form>
      </div>
      <Table label="Clinics">
        <THead>
          <TR>
            <TH>Clinic</TH>
            <TH>Plan</TH>
            <TH>Subscription</TH>
            <TH className="text-right">Members</TH>
            <TH className="text-right">Jobs this period</TH>
            <TH>Created</TH>
            <TH>Status</TH>
            <TH>
              <span className="sr-only">Pause or resume</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {clinics.map((c) => (
            <TR key={c.id}>
              <TD>
                <span className="font-medium text-slate-900">{c.name}</span>
                <span className="block font-mono text-xs text-slate-500">{c.id}</span>
              </TD>
              <TD>
                {PLANS[c.plan].name}
                {c.planSource === 'override' && <span className="block text-xs text-slate-500">override</span>}
              </TD>
              <TD>{c.subscriptionStatus ?? '—'}</TD>
              <TD className="text-right tabular-nums">{c.members}</TD>
              <TD className="text-right tabular-nums">
                {c.jobsThisPeriod} / {c.quota ?? '∞'}
              </TD>
              <TD>{time(c.createdAt)}</TD>
              <TD>
                {c.pausedAt ? (
                  <Badge variant="warning" title={c.pausedReason ?? undefined}>
                    Paused since {time(c.pausedAt)}
                  </Badge>
                ) : c.deletionScheduledAt ? (
                  <Badge variant="danger">Deletion scheduled</Badge>
                ) : (
                  <Badge variant="success">Active</Badge>
                )}
                {c.pausedReason && <span className="mt-1 block max-w-xs text-xs text-slate-600">{c.pausedReason}</span>}
              </TD>
              <TD>
                <PauseClinicDialog clinicId={c.id} clinicName={c.name} paused={c.pausedAt !== null} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </section>
  );
}

async function ProblemJobsSection({ userId, context }: SectionProps) {
  const jobs = await listProblemJobs(db(), userId, context);
  return (
    <section aria-labelledby="jobs-heading" className="flex flex-col gap-4">
      <h2 id="jobs-heading" className="text-lg font-semibold text-slate-950">
        Problem jobs
      </h2>
      <p className="text-sm text-slate-600">
        Failed in the last {FAILED_WINDOW_DAYS} days, running with no progress for {STUCK_RUNNING_MINUTES} minutes, or queued for {STUCK_QUEUED_MINUTES} minutes.
        Only ids, codes and times are shown: titles, patients and text stay with the clinic. Retry starts a new job in the job’s clinic.
      </p>
      {jobs.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600">No failed or stuck jobs.</p>
      ) : (
        <Table label="Problem jobs">
          <THead>
            <TR>
              <TH>Job</TH>
              <TH>Clinic</TH>
              <TH>Type</TH>
              <TH>Problem</TH>
              <TH>Stage</TH>
              <TH>Error code</TH>
              <TH>Created</TH>
              <TH>Last change</TH>
              <TH>
                <span className="sr-only">Retry</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {jobs.map((j) => (
              <TR key={j.id}>
                <TD className="font-mono text-xs">{j.id}</TD>
                <TD>{j.clinicName}</TD>
                <TD>{j.type}</TD>
                <TD>
                  <Badge variant={j.problem === 'failed' ? 'danger' : 'warning'}>{PROBLEM_LABELS[j.problem]}</Badge>
                </TD>
                <TD>{j.stage}</TD>
                <TD className="font-mono text-xs">{j.errorCode ?? '—'}</TD>
                <TD>{time(j.createdAt)}</TD>
                <TD>{time(j.updatedAt)}</TD>
                <TD>
                  {j.retryable ? (
                    <RetryJobButton jobId={j.id} />
                  ) : j.retriedAs ? (
                    <span className="text-xs text-slate-600">Retried as <span className="font-mono">{j.retriedAs.slice(0, 8)}</span></span>
                  ) : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}

async function WebhooksSection({ userId, context }: SectionProps) {
  const { endpoints, deliveries } = await listWebhookProblems(db(), userId, context);
  return (
    <section aria-labelledby="webhooks-heading" className="flex flex-col gap-6">
      <h2 id="webhooks-heading" className="text-lg font-semibold text-slate-950">
        Webhook problems
      </h2>
      <div className="flex flex-col gap-3">
        <h3 className="text-base font-semibold text-slate-900">Disabled or failing endpoints</h3>
        {endpoints.length === 0 ? (
          <p className="text-sm text-slate-600">Every endpoint is delivering.</p>
        ) : (
          <Table label="Disabled or failing endpoints">
            <THead>
              <TR>
                <TH>Clinic</TH>
                <TH>Host</TH>
                <TH>State</TH>
                <TH>Failing since</TH>
                <TH>Disabled</TH>
              </TR>
            </THead>
            <TBody>
              {endpoints.map((e) => (
                <TR key={e.id}>
                  <TD>{e.clinicName}</TD>
                  <TD className="font-mono text-xs">{e.host}</TD>
                  <TD>
                    <Badge variant={e.enabled ? 'warning' : 'danger'}>{e.enabled ? 'Failing' : `Disabled (${e.disabledReason ?? 'manual'})`}</Badge>
                  </TD>
                  <TD>{time(e.failingSince)}</TD>
                  <TD>{time(e.disabledAt)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
      <div className="flex flex-col gap-3">
        <h3 className="text-base font-semibold text-slate-900">Failed deliveries (last 7 days)</h3>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600">No delivery gave up this week.</p>
        ) : (
          <Table label="Failed deliveries">
            <THead>
              <TR>
                <TH>Delivery</TH>
                <TH>Clinic</TH>
                <TH>Host</TH>
                <TH>Event</TH>
                <TH className="text-right">Attempts</TH>
                <TH>Last answer</TH>
                <TH>Last attempt</TH>
              </TR>
            </THead>
            <TBody>
              {deliveries.map((d) => (
                <TR key={d.id}>
                  <TD className="font-mono text-xs">{d.id}</TD>
                  <TD>{d.clinicName}</TD>
                  <TD className="font-mono text-xs">{d.host}</TD>
                  <TD>{d.event}</TD>
                  <TD className="text-right tabular-nums">{d.attempts}</TD>
                  <TD>{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—')}</TD>
                  <TD>{time(d.lastAttemptAt)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </section>
  );
}
