'use client';

import Link from 'next/link';
import { ClipboardList, SearchX } from 'lucide-react';
import { hasActiveFilters, jobFiltersQuery, parseJobFilters, type UrlJobFilters } from '@/components/jobs/filters';
import { JobList } from '@/components/jobs/job-list';
import { JOB_STATUSES, JOB_TYPE_LABELS, STATUS_BADGES } from '@/components/jobs/stages';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { PrivateSearchForm, ResultCount, ResultsPager, usePrivateSearch } from '@/components/ui/private-search';
import { Select } from '@/components/ui/select';
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

function jobsHref(filters: UrlJobFilters): string {
  const query = jobFiltersQuery(filters);
  return query ? `/jobs?${query}` : '/jobs';
}

/**
 * The jobs list with its filters and search. Type, status, member, dates and page
 * are GET parameters (bookmarkable, no PHI). The text search is different: it
 * matches titles and patient names, so the term is posted to a server action and
 * kept only in this component's state, never in the URL.
 */
export function JobsBrowser({ initial, filters, members, clinicHasJobs, mayAnalyse }: JobsBrowserProps) {
  const state = usePrivateSearch<UrlJobFilters, JobSearchPage>({
    href: jobsHref,
    search: (q, page, { type, status, memberId, from, to }) => searchJobsAction({ type, status, memberId, from, to, q, page }),
  });
  const { applyFilters } = state;
  const shown = state.active?.result ?? initial;
  const filtered = hasActiveFilters(filters) || state.active !== null;

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

      <PrivateSearchForm state={state} filters={filters} ariaLabel="Search jobs" inputId="job-search" label="Search titles and patient names" />
      <ResultCount shown={shown} noun={{ one: 'job', many: 'jobs' }} q={state.active?.q ?? null} />

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

      <ResultsPager shown={shown} state={state} filters={filters} href={jobsHref} ariaLabel="Pages of jobs" />
    </div>
  );
}
