// Nightly reconciliation against the fake Stripe API: what a lost or failed
// webhook left behind is repaired, one clinic's failure does not stop the rest,
// a second run changes nothing, and the worker schedules the job only while
// billing is on.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from 'pg-boss';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { reconcileAllClinics } from '@/lib/billing/reconcile';
import { stripe } from '@/lib/billing/stripe';
import { setEnvironment } from '@/lib/config';
import { db } from '@/lib/db/client';
import { billingReconcileJob, jobHandlers } from '@/lib/jobs/handlers';
import { startWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { withAppDatabase } from '../support/app-database';
import { startFakeStripe, type FakeStripe, type FakeSubscriptionStatus } from '../support/fake-stripe';
import { createClinic } from '../support/factories';

const BILLING = {
  STRIPE_SECRET_KEY: 'sk_test_reconcile',
  STRIPE_WEBHOOK_SECRET: 'whsec_reconcile',
  STRIPE_PRICE_BASIC: 'price_basic',
  STRIPE_PRICE_PROFESSIONAL: 'price_professional',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
};
const BILLING_OFF = Object.fromEntries(Object.keys(BILLING).map((k) => [k, '']));

const database = withAppDatabase(BILLING);
let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());
beforeEach(async () => {
  setEnvironment({ ...BILLING, STRIPE_API_URL: fake.url });
  // Each test reconciles every clinic: start from none linked to Stripe.
  await db().organization.updateMany({ data: { stripeCustomerId: null } });
});

const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

/** A clinic linked to a Stripe customer with one subscription per price (created at Stripe only). */
async function clinicAtStripe(subscriptions: { price: string; status?: FakeSubscriptionStatus }[]) {
  const clinic = await createClinic();
  const customer = await stripe().customers.create({ name: clinic.name });
  await db().organization.update({ where: { id: clinic.id }, data: { stripeCustomerId: customer.id } });
  const ids: string[] = [];
  for (const { price, status } of subscriptions) {
    const session = await stripe().checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      client_reference_id: clinic.id,
      line_items: [{ price, quantity: 1 }],
      subscription_data: { metadata: { organizationId: clinic.id } },
      success_url: 'http://localhost/ok',
      cancel_url: 'http://localhost/no',
    });
    ids.push(fake.completeCheckout(session.id, status).id);
  }
  return { clinic, customerId: customer.id, subscriptionIds: ids };
}

const audits = (organizationId: string) => db().auditLog.findMany({ where: { organizationId, event: { startsWith: 'subscription.' } }, orderBy: { seq: 'asc' }, select: { event: true } });

describe('reconcileAllClinics', () => {
  it('stores what Stripe says for every linked clinic, and a second run changes nothing', async () => {
    const now = new Date();
    // A: the webhook never arrived. B: Stripe canceled it, we still think it is active. C: two subscriptions, one long canceled.
    const a = await clinicAtStripe([{ price: 'price_professional' }]);
    const b = await clinicAtStripe([{ price: 'price_basic' }]);
    const c = await clinicAtStripe([{ price: 'price_basic', status: 'canceled' }, { price: 'price_enterprise' }]);
    const unlinked = await createClinic();

    expect(await reconcileAllClinics(db(), now, { log: silent })).toEqual({ clinics: 3, subscriptions: 4, changed: 4, failed: 0 });
    expect((await getClinicPlan(db(), a.clinic.id)).plan.id).toBe('professional');
    expect((await getClinicPlan(db(), b.clinic.id)).plan.id).toBe('basic');
    expect((await getClinicPlan(db(), c.clinic.id)).plan.id).toBe('enterprise');
    expect((await getClinicPlan(db(), unlinked.id)).plan.id).toBe('free');
    expect(await db().subscription.count({ where: { organizationId: c.clinic.id } })).toBe(2);

    const ended = Math.floor(Date.now() / 1000);
    fake.updateSubscription(b.subscriptionIds[0]!, { status: 'canceled', canceled_at: ended, ended_at: ended });
    expect(await reconcileAllClinics(db(), now, { log: silent })).toEqual({ clinics: 3, subscriptions: 4, changed: 1, failed: 0 });
    expect((await getClinicPlan(db(), b.clinic.id)).plan.id).toBe('free');
    expect(await audits(b.clinic.id)).toEqual([{ event: 'subscription.created' }, { event: 'subscription.canceled' }]);

    expect(await reconcileAllClinics(db(), now, { log: silent })).toEqual({ clinics: 3, subscriptions: 4, changed: 0, failed: 0 });
    expect(await audits(a.clinic.id)).toEqual([{ event: 'subscription.created' }]);
    // Reconciliation is not an event: it leaves lastEventAt to the webhook.
    expect(await db().subscription.findUniqueOrThrow({ where: { id: a.subscriptionIds[0]! } })).toMatchObject({ lastEventAt: null, syncedAt: now });
  });

  it('continues past a clinic whose Stripe call fails, and commits nothing for that one', async () => {
    const clinics = [await clinicAtStripe([{ price: 'price_basic' }]), await clinicAtStripe([{ price: 'price_basic' }]), await clinicAtStripe([{ price: 'price_basic' }])];
    // Clinics are visited in id order: the first one's list call (and both SDK retries) fail.
    const [first, ...rest] = [...clinics].sort((x, y) => x.clinic.id.localeCompare(y.clinic.id));
    fake.failNext('/v1/subscriptions', 3);
    expect(await reconcileAllClinics(db(), new Date(), { log: silent })).toEqual({ clinics: 3, subscriptions: 2, changed: 2, failed: 1 });
    expect(await db().subscription.count({ where: { organizationId: first!.clinic.id } })).toBe(0);
    for (const other of rest) expect(await db().subscription.count({ where: { organizationId: other.clinic.id } })).toBe(1);
    // The next night repairs it.
    expect(await reconcileAllClinics(db(), new Date(), { log: silent })).toEqual({ clinics: 3, subscriptions: 3, changed: 1, failed: 0 });
  }, 20_000);

  it('runs as the billing.reconcile job', async () => {
    const { clinic } = await clinicAtStripe([{ price: 'price_professional' }]);
    await billingReconcileJob.handle({ id: 'job-1', name: 'billing.reconcile', data: {} } as Job<unknown>);
    expect((await getClinicPlan(db(), clinic.id)).plan.id).toBe('professional');
  });
});

describe('the worker schedule', () => {
  it('schedules billing.reconcile at 03:00 UTC while billing is on, and removes it when billing is off', async () => {
    const start = () => startWorker({ connectionString: database.url, handlers: jobHandlers, concurrency: 1, batchSize: 1, pollSeconds: 1, log: silent });
    const on = await start();
    try {
      expect(on.queues).toContain('billing.reconcile');
      expect(await on.boss.getSchedules('billing.reconcile')).toEqual([expect.objectContaining({ name: 'billing.reconcile', cron: '0 3 * * *', timezone: 'UTC' })]);
    } finally {
      await on.stop();
    }

    setEnvironment(BILLING_OFF);
    const off = await start();
    try {
      expect(off.queues).not.toContain('billing.reconcile');
      expect(await off.boss.getSchedules('billing.reconcile')).toEqual([]);
    } finally {
      await off.stop();
    }
  }, 60_000);
});
