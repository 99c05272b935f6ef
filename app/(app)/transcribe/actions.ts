'use server';

import { headers } from 'next/headers';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { analyzeTranscript, restoreTranscriptVersion, saveTranscriptVersion, submitTranscriptionJob } from '@/lib/jobs/transcription';
import type { TranscriptSegment } from '@/lib/jobs/transcription-input';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

// Roles, plan, provider and the job's clinic are all checked by lib/jobs/transcription;
// these only find the actor and pass the request context for the audit trail.
const context = async () => requestContextFrom(await headers());

/** Starts a transcription of an uploaded or recorded audio file (input parsed by submitTranscriptionSchema). */
export async function submitTranscriptionAction(input: unknown): Promise<ActionResult<{ jobId: string; duplicate: boolean }>> {
  return runAction('submitTranscription', async () => {
    const actor = await requireMembership(null);
    return submitTranscriptionJob(db(), actor, input, await context());
  });
}

/** Saves the edited transcript as a new version; a conflict if someone saved since `baseVersion`. */
export async function saveTranscriptAction(jobId: string, input: { baseVersion: number; segments: TranscriptSegment[] }): Promise<ActionResult<{ version: number }>> {
  return runAction('saveTranscript', async () => {
    const actor = await requireMembership(null);
    return saveTranscriptVersion(db(), actor, String(jobId), input, await context());
  });
}

export async function restoreTranscriptAction(jobId: string, version: number): Promise<ActionResult<{ version: number }>> {
  return runAction('restoreTranscript', async () => {
    const actor = await requireMembership(null);
    return restoreTranscriptVersion(db(), actor, String(jobId), Number(version), await context());
  });
}

/** Starts an analysis of the transcript's current text; answers the analysis job's id. */
export async function analyzeTranscriptAction(jobId: string, input: { specialty: string; idempotencyKey: string }): Promise<ActionResult<{ jobId: string; duplicate: boolean }>> {
  return runAction('analyzeTranscript', async () => {
    const actor = await requireMembership(null);
    const safe = { specialty: String(input?.specialty ?? ''), idempotencyKey: String(input?.idempotencyKey ?? '') };
    return analyzeTranscript(db(), actor, String(jobId), safe, await context());
  });
}
