// Changing one's own password while signed in. The current password is asked
// again so that an unattended, signed-in browser is not enough to take the
// account over; success ends every session, this browser's included.
import { z } from 'zod';
import type { RequestContext } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { hashPassword, verifyPassword } from './password';
import { checkPassword } from './password-policy';
import { newPasswordField } from './schemas';
import { revokeSessions } from './sessions';
import { auditAccountEvent, fieldErrorsOf } from './update-profile';

export const changePasswordSchema = z.object({
  currentPassword: z
    .string({ message: 'Enter your current password.' })
    .min(1, { message: 'Enter your current password.' })
    .max(1024, { message: 'That password is not correct.' }),
  newPassword: newPasswordField,
});

export const WRONG_PASSWORD = 'That password is not correct.';

export async function changePassword(
  db: Db,
  userId: string,
  input: { currentPassword: unknown; newPassword: unknown },
  request: RequestContext,
): Promise<void> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { currentPassword, newPassword } = parsed.data;

  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, name: true, passwordHash: true, memberships: { select: { organization: { select: { name: true } } } } },
  });
  if (!user) throw new AppError('not_found');
  // The current password is checked first, so the answers below (which compare
  // against it) are only ever given to someone who already knows it.
  const verified = user.passwordHash ? await verifyPassword(user.passwordHash, currentPassword) : { ok: false };
  if (!verified.ok) throw new AppError('validation_failed', { fieldErrors: { currentPassword: [WRONG_PASSWORD] } });
  if (newPassword === currentPassword) {
    throw new AppError('validation_failed', { fieldErrors: { newPassword: ['Choose a password different from your current one.'] } });
  }
  // One check per clinic: the policy takes one clinic name, and each of the person's clinics is guessable.
  const clinicNames = user.memberships.map((m) => m.organization.name);
  for (const clinicName of clinicNames.length > 0 ? clinicNames : [undefined]) {
    const policy = checkPassword({ password: newPassword, email: user.email, name: user.name, clinicName });
    if (!policy.ok) throw new AppError('validation_failed', { fieldErrors: { newPassword: [policy.message] } });
  }

  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await revokeSessions(tx, userId);
    // A reset link or an email change requested before now would undo this
    // change or move the account elsewhere: someone changing a password may be
    // locking out whoever requested them.
    await tx.emailToken.updateMany({
      where: { userId, purpose: { in: ['reset_password', 'change_email'] }, usedAt: null },
      data: { usedAt: new Date() },
    });
    await auditAccountEvent(tx, userId, 'user.password_changed', request);
  });
}
