'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ChevronLeft, ChevronRight, ClipboardList, Search, SearchX, X } from 'lucide-react';
import { hasActiveFilters, jobFiltersQuery, parseJobFilters, type UrlJobFilters } from '@/components/jobs/filters';
import { JobList } from '@/components/jobs/job-list';
import { JOB_STATUSES, JOB_TYPE_LABELS, STATUS_BADGES } from '@/components/jobs/stages';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { FormError } from '@/components/form-error';
import type { JobType } from '@/lib/jobs/types';
import { searchJobsAction, type JobSearchPage } from './actions';

const TYPES: JobType[] = ['analysis', 'transcription', 'letter', 'triage'];

export interface JobsBrowserProps {
  /** The page of jobs for the URL's filters, rendered by the server. */
  initial: JobSearchPage;
  filters: UrlJobFilters;
  members: { id: string; name: string }[];
  /** Whether the clinic has any job at all (for the first-use empty state). */
  clinicHasJobs: boolean;
  mayAnalyse: boolean;
}

interface ActiveSearch {
  q: string;
  result: JobSearchPage;
}

/**
 * The jobs list with its filters and search. Type, status, member, dates and page
 * are GET parameters (bookmarkable, no PHI). The text search is different: it
 * matches titles and patient names, so the term is posted to a server action and
 * kept only in this component's state, never in the URL.
 */
export function JobsBrowser({ initial, filters, members, clinicHasJobs, mayAnalyse }: JobsBrowserProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [term, setTerm] = useState('');
  const [search, setSearch] = useState<ActiveSearch | null>(null);
  const [error, setError] = useState<string | null>(null);

  function runSearch(q: string, page: number, withFilters: UrlJobFilters) {
    setError(null);
    startTransition(async () => {
      const { type, status, memberId, from, to } = withFilters;
      const result = await searchJobsAction({ type, status, memberId, from, to, q, page });
      if (result.ok) setSearch({ q, result: result.data });
      else setError(result.error);
    });
  }

  function applyFilters(next: UrlJobFilters) {
    const query = jobFiltersQuery({ ...next, page: 1 });
    router.push(query ? `/jobs?${query}` : '/jobs');
    if (search) runSearch(search.q, 1, next);
  }

  const shown = search?.result ?? initial;
  const filtered = hasActiveFilters(filters) || search !== null;
  const firstShown = shown.total === 0 ? 0 : (shown.page - 1) * shown.pageSize + 1;
  const lastShown = Math.min(shown.total, shown.page * shown.pageSize);
  const pages = Math.max(1, Math.ceil(shown.total / shown.pageSize));

  if (!clinicHasJobs) {
    return (
      <EmptyState
        icon={ClipboardList}
        title="No jobs yet"
        description={
          <>
            A job is one task Maneiro runs for your clinic: analysing a note or scan, transcribing a recording, drafting a letter or triaging a
            fax. Each one appears here with its status and result, and counts once towards your plan’s monthly allowance.
          </>
        }
        action={
          mayAnalyse ? (
            <Link href="/dashboard" className={buttonClasses('primary')}>
              Start an analysis
            </Link>
          ) : undefined
        }
      />
    );
  }

  return (
    <div className="space-y-5">
      <form
        method="get"
        action="/jobs"
        aria-label="Filter jobs"
        className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto]"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const values: Record<string, string> = {};
          for (const [key, value] of form.entries()) if (typeof value === 'string') values[key] = value;
          applyFilters(parseJobFilters(values));
        }}
      >
        <div className="space-y-1.5">
          <Label htmlFor="filter-type">Type</Label>
          <Select id="filter-type" name="type" defaultValue={filters.type ?? ''} key={`type-${filters.type ?? ''}`}>
            <option value="">All types</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {JOB_TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="filter-status">Status</Label>
          <Select id="filter-status" name="status" defaultValue={filters.status ?? ''} key={`status-${filters.status ?? ''}`}>
            <option value="">Any status</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_BADGES[s].label}
              </option>
            ))}
          </Select>
        </div>
        <div className="col-span-2 space-y-1.5 lg:col-span-1">
          <Label htmlFor="filter-member">Started by</Label>
          <Select id="filter-member" name="member" defaultValue={filters.memberId ?? ''} key={`member-${filters.memberId ?? ''}`}>
            <option value="">Anyone</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="filter-from">From (UTC)</Label>
          <Input id="filter-from" name="from" type="date" defaultValue={filters.from ?? ''} key={`from-${filters.from ?? ''}`} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="filter-to">To (UTC)</Label>
          <Input id="filter-to" name="to" type="date" defaultValue={filters.to ?? ''} key={`to-${filters.to ?? ''}`} />
        </div>
        <div className="col-span-2 flex items-end gap-2 lg:col-span-1">
          <Button type="submit" variant="outline">
            Apply filters
          </Button>
          {hasActiveFilters(filters) && (
            <Button type="button" variant="ghost" onClick={() => applyFilters({ page: 1 })}>
              Clear
            </Button>
          )}
        </div>
      </form>

      <form
        role="search"
        aria-label="Search jobs"
        method="post"
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          const q = term.trim();
          if (q === '') setSearch(null);
          else runSearch(q, 1, filters);
        }}
      >
        <div className="min-w-0 flex-1 space-y-1.5">
          <Label htmlFor="job-search">Search titles and patient names</Label>
          <Input id="job-search" type="search" autoComplete="off" value={term} onChange={(e) => setTerm(e.target.value)} maxLength={200} />
        </div>
        <div className="flex gap-2">
          <Button type="submit" loading={pending}>
            <Search className="size-4" aria-hidden="true" />
            Search
          </Button>
          {search && (
            <Button
              type="button"
              variant="ghost"
              onClick={() => {
                setSearch(null);
                setTerm('');
              }}
            >
              <X className="size-4" aria-hidden="true" />
              Clear search
            </Button>
          )}
        </div>
      </form>
      <FormError message={error} />

      <p role="status" aria-live="polite" className="text-sm text-slate-700">
        {shown.total === 0
          ? 'No jobs match.'
          : `Showing ${firstShown}–${lastShown} of ${shown.total.toLocaleString('en-US')} ${shown.total === 1 ? 'job' : 'jobs'}${search ? ` matching “${search.q}”` : ''}.`}
      </p>

      {shown.jobs.length === 0 ? (
        <EmptyState
          icon={SearchX}
          title={filtered ? 'No jobs match' : 'No jobs on this page'}
          description={
            filtered ? 'Try another search term, or widen the filters: a longer date range, any status, anyone in the clinic.' : 'This page is past the end of the list.'
          }
          action={
            filtered ? undefined : (
              <Link href="/jobs" className={buttonClasses('outline')}>
                Back to the first page
              </Link>
            )
          }
        />
      ) : (
        <JobList jobs={shown.jobs} caption="Jobs" />
      )}

      {pages > 1 && (
        <nav aria-label="Pages of jobs" className="flex items-center justify-between gap-3">
          <p className="text-sm text-slate-600">
            Page {shown.page} of {pages}
          </p>
          <div className="flex gap-2">
            {search ? (
              <>
                <Button variant="outline" size="sm" disabled={shown.page <= 1 || pending} onClick={() => runSearch(search.q, shown.page - 1, filters)}>
                  <ChevronLeft className="size-4" aria-hidden="true" />
                  Previous
                </Button>
                <Button variant="outline" size="sm" disabled={shown.page >= pages || pending} onClick={() => runSearch(search.q, shown.page + 1, filters)}>
                  Next
                  <ChevronRight className="size-4" aria-hidden="true" />
                </Button>
              </>
            ) : (
              <>
                <PageLink filters={filters} page={shown.page - 1} disabled={shown.page <= 1} label="Previous" />
                <PageLink filters={filters} page={shown.page + 1} disabled={shown.page >= pages} label="Next" />
              </>
            )}
          </div>
        </nav>
      )}
    </div>
  );
}

function PageLink({ filters, page, disabled, label }: { filters: UrlJobFilters; page: number; disabled: boolean; label: 'Previous' | 'Next' }) {
  const icon = label === 'Previous' ? <ChevronLeft className="size-4" aria-hidden="true" /> : <ChevronRight className="size-4" aria-hidden="true" />;
  if (disabled) {
    return (
      <span className={buttonClasses('outline', 'sm')} aria-disabled="true">
        {label === 'Previous' && icon}
        {label}
        {label === 'Next' && icon}
      </span>
    );
  }
  const query = jobFiltersQuery({ ...filters, page });
  return (
    <Link href={query ? `/jobs?${query}` : '/jobs'} className={buttonClasses('outline', 'sm')}>
      {label === 'Previous' && icon}
      {label}
      {label === 'Next' && icon}
    </Link>
  );
}
