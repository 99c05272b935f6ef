import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { checkThrottle, delaySeconds, LOCK_AFTER_FAILURES, throttleKeys } from '@/lib/auth/throttle';
import { db } from '@/lib/db/client';
import { withAppDatabase } from '../support/app-database';
import { addMember, createClinic, createUser, TEST_PASSWORD, uniqueEmail } from '../support/factories';

const request = (ip = '198.51.100.7') => ({ ip, userAgent: 'vitest' });

withAppDatabase();

describe('password sign-in', () => {
  it('signs in with the right password, case-insensitively by email, and audits it in the clinic', async () => {
    const user = await createUser({ email: uniqueEmail('ok') });
    const clinic = await createClinic();
    await addMember(clinic.id, user.id, 'clinician');
    const result = await signInWithPassword(db(), { email: `  ${user.email.toUpperCase()} `, password: TEST_PASSWORD, request: request() });
    expect(result).toEqual({ ok: true, userId: user.id, sessionVersion: 1 });
    const audit = await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'user.login' } });
    expect(audit).toMatchObject({ actorUserId: user.id, outcome: 'success', ip: '198.51.100.7', userAgent: 'vitest' });
    expect((await db().user.findUnique({ where: { id: user.id } }))?.lastLoginAt).toBeInstanceOf(Date);
  });

  it('answers a wrong password and an unknown email identically, and audits both', async () => {
    const user = await createUser({ email: uniqueEmail('wrong') });
    const wrong = await signInWithPassword(db(), { email: user.email, password: 'not the password at all', request: request('198.51.100.8') });
    const unknown = await signInWithPassword(db(), { email: uniqueEmail('nobody'), password: TEST_PASSWORD, request: request('198.51.100.8') });
    expect(wrong).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(unknown).toEqual(wrong);
    const failures = await db().auditLog.findMany({ where: { event: 'user.login_failed', ip: '198.51.100.8' } });
    expect(failures).toHaveLength(2);
    expect(failures.every((f) => f.outcome === 'failure' && f.actorUserId === null)).toBe(true);
    expect(JSON.stringify(failures, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('nobody-');
  });

  it('accepts a legacy bcrypt hash once and replaces it with argon2id', async () => {
    const legacy = bcrypt.hashSync(TEST_PASSWORD, 4).replace(/^\$2b\$/, '$2y$');
    const user = await createUser({ email: uniqueEmail('legacy'), passwordHash: legacy });
    const result = await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request: request('198.51.100.9') });
    expect(result.ok).toBe(true);
    const stored = await db().user.findUnique({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    const again = await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request: request('198.51.100.9') });
    expect(again.ok).toBe(true);
  });

  it('slows an account down progressively and locks one source after repeated failures', async () => {
    const user = await createUser({ email: uniqueEmail('target') });
    const ip = '203.0.113.50';
    const keys = throttleKeys(user.email, ip);
    for (let i = 0; i < 4; i++) {
      expect(await signInWithPassword(db(), { email: user.email, password: `guess number ${i}!`, request: request(ip) })).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    // The fifth failure starts the progressive delay: the next attempt is refused before any hash is checked.
    await signInWithPassword(db(), { email: user.email, password: 'guess number 5!', request: request(ip) });
    const throttled = await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request: request(ip) });
    expect(throttled).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: expect.any(Number) });
    expect(await db().auditLog.count({ where: { event: 'user.login_failed', outcome: 'denied', targetId: user.id } })).toBe(1);

    // Ten failures from one source lock that source for 15 minutes, whatever the delay.
    await db().loginThrottle.updateMany({ where: { key: keys.account }, data: { updatedAt: new Date(Date.now() - 60_000) } });
    await db().loginThrottle.update({ where: { key: keys.accountFromIp }, data: { failures: LOCK_AFTER_FAILURES - 1 } });
    await signInWithPassword(db(), { email: user.email, password: 'one more guess!', request: request(ip) });
    const pair = await db().loginThrottle.findUnique({ where: { key: keys.accountFromIp } });
    expect(pair?.lockedUntil?.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const account = await db().loginThrottle.findUnique({ where: { key: keys.account } });
    expect(account?.lockedUntil).toBeNull(); // the account itself is never locked
  });

  it('lets the real user in from another address once the delay has passed', async () => {
    const user = await createUser({ email: uniqueEmail('victim') });
    for (let i = 0; i < 12; i++) {
      await signInWithPassword(db(), { email: user.email, password: `attack ${i}!`, request: request(`192.0.2.${i + 1}`) });
      await db().loginThrottle.updateMany({ where: { key: `account:${user.email}` }, data: { updatedAt: new Date(Date.now() - 60_000) } });
    }
    const decision = await checkThrottle(db(), throttleKeys(user.email, '198.51.100.200'));
    expect(decision).toEqual({ allowed: true });
    const result = await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request: request('198.51.100.200') });
    expect(result.ok).toBe(true);
    expect(await db().loginThrottle.findUnique({ where: { key: `account:${user.email}` } })).toBeNull();
  });

  it('grows the delay and caps it', () => {
    expect([0, 4, 5, 6, 7, 8, 20].map(delaySeconds)).toEqual([0, 0, 2, 4, 8, 16, 30]);
  });
});
