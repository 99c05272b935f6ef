// Sign-up: a user, their clinic (Free plan) and an owner membership, created in
// one transaction with the audit event.
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { uniqueClinicSlug } from '@/lib/orgs/slug';
import { hashPassword } from './password';
import { checkPassword } from './password-policy';
import { signUpSchema } from './schemas';
import { sendVerificationEmail } from './verify-email';

export interface SignUpResult {
  userId: string;
  organizationId: string;
}

function fieldErrors(issues: { path: PropertyKey[]; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? 'form');
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export async function signUp(db: Db, raw: unknown, request: RequestContext): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrors(parsed.error.issues) });
  const input = parsed.data;
  const policy = checkPassword({ password: input.password, email: input.email, name: input.name, clinicName: input.clinicName });
  if (!policy.ok) throw new AppError('validation_failed', { fieldErrors: { password: [policy.message] } });

  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) {
    throw new AppError('conflict', {
      userMessage: 'An account with this email already exists.',
      fieldErrors: { email: ['An account with this email already exists. Sign in instead, or reset your password.'] },
    });
  }
  const passwordHash = await hashPassword(input.password);
  let created: SignUpResult;
  try {
    created = await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash }, select: { id: true } });
      const clinic = await tx.organization.create({
        data: { name: input.clinicName, slug: await uniqueClinicSlug(tx, input.clinicName) },
        select: { id: true },
      });
      await tx.membership.create({ data: { organizationId: clinic.id, userId: user.id, role: 'owner' } });
      await recordAudit(tx, {
        organizationId: clinic.id,
        actorUserId: user.id,
        event: 'user.registered',
        targetType: 'user',
        targetId: user.id,
        request,
      });
      return { userId: user.id, organizationId: clinic.id };
    });
  } catch (error) {
    // Two sign-ups with the same email at once: the unique index decides.
    if ((error as { code?: string }).code === 'P2002') {
      throw new AppError('conflict', { fieldErrors: { email: ['An account with this email already exists.'] } });
    }
    throw error;
  }
  // The account exists either way; a failed send can be retried from the dashboard banner.
  await sendVerificationEmail(db, created.userId).catch((error: unknown) =>
    logger().warn({ err: describeError(error), userId: created.userId }, 'verification email not sent at sign-up'),
  );
  return created;
}
