import type { Metadata } from 'next';
import Link from 'next/link';
import { ClipboardList, FileAudio, FileText, Inbox, Lock, Mail, TriangleAlert, type LucideIcon } from 'lucide-react';
import { formatBillingDate } from '@/components/billing/format';
import { formatShortDay } from '@/components/jobs/format';
import { RecentJobs } from '@/components/jobs/job-list';
import { PageHeader } from '@/components/shell/page-header';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { InboxSummary } from '@/components/triage/inbox-summary';
import { formatQuota } from '@/lib/billing/plans';
import { getConfig } from '@/lib/config';
import { db } from '@/lib/db/client';
import { ANALYSIS_ROLES } from '@/lib/jobs/access';
import { listJobs } from '@/lib/jobs/queries';
import { listTriageInbox } from '@/lib/jobs/triage';
import { getQuotaStatus, type QuotaStatus } from '@/lib/usage/quota';
import { requirePageActor } from '@/lib/web/session';
import { NewJobPanel } from './new-job-panel';

export const metadata: Metadata = { title: 'Dashboard' };

const jobKinds: { icon: LucideIcon; title: string; body: string; href?: string }[] = [
  {
    icon: FileText,
    title: 'Analyse a note',
    body: 'Upload a clinical note or a scan and get diagnoses with ICD-10 codes and laterality, the plan, medications, warnings, references and a documentation quality score.',
  },
  {
    icon: FileAudio,
    title: 'Transcribe a recording',
    body: 'Record a dictation or an exam conversation in the browser, or upload one, and turn it into text you can correct, then send it on to analysis.',
    href: '/transcribe',
  },
  {
    icon: Mail,
    title: 'Draft a letter',
    body: 'Start a referral, patient or insurance letter from an analysis, edit it, and export it as a PDF on your letterhead.',
  },
  {
    icon: Inbox,
    title: 'Triage a fax',
    body: 'Let the front desk see what an incoming document is and how soon someone needs to act on it.',
    href: '/triage',
  },
];

const jobsWord = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'job' : 'jobs'}`;

export default async function DashboardPage() {
  const { actor } = await requirePageActor();
  const [quota, recent, inbox] = await Promise.all([
    getQuotaStatus(db(), actor.organizationId),
    listJobs(db(), actor, { page: 1, pageSize: 5 }),
    listTriageInbox(db(), actor, { status: 'open' }),
  ]);
  // The front desk works from the triage inbox: staff see it first, everyone else below their own work.
  const inboxFirst = actor.role === 'staff';
  const mayAnalyse = ANALYSIS_ROLES.includes(actor.role);
  const exhausted = quota.limit !== null && quota.used >= quota.limit;

  return (
    <>
      <PageHeader title="Dashboard" description="Start an analysis and follow your clinic's recent work in Maneiro." />
      {inboxFirst && <InboxSummary inbox={inbox} className="mb-8" />}

      <div className="grid gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] lg:gap-6">
        <Card>
          <CardHeader>
            <CardTitle id="new-job-heading">New analysis</CardTitle>
            <CardDescription>
              <QuotaLine quota={quota} />
            </CardDescription>
          </CardHeader>
          <CardContent>
            {!mayAnalyse ? (
              <div className="flex gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
                <Lock className="mt-0.5 size-5 shrink-0 text-slate-500" aria-hidden="true" />
                <p>
                  Clinical analyses are started by clinicians, admins and owners. As a staff member you can open every job and its result
                  in the{' '}
                  <Link href="/jobs" className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
                    jobs list
                  </Link>
                  ; ask a clinician to start a new analysis.
                </p>
              </div>
            ) : exhausted ? (
              <QuotaExhausted quota={quota} isOwner={actor.role === 'owner'} />
            ) : (
              <NewJobPanel maxUploadBytes={quota.clinicPlan.plan.maxUploadBytes} analysisMaxChars={getConfig().limits.analysisMaxChars} />
            )}
          </CardContent>
        </Card>

        <section aria-labelledby="recent-heading" className="min-w-0">
          <div className="flex items-baseline justify-between gap-3">
            <h2 id="recent-heading" className="text-lg font-semibold text-slate-950">
              Recent jobs
            </h2>
            {recent.total > 0 && (
              <Link href="/jobs" className="rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
                All {jobsWord(recent.total)}
              </Link>
            )}
          </div>
          <div className="mt-3">
            {recent.jobs.length === 0 ? (
              <EmptyState
                icon={ClipboardList}
                headingLevel="h3"
                title="No jobs yet"
                description={
                  mayAnalyse
                    ? 'Upload a note or paste its text to start your clinic’s first analysis. It will appear here with its progress.'
                    : 'When a clinician starts an analysis it will appear here with its progress.'
                }
              />
            ) : (
              <RecentJobs jobs={recent.jobs} />
            )}
          </div>
        </section>
      </div>

      {!inboxFirst && <InboxSummary inbox={inbox} className="mt-10" />}

      <section aria-labelledby="job-kinds-heading" className="mt-10">
        <h2 id="job-kinds-heading" className="text-lg font-semibold text-slate-950">
          What you can do in Maneiro
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2">
          {jobKinds.map(({ icon: Icon, title, body, href }) => (
            <li key={title}>
              <Card className="h-full">
                <CardHeader className="pb-5">
                  <Icon className="size-6 text-brand-700" aria-hidden="true" />
                  <CardTitle as="h3" className="pt-2">
                    {href ? (
                      <Link href={href} className="rounded text-brand-800 underline-offset-2 hover:underline">
                        {title}
                      </Link>
                    ) : (
                      title
                    )}
                  </CardTitle>
                  <CardDescription>{body}</CardDescription>
                </CardHeader>
              </Card>
            </li>
          ))}
        </ul>
      </section>

      <p className="mt-8 text-sm text-slate-600">
        Analyses and letters are drafts produced with AI. A clinician must review each one and remains responsible for it.
      </p>
    </>
  );
}

/** "12 of 50 jobs left this period, resets 1 Dec." */
function QuotaLine({ quota }: { quota: QuotaStatus }) {
  const { plan, period } = quota.clinicPlan;
  if (quota.limit === null) {
    return <>{`Unlimited jobs on the ${plan.name} plan; ${jobsWord(quota.used)} used this period.`}</>;
  }
  const remaining = Math.max(0, quota.limit - quota.used);
  return <>{`${remaining.toLocaleString('en-US')} of ${formatQuota(quota.limit)} jobs left this period, resets ${formatShortDay(period.end)}.`}</>;
}

function QuotaExhausted({ quota, isOwner }: { quota: QuotaStatus; isOwner: boolean }) {
  const { plan, period } = quota.clinicPlan;
  return (
    <div className="flex gap-3 rounded-lg border border-danger-200 bg-danger-50 p-4 text-sm text-danger-700">
      <TriangleAlert className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
      <div>
        <p className="font-semibold">
          Your clinic has used all {formatQuota(quota.limit)} jobs of the {plan.name} plan for this period.
        </p>
        <p className="mt-1">New analyses can start again on {formatBillingDate(period.end)}. Jobs already started still finish.</p>
        <p className="mt-2">
          <Link href="/settings/billing" className="font-semibold underline underline-offset-2 hover:no-underline">
            {isOwner ? 'See plans and upgrade' : 'See your clinic’s plan'}
          </Link>
          {!isOwner && ' (an owner can upgrade it)'}.
        </p>
      </div>
    </div>
  );
}
