import { describe, expect, it } from 'vitest';
import { signUp } from '@/lib/auth/sign-up';
import { revokeSessions, signOutEverywhere } from '@/lib/auth/sessions';
import { verifyAuditChains } from '@/lib/audit/verify';
import { db } from '@/lib/db/client';
import { withAppDatabase } from '../support/app-database';
import { uniqueEmail } from '../support/factories';
import { appError } from '../support/errors';

const request = { ip: '198.51.100.1', userAgent: 'vitest' };
const PASSWORD = 'violet canyon drifting metronome';

withAppDatabase();

describe('sign-up', () => {
  it('creates the user, a Free clinic and the owner membership with an audit event, in one go', async () => {
    const email = uniqueEmail('Owner').toUpperCase();
    const { userId, organizationId } = await signUp(db(), { name: ' Dr. Rita Lopes ', email, password: PASSWORD, clinicName: 'Lopes Retina' }, request);
    const user = await db().user.findUnique({ where: { id: userId }, omit: { passwordHash: false } });
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Dr. Rita Lopes', emailVerifiedAt: null });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    const clinic = await db().organization.findUnique({ where: { id: organizationId }, include: { memberships: true } });
    expect(clinic).toMatchObject({ name: 'Lopes Retina', slug: 'lopes-retina', planOverride: null });
    expect(clinic?.memberships).toEqual([expect.objectContaining({ userId, role: 'owner' })]);
    const events = await db().auditLog.findMany({ where: { organizationId } });
    expect(events.map((e) => e.event)).toEqual(['user.registered']);
    expect((await verifyAuditChains(db(), { organizationId })).broken).toEqual([]);
  });

  it('gives clinics with the same name distinct slugs', async () => {
    const a = await signUp(db(), { name: 'A', email: uniqueEmail(), password: PASSWORD, clinicName: 'Harbor Eye' }, request);
    const b = await signUp(db(), { name: 'B', email: uniqueEmail(), password: PASSWORD, clinicName: 'Harbor Eye' }, request);
    const slugs = await db().organization.findMany({ where: { id: { in: [a.organizationId, b.organizationId] } }, select: { slug: true } });
    expect(slugs.map((s) => s.slug).sort()).toEqual(['harbor-eye', 'harbor-eye-2']);
  });

  it('refuses an email that is taken, whatever its case, and changes nothing', async () => {
    const email = uniqueEmail('taken');
    await signUp(db(), { name: 'First', email, password: PASSWORD, clinicName: 'First Clinic' }, request);
    const users = await db().user.count();
    const clinics = await db().organization.count();
    const error = await appError(signUp(db(), { name: 'Second', email: email.toUpperCase(), password: PASSWORD, clinicName: 'Second Clinic' }, request));
    expect(error.code).toBe('conflict');
    expect(error.fieldErrors?.email?.[0]).toMatch(/already exists/);
    expect(await db().user.count()).toBe(users);
    expect(await db().organization.count()).toBe(clinics);
  });

  it('names every invalid field and never echoes the password', async () => {
    const error = await appError(signUp(db(), { name: '', email: 'nope', password: 'short', clinicName: '' }, request));
    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(['clinicName', 'email', 'name', 'password']);
    expect(JSON.stringify(error.fieldErrors)).not.toContain('short');
  });

  it('rejects weak passwords and passwords that contain the email or clinic name', async () => {
    const weak = await appError(signUp(db(), { name: 'W', email: uniqueEmail(), password: 'password1234', clinicName: 'Weak Clinic' }, request));
    expect(weak.fieldErrors?.password?.[0]).toBeTruthy();
    const withClinic = await appError(
      signUp(db(), { name: 'C', email: uniqueEmail(), password: 'Sunrise Ophthalmology rocks 2026', clinicName: 'Sunrise Ophthalmology' }, request),
    );
    expect(withClinic.fieldErrors?.password?.[0]).toMatch(/clinic/i);
  });

  it('revokes every session of a user at once and audits signing out everywhere', async () => {
    const { userId, organizationId } = await signUp(db(), { name: 'S', email: uniqueEmail(), password: PASSWORD, clinicName: 'Session Clinic' }, request);
    await db().$transaction((tx) => revokeSessions(tx, userId));
    await signOutEverywhere(db(), userId, request);
    expect((await db().user.findUnique({ where: { id: userId } }))?.sessionVersion).toBe(3);
    expect(await db().auditLog.count({ where: { organizationId, event: 'user.signed_out_everywhere', actorUserId: userId } })).toBe(1);
  });
});
