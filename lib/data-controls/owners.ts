// Clinic data controls belong to the clinic's owners (DOMAIN.md "People and clinics").
import type { Actor } from '@/lib/auth/authorize';
import { AppError } from '@/lib/errors';

/** The settings page of the data controls, linked from emails and error messages. */
export const DATA_SETTINGS_PATH = '/settings/data';

export function isOwner(actor: Actor): boolean {
  return actor.role === 'owner';
}

/** Throws forbidden, saying who can, unless the actor owns the clinic. `what` completes "Only the clinic's owners can …". */
export function assertOwner(actor: Actor, what: string): void {
  if (!isOwner(actor)) {
    throw new AppError('forbidden', { message: `role ${actor.role} is not owner`, userMessage: `Only the clinic’s owners can ${what}.` });
  }
}
