// Pausing a clinic: an operator's brake for abuse, a runaway integration or an
// unpaid account under review. While paused, every member sees a banner with the
// reason, new jobs are refused (lib/data-controls/state.ts, inside the job's
// transaction) and the REST API answers 403 clinic_paused (lib/api/handler.ts).
// Existing results stay readable. Recorded in the clinic's own audit chain.
import 'server-only';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import { fieldErrorsOf } from '@/lib/auth/update-profile';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requireOperator } from './operators';
import { setClinicPausedSchema } from './schemas';

export interface ClinicPauseResult {
  paused: boolean;
  /** False when the clinic already was in the asked-for state (with the same reason). */
  changed: boolean;
}

export async function setClinicPaused(db: Db, userId: string, input: unknown, context: RequestContext | null): Promise<ClinicPauseResult> {
  const operator = await requireOperator(db, userId);
  const parsed = setClinicPausedSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { clinicId, paused, reason } = parsed.data;
  return db.$transaction(async (tx) => {
    // Locked so that two operators' clicks resolve one after the other.
    const rows = await tx.$queryRaw<{ paused_at: Date | null; paused_reason: string | null }[]>`
      SELECT paused_at, paused_reason FROM organizations WHERE id = ${clinicId}::uuid FOR UPDATE`;
    const current = rows[0];
    if (!current) throw new AppError('not_found', { message: 'no such clinic', userMessage: 'We could not find that clinic. It may have been deleted.' });
    const wasPaused = current.paused_at !== null;
    if (paused === wasPaused && (!paused || current.paused_reason === reason)) return { paused, changed: false };
    await tx.organization.update({
      where: { id: clinicId },
      data: paused ? { pausedAt: current.paused_at ?? new Date(), pausedReason: reason } : { pausedAt: null, pausedReason: null },
    });
    await recordAudit(tx, {
      organizationId: clinicId,
      actorUserId: operator.userId,
      event: paused ? 'operator.clinic_paused' : 'operator.clinic_resumed',
      targetType: 'clinic',
      targetId: clinicId,
      // The reason is kept on the clinic row; the record says only that it changed.
      metadata: { operator: true, ...(paused && wasPaused ? { reasonChanged: true } : {}) },
      request: context,
    });
    return { paused, changed: true };
  });
}
