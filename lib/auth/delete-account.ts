// Deleting one's own account. The person confirms with their password. A clinic
// is never left without an owner: the last owner of a clinic with other members
// must hand ownership over first, and a clinic the person runs alone must be
// deleted as a clinic (its data export and retention rules apply) before the
// account can go. Memberships and tokens go with the user; audit rows stay.
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { verifyPassword } from './password';
import { revokeSessions } from './sessions';

/** The clinics the person owns alone: each must get another owner (or be deleted) before the account can go. */
export async function soleOwnedClinics(db: Db | Tx, userId: string): Promise<{ organizationId: string; name: string }[]> {
  const owned = await db.membership.findMany({
    // A clinic already scheduled for deletion (lib/data-controls) needs no new owner: it is going anyway.
    where: { userId, role: 'owner', organization: { deletionScheduledAt: null } },
    select: { organizationId: true, organization: { select: { name: true, _count: { select: { memberships: { where: { role: 'owner' } } } } } } },
    orderBy: { organization: { name: 'asc' } },
  });
  return owned.filter((m) => m.organization._count.memberships === 1).map((m) => ({ organizationId: m.organizationId, name: m.organization.name }));
}

export function soleOwnerMessage(clinicName: string): string {
  return `You are the only owner of ${clinicName}. Make someone else an owner, or delete the clinic, before deleting your account.`;
}

export async function deleteAccount(db: Db, userId: string, input: { password: unknown }, request: RequestContext): Promise<void> {
  const password = typeof input.password === 'string' ? input.password : '';
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, passwordHash: true } });
  if (!user) throw new AppError('not_found');
  const verified = user.passwordHash ? await verifyPassword(user.passwordHash, password) : { ok: false };
  if (!verified.ok) throw new AppError('validation_failed', { fieldErrors: { password: ['That password is not correct.'] } });

  await db.$transaction(async (tx) => {
    // Lock each owned clinic first (in a stable order), as role changes do, so that
    // two owners deleting their accounts at once cannot both leave.
    const owned = await tx.membership.findMany({ where: { userId, role: 'owner' }, select: { organizationId: true }, orderBy: { organizationId: 'asc' } });
    for (const { organizationId } of owned) {
      await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${organizationId}::uuid FOR UPDATE`;
    }
    const [blocker] = await soleOwnedClinics(tx, userId);
    if (blocker) throw new AppError('conflict', { userMessage: soleOwnerMessage(blocker.name) });
    const memberships = await tx.membership.findMany({ where: { userId }, select: { organizationId: true } });
    await revokeSessions(tx, userId);
    for (const { organizationId } of memberships.length > 0 ? memberships : [{ organizationId: null }]) {
      await recordAudit(tx, { organizationId, actorUserId: userId, event: 'user.deleted', targetType: 'user', targetId: userId, request });
    }
    await tx.user.delete({ where: { id: userId } });
  });
}
