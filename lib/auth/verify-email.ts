// Email verification: a link sent at sign-up (and on request) proves the person
// controls the address. Billing and invitations require a verified email.
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { sendEmail } from '@/lib/email/send';
import { verifyEmailMessage } from '@/lib/email/templates';
import { AppError } from '@/lib/errors';
import { consumeEmailToken, issueEmailToken } from './email-tokens';

export const RESEND_AFTER_SECONDS = 60;

export async function sendVerificationEmail(db: Db, userId: string, options: { resend?: boolean } = {}): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, name: true, emailVerifiedAt: true } });
  if (!user) throw new AppError('not_found');
  if (user.emailVerifiedAt) return;
  if (options.resend) {
    const recent = await db.emailToken.findFirst({
      where: { userId, purpose: 'verify_email', createdAt: { gt: new Date(Date.now() - RESEND_AFTER_SECONDS * 1000) } },
      select: { id: true },
    });
    if (recent) throw new AppError('rate_limited', { userMessage: 'We just sent a link. Please wait a minute before asking again.' });
  }
  const token = await db.$transaction((tx) => issueEmailToken(tx, userId, 'verify_email', user.email));
  const url = `${getConfig().app.url}/verify-email?token=${encodeURIComponent(token)}`;
  await sendEmail({ to: user.email, ...verifyEmailMessage({ name: user.name, url }) });
}

/** Confirms the address the token was issued for. Returns false for a bad, used or expired link. */
export async function confirmEmail(db: Db, rawToken: string, request: RequestContext): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const token = await consumeEmailToken(tx, rawToken, 'verify_email');
    if (!token) return false;
    const user = await tx.user.findUnique({ where: { id: token.userId }, select: { email: true } });
    // A link for an address the account no longer uses proves nothing.
    if (!user || user.email !== token.email) return false;
    await tx.user.update({ where: { id: token.userId }, data: { emailVerifiedAt: new Date() } });
    const memberships = await tx.membership.findMany({ where: { userId: token.userId }, select: { organizationId: true } });
    for (const { organizationId } of memberships.length > 0 ? memberships : [{ organizationId: null }]) {
      await recordAudit(tx, { organizationId, actorUserId: token.userId, event: 'user.email_verified', targetType: 'user', targetId: token.userId, request });
    }
    return true;
  });
}

/** Guards actions that need a verified address (billing, invitations). */
export async function requireVerifiedEmail(db: Db, userId: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { emailVerifiedAt: true } });
  if (!user?.emailVerifiedAt) {
    throw new AppError('forbidden', { userMessage: 'Please verify your email address first. We sent you a link when you signed up.' });
  }
}
