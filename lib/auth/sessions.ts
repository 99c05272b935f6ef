// Revoking sessions: every JWT carries the session version it was issued with, and
// each request compares it with the database (lib/web/session.ts). Bumping the
// version ends every existing session of the user at their next request.
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';

/** Ends every session of the user; call inside the transaction of the change that requires it. */
export async function revokeSessions(tx: Tx, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

export async function signOutEverywhere(db: Db, userId: string, request: RequestContext): Promise<void> {
  const memberships = await db.membership.findMany({ where: { userId }, select: { organizationId: true } });
  await db.$transaction(async (tx) => {
    await revokeSessions(tx, userId);
    for (const { organizationId } of memberships.length > 0 ? memberships : [{ organizationId: null }]) {
      await recordAudit(tx, {
        organizationId,
        actorUserId: userId,
        event: 'user.signed_out_everywhere',
        targetType: 'user',
        targetId: userId,
        request,
      });
    }
  });
}
