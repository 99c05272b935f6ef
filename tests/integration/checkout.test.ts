// Checkout and the customer portal through the real `stripe` SDK, pointed at the
// fake Stripe API (tests/support/fake-stripe.ts): what is sent, with which
// idempotency keys, and who is refused before anything reaches Stripe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '@/lib/auth/authorize';
import { createCheckoutSession, createPortalSession, getBillingOverview, getPlanSummary } from '@/lib/billing/checkout';
import { setEnvironment } from '@/lib/config';
import { db } from '@/lib/db/client';
import type { SubscriptionStatus } from '@/lib/db/generated/client';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';

const request = { ip: '198.51.100.7', userAgent: 'vitest' };
let fake: FakeStripe;

function billingOn(): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: 'sk_test_x',
    STRIPE_WEBHOOK_SECRET: 'whsec_x',
    STRIPE_PRICE_BASIC: 'price_basic',
    STRIPE_PRICE_PROFESSIONAL: 'price_professional',
    STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
    STRIPE_API_URL: fake.url,
  };
}

withAppDatabase({ APP_URL: 'http://app.test', DEFAULT_PLAN: 'professional' });

beforeAll(async () => {
  fake = await startFakeStripe();
  setEnvironment(billingOn());
});
afterAll(async () => {
  await fake?.close();
});

async function setUpClinic(options: { verified?: boolean } = {}) {
  const { clinic, members } = await createStaffedClinic();
  if (options.verified !== false) {
    await db().user.updateMany({ where: { id: { in: Object.values(members).map((m) => m.id) } }, data: { emailVerifiedAt: new Date() } });
  }
  const actor = (role: Role): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, actor };
}

let attempts = 0;
const attempt = () => `attempt-${Date.now()}-${(attempts += 1)}-abcdefgh`;

const requestsTo = (path: string, organizationId: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === path && JSON.stringify(r.params).includes(organizationId));

async function subscribe(organizationId: string, status: SubscriptionStatus, plan: 'basic' | 'professional' | 'enterprise' = 'basic') {
  await db().subscription.create({
    data: {
      id: `sub_${Math.random().toString(36).slice(2)}`,
      organizationId,
      customerId: 'cus_test',
      status,
      plan,
      priceId: `price_${plan}`,
      currentPeriodStart: new Date(Date.now() - 86_400_000),
      currentPeriodEnd: new Date(Date.now() + 29 * 86_400_000),
      stripeCreatedAt: new Date(),
      syncedAt: new Date(),
    },
  });
}

describe('checkout', () => {
  it('creates the customer once, then a subscription Checkout Session with the clinic id, plan and return URLs', async () => {
    const { clinic, actor } = await setUpClinic();
    const { url } = await createCheckoutSession(db(), actor('owner'), { plan: 'basic', attemptId: attempt() }, request);

    const customers = [...fake.customers.values()].filter((c) => c.metadata.organizationId === clinic.id);
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ name: clinic.name, metadata: { organizationId: clinic.id } });
    const [customerCall] = requestsTo('/v1/customers', clinic.id);
    expect(customerCall?.idempotencyKey).toBe(`maneiro-customer-${clinic.id}`);
    const stored = await db().organization.findUniqueOrThrow({ where: { id: clinic.id }, select: { stripeCustomerId: true } });
    expect(stored.stripeCustomerId).toBe(customers[0]!.id);

    const session = [...fake.sessions.values()].find((s) => s.client_reference_id === clinic.id);
    expect(session).toMatchObject({
      url,
      mode: 'subscription',
      customer: customers[0]!.id,
      client_reference_id: clinic.id,
      line_items: [{ price: 'price_basic', quantity: 1 }],
      metadata: { organizationId: clinic.id, plan: 'basic' },
      subscription_data: { metadata: { organizationId: clinic.id, plan: 'basic' } },
      success_url: 'http://app.test/settings/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://app.test/pricing?checkout=canceled',
    });
    const [sessionCall] = requestsTo('/v1/checkout/sessions', clinic.id);
    expect(sessionCall?.idempotencyKey).toMatch(new RegExp(`^maneiro-checkout-${clinic.id}-basic-attempt-`));

    const audit = await db().auditLog.findMany({ where: { organizationId: clinic.id, event: 'subscription.checkout_started' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: actor('owner').userId, metadata: { plan: 'basic' }, outcome: 'success' });

    // Another attempt (another plan) reuses the customer.
    await createCheckoutSession(db(), actor('owner'), { plan: 'enterprise', attemptId: attempt() }, request);
    expect(requestsTo('/v1/customers', clinic.id)).toHaveLength(1);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === clinic.id).map((s) => s.customer)).toEqual([customers[0]!.id, customers[0]!.id]);
  });

  it('answers a double click (same attempt id) with the same Checkout Session, audited once', async () => {
    const { clinic, actor } = await setUpClinic();
    const attemptId = attempt();
    const first = await createCheckoutSession(db(), actor('owner'), { plan: 'professional', attemptId }, request);
    const second = await createCheckoutSession(db(), actor('owner'), { plan: 'professional', attemptId }, request);
    expect(second.url).toBe(first.url);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === clinic.id)).toHaveLength(1);
    const keys = requestsTo('/v1/checkout/sessions', clinic.id).map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'subscription.checkout_started' } })).toBe(1);
  });

  it('ends two concurrent checkouts of one clinic with one customer', async () => {
    const { clinic, actor } = await setUpClinic();
    const owner = actor('owner');
    const [a, b] = await Promise.all([
      createCheckoutSession(db(), owner, { plan: 'basic', attemptId: attempt() }, request),
      createCheckoutSession(db(), owner, { plan: 'professional', attemptId: attempt() }, request),
    ]);
    expect(a.url).not.toBe(b.url);
    const customers = [...fake.customers.values()].filter((c) => c.metadata.organizationId === clinic.id);
    expect(customers).toHaveLength(1);
    const sessions = [...fake.sessions.values()].filter((s) => s.client_reference_id === clinic.id);
    expect(sessions.map((s) => s.customer)).toEqual([customers[0]!.id, customers[0]!.id]);
    expect((await db().organization.findUniqueOrThrow({ where: { id: clinic.id } })).stripeCustomerId).toBe(customers[0]!.id);
  });

  it('refuses everyone but owners, before anything reaches Stripe', async () => {
    const { clinic, actor } = await setUpClinic();
    for (const role of ['admin', 'clinician', 'staff'] as const) {
      const error = await appError(createCheckoutSession(db(), actor(role), { plan: 'basic', attemptId: attempt() }, request));
      expect(error.code, role).toBe('forbidden');
    }
    expect(fake.requests.filter((r) => JSON.stringify(r.params).includes(clinic.id))).toHaveLength(0);
  });

  it('refuses an owner whose email is not verified', async () => {
    const { clinic, actor } = await setUpClinic({ verified: false });
    const error = await appError(createCheckoutSession(db(), actor('owner'), { plan: 'basic', attemptId: attempt() }, request));
    expect(error.code).toBe('forbidden');
    expect(error.userMessage).toMatch(/verify your email address/i);
    expect(fake.requests.filter((r) => JSON.stringify(r.params).includes(clinic.id))).toHaveLength(0);
  });

  it('says clearly that billing is off when no Stripe key is set', async () => {
    const { actor } = await setUpClinic();
    setEnvironment(Object.fromEntries(Object.keys(billingOn()).map((k) => [k, ''])));
    try {
      const error = await appError(createCheckoutSession(db(), actor('owner'), { plan: 'basic', attemptId: attempt() }, request));
      expect(error.code).toBe('unavailable');
      expect(error.userMessage).toBe('Billing is not enabled on this server, so there is nothing to pay: every clinic has the Professional plan.');
      expect((await appError(createPortalSession(db(), actor('owner')))).code).toBe('unavailable');
    } finally {
      setEnvironment(billingOn());
    }
  });

  it('refuses a second subscription while one is active, trialing or past due, and points to the portal', async () => {
    for (const status of ['active', 'trialing', 'past_due'] as const) {
      const { clinic, actor } = await setUpClinic();
      await subscribe(clinic.id, status, 'professional');
      const error = await appError(createCheckoutSession(db(), actor('owner'), { plan: 'enterprise', attemptId: attempt() }, request));
      expect(error.code, status).toBe('conflict');
      expect(error.userMessage).toBe(
        'Your clinic already has a Professional subscription. To change plans, use Manage subscription (the billing portal) instead of starting a new one.',
      );
      expect(requestsTo('/v1/checkout/sessions', clinic.id)).toHaveLength(0);
    }
    // An ended subscription does not stand in the way of a new one.
    const { clinic, actor } = await setUpClinic();
    await subscribe(clinic.id, 'canceled');
    await expect(createCheckoutSession(db(), actor('owner'), { plan: 'basic', attemptId: attempt() }, request)).resolves.toHaveProperty('url');
  });

  it('refuses the Free plan, unknown plans and a malformed attempt id', async () => {
    const { actor } = await setUpClinic();
    for (const input of [{ plan: 'free', attemptId: attempt() }, { plan: 'platinum', attemptId: attempt() }, { plan: 'basic', attemptId: 'x' }, null, 'basic']) {
      expect((await appError(createCheckoutSession(db(), actor('owner'), input, request))).code, JSON.stringify(input)).toBe('validation_failed');
    }
  });

  it('turns a Stripe outage into a calm, retryable message', async () => {
    const { actor } = await setUpClinic();
    await createCheckoutSession(db(), actor('owner'), { plan: 'basic', attemptId: attempt() }, request); // customer exists
    fake.failNext('/v1/checkout/sessions', 3); // the first try and both SDK retries
    const error = await appError(createCheckoutSession(db(), actor('owner'), { plan: 'basic', attemptId: attempt() }, request));
    expect(error.code).toBe('unavailable');
    expect(error.userMessage).toBe('We could not reach our payment provider. Nothing was charged; please try again in a minute.');
  });
});

describe('customer portal', () => {
  it('opens for owners of a clinic with a Stripe customer, returning to the billing page', async () => {
    const { clinic, actor } = await setUpClinic();
    await createCheckoutSession(db(), actor('owner'), { plan: 'basic', attemptId: attempt() }, request);
    const { stripeCustomerId } = await db().organization.findUniqueOrThrow({ where: { id: clinic.id } });
    const { url } = await createPortalSession(db(), actor('owner'));
    expect(url).toMatch(new RegExp(`^${fake.url}/portal/bps_\\w+\\?return=${encodeURIComponent('http://app.test/settings/billing')}$`));
    const call = fake.requests.findLast((r) => r.path === '/v1/billing_portal/sessions');
    expect(call?.params).toEqual({ customer: stripeCustomerId, return_url: 'http://app.test/settings/billing' });
  });

  it('refuses non-owners, and says what to do when the clinic has never paid', async () => {
    const { actor } = await setUpClinic();
    for (const role of ['admin', 'clinician', 'staff'] as const) expect((await appError(createPortalSession(db(), actor(role)))).code, role).toBe('forbidden');
    const none = await appError(createPortalSession(db(), actor('owner')));
    expect(none.code).toBe('conflict');
    expect(none.userMessage).toBe('Your clinic has no subscription to manage yet. Choose a plan on the pricing page first.');
  });
});

describe('what the pages are told', () => {
  it('summarises the plan for the pricing page and the overview for the billing page', async () => {
    const { clinic, actor } = await setUpClinic();
    expect(await getPlanSummary(db(), null)).toEqual({ signedIn: false, billingEnabled: true, defaultPlan: 'professional' });
    expect(await getPlanSummary(db(), actor('clinician'))).toEqual({
      signedIn: true,
      billingEnabled: true,
      defaultPlan: 'professional',
      role: 'clinician',
      plan: 'free',
      source: 'free',
      subscription: null,
      hasLiveSubscription: false,
    });
    await subscribe(clinic.id, 'active', 'basic');
    expect(await getPlanSummary(db(), actor('owner'))).toMatchObject({ plan: 'basic', source: 'subscription', subscription: { status: 'active' }, hasLiveSubscription: true });
    const overview = await getBillingOverview(db(), actor('staff'));
    expect(overview).toMatchObject({ canManage: false, hasCustomer: false, live: { status: 'active', plan: 'basic' }, quota: { used: 0, limit: 50 } });
    expect((await getBillingOverview(db(), actor('owner'))).canManage).toBe(true);
  });
});
