// The signed-in person's own profile. Account events are written to the chain of
// every clinic the person belongs to (each clinic's admins see them in their
// audit log), or to the account chain when they belong to none.
import { z } from 'zod';
import type { AuditEvent, AuditMetadata } from '@/lib/audit/events';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { personNameField } from './schemas';

export const profileSchema = z.object({ name: personNameField });

/** The first message of each invalid field, keyed by field name. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
  return out;
}

/** Records an event about the user's own account in each of their clinics' chains (shared by the account settings modules). */
export async function auditAccountEvent(
  tx: Tx,
  userId: string,
  event: AuditEvent,
  request: RequestContext,
  metadata?: AuditMetadata,
): Promise<void> {
  const memberships = await tx.membership.findMany({ where: { userId }, select: { organizationId: true } });
  const chains: (string | null)[] = memberships.length > 0 ? memberships.map((m) => m.organizationId) : [null];
  for (const organizationId of chains) {
    await recordAudit(tx, { organizationId, actorUserId: userId, event, targetType: 'user', targetId: userId, metadata, request });
  }
}

export interface ProfileUpdate {
  name: string;
  changed: boolean;
}

/** Renames the user. An unchanged name is not a change: nothing is written or audited. */
export async function updateProfile(db: Db, userId: string, input: { name: unknown }, request: RequestContext): Promise<ProfileUpdate> {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { name } = parsed.data;
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true } });
    if (!user) throw new AppError('not_found');
    if (user.name === name) return { name, changed: false };
    await tx.user.update({ where: { id: userId }, data: { name } });
    // Which fields changed, never their values: a name is personal data.
    await auditAccountEvent(tx, userId, 'user.profile_updated', request, { name: true });
    return { name, changed: true };
  });
}
