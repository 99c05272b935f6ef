'use server';

// Server actions of the operator console. Identity comes from the session; the
// functions in lib/admin check that the user is a platform operator (everyone
// else gets not_found) and parse the input with the shared zod schemas.
import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { retryJobAsOperator } from '@/lib/admin/jobs';
import { setClinicPaused, type ClinicPauseResult } from '@/lib/admin/pause';
import type { RetryJobInput, SetClinicPausedInput } from '@/lib/admin/schemas';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireUser } from '@/lib/web/session';

const context = async () => requestContextFrom(await headers());

export async function operatorRetryJobAction(input: RetryJobInput): Promise<ActionResult<{ jobId: string; duplicate: boolean }>> {
  return runAction('operatorRetryJob', async () => {
    const user = await requireUser();
    const result = await retryJobAsOperator(db(), user.id, input, await context());
    revalidatePath('/admin');
    return result;
  });
}

export async function setClinicPausedAction(input: SetClinicPausedInput): Promise<ActionResult<ClinicPauseResult>> {
  return runAction('setClinicPaused', async () => {
    const user = await requireUser();
    const result = await setClinicPaused(db(), user.id, input, await context());
    revalidatePath('/admin');
    return result;
  });
}
