import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '@/lib/auth/authorize';
import { verifyAuditChains } from '@/lib/audit/verify';
import { db } from '@/lib/db/client';
import { acceptInvitation, viewInvitation } from '@/lib/orgs/accept-invitation';
import { changeMemberRole, inviteMember, listTeam, removeMember, resendInvitation, revokeInvitation } from '@/lib/orgs/team';
import { withAppDatabase } from '../support/app-database';
import { addMember, createClinic, createStaffedClinic, createUser, uniqueEmail } from '../support/factories';
import { appError } from '../support/errors';

const request = { ip: '198.51.100.4', userAgent: 'vitest' };

withAppDatabase({ APP_URL: 'http://app.test' });

async function staffed() {
  const { clinic, members } = await createStaffedClinic();
  await db().user.updateMany({ where: { id: { in: Object.values(members).map((m) => m.id) } }, data: { emailVerifiedAt: new Date() } });
  const actor = (role: Role): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, members, actor };
}

async function inviteToken(email: string): Promise<string> {
  const message = await db().mailboxMessage.findFirst({ where: { to: email }, orderBy: { createdAt: 'desc' } });
  const token = /http:\/\/app\.test\/invite\/([\w-]+)/.exec(message?.text ?? '')?.[1];
  expect(token, 'an invitation link in the email').toBeTruthy();
  return token!;
}

const code = async (promise: Promise<unknown>) => (await appError(promise)).code;

describe('invitations', () => {
  it('lets a new person join from the emailed link, verified, with the invited role', async () => {
    const { clinic, actor } = await staffed();
    const email = uniqueEmail('newcomer');
    await inviteMember(db(), actor('admin'), { email: email.toUpperCase(), role: 'clinician' }, request);
    const token = await inviteToken(email);
    expect(await viewInvitation(db(), token)).toMatchObject({ status: 'valid', email, role: 'clinician', accountExists: false });

    const joined = await acceptInvitation(db(), token, { name: 'Dr. New', password: 'pebble orchard ninety lanterns' }, request);
    const user = await db().user.findUnique({ where: { id: joined.userId } });
    expect(user).toMatchObject({ email, name: 'Dr. New', emailVerifiedAt: expect.any(Date) });
    expect(await db().membership.findFirst({ where: { userId: joined.userId, organizationId: clinic.id } })).toMatchObject({ role: 'clinician' });
    expect(await viewInvitation(db(), token)).toMatchObject({ status: 'accepted' });
    expect(await code(acceptInvitation(db(), token, { name: 'Again', password: 'pebble orchard ninety lanterns' }, request))).toBe('not_found');
    const events = (await db().auditLog.findMany({ where: { organizationId: clinic.id } })).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['member.invited', 'user.registered', 'member.joined']));
    expect((await verifyAuditChains(db(), { organizationId: clinic.id })).broken).toEqual([]);
  });

  it('lets an existing user join a second clinic only when signed in as the invited address', async () => {
    const { actor } = await staffed();
    const existing = await createUser({ email: uniqueEmail('existing') });
    const other = await createUser({ email: uniqueEmail('other') });
    await inviteMember(db(), actor('owner'), { email: existing.email, role: 'staff' }, request);
    const token = await inviteToken(existing.email);
    expect(await viewInvitation(db(), token)).toMatchObject({ accountExists: true });
    expect(await code(acceptInvitation(db(), token, { userId: other.id }, request))).toBe('forbidden');
    expect(await code(acceptInvitation(db(), token, { name: 'X', password: 'pebble orchard ninety lanterns' }, request))).toBe('conflict');
    await acceptInvitation(db(), token, { userId: existing.id }, request);
    expect(await db().membership.count({ where: { userId: existing.id } })).toBe(1);
  });

  it('requires an admin with a verified email, and only owners invite owners', async () => {
    const { actor, members } = await staffed();
    expect(await code(inviteMember(db(), actor('clinician'), { email: uniqueEmail(), role: 'staff' }, request))).toBe('forbidden');
    expect(await code(inviteMember(db(), actor('staff'), { email: uniqueEmail(), role: 'staff' }, request))).toBe('forbidden');
    expect(await code(inviteMember(db(), actor('admin'), { email: uniqueEmail(), role: 'owner' }, request))).toBe('forbidden');
    await db().user.update({ where: { id: members.admin.id }, data: { emailVerifiedAt: null } });
    expect(await code(inviteMember(db(), actor('admin'), { email: uniqueEmail(), role: 'staff' }, request))).toBe('forbidden');
  });

  it('rejects bad input and existing members, changing nothing', async () => {
    const { clinic, actor, members } = await staffed();
    const before = await db().invitation.count({ where: { organizationId: clinic.id } });
    expect(await code(inviteMember(db(), actor('owner'), { email: 'nope', role: 'wizard' }, request))).toBe('validation_failed');
    expect(await code(inviteMember(db(), actor('owner'), { email: members.staff.email, role: 'staff' }, request))).toBe('conflict');
    expect(await db().invitation.count({ where: { organizationId: clinic.id } })).toBe(before);
  });

  it('resending replaces the link; revoking makes it unusable; both are scoped to the clinic', async () => {
    const { actor } = await staffed();
    const outsider = await staffed();
    const email = uniqueEmail('resend');
    const { invitationId } = await inviteMember(db(), actor('admin'), { email, role: 'staff' }, request);
    const first = await inviteToken(email);
    expect(await code(resendInvitation(db(), outsider.actor('owner'), invitationId, request))).toBe('not_found');
    await new Promise((r) => setTimeout(r, 5));
    await resendInvitation(db(), actor('admin'), invitationId, request);
    const second = await inviteToken(email);
    expect(second).not.toBe(first);
    expect((await viewInvitation(db(), first)).status).toBe('unknown');
    expect(await code(revokeInvitation(db(), outsider.actor('owner'), invitationId, request))).toBe('not_found');
    await revokeInvitation(db(), actor('admin'), invitationId, request);
    expect((await viewInvitation(db(), second)).status).toBe('revoked');
    expect((await listTeam(db(), actor('admin'))).invitations).toEqual([]);
  });

  it('expires after a week', async () => {
    const { actor } = await staffed();
    const email = uniqueEmail('late');
    await inviteMember(db(), actor('admin'), { email, role: 'staff' }, request);
    const token = await inviteToken(email);
    const nextWeek = new Date(Date.now() + 8 * 86_400_000);
    expect((await viewInvitation(db(), token, nextWeek)).status).toBe('expired');
    expect(await code(acceptInvitation(db(), token, { name: 'Late', password: 'pebble orchard ninety lanterns' }, request, nextWeek))).toBe('not_found');
  });
});

describe('roles and removal', () => {
  it('changes roles with an audit trail; only owners touch the owner role', async () => {
    const { clinic, actor, members } = await staffed();
    await changeMemberRole(db(), actor('admin'), members.staff.id, 'clinician', request);
    expect(await db().membership.findFirst({ where: { userId: members.staff.id, organizationId: clinic.id } })).toMatchObject({ role: 'clinician' });
    const event = await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'member.role_changed' } });
    expect(event?.metadata).toEqual({ from: 'staff', to: 'clinician' });
    expect(await code(changeMemberRole(db(), actor('admin'), members.clinician.id, 'owner', request))).toBe('forbidden');
    expect(await code(changeMemberRole(db(), actor('admin'), members.owner.id, 'staff', request))).toBe('forbidden');
    expect(await code(changeMemberRole(db(), actor('clinician'), members.staff.id, 'admin', request))).toBe('forbidden');
    expect(await code(changeMemberRole(db(), actor('owner'), members.staff.id, 'superuser', request))).toBe('validation_failed');
  });

  it('never lets the last owner be demoted or removed, even by two owners at once', async () => {
    const { clinic, actor, members } = await staffed();
    expect(await code(changeMemberRole(db(), actor('owner'), members.owner.id, 'admin', request))).toBe('conflict');
    expect(await code(removeMember(db(), actor('owner'), members.owner.id, request))).toBe('conflict');
    // A second owner; then each demotes the other at the same moment.
    await changeMemberRole(db(), actor('owner'), members.admin.id, 'owner', request);
    const results = await Promise.allSettled([
      changeMemberRole(db(), actor('owner'), members.admin.id, 'admin', request),
      changeMemberRole(db(), { ...actor('admin'), role: 'owner' }, members.owner.id, 'admin', request),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db().membership.count({ where: { organizationId: clinic.id, role: 'owner' } })).toBe(1);
  });

  it('removing a member ends their sessions at once; members may leave; outsiders get not_found', async () => {
    const { clinic, actor, members } = await staffed();
    const outsider = await createClinic();
    const stranger = await createUser();
    await addMember(outsider.id, stranger.id, 'owner');
    expect(await code(removeMember(db(), { userId: stranger.id, organizationId: outsider.id, role: 'owner' }, members.staff.id, request))).toBe('not_found');
    expect(await code(removeMember(db(), actor('clinician'), members.staff.id, request))).toBe('forbidden');

    const before = (await db().user.findUnique({ where: { id: members.staff.id } }))!.sessionVersion;
    await removeMember(db(), actor('admin'), members.staff.id, request);
    expect((await db().user.findUnique({ where: { id: members.staff.id } }))!.sessionVersion).toBe(before + 1);
    expect(await db().membership.count({ where: { organizationId: clinic.id, userId: members.staff.id } })).toBe(0);

    await removeMember(db(), actor('clinician'), members.clinician.id, request); // leaving
    const left = await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'member.removed', targetId: members.clinician.id } });
    expect(left?.metadata).toEqual({ role: 'clinician', left: true });
    expect(await code(removeMember(db(), actor('admin'), members.owner.id, request))).toBe('forbidden');
  });

  it('shows pending invitations to admins only', async () => {
    const { actor } = await staffed();
    await inviteMember(db(), actor('admin'), { email: uniqueEmail('pending'), role: 'staff' }, request);
    expect((await listTeam(db(), actor('admin'))).invitations).toHaveLength(1);
    expect((await listTeam(db(), actor('staff'))).invitations).toEqual([]);
    expect((await listTeam(db(), actor('staff'))).members).toHaveLength(4);
  });
});
