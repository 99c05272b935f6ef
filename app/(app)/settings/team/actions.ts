'use server';

import { headers } from 'next/headers';
import { ADMIN_ROLES } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { changeMemberRole, inviteMember, removeMember, resendInvitation, revokeInvitation } from '@/lib/orgs/team';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

const context = async () => requestContextFrom(await headers());

export async function inviteAction(input: { email: string; role: string }): Promise<ActionResult> {
  return runAction('inviteMember', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    await inviteMember(db(), actor, input, await context());
    return null;
  });
}

export async function resendInvitationAction(invitationId: string): Promise<ActionResult> {
  return runAction('resendInvitation', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    await resendInvitation(db(), actor, String(invitationId), await context());
    return null;
  });
}

export async function revokeInvitationAction(invitationId: string): Promise<ActionResult> {
  return runAction('revokeInvitation', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    await revokeInvitation(db(), actor, String(invitationId), await context());
    return null;
  });
}

export async function changeRoleAction(userId: string, role: string): Promise<ActionResult> {
  return runAction('changeMemberRole', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    await changeMemberRole(db(), actor, String(userId), role, await context());
    return null;
  });
}

export async function removeMemberAction(userId: string): Promise<ActionResult> {
  return runAction('removeMember', async () => {
    // Any member may leave; removing someone else is checked in removeMember.
    const actor = await requireMembership(null);
    await removeMember(db(), actor, String(userId), await context());
    return null;
  });
}
