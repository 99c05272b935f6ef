'use server';

import { headers } from 'next/headers';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

/**
 * Starts an analysis of an uploaded file or pasted text. The input is parsed by
 * submitAnalysisJob (the same zod schema the form uses), which also checks the
 * role (staff may not) and the quota; the idempotency key makes a resubmitted
 * form return the job its first submit created.
 */
export async function submitAnalysisJobAction(input: unknown): Promise<ActionResult<{ jobId: string; duplicate: boolean }>> {
  return runAction('submitAnalysisJob', async () => {
    const actor = await requireMembership(null);
    return submitAnalysisJob(db(), actor, input, requestContextFrom(await headers()));
  });
}
