// Who may do what with letters. Every member reads the clinic's letters;
// clinicians, admins and owners write every template; staff write the patient
// and insurance letters (DOMAIN.md "People and clinics").
import type { Actor } from '@/lib/auth/authorize';
import { AppError } from '@/lib/errors';
import { STAFF_TEMPLATES, TEMPLATE_LABELS, type LetterTemplate } from './options';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function mayWriteTemplate(actor: Pick<Actor, 'role'>, template: LetterTemplate): boolean {
  return actor.role !== 'staff' || STAFF_TEMPLATES.includes(template);
}

/** Templates the actor may start, in display order. */
export function writableTemplates(actor: Pick<Actor, 'role'>, all: readonly LetterTemplate[]): LetterTemplate[] {
  return all.filter((t) => mayWriteTemplate(actor, t));
}

export function assertMayWriteTemplate(actor: Actor, template: LetterTemplate, what: 'write' | 'edit' | 'delete' | 'duplicate' = 'write'): void {
  if (mayWriteTemplate(actor, template)) return;
  throw new AppError('forbidden', {
    message: `role ${actor.role} may not ${what} ${template} letters`,
    userMessage: `Staff write patient and insurance letters. Ask a clinician to ${what} this ${TEMPLATE_LABELS[template].toLowerCase()} letter.`,
  });
}

export function letterNotFound(): AppError {
  return new AppError('not_found', { message: 'no such letter in the clinic', userMessage: 'We could not find that letter. It may have been deleted.' });
}

export function assertLetterId(letterId: string): void {
  if (!UUID.test(letterId)) throw letterNotFound();
}

export function isLetterTemplate(value: string): value is LetterTemplate {
  return value in TEMPLATE_LABELS;
}

/** The stored template, defensively: an unknown value is treated as a referral (the strictest for staff). */
export function storedTemplate(value: string): LetterTemplate {
  return isLetterTemplate(value) ? value : 'referral';
}
