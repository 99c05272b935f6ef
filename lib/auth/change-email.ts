// Changing the account's email address. The new address only replaces the old
// one when a link sent to it is followed, so a typo cannot lock anyone out and
// nobody can claim an address they do not read. The old address is told at once,
// so a change made by someone else does not go unnoticed.
import { z } from 'zod';
import type { RequestContext } from '@/lib/audit/record';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { sendEmail } from '@/lib/email/send';
import { emailChangedNotice, escapeHtml, type EmailContent } from '@/lib/email/templates';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { consumeEmailToken, issueEmailToken, TOKEN_TTL_MINUTES } from './email-tokens';
import { verifyPassword } from './password';
import { emailField } from './schemas';
import { revokeSessions } from './sessions';
import { auditAccountEvent, fieldErrorsOf } from './update-profile';

export const emailChangeSchema = z.object({
  newEmail: emailField,
  currentPassword: z
    .string({ message: 'Enter your current password.' })
    .min(1, { message: 'Enter your current password.' })
    .max(1024, { message: 'That password is not correct.' }),
});

/**
 * Each request sends an email to an address of the requester's choosing; this
 * caps how far one account can be used to send mail to strangers.
 */
export const EMAIL_CHANGE_REQUESTS_PER_HOUR = 5;

const TAKEN = 'Another account already uses this email address.';

/** The confirmation sent to the new address (its own wording: this is not a new account). */
export function confirmNewEmailMessage({ name, url, expiresInHours }: { name: string; url: string; expiresInHours: number }): EmailContent {
  const who = name.replace(/\s+/g, ' ').trim();
  const greeting = who ? `Hi ${who},` : 'Hi there,';
  const intro = 'You asked to use this email address for your Maneiro account. Confirm it with the link below to finish the change.';
  const expiry = `The link works for ${expiresInHours} hours. After confirming, you will sign in again with this address.`;
  const outro = 'If you did not ask for this, ignore this email: nothing changes until the link is used.';
  const label = 'Confirm new email address';
  const href = escapeHtml(url);
  const p = (text: string) => `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:#1e293b;">${escapeHtml(text)}</p>`;
  return {
    subject: 'Confirm your new email address for Maneiro',
    text: [greeting, intro, expiry, `${label}: ${url}`, outro, 'The Maneiro team'].join('\n\n') + '\n',
    html: [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8"><title>Confirm your new email address for Maneiro</title></head>',
      "<body style=\"margin:0;padding:32px 16px;background-color:#f1f5f9;font-family:-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;\">",
      '<div style="max-width:560px;margin:0 auto;padding:32px;background-color:#ffffff;border:1px solid #e2e8f0;border-radius:8px;">',
      '<p style="margin:0 0 24px;font-size:18px;font-weight:700;color:#0b8472;">Maneiro</p>',
      p(greeting),
      p(intro),
      p(expiry),
      `<p style="margin:8px 0 24px;"><a href="${href}" style="display:inline-block;padding:12px 24px;font-size:16px;font-weight:600;color:#ffffff;background-color:#0b8472;text-decoration:none;border-radius:6px;">${escapeHtml(label)}</a></p>`,
      `<p style="margin:0 0 24px;font-size:14px;line-height:20px;word-break:break-all;color:#475569;">If the button does not work, copy this link into your browser: <a href="${href}" style="color:#0b8472;">${href}</a></p>`,
      p(outro),
      p('The Maneiro team'),
      '</div></body></html>',
    ].join('\n'),
  };
}

export interface PendingEmailChange {
  email: string;
  expiresAt: Date;
}

/** The address waiting for confirmation, if a change link is still usable. */
export async function getPendingEmailChange(db: Db, userId: string): Promise<PendingEmailChange | null> {
  return db.emailToken.findFirst({
    where: { userId, purpose: 'change_email', usedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'desc' },
    select: { email: true, expiresAt: true },
  });
}

/**
 * Asks to move the account to `newEmail`: checks the current password, emails a
 * confirmation link to the new address and a notice to the old one. The account
 * keeps its address until confirmEmailChange runs.
 */
export async function requestEmailChange(
  db: Db,
  userId: string,
  input: { newEmail: unknown; currentPassword: unknown },
  request: RequestContext,
): Promise<{ newEmail: string }> {
  const parsed = emailChangeSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { newEmail, currentPassword } = parsed.data;

  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, name: true, passwordHash: true },
  });
  if (!user) throw new AppError('not_found');
  const verified = user.passwordHash ? await verifyPassword(user.passwordHash, currentPassword) : { ok: false };
  if (!verified.ok) throw new AppError('validation_failed', { fieldErrors: { currentPassword: ['That password is not correct.'] } });
  if (newEmail === user.email) {
    throw new AppError('validation_failed', { fieldErrors: { newEmail: ['This is already your email address.'] } });
  }
  const owner = await db.user.findUnique({ where: { email: newEmail }, select: { id: true } });
  if (owner) throw new AppError('conflict', { fieldErrors: { newEmail: [TAKEN] } });

  const recent = await db.emailToken.count({
    where: { userId, purpose: 'change_email', createdAt: { gt: new Date(Date.now() - 60 * 60_000) } },
  });
  if (recent >= EMAIL_CHANGE_REQUESTS_PER_HOUR) {
    throw new AppError('rate_limited', { userMessage: 'You have asked for several email changes in the last hour. Please try again later.' });
  }

  // Issuing retires any earlier change link, so only the latest address can be confirmed.
  const token = await db.$transaction(async (tx) => {
    const raw = await issueEmailToken(tx, userId, 'change_email', newEmail);
    await auditAccountEvent(tx, userId, 'user.email_change_requested', request);
    return raw;
  });
  const url = `${getConfig().app.url}/verify-email?token=${encodeURIComponent(token)}&change=1`;
  await sendEmail({
    to: newEmail,
    ...confirmNewEmailMessage({ name: user.name, url, expiresInHours: TOKEN_TTL_MINUTES.change_email / 60 }),
  });
  try {
    await sendEmail({ to: user.email, ...emailChangedNotice({ name: user.name, newEmail }) });
  } catch (error) {
    // A dead old mailbox is a common reason to change address, so it must not
    // block the change; the failure is logged without any address.
    logger().warn({ err: describeError(error), userId }, 'email change notice not sent to the old address');
  }
  return { newEmail };
}

/**
 * Completes a change from the link sent to the new address: the account takes
 * the address, it counts as verified, and every session ends. Returns false for
 * a bad, used or expired link; throws conflict (changing nothing, the link stays
 * usable) when another account took the address in the meantime.
 */
export async function confirmEmailChange(db: Db, rawToken: string, request: RequestContext): Promise<boolean> {
  try {
    return await db.$transaction(async (tx) => {
      const token = await consumeEmailToken(tx, rawToken, 'change_email');
      if (!token) return false;
      const owner = await tx.user.findUnique({ where: { email: token.email }, select: { id: true } });
      if (owner && owner.id !== token.userId) throw takenSince();
      const now = new Date();
      await tx.user.update({ where: { id: token.userId }, data: { email: token.email, emailVerifiedAt: now } });
      await revokeSessions(tx, token.userId);
      // Links mailed to the old address (a reset, a verification) must not keep
      // working for whoever still reads that mailbox.
      await tx.emailToken.updateMany({ where: { userId: token.userId, usedAt: null }, data: { usedAt: now } });
      await auditAccountEvent(tx, token.userId, 'user.email_verified', request, { changed: true });
      return true;
    });
  } catch (error) {
    // Two accounts claiming the same address at once: the unique index decides.
    if ((error as { code?: unknown }).code === 'P2002') throw takenSince();
    throw error;
  }
}

function takenSince(): AppError {
  return new AppError('conflict', {
    userMessage: 'Another account started using this email address after you asked for the change. Sign in and choose a different address.',
  });
}
