import { beforeEach, describe, expect, it } from 'vitest';
import { getClinicPlan, requireFeature } from '@/lib/billing/entitlements';
import { setEnvironment } from '@/lib/config';
import { db } from '@/lib/db/client';
import type { SubscriptionStatus } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { commitJobQuota, getQuotaStatus, releaseJobQuota, reserveJobQuota } from '@/lib/usage/quota';
import { withAppDatabase } from '../support/app-database';
import { createClinic, createUser } from '../support/factories';
import { appError } from '../support/errors';

const BILLING_ON = {
  STRIPE_SECRET_KEY: 'sk_test_quota',
  STRIPE_WEBHOOK_SECRET: 'whsec_quota',
  STRIPE_PRICE_BASIC: 'price_basic',
  STRIPE_PRICE_PROFESSIONAL: 'price_professional',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
  BILLING_GRACE_DAYS: '7',
};
const BILLING_OFF = Object.fromEntries(Object.keys(BILLING_ON).map((k) => [k, '']));

withAppDatabase({ DEFAULT_PLAN: 'professional', ...BILLING_ON });
beforeEach(() => setEnvironment(BILLING_ON));

const NOW = new Date('2026-11-20T12:00:00Z');

async function subscribe(organizationId: string, status: SubscriptionStatus, plan: 'basic' | 'professional' | 'enterprise', extra: { pastDueSince?: Date; start?: Date; end?: Date } = {}) {
  return db().subscription.create({
    data: {
      id: `sub_${Math.random().toString(36).slice(2)}`,
      organizationId,
      customerId: 'cus_test',
      status,
      plan,
      priceId: `price_${plan}`,
      currentPeriodStart: extra.start ?? new Date('2026-11-10T09:00:00Z'),
      currentPeriodEnd: extra.end ?? new Date('2026-12-10T09:00:00Z'),
      pastDueSince: extra.pastDueSince ?? null,
      stripeCreatedAt: new Date('2026-10-10T09:00:00Z'),
      syncedAt: NOW,
    },
  });
}


describe('effective plan', () => {
  it('is Free on the calendar month without a subscription, and DEFAULT_PLAN while billing is off', async () => {
    const clinic = await createClinic();
    const free = await getClinicPlan(db(), clinic.id, NOW);
    expect(free).toMatchObject({ source: 'free', plan: { id: 'free' }, period: { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') } });
    setEnvironment(BILLING_OFF);
    expect(await getClinicPlan(db(), clinic.id, NOW)).toMatchObject({ source: 'default', plan: { id: 'professional' }, billingEnabled: false });
  });

  it('follows the subscription: active and trialing grant it and count per billing period', async () => {
    for (const status of ['active', 'trialing'] as const) {
      const clinic = await createClinic();
      await subscribe(clinic.id, status, 'basic');
      const plan = await getClinicPlan(db(), clinic.id, NOW);
      expect(plan).toMatchObject({ source: 'subscription', plan: { id: 'basic' } });
      expect(plan.period).toEqual({ start: new Date('2026-11-10T09:00:00Z'), end: new Date('2026-12-10T09:00:00Z') });
    }
  });

  it('keeps a past_due plan for the grace period, then falls back to Free', async () => {
    const clinic = await createClinic();
    await subscribe(clinic.id, 'past_due', 'professional', { pastDueSince: new Date('2026-11-15T00:00:00Z') });
    const during = await getClinicPlan(db(), clinic.id, new Date('2026-11-21T23:00:00Z'));
    expect(during).toMatchObject({ plan: { id: 'professional' }, subscription: { graceEndsAt: new Date('2026-11-22T00:00:00Z') } });
    expect((await getClinicPlan(db(), clinic.id, new Date('2026-11-22T00:00:00Z'))).plan.id).toBe('free');
  });

  it('falls back to Free for canceled, unpaid, incomplete, incomplete_expired and paused', async () => {
    for (const status of ['canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused'] as const) {
      const clinic = await createClinic();
      await subscribe(clinic.id, status, 'enterprise');
      expect((await getClinicPlan(db(), clinic.id, NOW)).plan.id, status).toBe('free');
    }
  });

  it("lets an operator's override win over billing", async () => {
    const clinic = await createClinic();
    await subscribe(clinic.id, 'active', 'basic');
    await db().organization.update({ where: { id: clinic.id }, data: { planOverride: 'enterprise' } });
    expect(await getClinicPlan(db(), clinic.id, NOW)).toMatchObject({ source: 'override', plan: { id: 'enterprise' } });
  });

  it('continues the billing cycle when the renewal has not arrived yet', async () => {
    const clinic = await createClinic();
    await subscribe(clinic.id, 'active', 'basic', { start: new Date('2026-09-30T09:00:00Z'), end: new Date('2026-10-30T09:00:00Z') });
    expect((await getClinicPlan(db(), clinic.id, NOW)).period).toEqual({ start: new Date('2026-10-30T09:00:00Z'), end: new Date('2026-11-30T09:00:00Z') });
  });
});

describe('plan gates', () => {
  it('names the plan a feature needs', async () => {
    const clinic = await createClinic();
    const actor = { userId: (await createUser()).id, organizationId: clinic.id, role: 'owner' as const };
    const error = await appError(requireFeature(db(), actor, 'transcription', NOW));
    expect(error.code).toBe('plan_required');
    expect(error.userMessage).toBe('Audio transcription needs the Basic plan or higher; your clinic is on Free.');
    await subscribe(clinic.id, 'active', 'basic');
    await expect(requireFeature(db(), actor, 'transcription', NOW)).resolves.toMatchObject({ plan: { id: 'basic' } });
    expect((await appError(requireFeature(db(), actor, 'apiAccess', NOW))).code).toBe('plan_required');
  });
});

describe('job quota', () => {
  it('reserves, commits and releases, so failed jobs do not count', async () => {
    const clinic = await createClinic();
    const user = await createUser();
    const reserve = () => db().$transaction((tx) => reserveJobQuota(tx, { organizationId: clinic.id, userId: user.id, jobType: 'analysis' }, NOW));
    const first = await reserve();
    const second = await reserve();
    expect([first.used, second.used, first.limit]).toEqual([1, 2, 5]);
    expect(await commitJobQuota(db(), first.reservationId)).toBe(true);
    expect(await releaseJobQuota(db(), second.reservationId)).toBe(true);
    // Settling twice changes nothing.
    expect(await releaseJobQuota(db(), second.reservationId)).toBe(false);
    expect(await releaseJobQuota(db(), first.reservationId)).toBe(false);
    expect(await commitJobQuota(db(), second.reservationId)).toBe(false);
    expect(await getQuotaStatus(db(), clinic.id, NOW)).toMatchObject({ used: 1, limit: 5 });
  });

  it('refuses past the limit with a message naming the plan, the limit and the reset date', async () => {
    const clinic = await createClinic();
    for (let i = 0; i < 5; i += 1) await db().$transaction((tx) => reserveJobQuota(tx, { organizationId: clinic.id, userId: null, jobType: 'letter' }, NOW));
    const error = await appError(db().$transaction((tx) => reserveJobQuota(tx, { organizationId: clinic.id, userId: null, jobType: 'letter' }, NOW)));
    expect(error.code).toBe('quota_exceeded');
    expect(error.userMessage).toBe(
      'Your clinic has used all 5 jobs of the Free plan for this period. The count starts again on December 1, 2026. Upgrade your plan for more jobs.',
    );
    expect(await db().usageRecord.count({ where: { organizationId: clinic.id } })).toBe(5);
  });

  it('accepts exactly one of 20 concurrent reservations at limit - 1, and the counter equals the limit', async () => {
    const clinic = await createClinic();
    for (let i = 0; i < 4; i += 1) await db().$transaction((tx) => reserveJobQuota(tx, { organizationId: clinic.id, userId: null, jobType: 'analysis' }, NOW));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => db().$transaction((tx) => reserveJobQuota(tx, { organizationId: clinic.id, userId: null, jobType: 'analysis' }, NOW))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.every((r) => r.reason instanceof AppError && r.reason.code === 'quota_exceeded')).toBe(true);
    expect((await getQuotaStatus(db(), clinic.id, NOW)).used).toBe(5);
    expect(await db().usageRecord.count({ where: { organizationId: clinic.id, state: 'reserved' } })).toBe(5);
  });

  it('still records usage on unlimited plans', async () => {
    const clinic = await createClinic();
    await subscribe(clinic.id, 'active', 'enterprise');
    for (let i = 0; i < 7; i += 1) await db().$transaction((tx) => reserveJobQuota(tx, { organizationId: clinic.id, userId: null, jobType: 'triage' }, NOW));
    expect(await getQuotaStatus(db(), clinic.id, NOW)).toMatchObject({ used: 7, limit: null, fraction: null });
  });

  it('rolls the reservation back with the transaction it belongs to', async () => {
    const clinic = await createClinic();
    await db()
      .$transaction(async (tx) => {
        await reserveJobQuota(tx, { organizationId: clinic.id, userId: null, jobType: 'analysis' }, NOW);
        throw new Error('the job row could not be written');
      })
      .catch(() => undefined);
    expect((await getQuotaStatus(db(), clinic.id, NOW)).used).toBe(0);
  });
});
