'use server';

import { z } from 'zod';
import { JOBS_PAGE_SIZE } from '@/components/jobs/filters';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { JOB_STATUSES, JOB_TYPES, listJobs } from '@/lib/jobs/queries';
import type { JobListItem } from '@/lib/jobs/types';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

export interface JobSearchPage {
  jobs: JobListItem[];
  total: number;
  page: number;
  pageSize: number;
}

// Shapes only: listJobs validates the values (dates, ids, lengths) with its own messages.
const searchInput = z.object({
  type: z.enum(JOB_TYPES).optional(),
  status: z.enum(JOB_STATUSES).optional(),
  memberId: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  q: z.string().optional(),
  page: z.number().int().min(1).max(100_000).default(1),
});

/**
 * Searches the clinic's job titles and patient names. A server action (a POST)
 * rather than a GET parameter so the search term, often a patient's name, never
 * lands in a URL, the browser history or an access log. The other filters are
 * the page's URL filters, passed along.
 */
export async function searchJobsAction(input: unknown): Promise<ActionResult<JobSearchPage>> {
  return runAction('searchJobs', async () => {
    const actor = await requireMembership(null);
    const parsed = searchInput.safeParse(input);
    if (!parsed.success) throw new AppError('bad_request', { message: 'malformed job search' });
    const result = await listJobs(db(), actor, { ...parsed.data, pageSize: JOBS_PAGE_SIZE });
    return { jobs: result.jobs, total: result.total, page: result.page, pageSize: result.pageSize };
  });
}
