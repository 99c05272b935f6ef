import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronLeft, ChevronRight, Download, ScrollText, SearchX, ShieldAlert } from 'lucide-react';
import { FormError } from '@/components/form-error';
import { PageHeader } from '@/components/shell/page-header';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { AuditOutcome } from '@/lib/audit/events';
import { AUDIT_EXPORT_MAX_ROWS } from '@/lib/audit/export';
import { listAuditEvents, listAuditFilterOptions, type AuditPage, type AuditRow } from '@/lib/audit/list';
import { auditFiltersQuery, filtersFromSearchParams, hasAuditFilters, isAuditEvent } from '@/lib/audit/schemas';
import { ADMIN_ROLES } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requirePageActor } from '@/lib/web/session';

export const metadata: Metadata = { title: 'Audit log' };

const DESCRIPTION = 'A record of who in your clinic did what, and when, for accountability and review.';

const OUTCOMES: Record<AuditOutcome, { label: string; variant: BadgeVariant }> = {
  success: { label: 'Success', variant: 'success' },
  failure: { label: 'Failed', variant: 'danger' },
  denied: { label: 'Denied', variant: 'warning' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "2026-11-28 14:03:22": UTC, as the column header says, so every viewer reads the same time. */
function formatUtc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

type Loaded = { ok: true; page: AuditPage } | { ok: false; fieldErrors: Record<string, string[]> };

async function load(promise: Promise<AuditPage>): Promise<Loaded> {
  try {
    return { ok: true, page: await promise };
  } catch (error) {
    // Bad filters in the URL are shown next to their fields; anything else is a real failure.
    if (error instanceof AppError && error.code === 'validation_failed') return { ok: false, fieldErrors: error.fieldErrors ?? {} };
    throw error;
  }
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor } = await requirePageActor();
  // Staff and clinicians reach this page from the navigation too: tell them why it is closed
  // instead of showing an error page. The domain functions check the role again.
  if (!ADMIN_ROLES.includes(actor.role)) {
    return (
      <>
        <PageHeader title="Audit log" description={DESCRIPTION} />
        <EmptyState
          icon={ShieldAlert}
          title="Only admins and owners can see the audit log"
          description="Ask an owner or admin of your clinic if you need to know who did something and when."
        />
      </>
    );
  }

  const raw = filtersFromSearchParams(await searchParams);
  const [options, loaded] = await Promise.all([listAuditFilterOptions(db(), actor), load(listAuditEvents(db(), actor, raw))]);
  const errors = loaded.ok ? {} : loaded.fieldErrors;
  const exportQuery = loaded.ok ? auditFiltersQuery(loaded.page.filters) : null;
  const tooBigToExport = loaded.ok && loaded.page.total > AUDIT_EXPORT_MAX_ROWS;

  // A member who has left still appears in old rows; keep them selectable once chosen.
  const chosenMember = raw.actorUserId?.trim() ?? '';
  const chosenIsFormer = UUID.test(chosenMember) && !options.members.some((m) => m.id === chosenMember.toLowerCase());

  return (
    <>
      <PageHeader
        title="Audit log"
        description={DESCRIPTION}
        actions={
          exportQuery !== null && !tooBigToExport ? (
            <a href={`/api/audit/export${exportQuery ? `?${exportQuery}` : ''}`} className={buttonClasses('outline')}>
              <Download className="size-4" aria-hidden="true" />
              Export CSV
            </a>
          ) : undefined
        }
      />

      <form
        method="get"
        action="/audit"
        role="search"
        aria-label="Filter the audit log"
        className="mb-6 grid grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto] lg:items-start"
      >
        <Field label="Event" error={errors.event?.[0]}>
          <Select name="event" defaultValue={raw.event && isAuditEvent(raw.event) ? raw.event : ''}>
            <option value="">All events</option>
            {options.events.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Member" error={errors.actorUserId?.[0]}>
          <Select name="actorUserId" defaultValue={UUID.test(chosenMember) ? chosenMember.toLowerCase() : ''}>
            <option value="">Everyone</option>
            {options.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.email})
              </option>
            ))}
            {chosenIsFormer && <option value={chosenMember.toLowerCase()}>A former member</option>}
          </Select>
        </Field>
        <Field label="From" description="First day, in UTC." error={errors.from?.[0]}>
          <Input type="date" name="from" defaultValue={raw.from ?? ''} />
        </Field>
        <Field label="To" description="Last day, included, in UTC." error={errors.to?.[0]}>
          <Input type="date" name="to" defaultValue={raw.to ?? ''} />
        </Field>
        {/* Aligns with the controls, below the labels, on wide screens. */}
        <div className="flex gap-2 sm:col-span-2 lg:col-span-1 lg:pt-6.5">
          <Button type="submit">Apply</Button>
          <Link href="/audit" className={buttonClasses('outline')}>
            Clear
          </Link>
        </div>
      </form>

      {loaded.ok ? (
        <Results page={loaded.page} tooBigToExport={tooBigToExport} />
      ) : (
        <FormError
          message={
            errors.page?.[0]
              ? `${errors.page[0]} Clear the filters to start again from the first page.`
              : 'Some filters need attention. Correct them and choose Apply.'
          }
        />
      )}
    </>
  );
}

function Results({ page, tooBigToExport }: { page: AuditPage; tooBigToExport: boolean }) {
  const filtered = hasAuditFilters(page.filters);
  if (page.total === 0) {
    return filtered ? (
      <EmptyState
        icon={SearchX}
        title="No events match these filters"
        description="Try another event or member, or a wider date range."
        action={
          <Link href="/audit" className={buttonClasses('outline')}>
            Clear filters
          </Link>
        }
      />
    ) : (
      <EmptyState
        icon={ScrollText}
        title="No activity recorded yet"
        description="Actions such as signing in, inviting a colleague or changing the clinic's settings will be listed here with the person who took them and the time."
      />
    );
  }
  if (page.rows.length === 0) {
    return (
      <EmptyState
        icon={SearchX}
        title="This page is past the end of the results"
        description={`These filters match ${page.total.toLocaleString('en-US')} ${page.total === 1 ? 'event' : 'events'} on ${page.pageCount.toLocaleString('en-US')} ${page.pageCount === 1 ? 'page' : 'pages'}.`}
        action={
          <Link href={`/audit?${auditFiltersQuery(page.filters, page.pageCount)}`} className={buttonClasses('outline')}>
            Go to the last page
          </Link>
        }
      />
    );
  }

  const first = (page.page - 1) * page.pageSize + 1;
  const last = first + page.rows.length - 1;
  return (
    <section aria-labelledby="audit-results-heading">
      <h2 id="audit-results-heading" className="sr-only">
        Events
      </h2>
      {tooBigToExport && (
        <p className="mb-4 rounded-md border border-warning-200 bg-warning-50 px-3 py-2 text-sm text-warning-700">
          These filters match more than {AUDIT_EXPORT_MAX_ROWS.toLocaleString('en-US')} events, the most one export can hold. Choose a
          shorter date range to export them in parts.
        </p>
      )}
      <Table label="Audit events">
        <TableCaption>
          Events {first.toLocaleString('en-US')}–{last.toLocaleString('en-US')} of {page.total.toLocaleString('en-US')}, newest first.
          Times are in UTC.
        </TableCaption>
        <THead>
          <TR>
            <TH>Time (UTC)</TH>
            <TH>Event</TH>
            <TH>Outcome</TH>
            <TH>Person</TH>
            <TH>Target</TH>
            <TH>IP address</TH>
          </TR>
        </THead>
        <TBody>
          {page.rows.map((row) => (
            <EventRow key={row.id} row={row} />
          ))}
        </TBody>
      </Table>
      <Pagination page={page} />
    </section>
  );
}

function Nothing({ label }: { label: string }) {
  return (
    <>
      <span aria-hidden="true" className="text-slate-500">
        —
      </span>
      <span className="sr-only">{label}</span>
    </>
  );
}

function EventRow({ row }: { row: AuditRow }) {
  const outcome = OUTCOMES[row.outcome];
  return (
    <TR>
      <TH scope="row" className="font-normal tabular-nums">
        <time dateTime={row.createdAt.toISOString()}>{formatUtc(row.createdAt)}</time>
      </TH>
      <TD className="min-w-40 font-medium text-slate-900">{row.eventLabel}</TD>
      <TD>
        <Badge variant={outcome.variant}>{outcome.label}</Badge>
      </TD>
      <TD className="min-w-48">
        {row.actorName === null ? (
          <Nothing label="No signed-in person" />
        ) : (
          <>
            <span className="block">{row.actorName}</span>
            {row.actorEmail && <span className="block text-xs break-all text-slate-600">{row.actorEmail}</span>}
          </>
        )}
      </TD>
      <TD className="min-w-40">
        {row.targetName !== null ? (
          <>
            <span className="block">{row.targetName}</span>
            <span className="block text-xs text-slate-600">{row.targetType}</span>
          </>
        ) : row.targetType || row.targetId ? (
          <>
            <span className="block">{row.targetType}</span>
            {row.targetId && <span className="block font-mono text-xs break-all text-slate-600">{row.targetId}</span>}
          </>
        ) : (
          <Nothing label="No target" />
        )}
      </TD>
      <TD className="font-mono text-xs whitespace-nowrap">{row.ip ?? <Nothing label="Not recorded" />}</TD>
    </TR>
  );
}

function Pagination({ page }: { page: AuditPage }) {
  if (page.pageCount <= 1) return null;
  const href = (n: number) => `/audit?${auditFiltersQuery(page.filters, n)}`;
  const previous = page.page > 1 ? page.page - 1 : null;
  const next = page.page < page.pageCount ? page.page + 1 : null;
  const linkClass = buttonClasses('outline', 'sm');
  return (
    <nav aria-label="Audit log pages" className="mt-4 flex items-center justify-between gap-3">
      {previous ? (
        <Link href={href(previous)} aria-label="Previous page" className={linkClass}>
          <ChevronLeft className="size-4" aria-hidden="true" />
          Previous
        </Link>
      ) : (
        <span aria-disabled="true" className={linkClass}>
          <ChevronLeft className="size-4" aria-hidden="true" />
          Previous
        </span>
      )}
      <p className="text-sm text-slate-700 tabular-nums">
        Page {page.page.toLocaleString('en-US')} of {page.pageCount.toLocaleString('en-US')}
      </p>
      {next ? (
        <Link href={href(next)} aria-label="Next page" className={linkClass}>
          Next
          <ChevronRight className="size-4" aria-hidden="true" />
        </Link>
      ) : (
        <span aria-disabled="true" className={linkClass}>
          Next
          <ChevronRight className="size-4" aria-hidden="true" />
        </span>
      )}
    </nav>
  );
}
