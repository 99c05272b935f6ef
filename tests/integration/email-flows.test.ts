import { describe, expect, it } from 'vitest';
import { consumeEmailToken, hashToken, issueEmailToken } from '@/lib/auth/email-tokens';
import { requestPasswordReset, resetPassword } from '@/lib/auth/password-reset';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { confirmEmail, requireVerifiedEmail, sendVerificationEmail } from '@/lib/auth/verify-email';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { withAppDatabase } from '../support/app-database';
import { addMember, createClinic, createUser, TEST_PASSWORD } from '../support/factories';

const request = { ip: '198.51.100.3', userAgent: 'vitest' };

withAppDatabase({ APP_URL: 'http://app.test' });

/** The token from the newest development-mailbox message to `to` whose link has `path`. */
async function tokenFromMailbox(to: string, path: string): Promise<string> {
  const message = await db().mailboxMessage.findFirst({ where: { to }, orderBy: { createdAt: 'desc' } });
  const match = new RegExp(`http://app\\.test${path}\\?token=([\\w-]+)`).exec(message?.text ?? '');
  expect(match, `a ${path} link in the email`).not.toBeNull();
  return match![1]!;
}

describe('email tokens', () => {
  it('stores only a hash, works once, and not after it expires', async () => {
    const user = await createUser();
    const raw = await db().$transaction((tx) => issueEmailToken(tx, user.id, 'reset_password', user.email));
    const stored = await db().emailToken.findFirst({ where: { userId: user.id } });
    expect(stored?.tokenHash).toBe(hashToken(raw));
    expect(JSON.stringify(stored)).not.toContain(raw);
    const [first, second] = await Promise.all([
      consumeEmailToken(db(), raw, 'reset_password'),
      consumeEmailToken(db(), raw, 'reset_password'),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);

    const later = await db().$transaction((tx) => issueEmailToken(tx, user.id, 'reset_password', user.email, new Date(Date.now() - 31 * 60_000)));
    expect(await consumeEmailToken(db(), later, 'reset_password')).toBeNull();
  });

  it('is only good for its own purpose, and a new token retires the previous one', async () => {
    const user = await createUser();
    const a = await db().$transaction((tx) => issueEmailToken(tx, user.id, 'verify_email', user.email));
    expect(await consumeEmailToken(db(), a, 'reset_password')).toBeNull();
    const b = await db().$transaction((tx) => issueEmailToken(tx, user.id, 'verify_email', user.email));
    expect(await consumeEmailToken(db(), a, 'verify_email')).toBeNull();
    expect(await consumeEmailToken(db(), b, 'verify_email')).toEqual({ userId: user.id, email: user.email });
  });
});

describe('password reset', () => {
  it('emails a link, sets the new password, ends every session and audits both steps', async () => {
    const user = await createUser();
    const clinic = await createClinic();
    await addMember(clinic.id, user.id, 'staff');
    await requestPasswordReset(db(), user.email.toUpperCase(), request);
    const token = await tokenFromMailbox(user.email, '/reset-password');
    await resetPassword(db(), token, 'silver meadow crosses nine bridges', request);

    const after = await db().user.findUnique({ where: { id: user.id } });
    expect(after?.sessionVersion).toBe(user.sessionVersion + 1);
    expect(after?.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request })).ok).toBe(false);
    expect((await signInWithPassword(db(), { email: user.email, password: 'silver meadow crosses nine bridges', request })).ok).toBe(true);
    const events = (await db().auditLog.findMany({ where: { organizationId: clinic.id }, orderBy: { seq: 'asc' } })).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['user.password_reset_requested', 'user.password_reset']));

    await expect(resetPassword(db(), token, 'another long passphrase here', request)).rejects.toThrow(AppError);
  });

  it('sends nothing and reveals nothing for an unknown email', async () => {
    const before = await db().mailboxMessage.count();
    await expect(requestPasswordReset(db(), 'nobody-here@example.test', request)).resolves.toBeUndefined();
    expect(await db().mailboxMessage.count()).toBe(before);
  });

  it('applies the password rules and changes nothing when they fail', async () => {
    const user = await createUser();
    await requestPasswordReset(db(), user.email, request);
    const token = await tokenFromMailbox(user.email, '/reset-password');
    const error = await resetPassword(db(), token, 'password1234', request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).fieldErrors?.password?.[0]).toBeTruthy();
    expect((await db().user.findUnique({ where: { id: user.id } }))?.sessionVersion).toBe(user.sessionVersion);
    expect(await consumeEmailToken(db(), token, 'reset_password')).not.toBeNull(); // still unused
  });
});

describe('email verification', () => {
  it('confirms the address from the emailed link, once', async () => {
    const user = await createUser();
    await expect(requireVerifiedEmail(db(), user.id)).rejects.toThrow(AppError);
    await sendVerificationEmail(db(), user.id);
    const token = await tokenFromMailbox(user.email, '/verify-email');
    expect(await confirmEmail(db(), token, request)).toBe(true);
    expect(await confirmEmail(db(), token, request)).toBe(false);
    await expect(requireVerifiedEmail(db(), user.id)).resolves.toBeUndefined();
  });

  it('does not let a link for an old address verify a changed one', async () => {
    const user = await createUser();
    await sendVerificationEmail(db(), user.id);
    const token = await tokenFromMailbox(user.email, '/verify-email');
    await db().user.update({ where: { id: user.id }, data: { email: `changed-${user.email}` } });
    expect(await confirmEmail(db(), token, request)).toBe(false);
    expect((await db().user.findUnique({ where: { id: user.id } }))?.emailVerifiedAt).toBeNull();
  });

  it('refuses to resend within a minute', async () => {
    const user = await createUser();
    await sendVerificationEmail(db(), user.id);
    await expect(sendVerificationEmail(db(), user.id, { resend: true })).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
