// Team management: members and invitations of one clinic. Owners and admins
// manage the team; only owners grant, change or remove the owner role, and a
// clinic always keeps at least one owner. Membership changes of a clinic are
// serialized by locking its row, so two owners demoting each other at once
// cannot leave it without one.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import { ADMIN_ROLES, assertRole, type Actor, type Role } from '@/lib/auth/authorize';
import { emailField } from '@/lib/auth/schemas';
import { revokeSessions } from '@/lib/auth/sessions';
import { requireVerifiedEmail } from '@/lib/auth/verify-email';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { sendEmail } from '@/lib/email/send';
import { invitationMessage } from '@/lib/email/templates';
import { AppError } from '@/lib/errors';

export const INVITATION_TTL_DAYS = 7;
export const ROLES = ['owner', 'admin', 'clinician', 'staff'] as const satisfies readonly Role[];
export const roleField = z.enum(ROLES, { message: 'Choose a role.' });

export const inviteSchema = z.object({ email: emailField, role: roleField });

export function hashInvitationToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

async function lockClinic(tx: Tx, organizationId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${organizationId}::uuid FOR UPDATE`;
}

async function ownerCount(tx: Tx, organizationId: string): Promise<number> {
  return tx.membership.count({ where: { organizationId, role: 'owner' } });
}

export interface TeamMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  lastSentAt: Date;
  invitedBy: string | null;
}

export async function listTeam(db: Db, actor: Actor): Promise<{ members: TeamMember[]; invitations: PendingInvitation[] }> {
  const members = await db.membership.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: [{ createdAt: 'asc' }],
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  // Invitations name people who have not joined: only those who manage the team see them.
  const invitations = ADMIN_ROLES.includes(actor.role)
    ? await db.invitation.findMany({
        where: { organizationId: actor.organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: 'desc' },
        select: { id: true, email: true, role: true, expiresAt: true, lastSentAt: true, invitedBy: { select: { name: true } } },
      })
    : [];
  return {
    members: members.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role, joinedAt: m.createdAt })),
    invitations: invitations.map((i) => ({ ...i, invitedBy: i.invitedBy?.name ?? null })),
  };
}

function assertMayGrant(actor: Actor, role: Role): void {
  if (role === 'owner' && actor.role !== 'owner') {
    throw new AppError('forbidden', { userMessage: 'Only an owner can make someone an owner.' });
  }
}

async function deliverInvitation(db: Db, invitationId: string, rawToken: string): Promise<void> {
  const invitation = await db.invitation.findUniqueOrThrow({
    where: { id: invitationId },
    select: { email: true, role: true, organization: { select: { name: true } }, invitedBy: { select: { name: true } } },
  });
  await sendEmail({
    to: invitation.email,
    ...invitationMessage({
      inviterName: invitation.invitedBy?.name ?? 'A colleague',
      clinicName: invitation.organization.name,
      role: invitation.role,
      url: `${getConfig().app.url}/invite/${rawToken}`,
      expiresInDays: INVITATION_TTL_DAYS,
    }),
  });
}

function newToken(): { raw: string; hash: string; expiresAt: Date } {
  const raw = randomBytes(32).toString('base64url');
  return { raw, hash: hashInvitationToken(raw), expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000) };
}

export async function inviteMember(db: Db, actor: Actor, raw: unknown, request: RequestContext): Promise<{ invitationId: string }> {
  assertRole(actor, ADMIN_ROLES);
  const parsed = inviteSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0])] ??= []).push(issue.message);
    throw new AppError('validation_failed', { fieldErrors });
  }
  const { email, role } = parsed.data;
  assertMayGrant(actor, role);
  await requireVerifiedEmail(db, actor.userId);

  const existing = await db.membership.findFirst({ where: { organizationId: actor.organizationId, user: { email } }, select: { id: true } });
  if (existing) throw new AppError('conflict', { fieldErrors: { email: ['This person is already a member of the clinic.'] } });

  const token = newToken();
  const invitationId = await db.$transaction(async (tx) => {
    // A new invitation to the same address replaces any that is still pending.
    await tx.invitation.updateMany({
      where: { organizationId: actor.organizationId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const invitation = await tx.invitation.create({
      data: { organizationId: actor.organizationId, email, role, tokenHash: token.hash, invitedById: actor.userId, expiresAt: token.expiresAt },
      select: { id: true },
    });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'member.invited',
      targetType: 'invitation',
      targetId: invitation.id,
      metadata: { role },
      request,
    });
    return invitation.id;
  });
  await deliverInvitation(db, invitationId, token.raw);
  return { invitationId };
}

async function pendingInvitation(db: Db | Tx, actor: Actor, invitationId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(invitationId)) throw new AppError('not_found');
  const invitation = await db.invitation.findFirst({
    where: { id: invitationId, organizationId: actor.organizationId, acceptedAt: null, revokedAt: null },
    select: { id: true, role: true },
  });
  if (!invitation) throw new AppError('not_found', { userMessage: 'That invitation is no longer pending.' });
  return invitation;
}

export async function resendInvitation(db: Db, actor: Actor, invitationId: string, request: RequestContext): Promise<void> {
  assertRole(actor, ADMIN_ROLES);
  const invitation = await pendingInvitation(db, actor, invitationId);
  assertMayGrant(actor, invitation.role);
  await requireVerifiedEmail(db, actor.userId);
  const token = newToken();
  await db.$transaction(async (tx) => {
    // A fresh token: the old link stops working, and the new one gets a full week.
    await tx.invitation.update({ where: { id: invitation.id }, data: { tokenHash: token.hash, expiresAt: token.expiresAt, lastSentAt: new Date() } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'member.invitation_resent',
      targetType: 'invitation',
      targetId: invitation.id,
      request,
    });
  });
  await deliverInvitation(db, invitation.id, token.raw);
}

export async function revokeInvitation(db: Db, actor: Actor, invitationId: string, request: RequestContext): Promise<void> {
  assertRole(actor, ADMIN_ROLES);
  await db.$transaction(async (tx) => {
    const invitation = await pendingInvitation(tx, actor, invitationId);
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'member.invitation_revoked',
      targetType: 'invitation',
      targetId: invitation.id,
      request,
    });
  });
}

async function targetMembership(tx: Tx, actor: Actor, userId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) throw new AppError('not_found');
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: actor.organizationId, userId } },
    select: { id: true, role: true, userId: true },
  });
  if (!membership) throw new AppError('not_found');
  return membership;
}

export async function changeMemberRole(db: Db, actor: Actor, userId: string, rawRole: unknown, request: RequestContext): Promise<void> {
  assertRole(actor, ADMIN_ROLES);
  const role = roleField.safeParse(rawRole);
  if (!role.success) throw new AppError('validation_failed', { fieldErrors: { role: ['Choose a role.'] } });
  await db.$transaction(async (tx) => {
    await lockClinic(tx, actor.organizationId);
    const membership = await targetMembership(tx, actor, userId);
    if (membership.role === role.data) return;
    if (membership.role === 'owner' || role.data === 'owner') assertMayGrant(actor, 'owner');
    if (membership.role === 'owner' && (await ownerCount(tx, actor.organizationId)) === 1) {
      throw new AppError('conflict', { userMessage: 'A clinic needs at least one owner. Make someone else an owner first.' });
    }
    await tx.membership.update({ where: { id: membership.id }, data: { role: role.data } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'member.role_changed',
      targetType: 'user',
      targetId: userId,
      metadata: { from: membership.role, to: role.data },
      request,
    });
  });
}

/** Removes a member (or lets a member leave) and ends their sessions at once. */
export async function removeMember(db: Db, actor: Actor, userId: string, request: RequestContext): Promise<void> {
  const leaving = userId === actor.userId;
  if (!leaving) assertRole(actor, ADMIN_ROLES);
  await db.$transaction(async (tx) => {
    await lockClinic(tx, actor.organizationId);
    const membership = await targetMembership(tx, actor, userId);
    if (membership.role === 'owner') {
      if (!leaving) assertMayGrant(actor, 'owner');
      if ((await ownerCount(tx, actor.organizationId)) === 1) {
        throw new AppError('conflict', { userMessage: 'A clinic needs at least one owner. Make someone else an owner first.' });
      }
    }
    await tx.membership.delete({ where: { id: membership.id } });
    await revokeSessions(tx, userId);
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'member.removed',
      targetType: 'user',
      targetId: userId,
      metadata: { role: membership.role, left: leaving },
      request,
    });
  });
}
