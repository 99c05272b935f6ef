import { describe, expect, it } from 'vitest';
import { deleteAccount, soleOwnedClinics } from '@/lib/auth/delete-account';
import { verifyAuditChains } from '@/lib/audit/verify';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { withAppDatabase } from '../support/app-database';
import { addMember, createClinic, createStaffedClinic, createUser, TEST_PASSWORD } from '../support/factories';

const request = { ip: '198.51.100.5', userAgent: 'vitest' };

withAppDatabase();

describe('account deletion', () => {
  it('needs the password, then removes the user and memberships and keeps the audit trail', async () => {
    const { clinic, members } = await createStaffedClinic();
    const wrong = await deleteAccount(db(), members.staff.id, { password: 'not it' }, request).catch((e: unknown) => e);
    expect((wrong as AppError).code).toBe('validation_failed');
    expect(await db().user.count({ where: { id: members.staff.id } })).toBe(1);

    await deleteAccount(db(), members.staff.id, { password: TEST_PASSWORD }, request);
    expect(await db().user.count({ where: { id: members.staff.id } })).toBe(0);
    expect(await db().membership.count({ where: { userId: members.staff.id } })).toBe(0);
    const event = await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'user.deleted' } });
    expect(event).toMatchObject({ actorUserId: members.staff.id, targetId: members.staff.id });
    expect((await verifyAuditChains(db(), { organizationId: clinic.id })).broken).toEqual([]);
  });

  it('refuses while the person is the only owner of a clinic, and changes nothing', async () => {
    const { members } = await createStaffedClinic();
    const error = await deleteAccount(db(), members.owner.id, { password: TEST_PASSWORD }, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('conflict');
    expect((error as AppError).userMessage).toMatch(/only owner of/);
    expect((await db().user.findUnique({ where: { id: members.owner.id } }))?.sessionVersion).toBe(1);
  });

  it('lists the clinics the person owns alone, and only those', async () => {
    const person = await createUser();
    const alone = await createClinic({ name: 'Alone Clinic' });
    const shared = await createClinic({ name: 'Shared Clinic' });
    const member = await createClinic({ name: 'Member Clinic' });
    await addMember(alone.id, person.id, 'owner');
    await addMember(shared.id, person.id, 'owner');
    await addMember(shared.id, (await createUser()).id, 'owner');
    await addMember(member.id, person.id, 'clinician');
    expect(await soleOwnedClinics(db(), person.id)).toEqual([{ organizationId: alone.id, name: 'Alone Clinic' }]);
  });

  it('never lets the last two owners both leave at once', async () => {
    const clinic = await createClinic();
    const a = await createUser();
    const b = await createUser();
    await addMember(clinic.id, a.id, 'owner');
    await addMember(clinic.id, b.id, 'owner');
    const results = await Promise.allSettled([
      deleteAccount(db(), a.id, { password: TEST_PASSWORD }, request),
      deleteAccount(db(), b.id, { password: TEST_PASSWORD }, request),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db().membership.count({ where: { organizationId: clinic.id, role: 'owner' } })).toBe(1);
  });

  it('lets one of two owners go', async () => {
    const clinic = await createClinic();
    const a = await createUser();
    const b = await createUser();
    await addMember(clinic.id, a.id, 'owner');
    await addMember(clinic.id, b.id, 'owner');
    await deleteAccount(db(), a.id, { password: TEST_PASSWORD }, request);
    expect(await db().membership.count({ where: { organizationId: clinic.id, role: 'owner' } })).toBe(1);
  });
});
