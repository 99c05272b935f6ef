'use server';

import { headers } from 'next/headers';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { cancelJob, retryJob } from '@/lib/jobs/manage';
import type { JobSummary } from '@/lib/jobs/types';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

const context = async () => requestContextFrom(await headers());

// Roles and the job's clinic are checked by cancelJob/retryJob (staff may not; another clinic's id is not found).

export async function cancelJobAction(jobId: string): Promise<ActionResult<JobSummary>> {
  return runAction('cancelJob', async () => {
    const actor = await requireMembership(null);
    return cancelJob(db(), actor, String(jobId), await context());
  });
}

export async function retryJobAction(jobId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction('retryJob', async () => {
    const actor = await requireMembership(null);
    return retryJob(db(), actor, String(jobId), await context());
  });
}
