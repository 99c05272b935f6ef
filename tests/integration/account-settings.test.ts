import { describe, expect, it } from 'vitest';
import { verifyAuditChains } from '@/lib/audit/verify';
import { confirmEmailChange, EMAIL_CHANGE_REQUESTS_PER_HOUR, getPendingEmailChange, requestEmailChange } from '@/lib/auth/change-email';
import { changePassword } from '@/lib/auth/change-password';
import { issueEmailToken } from '@/lib/auth/email-tokens';
import { resetPassword } from '@/lib/auth/password-reset';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { updateProfile } from '@/lib/auth/update-profile';
import { confirmEmail } from '@/lib/auth/verify-email';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { withAppDatabase } from '../support/app-database';
import { addMember, createClinic, createUser, TEST_PASSWORD, uniqueEmail } from '../support/factories';
import { appError } from '../support/errors';

const request = { ip: '198.51.100.7', userAgent: 'vitest' };
const NEW_PASSWORD = 'copper lighthouse hums beneath tides';

withAppDatabase({ APP_URL: 'http://app.test' });

/** A user who belongs to a clinic, so their account events land in its audit chain. */
async function member(options: { clinicName?: string; name?: string } = {}) {
  const user = await createUser({ name: options.name });
  const clinic = await createClinic({ name: options.clinicName });
  await addMember(clinic.id, user.id, 'clinician');
  return { user, clinic };
}

async function events(organizationId: string) {
  return db().auditLog.findMany({ where: { organizationId }, orderBy: { seq: 'asc' } });
}

async function userRow(id: string) {
  return db().user.findUniqueOrThrow({ where: { id }, select: { email: true, name: true, emailVerifiedAt: true, sessionVersion: true, passwordHash: true } });
}

/** The newest development-mailbox message to `to`. */
async function lastMessageTo(to: string) {
  return db().mailboxMessage.findFirst({ where: { to }, orderBy: { createdAt: 'desc' } });
}

async function changeTokenFromMailbox(to: string): Promise<string> {
  const message = await lastMessageTo(to);
  const match = /http:\/\/app\.test\/verify-email\?token=([\w-]+)&change=1/.exec(message?.text ?? '');
  expect(match, 'an email-change link in the email').not.toBeNull();
  return match![1]!;
}

describe('email change', () => {
  it('emails a link to the new address, tells the old one, and changes nothing until the link is used', async () => {
    const { user, clinic } = await member();
    const newEmail = uniqueEmail('moved');
    const result = await requestEmailChange(db(), user.id, { newEmail: `  ${newEmail.toUpperCase()} `, currentPassword: TEST_PASSWORD }, request);
    expect(result).toEqual({ newEmail });

    const link = await lastMessageTo(newEmail);
    expect(link?.subject).toMatch(/confirm your new email/i);
    expect(link?.text).toContain('/verify-email?token=');
    const notice = await lastMessageTo(user.email);
    expect(notice?.subject).toMatch(/email address was changed/i);
    expect(notice?.text).toContain(newEmail);
    expect(notice?.text).not.toMatch(/https?:\/\//); // the old address gets no way into the account

    expect((await userRow(user.id)).email).toBe(user.email);
    expect(await getPendingEmailChange(db(), user.id)).toMatchObject({ email: newEmail });
    const requested = (await events(clinic.id)).filter((e) => e.event === 'user.email_change_requested');
    expect(requested).toHaveLength(1);
    expect(JSON.stringify(requested[0]?.metadata)).not.toContain(newEmail);
  });

  it('switches the address, marks it verified and ends every session when the link is followed, once', async () => {
    const { user, clinic } = await member();
    const newEmail = uniqueEmail('confirmed');
    await requestEmailChange(db(), user.id, { newEmail, currentPassword: TEST_PASSWORD }, request);
    const token = await changeTokenFromMailbox(newEmail);

    // A change link is no sign-up verification link, and the other way round.
    expect(await confirmEmail(db(), token, request)).toBe(false);
    expect(await confirmEmailChange(db(), token, request)).toBe(true);
    const after = await userRow(user.id);
    expect(after.email).toBe(newEmail);
    expect(after.emailVerifiedAt).toBeInstanceOf(Date);
    expect(after.sessionVersion).toBe(user.sessionVersion + 1);
    expect(await getPendingEmailChange(db(), user.id)).toBeNull();

    const verified = (await events(clinic.id)).filter((e) => e.event === 'user.email_verified');
    expect(verified.map((e) => e.metadata)).toEqual([{ changed: true }]);
    expect((await verifyAuditChains(db(), { organizationId: clinic.id })).broken).toEqual([]);

    expect(await confirmEmailChange(db(), token, request)).toBe(false);
    expect((await signInWithPassword(db(), { email: newEmail, password: TEST_PASSWORD, request })).ok).toBe(true);
    expect((await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request })).ok).toBe(false);
  });

  it('retires links that were mailed to the old address', async () => {
    const { user } = await member();
    const reset = await db().$transaction((tx) => issueEmailToken(tx, user.id, 'reset_password', user.email));
    const newEmail = uniqueEmail('retire');
    await requestEmailChange(db(), user.id, { newEmail, currentPassword: TEST_PASSWORD }, request);
    expect(await confirmEmailChange(db(), await changeTokenFromMailbox(newEmail), request)).toBe(true);
    expect(await db().emailToken.count({ where: { userId: user.id, usedAt: null } })).toBe(0);
    await expect(resetPassword(db(), reset, NEW_PASSWORD, request)).rejects.toThrow(AppError);
  });

  it('refuses an address another account uses, whatever its case, and sends nothing', async () => {
    const { user } = await member();
    const other = await createUser();
    const mail = await db().mailboxMessage.count();
    const error = await appError(requestEmailChange(db(), user.id, { newEmail: other.email.toUpperCase(), currentPassword: TEST_PASSWORD }, request));
    expect(error.code).toBe('conflict');
    expect(error.fieldErrors?.newEmail?.[0]).toMatch(/another account already uses/i);
    expect(await db().mailboxMessage.count()).toBe(mail);
    expect(await db().emailToken.count({ where: { userId: user.id } })).toBe(0);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const { user, clinic } = await member();
    const before = await events(clinic.id);
    const mail = await db().mailboxMessage.count();
    const error = await appError(requestEmailChange(db(), user.id, { newEmail: uniqueEmail(), currentPassword: 'not my password at all' }, request));
    expect(error.code).toBe('validation_failed');
    expect(error.fieldErrors).toEqual({ currentPassword: ['That password is not correct.'] });
    expect(await db().emailToken.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().mailboxMessage.count()).toBe(mail);
    expect(await events(clinic.id)).toHaveLength(before.length);
    expect((await userRow(user.id)).email).toBe(user.email);
  });

  it('names each invalid field and refuses the current address', async () => {
    const { user } = await member();
    const invalid = await appError(requestEmailChange(db(), user.id, { newEmail: 'not-an-email', currentPassword: '' }, request));
    expect(Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual(['currentPassword', 'newEmail']);
    const same = await appError(requestEmailChange(db(), user.id, { newEmail: user.email, currentPassword: TEST_PASSWORD }, request));
    expect(same.fieldErrors?.newEmail?.[0]).toBe('This is already your email address.');
  });

  it('does not complete when another account took the address in the meantime', async () => {
    const { user } = await member();
    const newEmail = uniqueEmail('raced');
    await requestEmailChange(db(), user.id, { newEmail, currentPassword: TEST_PASSWORD }, request);
    const token = await changeTokenFromMailbox(newEmail);
    await createUser({ email: newEmail });
    const error = await appError(confirmEmailChange(db(), token, request));
    expect(error.code).toBe('conflict');
    const after = await userRow(user.id);
    expect(after.email).toBe(user.email);
    expect(after.sessionVersion).toBe(user.sessionVersion);
  });

  it('only honours the latest request, and not after it expires', async () => {
    const { user } = await member();
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    await requestEmailChange(db(), user.id, { newEmail: first, currentPassword: TEST_PASSWORD }, request);
    const firstToken = await changeTokenFromMailbox(first);
    await requestEmailChange(db(), user.id, { newEmail: second, currentPassword: TEST_PASSWORD }, request);
    expect(await confirmEmailChange(db(), firstToken, request)).toBe(false);

    await db().emailToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await confirmEmailChange(db(), await changeTokenFromMailbox(second), request)).toBe(false);
    expect((await userRow(user.id)).email).toBe(user.email);
    expect(await confirmEmailChange(db(), 'not a token', request)).toBe(false);
  });

  it('limits how many change emails one account can send in an hour', async () => {
    const { user } = await member();
    for (let i = 0; i < EMAIL_CHANGE_REQUESTS_PER_HOUR; i++) {
      await requestEmailChange(db(), user.id, { newEmail: uniqueEmail('many'), currentPassword: TEST_PASSWORD }, request);
    }
    const error = await appError(requestEmailChange(db(), user.id, { newEmail: uniqueEmail('many'), currentPassword: TEST_PASSWORD }, request));
    expect(error.code).toBe('rate_limited');
  });
});

describe('password change', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const { user, clinic } = await member();
    const before = await userRow(user.id);
    const auditBefore = await events(clinic.id);
    const error = await appError(changePassword(db(), user.id, { currentPassword: 'a wrong current password', newPassword: NEW_PASSWORD }, request));
    expect(error.fieldErrors).toEqual({ currentPassword: ['That password is not correct.'] });
    expect(await userRow(user.id)).toEqual(before);
    expect(await events(clinic.id)).toHaveLength(auditBefore.length);
  });

  it('applies the password rules, including the names of the clinics, and changes nothing when they fail', async () => {
    const { user } = await member({ clinicName: 'Bayview Retina Partners' });
    const before = await userRow(user.id);
    const weak = await appError(changePassword(db(), user.id, { currentPassword: TEST_PASSWORD, newPassword: 'password1234' }, request));
    expect(weak.fieldErrors?.newPassword?.[0]).toBeTruthy();
    const short = await appError(changePassword(db(), user.id, { currentPassword: TEST_PASSWORD, newPassword: 'short' }, request));
    expect(short.fieldErrors?.newPassword).toEqual(['Use at least 12 characters.']);
    const clinic = await appError(
      changePassword(db(), user.id, { currentPassword: TEST_PASSWORD, newPassword: 'bayview retina partners forever 42' }, request),
    );
    expect(clinic.fieldErrors?.newPassword?.[0]).toMatch(/clinic/i);
    const email = await appError(changePassword(db(), user.id, { currentPassword: TEST_PASSWORD, newPassword: `my ${user.email} password` }, request));
    expect(email.fieldErrors?.newPassword?.[0]).toMatch(/email/i);
    expect(JSON.stringify([weak, short, clinic, email].map((e) => e.fieldErrors))).not.toContain('password1234');
    expect(await userRow(user.id)).toEqual(before);
  });

  it('refuses the current password as the new one', async () => {
    const { user } = await member();
    const error = await appError(changePassword(db(), user.id, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, request));
    expect(error.fieldErrors?.newPassword?.[0]).toBe('Choose a password different from your current one.');
  });

  it('sets the new password, ends every session, retires pending links and audits it', async () => {
    const { user, clinic } = await member();
    await db().$transaction((tx) => issueEmailToken(tx, user.id, 'reset_password', user.email));
    await changePassword(db(), user.id, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, request);

    const after = await userRow(user.id);
    expect(after.sessionVersion).toBe(user.sessionVersion + 1);
    expect(after.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request })).ok).toBe(false);
    expect((await signInWithPassword(db(), { email: user.email, password: NEW_PASSWORD, request })).ok).toBe(true);
    expect(await db().emailToken.count({ where: { userId: user.id, purpose: 'reset_password', usedAt: null } })).toBe(0);

    const changed = (await events(clinic.id)).filter((e) => e.event === 'user.password_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ actorUserId: user.id, targetId: user.id, ip: request.ip });
    expect(JSON.stringify(changed[0]?.metadata)).not.toContain(NEW_PASSWORD);
  });
});

describe('profile', () => {
  it('renames the user and audits which field changed, not the value', async () => {
    const { user, clinic } = await member({ name: 'Dr. Old Name' });
    expect(await updateProfile(db(), user.id, { name: '  Dr. Ines Carvalho ' }, request)).toEqual({ name: 'Dr. Ines Carvalho', changed: true });
    expect((await userRow(user.id)).name).toBe('Dr. Ines Carvalho');
    const updated = (await events(clinic.id)).filter((e) => e.event === 'user.profile_updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]?.metadata).toEqual({ name: true });
    expect(JSON.stringify({ ...updated[0], seq: String(updated[0]?.seq) })).not.toContain('Carvalho');

    expect((await updateProfile(db(), user.id, { name: 'Dr. Ines Carvalho' }, request)).changed).toBe(false);
    expect((await events(clinic.id)).filter((e) => e.event === 'user.profile_updated')).toHaveLength(1);
  });

  it('refuses an empty name and changes nothing', async () => {
    const { user } = await member({ name: 'Dr. Kept' });
    const error = await appError(updateProfile(db(), user.id, { name: '   ' }, request));
    expect(error.fieldErrors?.name).toEqual(['Enter your name.']);
    expect((await appError(updateProfile(db(), user.id, { name: 42 }, request))).fieldErrors?.name?.[0]).toBeTruthy();
    expect((await userRow(user.id)).name).toBe('Dr. Kept');
  });

  it('audits a user without a clinic in the account chain', async () => {
    const user = await createUser({ name: 'Solo' });
    await updateProfile(db(), user.id, { name: 'Solo Renamed' }, request);
    const row = await db().auditLog.findFirst({ where: { organizationId: null, event: 'user.profile_updated', targetId: user.id } });
    expect(row?.actorUserId).toBe(user.id);
  });
});
