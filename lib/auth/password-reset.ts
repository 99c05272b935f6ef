// Password reset by email: a random single-use token, stored hashed, valid for 30
// minutes. Asking gives the same answer whether or not the email has an account.
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { sendEmail } from '@/lib/email/send';
import { passwordResetMessage } from '@/lib/email/templates';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { consumeEmailToken, hashToken, issueEmailToken, TOKEN_TTL_MINUTES } from './email-tokens';
import { normalizeEmail } from './normalize';
import { hashPassword } from './password';
import { checkPassword } from './password-policy';
import { revokeSessions } from './sessions';

async function clinicsOf(db: Db | Tx, userId: string): Promise<string[]> {
  return (await db.membership.findMany({ where: { userId }, select: { organizationId: true } })).map((m) => m.organizationId);
}

export async function requestPasswordReset(db: Db, rawEmail: string, request: RequestContext): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const user = await db.user.findUnique({ where: { email }, select: { id: true, name: true } });
  if (!user) return; // same answer, no email: nothing to reveal
  const token = await db.$transaction(async (tx) => {
    const raw = await issueEmailToken(tx, user.id, 'reset_password', email);
    const clinics = await clinicsOf(tx, user.id);
    for (const organizationId of clinics.length > 0 ? clinics : [null]) {
      await recordAudit(tx, { organizationId, actorUserId: null, event: 'user.password_reset_requested', targetType: 'user', targetId: user.id, request });
    }
    return raw;
  });
  const url = `${getConfig().app.url}/reset-password?token=${encodeURIComponent(token)}`;
  try {
    await sendEmail({ to: email, ...passwordResetMessage({ name: user.name, url, expiresInMinutes: TOKEN_TTL_MINUTES.reset_password }) });
  } catch (error) {
    // The page must not reveal that this address has an account, so the failure is only logged.
    logger().error({ err: describeError(error), userId: user.id }, 'password reset email not sent');
  }
}

/** Sets a new password from a reset link and ends every existing session. */
export async function resetPassword(db: Db, rawToken: string, newPassword: string, request: RequestContext): Promise<void> {
  const pending = await db.emailToken.findFirst({
    where: { tokenHash: hashToken(rawToken), purpose: 'reset_password' },
    select: { user: { select: { email: true, name: true } } },
  });
  // The policy needs the account's email and name; an unknown token fails below without a hash.
  if (pending) {
    const policy = checkPassword({ password: newPassword, email: pending.user.email, name: pending.user.name });
    if (!policy.ok) throw new AppError('validation_failed', { fieldErrors: { password: [policy.message] } });
  }
  const passwordHash = await hashPassword(newPassword);
  const done = await db.$transaction(async (tx) => {
    const token = await consumeEmailToken(tx, rawToken, 'reset_password');
    if (!token) return false;
    await tx.user.update({ where: { id: token.userId }, data: { passwordHash } });
    await revokeSessions(tx, token.userId);
    // Following the link proves the address, as a verification link would.
    await tx.user.updateMany({ where: { id: token.userId, emailVerifiedAt: null, email: token.email }, data: { emailVerifiedAt: new Date() } });
    const clinics = await clinicsOf(tx, token.userId);
    for (const organizationId of clinics.length > 0 ? clinics : [null]) {
      await recordAudit(tx, { organizationId, actorUserId: token.userId, event: 'user.password_reset', targetType: 'user', targetId: token.userId, request });
    }
    return true;
  });
  if (!done) {
    throw new AppError('bad_request', { userMessage: 'This reset link has expired or was already used. Ask for a new one.' });
  }
}
