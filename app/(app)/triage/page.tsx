import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronLeft, ChevronRight, Inbox } from 'lucide-react';
import { PageHeader } from '@/components/shell/page-header';
import { inboxHref, parseInboxParams, type InboxFilter } from '@/components/triage/format';
import { TriageInboxList } from '@/components/triage/inbox-list';
import { InboxCounts } from '@/components/triage/inbox-summary';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { db } from '@/lib/db/client';
import { listTriageInbox } from '@/lib/jobs/triage';
import { cn } from '@/lib/utils';
import { requirePageActor } from '@/lib/web/session';
import { TriagePanel } from './triage-panel';

export const metadata: Metadata = { title: 'Triage' };

const FILTERS: { value: InboxFilter; label: string }[] = [
  { value: 'open', label: 'Open tasks' },
  { value: 'all', label: 'All documents' },
];

export default async function TriagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor } = await requirePageActor();
  const params = parseInboxParams(await searchParams);
  const [inbox, clinicPlan] = await Promise.all([listTriageInbox(db(), actor, params), getClinicPlan(db(), actor.organizationId)]);
  const pages = Math.max(1, Math.ceil(inbox.total / inbox.pageSize));
  const first = inbox.total === 0 ? 0 : (inbox.page - 1) * inbox.pageSize + 1;
  const last = Math.min(inbox.total, inbox.page * inbox.pageSize);
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Triage"
        description="Incoming faxes, letters and forms, sorted by how soon someone needs to act: open tasks first, then urgency, then age."
      />

      <div className="grid gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] lg:gap-6">
        <Card className="self-start">
          <CardHeader>
            <CardTitle id="triage-panel-heading">Triage a document</CardTitle>
            <CardDescription>Maneiro reads it, says what it is and how urgent, and writes the front-desk and doctor tasks.</CardDescription>
          </CardHeader>
          <CardContent>
            <TriagePanel maxUploadBytes={clinicPlan.plan.maxUploadBytes} />
          </CardContent>
        </Card>

        <section aria-labelledby="inbox-heading" className="min-w-0 space-y-4">
          <div className="flex flex-wrap items-baseline justify-between gap-3">
            <h2 id="inbox-heading" className="text-lg font-semibold text-slate-950">
              Inbox
            </h2>
            <nav aria-label="Inbox filter" className="flex gap-1 rounded-lg bg-slate-100 p-1">
              {FILTERS.map(({ value, label }) => {
                const active = params.status === value;
                return (
                  <Link
                    key={value}
                    href={inboxHref({ status: value })}
                    aria-current={active ? 'page' : undefined}
                    className={cn(
                      'rounded-md px-3 py-1.5 text-sm font-medium',
                      active ? 'bg-white text-brand-800 shadow-xs' : 'text-slate-700 hover:text-slate-950',
                    )}
                  >
                    {label}
                  </Link>
                );
              })}
            </nav>
          </div>
          <InboxCounts counts={inbox.counts} />

          {inbox.total === 0 ? (
            <EmptyState
              icon={Inbox}
              title={params.status === 'open' ? 'Nothing waiting' : 'No documents triaged yet'}
              description={
                params.status === 'open' ? (
                  <>
                    No triaged document has an open task.{' '}
                    <Link href={inboxHref({ status: 'all' })} className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
                      See all documents
                    </Link>
                    , or triage a new one.
                  </>
                ) : (
                  'When a fax, letter or form arrives, upload it or paste its text: it appears here with its urgency and its tasks.'
                )
              }
            />
          ) : inbox.items.length === 0 ? (
            <EmptyState
              icon={Inbox}
              title="No documents on this page"
              description="This page is past the end of the inbox."
              action={
                <Link href={inboxHref({ status: params.status })} className={buttonClasses('outline')}>
                  Back to the first page
                </Link>
              }
            />
          ) : (
            <>
              <p className="text-sm text-slate-700">
                Showing {first}–{last} of {inbox.total.toLocaleString('en-US')} {inbox.total === 1 ? 'document' : 'documents'}
                {params.status === 'open' ? ' with open tasks or being triaged' : ''}.
              </p>
              <TriageInboxList items={inbox.items} caption="Triaged documents" now={now} />
            </>
          )}

          {pages > 1 && (
            <nav aria-label="Inbox pages" className="flex items-center justify-between gap-3">
              {inbox.page > 1 ? (
                <Link href={inboxHref({ status: params.status, page: inbox.page - 1 })} className={buttonClasses('outline', 'sm')}>
                  <ChevronLeft className="size-4" aria-hidden="true" />
                  Previous
                </Link>
              ) : (
                <span />
              )}
              <span className="text-sm text-slate-600">
                Page {inbox.page} of {pages}
              </span>
              {inbox.page < pages ? (
                <Link href={inboxHref({ status: params.status, page: inbox.page + 1 })} className={buttonClasses('outline', 'sm')}>
                  Next
                  <ChevronRight className="size-4" aria-hidden="true" />
                </Link>
              ) : (
                <span />
              )}
            </nav>
          )}
        </section>
      </div>

      <p className="mt-8 text-sm text-slate-600">
        Triage is drafted by software from the document. Check the urgency and the tasks against the document before acting on them.
      </p>
    </>
  );
}
