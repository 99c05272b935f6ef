// Password sign-in. Unknown emails and wrong passwords get the same answer and
// cost the same time (a dummy hash is verified); throttling applies to both.
// Every failure and success is audited in the user's clinics (unknown emails:
// in the account chain, without the email).
import type { RequestContext } from '@/lib/audit/record';
import { recordAudit } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import type { AuditEvent, AuditOutcome, AuditMetadata } from '@/lib/audit/events';
import { normalizeEmail } from './normalize';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { checkThrottle, clearAccountThrottle, recordFailure, throttleKeys } from './throttle';

export type SignInResult =
  | { ok: true; userId: string; sessionVersion: number }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export interface SignInInput {
  email: string;
  password: string;
  request: RequestContext;
}

async function auditSignIn(
  db: Db,
  userId: string | null,
  event: AuditEvent,
  outcome: AuditOutcome,
  metadata: AuditMetadata,
  request: RequestContext,
): Promise<void> {
  const clinics = userId
    ? (await db.membership.findMany({ where: { userId }, select: { organizationId: true } })).map((m) => m.organizationId)
    : [];
  const chains: (string | null)[] = clinics.length > 0 ? clinics : [null];
  await db.$transaction(async (tx) => {
    for (const organizationId of chains) {
      await recordAudit(tx, {
        organizationId,
        actorUserId: outcome === 'success' ? userId : null,
        event,
        outcome,
        targetType: userId ? 'user' : undefined,
        targetId: userId ?? undefined,
        metadata,
        request,
      });
    }
  });
}

export async function signInWithPassword(db: Db, input: SignInInput): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const keys = throttleKeys(email, input.request.ip);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, sessionVersion: true },
  });

  const throttle = await checkThrottle(db, keys);
  if (!throttle.allowed) {
    await auditSignIn(db, user?.id ?? null, 'user.login_failed', 'denied', { reason: 'throttled' }, input.request);
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }

  let verified = { ok: false, needsRehash: false };
  if (user?.passwordHash) verified = await verifyPassword(user.passwordHash, input.password);
  else await verifyAgainstDummy(input.password);

  if (!user || !verified.ok) {
    await recordFailure(db, keys);
    await auditSignIn(db, user?.id ?? null, 'user.login_failed', 'failure', { reason: 'invalid_credentials' }, input.request);
    return { ok: false, reason: 'invalid_credentials' };
  }

  await clearAccountThrottle(db, keys);
  // Legacy bcrypt (or weaker argon2) hashes are replaced now that we know the password.
  const upgradedHash = verified.needsRehash ? await hashPassword(input.password) : null;
  await db.user.update({
    where: { id: user.id },
    data: { lastLoginAt: new Date(), ...(upgradedHash ? { passwordHash: upgradedHash } : {}) },
  });
  await auditSignIn(db, user.id, 'user.login', 'success', { hashUpgraded: upgradedHash !== null }, input.request);
  return { ok: true, userId: user.id, sessionVersion: user.sessionVersion };
}
