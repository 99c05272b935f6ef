import type { Metadata } from 'next';
import { firstParams, hasActiveLetterFilters } from '@/components/letters/list-filters';
import { PageHeader } from '@/components/shell/page-header';
import { db } from '@/lib/db/client';
import { letterFiltersSchema, listLetters } from '@/lib/letters/letters';
import { requirePageActor } from '@/lib/web/session';
import { ReportsBrowser } from './reports-browser';

export const metadata: Metadata = { title: 'Reports' };

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor } = await requirePageActor();
  // Unknown or malformed parameters fall back to "no filter" (the schema catches them), never an error page.
  const filters = letterFiltersSchema.parse(firstParams(await searchParams));
  const list = await listLetters(db(), actor, filters);
  // Tells "the clinic has no letters yet" apart from "no letter matches the filters".
  const clinicHasLetters = hasActiveLetterFilters(filters) ? (await listLetters(db(), actor, { page: 1 })).total > 0 : list.total > 0;

  return (
    <>
      <PageHeader
        title="Reports"
        description="The letters your clinic has written from its analyses: open one to review, edit and export it as a PDF. Times are in UTC."
      />
      <ReportsBrowser initial={list} filters={filters} clinicHasLetters={clinicHasLetters} />
    </>
  );
}
