// The Stripe webhook end to end: the route handler's POST called with signed
// bodies, the real Stripe SDK re-reading subscriptions from the fake Stripe API,
// and the effects checked in the database (subscriptions, stripe_events, audit).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/stripe/webhook/route';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { stripe } from '@/lib/billing/stripe';
import { handleStripeWebhook } from '@/lib/billing/webhook';
import { setEnvironment } from '@/lib/config';
import { db } from '@/lib/db/client';
import { withAppDatabase } from '../support/app-database';
import { startFakeStripe, type FakeStripe, type FakeSubscription, type FakeSubscriptionStatus } from '../support/fake-stripe';
import { createClinic } from '../support/factories';

const SECRET = 'whsec_webhook_test';
const BILLING = {
  STRIPE_SECRET_KEY: 'sk_test_webhook',
  STRIPE_WEBHOOK_SECRET: SECRET,
  STRIPE_PRICE_BASIC: 'price_basic',
  STRIPE_PRICE_PROFESSIONAL: 'price_professional',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
  BILLING_GRACE_DAYS: '7',
};

withAppDatabase(BILLING);
let fake: FakeStripe;
beforeAll(async () => {
  // Events are posted to the route handler directly, so the fake never needs the app's URL.
  fake = await startFakeStripe({ webhook: { url: 'http://127.0.0.1:9/unused', secret: SECRET } });
});
afterAll(() => fake.close());
beforeEach(() => setEnvironment({ ...BILLING, STRIPE_API_URL: fake.url }));

const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Signed {
  id: string;
  body: string;
  signature: string;
}

async function post(event: { body: string; signature: string | null }): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (event.signature !== null) headers['stripe-signature'] = event.signature;
  const response = await POST(new Request('http://localhost/api/stripe/webhook', { method: 'POST', headers, body: event.body }), { params: Promise.resolve({}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A snapshot of a fake subscription, as an event payload carries it. */
const snapshot = (subscription: FakeSubscription): FakeSubscription => structuredClone(subscription);

/** A clinic that went through Stripe Checkout (customer and session made through the real SDK). */
async function checkout(options: { price?: string; status?: FakeSubscriptionStatus; linkCustomer?: boolean } = {}) {
  const clinic = await createClinic();
  const customer = await stripe().customers.create({ name: clinic.name, metadata: { organizationId: clinic.id } });
  if (options.linkCustomer) await db().organization.update({ where: { id: clinic.id }, data: { stripeCustomerId: customer.id } });
  const metadata = { organizationId: clinic.id };
  const created = await stripe().checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    client_reference_id: clinic.id,
    line_items: [{ price: options.price ?? 'price_basic', quantity: 1 }],
    metadata,
    subscription_data: { metadata },
    success_url: 'http://localhost/settings/billing',
    cancel_url: 'http://localhost/pricing',
  });
  const subscription = fake.completeCheckout(created.id, options.status);
  const session = fake.sessions.get(created.id)!;
  return { clinic, customerId: customer.id, session, subscription };
}

async function writes(organizationId?: string) {
  const where = organizationId ? { organizationId } : {};
  return {
    events: await db().stripeEvent.count({ where }),
    subscriptions: await db().subscription.count({ where }),
    audits: await db().auditLog.count({ where: { ...where, event: { startsWith: 'subscription.' } } }),
  };
}

const auditEvents = (organizationId: string) =>
  db().auditLog.findMany({ where: { organizationId, event: { startsWith: 'subscription.' } }, orderBy: { seq: 'asc' }, select: { event: true, actorUserId: true, targetId: true, metadata: true } });

describe('POST /api/stripe/webhook', () => {
  it('applies a checkout: links the customer, stores the subscription, audits it once, grants the plan', async () => {
    const { clinic, customerId, session, subscription } = await checkout({ price: 'price_professional' });
    const completed = await post(fake.signedEvent('checkout.session.completed', session));
    expect(completed).toEqual({ status: 200, json: { received: true, outcome: 'applied' } });
    expect((await db().organization.findUniqueOrThrow({ where: { id: clinic.id } })).stripeCustomerId).toBe(customerId);

    // The rest of Stripe's checkout events change nothing further: one audit row.
    expect((await post(fake.signedEvent('customer.subscription.created', snapshot(subscription)))).json).toEqual({ received: true, outcome: 'applied' });
    const invoice = { id: 'in_1', object: 'invoice', customer: customerId, parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id, metadata: {} } } };
    expect((await post(fake.signedEvent('invoice.paid', invoice))).json).toEqual({ received: true, outcome: 'applied' });

    const row = await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(row).toMatchObject({ organizationId: clinic.id, customerId, status: 'active', plan: 'professional', priceId: 'price_professional', cancelAtPeriodEnd: false, pastDueSince: null });
    expect(row.currentPeriodStart).toEqual(new Date(subscription.items.data[0]!.current_period_start * 1000));
    expect(row.currentPeriodEnd).toEqual(new Date(subscription.items.data[0]!.current_period_end * 1000));
    expect(await writes(clinic.id)).toEqual({ events: 3, subscriptions: 1, audits: 1 });
    expect(await auditEvents(clinic.id)).toEqual([
      { event: 'subscription.created', actorUserId: null, targetId: subscription.id, metadata: { plan: 'professional', status: 'active', priceId: 'price_professional', cancelAtPeriodEnd: false } },
    ]);
    expect(await getClinicPlan(db(), clinic.id)).toMatchObject({ source: 'subscription', plan: { id: 'professional' } });
  });

  it('accepts the older invoice shape (invoice.subscription) and finds the clinic by its customer', async () => {
    const { clinic, customerId, subscription } = await checkout({ linkCustomer: true });
    const legacy = { id: 'in_legacy', object: 'invoice', customer: customerId, subscription: subscription.id };
    expect((await post(fake.signedEvent('invoice.paid', legacy))).json).toEqual({ received: true, outcome: 'applied' });
    expect(await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({ organizationId: clinic.id, plan: 'basic', status: 'active' });
  });

  it('has one effect for a redelivered event', async () => {
    const { clinic, session } = await checkout();
    const event = fake.signedEvent('checkout.session.completed', session);
    expect((await post(event)).json).toEqual({ received: true, outcome: 'applied' });
    expect(await post(event)).toEqual({ status: 200, json: { received: true, duplicate: true } });
    expect(await post(event)).toEqual({ status: 200, json: { received: true, duplicate: true } });
    expect(await writes(clinic.id)).toEqual({ events: 1, subscriptions: 1, audits: 1 });
  });

  it('has one effect for the same event delivered 10 times at once', async () => {
    const { clinic, session } = await checkout();
    const event = fake.signedEvent('checkout.session.completed', session);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(event)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.json.duplicate === true)).toHaveLength(9);
    expect(answers.filter((a) => a.json.outcome === 'applied')).toHaveLength(1);
    expect(await writes(clinic.id)).toEqual({ events: 1, subscriptions: 1, audits: 1 });
  });

  it('serializes different events of one clinic: all applied, the row ends as Stripe has it', async () => {
    const { clinic, session, subscription } = await checkout();
    const created = snapshot(subscription);
    fake.updateSubscription(subscription.id, { price: 'price_enterprise' });
    const events = [
      fake.signedEvent('checkout.session.completed', session),
      fake.signedEvent('customer.subscription.created', created),
      fake.signedEvent('customer.subscription.updated', snapshot(subscription)),
    ];
    const answers = await Promise.all(events.map((e) => post(e)));
    expect(answers.map((a) => a.json)).toEqual(events.map(() => ({ received: true, outcome: 'applied' })));
    expect(await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({ plan: 'enterprise', status: 'active' });
    // Whatever order they ran in, the first saw Stripe's current state: one row, one audit event.
    expect(await writes(clinic.id)).toEqual({ events: 3, subscriptions: 1, audits: 1 });
  });

  it('never goes back to an older state: an older event arriving late is stale', async () => {
    const { clinic, subscription } = await checkout({ status: 'incomplete' });
    const incomplete = snapshot(subscription);
    fake.updateSubscription(subscription.id, { status: 'active' });
    const t = nowSeconds();
    const updated = fake.signedEvent('customer.subscription.updated', snapshot(subscription), { created: t });
    const older = fake.signedEvent('customer.subscription.created', incomplete, { created: t - 60 });

    expect((await post(updated)).json).toEqual({ received: true, outcome: 'applied' });
    expect((await post(older)).json).toEqual({ received: true, outcome: 'stale' });
    const row = await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(row).toMatchObject({ status: 'active', lastEventAt: new Date(t * 1000) });
    expect(await db().stripeEvent.findUniqueOrThrow({ where: { id: older.id } })).toMatchObject({ outcome: 'stale', organizationId: clinic.id });
    expect((await getClinicPlan(db(), clinic.id)).plan.id).toBe('basic');

    // Even an event that is not older but carries an old payload cannot regress the row: Stripe is re-read.
    const oldPayload = fake.signedEvent('customer.subscription.updated', incomplete, { created: t + 1 });
    expect((await post(oldPayload)).json).toEqual({ received: true, outcome: 'applied' });
    expect(await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({ status: 'active', lastEventAt: new Date((t + 1) * 1000) });
    expect(await writes(clinic.id)).toEqual({ events: 3, subscriptions: 1, audits: 1 });
  });

  it('answers 500 and commits nothing when Stripe fails, and the redelivery succeeds', async () => {
    const { clinic, session } = await checkout();
    const event = fake.signedEvent('checkout.session.completed', session);
    const before = fake.requests.filter((r) => r.path.startsWith('/v1/subscriptions')).length;
    // Three failures: the first attempt and the SDK's two retries.
    fake.failNext('/v1/subscriptions', 3);
    const failed = await post(event);
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({ error: { code: 'internal' } });
    expect(fake.requests.filter((r) => r.path.startsWith('/v1/subscriptions')).length - before).toBe(3);
    expect(await db().stripeEvent.findUnique({ where: { id: event.id } })).toBeNull();
    expect(await writes(clinic.id)).toEqual({ events: 0, subscriptions: 0, audits: 0 });
    // The customer link made before the failure rolled back with the rest.
    expect((await db().organization.findUniqueOrThrow({ where: { id: clinic.id } })).stripeCustomerId).toBeNull();

    expect(await post(event)).toEqual({ status: 200, json: { received: true, outcome: 'applied' } });
    expect(await writes(clinic.id)).toEqual({ events: 1, subscriptions: 1, audits: 1 });
  }, 20_000);

  it('refuses a missing, forged, tampered or stale signature with 400 and writes nothing', async () => {
    const { session } = await checkout();
    const before = await writes();
    const good = fake.signedEvent('checkout.session.completed', session);
    const cases = [
      { body: good.body, signature: null },
      { body: good.body, signature: 'garbage' },
      fake.signedEvent('checkout.session.completed', session, { secret: 'whsec_someone_else' }),
      { body: good.body.replace('"livemode":false', '"livemode":true'), signature: good.signature },
      // Older than the SDK's 300 s tolerance: a replayed capture.
      fake.signedEvent('checkout.session.completed', session, { timestamp: nowSeconds() - 301 }),
    ];
    for (const delivery of cases) {
      const answer = await post(delivery);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: { code: 'bad_request' } });
    }
    expect(await writes()).toEqual(before);
  });

  it('answers 503 and writes nothing while billing is off', async () => {
    const { session } = await checkout();
    const event = fake.signedEvent('checkout.session.completed', session);
    const before = await writes();
    setEnvironment({ STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', STRIPE_PRICE_BASIC: '', STRIPE_PRICE_PROFESSIONAL: '', STRIPE_PRICE_ENTERPRISE: '' });
    const answer = await post(event);
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error: { code: 'unavailable', message: expect.stringContaining('Billing is not enabled') } });
    expect(await writes()).toEqual(before);
  });

  it('drops the plan when Stripe says the subscription is canceled', async () => {
    const { clinic, session, subscription } = await checkout({ price: 'price_professional' });
    await post(fake.signedEvent('checkout.session.completed', session));
    expect((await getClinicPlan(db(), clinic.id)).plan.id).toBe('professional');

    // Scheduled first: still granted until it ends, audited as a cancellation at period end.
    fake.updateSubscription(subscription.id, { cancel_at_period_end: true });
    await post(fake.signedEvent('customer.subscription.updated', snapshot(subscription)));
    expect(await getClinicPlan(db(), clinic.id)).toMatchObject({ plan: { id: 'professional' }, subscription: { cancelAtPeriodEnd: true } });

    const ended = nowSeconds();
    fake.updateSubscription(subscription.id, { status: 'canceled', canceled_at: ended, ended_at: ended });
    expect((await post(fake.signedEvent('customer.subscription.deleted', snapshot(subscription)))).json).toEqual({ received: true, outcome: 'applied' });
    const plan = await getClinicPlan(db(), clinic.id);
    expect(plan).toMatchObject({ source: 'free', plan: { id: 'free' }, subscription: { status: 'canceled', canceledAt: new Date(ended * 1000) } });
    expect((await auditEvents(clinic.id)).map((a) => [a.event, (a.metadata as Record<string, unknown>).cancellation ?? null])).toEqual([
      ['subscription.created', null],
      ['subscription.canceled', 'at_period_end'],
      ['subscription.canceled', 'ended'],
    ]);
  });

  it('keeps the plan through the grace period when a payment fails, and clears it once paid', async () => {
    const { clinic, customerId, session, subscription } = await checkout({ price: 'price_professional' });
    await post(fake.signedEvent('checkout.session.completed', session));
    fake.updateSubscription(subscription.id, { status: 'past_due' });
    const invoice = { id: 'in_failed', object: 'invoice', customer: customerId, parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id, metadata: { organizationId: clinic.id } } } };
    expect((await post(fake.signedEvent('invoice.payment_failed', invoice))).json).toEqual({ received: true, outcome: 'applied' });

    const row = await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(row.status).toBe('past_due');
    const since = row.pastDueSince!;
    expect(Math.abs(since.getTime() - Date.now())).toBeLessThan(60_000);
    const during = await getClinicPlan(db(), clinic.id);
    expect(during).toMatchObject({ source: 'subscription', plan: { id: 'professional' }, subscription: { status: 'past_due', graceEndsAt: new Date(since.getTime() + 7 * 86_400_000) } });
    expect((await getClinicPlan(db(), clinic.id, new Date(since.getTime() + 7 * 86_400_000))).plan.id).toBe('free');

    // A second failure keeps the first date: the grace period does not restart.
    await post(fake.signedEvent('invoice.payment_failed', { ...invoice, id: 'in_failed_again' }));
    expect((await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).pastDueSince).toEqual(since);

    fake.updateSubscription(subscription.id, { status: 'active' });
    await post(fake.signedEvent('invoice.paid', invoice));
    expect(await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({ status: 'active', pastDueSince: null });
    expect((await auditEvents(clinic.id)).map((a) => a.event)).toEqual(['subscription.created', 'subscription.changed', 'subscription.changed']);
  });

  it('audits a plan change with ids and plan names only, and nothing when nothing changed', async () => {
    const { clinic, session, subscription } = await checkout();
    await post(fake.signedEvent('checkout.session.completed', session));
    fake.updateSubscription(subscription.id, { price: 'price_enterprise' });
    await post(fake.signedEvent('customer.subscription.updated', snapshot(subscription)));
    await post(fake.signedEvent('customer.subscription.updated', snapshot(subscription)));
    const audits = await auditEvents(clinic.id);
    expect(audits).toHaveLength(2);
    expect(audits[1]).toEqual({
      event: 'subscription.changed',
      actorUserId: null,
      targetId: subscription.id,
      metadata: { plan: 'enterprise', previousPlan: 'basic', status: 'active', previousStatus: 'active', priceId: 'price_enterprise', cancelAtPeriodEnd: false, cancelAt: null },
    });
    expect((await getClinicPlan(db(), clinic.id)).plan.id).toBe('enterprise');
  });

  it('records an unknown price, which grants nothing', async () => {
    const { clinic, session, subscription } = await checkout({ price: 'price_legacy_2019' });
    expect((await post(fake.signedEvent('checkout.session.completed', session))).json).toEqual({ received: true, outcome: 'applied' });
    expect(await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({ status: 'active', plan: null, priceId: 'price_legacy_2019' });
    expect(await getClinicPlan(db(), clinic.id)).toMatchObject({ source: 'free', plan: { id: 'free' } });
  });

  it('records an event type it does not handle as ignored', async () => {
    const event = fake.signedEvent('customer.updated', { id: 'cus_unrelated', object: 'customer' });
    expect(await post(event)).toEqual({ status: 200, json: { received: true, outcome: 'ignored' } });
    expect(await db().stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ type: 'customer.updated', outcome: 'ignored', organizationId: null });
  });

  it('ignores (and records) events for no known clinic, and never trusts a clinic id that does not exist', async () => {
    const { subscription } = await checkout();
    const before = await db().subscription.count();
    const payloads = [
      { ...snapshot(subscription), metadata: {} }, // unknown customer, no metadata
      { ...snapshot(subscription), metadata: { organizationId: '00000000-0000-4000-8000-000000000000' } },
      { ...snapshot(subscription), metadata: { organizationId: 'not-a-uuid' } },
    ];
    for (const payload of payloads) {
      const event = fake.signedEvent('customer.subscription.updated', payload);
      expect(await post(event)).toEqual({ status: 200, json: { received: true, outcome: 'ignored' } });
      expect(await db().stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ outcome: 'ignored', organizationId: null });
    }
    expect(await db().subscription.count()).toBe(before);
  });

  it('can be called without the route: handleStripeWebhook verifies and reports the outcome', async () => {
    const { clinic, session, subscription } = await checkout();
    const event: Signed = fake.signedEvent('checkout.session.completed', session);
    await expect(handleStripeWebhook(db(), event.body, event.signature)).resolves.toEqual({
      eventId: event.id,
      type: 'checkout.session.completed',
      duplicate: false,
      outcome: 'applied',
      organizationId: clinic.id,
      subscriptionId: subscription.id,
    });
    await expect(handleStripeWebhook(db(), event.body, event.signature)).resolves.toMatchObject({ duplicate: true, outcome: null });
    await expect(handleStripeWebhook(db(), event.body, 't=1,v1=00')).rejects.toMatchObject({ code: 'bad_request' });
  });
});
