import type { Metadata } from 'next';
import { hasActiveFilters, JOBS_PAGE_SIZE, parseJobFilters } from '@/components/jobs/filters';
import { PageHeader } from '@/components/shell/page-header';
import { db } from '@/lib/db/client';
import { ANALYSIS_ROLES } from '@/lib/jobs/access';
import { listJobs } from '@/lib/jobs/queries';
import { requirePageActor } from '@/lib/web/session';
import { JobsBrowser } from './jobs-browser';

export const metadata: Metadata = { title: 'Jobs' };

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor } = await requirePageActor();
  const filters = parseJobFilters(await searchParams);
  const list = await listJobs(db(), actor, { ...filters, pageSize: JOBS_PAGE_SIZE });
  // Tells "the clinic has no jobs yet" apart from "no job matches the filters".
  const clinicHasJobs = hasActiveFilters(filters) ? (await listJobs(db(), actor, { page: 1, pageSize: 1 })).total > 0 : list.total > 0;

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Every piece of work your clinic has asked Maneiro to do, with its status and its result. Times are in UTC."
      />
      <JobsBrowser
        initial={{ jobs: list.jobs, total: list.total, page: list.page, pageSize: list.pageSize }}
        filters={filters}
        members={list.members}
        clinicHasJobs={clinicHasJobs}
        mayAnalyse={ANALYSIS_ROLES.includes(actor.role)}
      />
    </>
  );
}
