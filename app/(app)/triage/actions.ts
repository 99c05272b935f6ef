'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requestContextFrom } from '@/lib/http/request-context';
import { analyzeTriagedDocument, setTriageTask, submitTriageJob } from '@/lib/jobs/triage';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

// Identity comes from the session; the input is parsed, the role and the job's
// clinic are checked by the lib/jobs/triage functions (another clinic's job is not found).

const context = async () => requestContextFrom(await headers());

const taskTickSchema = z.object({
  key: z.string({ message: 'Choose a task to tick.' }).max(20, { message: 'That task is not on this triage. Reload the page.' }),
  done: z.boolean({ message: 'Say whether the task is done.' }),
});
const analyzeSchema = z.object({
  idempotencyKey: z.string({ message: 'The form is missing its submission key; reload the page and try again.' }),
});

/** Parses an action's input; a malformed one is answered like any other invalid form. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
  throw new AppError('validation_failed', { message: 'malformed triage action input', fieldErrors });
}

/** Triages an uploaded document or pasted text (every role); the idempotency key makes a resubmit return the first job. */
export async function submitTriageJobAction(input: unknown): Promise<ActionResult<{ jobId: string; duplicate: boolean }>> {
  return runAction('submitTriageJob', async () => {
    const actor = await requireMembership(null);
    return submitTriageJob(db(), actor, input, await context());
  });
}

/** Ticks or unticks one task of a triaged document, saved at once. */
export async function setTriageTaskAction(jobId: string, input: unknown): Promise<ActionResult<{ key: string; done: boolean }>> {
  return runAction('setTriageTask', async () => {
    const actor = await requireMembership(null);
    return setTriageTask(db(), actor, String(jobId), parse(taskTickSchema, input), await context());
  });
}

/** Starts the full clinical analysis of a triaged document (clinicians, admins and owners). */
export async function analyzeTriagedDocumentAction(jobId: string, input: unknown): Promise<ActionResult<{ jobId: string; duplicate: boolean }>> {
  return runAction('analyzeTriagedDocument', async () => {
    const actor = await requireMembership(null);
    return analyzeTriagedDocument(db(), actor, String(jobId), parse(analyzeSchema, input), await context());
  });
}
