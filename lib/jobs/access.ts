// Who may do what with jobs, and the tenant-scoped lookup every job function
// starts from: a malformed id or another clinic's job is simply not found.
import { assertRole, type Actor, type Role } from '@/lib/auth/authorize';
import { AppError } from '@/lib/errors';

/** Start, cancel and retry analyses. Staff work with triage and letters, not clinical analyses. */
export const ANALYSIS_ROLES: readonly Role[] = ['owner', 'admin', 'clinician'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertJobId(jobId: string): void {
  if (!UUID.test(jobId)) throw new AppError('not_found', { message: 'malformed job id', userMessage: 'We could not find that job.' });
}

export function jobNotFound(): AppError {
  return new AppError('not_found', { message: 'no such job in the clinic', userMessage: 'We could not find that job.' });
}

export function assertMayRunAnalysis(actor: Actor, what: 'start' | 'cancel' | 'retry'): void {
  try {
    assertRole(actor, ANALYSIS_ROLES);
  } catch {
    const verb = { start: 'start', cancel: 'cancel', retry: 'retry' }[what];
    throw new AppError('forbidden', {
      message: `role ${actor.role} may not ${verb} analyses`,
      userMessage: `Only clinicians, admins and owners can ${verb} clinical analyses. Ask one of them to do it for you.`,
    });
  }
}
