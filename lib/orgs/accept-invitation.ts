// Accepting an invitation, by someone who already has an account (signed in as
// the invited address) or by a new person who creates their account here. The
// link proves control of the invited address, so a new account starts verified.
import { z } from 'zod';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import type { Role } from '@/lib/auth/authorize';
import { hashPassword } from '@/lib/auth/password';
import { checkPassword } from '@/lib/auth/password-policy';
import { newPasswordField, personNameField } from '@/lib/auth/schemas';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { hashInvitationToken } from './team';

export type InvitationStatus = 'valid' | 'expired' | 'revoked' | 'accepted' | 'unknown';

export interface InvitationView {
  status: InvitationStatus;
  clinicName?: string;
  inviterName?: string | null;
  role?: Role;
  email?: string;
  /** Whether an account already exists for the invited address. */
  accountExists?: boolean;
}

function tokenLooksValid(raw: string): boolean {
  return /^[\w-]{20,100}$/.test(raw);
}

export async function viewInvitation(db: Db, rawToken: string, now = new Date()): Promise<InvitationView> {
  if (!tokenLooksValid(rawToken)) return { status: 'unknown' };
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(rawToken) },
    select: {
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      organization: { select: { name: true } },
      invitedBy: { select: { name: true } },
    },
  });
  if (!invitation) return { status: 'unknown' };
  const status: InvitationStatus = invitation.acceptedAt
    ? 'accepted'
    : invitation.revokedAt
      ? 'revoked'
      : invitation.expiresAt <= now
        ? 'expired'
        : 'valid';
  if (status !== 'valid') return { status, clinicName: invitation.organization.name };
  const account = await db.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
  return {
    status,
    clinicName: invitation.organization.name,
    inviterName: invitation.invitedBy?.name ?? null,
    role: invitation.role,
    email: invitation.email,
    accountExists: account !== null,
  };
}

export const newMemberSchema = z.object({ name: personNameField, password: newPasswordField });

const INVALID = 'This invitation has expired, was revoked or was already used. Ask the clinic for a new one.';

export type AcceptAs = { userId: string } | { name: unknown; password: unknown };

/** Joins the clinic. Returns the user id (new or existing) and the clinic id. */
export async function acceptInvitation(
  db: Db,
  rawToken: string,
  as: AcceptAs,
  request: RequestContext,
  now = new Date(),
): Promise<{ userId: string; organizationId: string; email: string }> {
  if (!tokenLooksValid(rawToken)) throw new AppError('not_found', { userMessage: INVALID });
  const tokenHash = hashInvitationToken(rawToken);
  const invitation = await db.invitation.findUnique({
    where: { tokenHash },
    select: { id: true, email: true, role: true, organizationId: true, organization: { select: { name: true } } },
  });
  if (!invitation) throw new AppError('not_found', { userMessage: INVALID });

  let newAccount: { name: string; passwordHash: string } | null = null;
  if (!('userId' in as)) {
    const parsed = newMemberSchema.safeParse(as);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0])] ??= []).push(issue.message);
      throw new AppError('validation_failed', { fieldErrors });
    }
    const policy = checkPassword({
      password: parsed.data.password,
      email: invitation.email,
      name: parsed.data.name,
      clinicName: invitation.organization.name,
    });
    if (!policy.ok) throw new AppError('validation_failed', { fieldErrors: { password: [policy.message] } });
    newAccount = { name: parsed.data.name, passwordHash: await hashPassword(parsed.data.password) };
  }

  return db.$transaction(async (tx) => {
    // Claiming the invitation and joining happen together, and only once.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (claimed.count !== 1) throw new AppError('not_found', { userMessage: INVALID });

    let userId: string;
    if ('userId' in as) {
      const user = await tx.user.findUnique({ where: { id: as.userId }, select: { email: true, emailVerifiedAt: true } });
      if (!user || user.email !== invitation.email) {
        throw new AppError('forbidden', {
          userMessage: `This invitation was sent to ${invitation.email}. Sign in with that address to accept it.`,
        });
      }
      userId = as.userId;
      if (!user.emailVerifiedAt) await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: now } });
    } else {
      const taken = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
      if (taken) throw new AppError('conflict', { userMessage: 'An account already uses this address. Sign in to accept the invitation.' });
      const user = await tx.user.create({
        data: { email: invitation.email, name: newAccount!.name, passwordHash: newAccount!.passwordHash, emailVerifiedAt: now },
        select: { id: true },
      });
      userId = user.id;
      await recordAudit(tx, {
        organizationId: invitation.organizationId,
        actorUserId: userId,
        event: 'user.registered',
        targetType: 'user',
        targetId: userId,
        metadata: { viaInvitation: true },
        request,
      });
    }
    const existing = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId: invitation.organizationId, userId } },
      select: { id: true },
    });
    if (!existing) {
      await tx.membership.create({ data: { organizationId: invitation.organizationId, userId, role: invitation.role } });
    }
    await recordAudit(tx, {
      organizationId: invitation.organizationId,
      actorUserId: userId,
      event: 'member.joined',
      targetType: 'invitation',
      targetId: invitation.id,
      metadata: { role: invitation.role, alreadyMember: existing !== null },
      request,
    });
    return { userId, organizationId: invitation.organizationId, email: invitation.email };
  });
}
