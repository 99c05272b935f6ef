// The clinic's pending deletion as the rest of the app sees it: the banner on
// every page and the refusal of new jobs. Kept apart from deletion.ts so the
// job path and the layout load nothing else.
import type { Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

export const dateLabel = (date: Date) => date.toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' });

export interface ClinicDeletionState {
  requestedAt: Date;
  scheduledAt: Date;
  requestedBy: string | null;
}

/** The clinic's pending deletion, or null. Any member may read it (the banner). */
export async function getClinicDeletionState(db: Db, organizationId: string): Promise<ClinicDeletionState | null> {
  const clinic = await db.organization.findUnique({
    where: { id: organizationId },
    select: { deletionRequestedAt: true, deletionScheduledAt: true, deletionRequestedBy: { select: { name: true } } },
  });
  if (!clinic?.deletionScheduledAt) return null;
  return { requestedAt: clinic.deletionRequestedAt ?? clinic.deletionScheduledAt, scheduledAt: clinic.deletionScheduledAt, requestedBy: clinic.deletionRequestedBy?.name ?? null };
}

/**
 * Called from insertQueuedJob inside the job's transaction: a clinic waiting to
 * be deleted starts no new work.
 */
export async function assertClinicAcceptsJobs(tx: Tx, organizationId: string): Promise<void> {
  const clinic = await tx.organization.findUnique({ where: { id: organizationId }, select: { deletionScheduledAt: true, pausedAt: true } });
  // A clinic paused by a platform operator (lib/admin/pause.ts) starts nothing new either.
  if (clinic?.pausedAt) throw clinicPausedError();
  if (clinic?.deletionScheduledAt) {
    throw new AppError('conflict', {
      message: 'clinic scheduled for deletion',
      userMessage: `This clinic is scheduled for deletion on ${dateLabel(clinic.deletionScheduledAt)}, so it cannot start new jobs. An owner can restore the clinic on Settings → Data.`,
    });
  }
}

/** What members are told while a platform operator has paused their clinic (new jobs and API requests). */
export const CLINIC_PAUSED_MESSAGE =
  'Maneiro support has paused this clinic, so it cannot start new jobs or use the API. Existing results stay available. Contact support to have it resumed.';

export function clinicPausedError(): AppError {
  return new AppError('forbidden', { message: 'clinic paused by an operator', userMessage: CLINIC_PAUSED_MESSAGE });
}

export interface ClinicPauseState {
  pausedAt: Date;
  reason: string | null;
}

/** The clinic's pause by a platform operator, or null. Any member may read it (the banner). */
export async function getClinicPauseState(db: Db, organizationId: string): Promise<ClinicPauseState | null> {
  const clinic = await db.organization.findUnique({ where: { id: organizationId }, select: { pausedAt: true, pausedReason: true } });
  return clinic?.pausedAt ? { pausedAt: clinic.pausedAt, reason: clinic.pausedReason } : null;
}
