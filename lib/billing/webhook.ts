// Stripe webhook events (POST /api/stripe/webhook). Each event is recorded in
// stripe_events in the same transaction as its effects, and that row is written
// first: a redelivered event, or the same event delivered twice at once (the
// second insert waits on the primary key until the first commits), finds it and
// has no second effect. Event payloads are never trusted for state: under the
// clinic's row lock the subscription is re-read from Stripe and stored as it is
// now, so events may arrive in any order. Anything that fails rolls the whole
// transaction back, the event row included, and Stripe's retry starts afresh.
import type Stripe from 'stripe';
import type { Tx } from '@/lib/audit/record';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { AppError, describeError } from '@/lib/errors';
import { logger, type Logger } from '@/lib/logger';
import { billingEnabled, idOf, stripe } from './stripe';
import { syncSubscription } from './sync';

export type StripeEventOutcome = 'applied' | 'ignored' | 'stale';

export interface WebhookResult {
  eventId: string;
  type: string;
  /** The event was already processed (or is being processed and committed first): nothing was done. */
  duplicate: boolean;
  /** Null for a duplicate. */
  outcome: StripeEventOutcome | null;
  organizationId: string | null;
  subscriptionId: string | null;
}

export interface WebhookOptions {
  now?: Date;
  log?: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where an event points: a subscription, and the hints that lead to its clinic. */
interface Target {
  subscriptionId: string;
  /** A clinic id the event claims (metadata, client_reference_id): used only if that clinic exists. */
  claimedOrganizationId: string | null;
  customerId: string | null;
}

/** The webhook signing secret, or a 503 while billing is off. */
export function assertWebhookEnabled(): string {
  const { webhookSecret } = getConfig().stripe;
  // 503 rather than 404: Stripe retries it, so events sent while a deploy lacks its Stripe settings are not lost.
  if (!billingEnabled() || !webhookSecret) {
    throw new AppError('unavailable', {
      message: 'stripe webhook received while billing is off',
      userMessage: 'Billing is not enabled on this server (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are unset).',
    });
  }
  return webhookSecret;
}

/** The verified event, or a 400: a missing, forged or stale (outside Stripe's 5-minute tolerance) signature. */
export function verifyStripeEvent(raw: string, signature: string | null, secret: string, log: Logger = logger()): Stripe.Event {
  if (!signature) {
    log.warn('stripe webhook without a signature');
    throw new AppError('bad_request', { message: 'stripe-signature header missing', userMessage: 'Missing Stripe-Signature header.' });
  }
  try {
    return stripe().webhooks.constructEvent(raw, signature, secret);
  } catch (error) {
    log.warn({ err: describeError(error) }, 'stripe webhook signature rejected');
    throw new AppError('bad_request', { message: 'stripe signature verification failed', userMessage: 'Invalid Stripe signature.', cause: error });
  }
}

/** Verifies and processes one delivery: what the route handler calls with the raw body. */
export async function handleStripeWebhook(db: Db, raw: string, signature: string | null, options: WebhookOptions = {}): Promise<WebhookResult> {
  const log = options.log ?? logger();
  const secret = assertWebhookEnabled();
  const event = verifyStripeEvent(raw, signature, secret, log);
  return processStripeEvent(db, event, { ...options, log });
}

/** The subscription an invoice belongs to: `parent.subscription_details` since API 2025-03-31, `subscription` before. */
function invoiceSubscription(invoice: Stripe.Invoice): { id: string | null; metadata: Stripe.Metadata | null } {
  const details = invoice.parent?.subscription_details;
  const legacy = (invoice as Stripe.Invoice & { subscription?: string | { id: string } | null }).subscription;
  return { id: idOf(details?.subscription) ?? idOf(legacy), metadata: details?.metadata ?? null };
}

function targetOf(event: Stripe.Event): Target | null {
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const subscriptionId = session.mode === 'subscription' ? idOf(session.subscription) : null;
      if (!subscriptionId) return null; // a one-off payment: nothing to sync
      return {
        subscriptionId,
        claimedOrganizationId: session.client_reference_id ?? session.metadata?.organizationId ?? null,
        customerId: idOf(session.customer),
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed': {
      const subscription = event.data.object;
      return { subscriptionId: subscription.id, claimedOrganizationId: subscription.metadata?.organizationId ?? null, customerId: idOf(subscription.customer) };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const { id, metadata } = invoiceSubscription(invoice);
      if (!id) return null; // a one-off invoice: nothing to sync
      return { subscriptionId: id, claimedOrganizationId: metadata?.organizationId ?? null, customerId: idOf(invoice.customer) };
    }
    default:
      return null;
  }
}

/**
 * The clinic of a subscription: the clinic its row already belongs to, else the
 * clinic named in metadata (if it exists), else the clinic linked to the Stripe
 * customer. Null when none matches.
 */
async function resolveClinic(tx: Tx, target: Target): Promise<{ organizationId: string; via: 'subscription' | 'metadata' | 'customer' } | null> {
  const row = await tx.subscription.findUnique({ where: { id: target.subscriptionId }, select: { organizationId: true } });
  if (row) return { organizationId: row.organizationId, via: 'subscription' };
  const claimed = target.claimedOrganizationId;
  if (claimed && UUID.test(claimed)) {
    const clinic = await tx.organization.findUnique({ where: { id: claimed }, select: { id: true } });
    if (clinic) return { organizationId: clinic.id, via: 'metadata' };
  }
  if (target.customerId) {
    const clinic = await tx.organization.findUnique({ where: { stripeCustomerId: target.customerId }, select: { id: true } });
    if (clinic) return { organizationId: clinic.id, via: 'customer' };
  }
  return null;
}

/** Links the Stripe customer to the clinic when the clinic has none and no other clinic has it. */
async function linkCustomer(tx: Tx, organizationId: string, customerId: string, log: Logger): Promise<void> {
  const clinic = await tx.organization.findUnique({ where: { id: organizationId }, select: { stripeCustomerId: true } });
  if (!clinic || clinic.stripeCustomerId === customerId) return;
  if (clinic.stripeCustomerId) {
    log.warn({ organizationId, customerId, linkedCustomerId: clinic.stripeCustomerId }, 'stripe customer differs from the linked one: link kept');
    return;
  }
  const other = await tx.organization.findUnique({ where: { stripeCustomerId: customerId }, select: { id: true } });
  if (other) {
    log.warn({ organizationId, customerId, linkedOrganizationId: other.id }, 'stripe customer is linked to another clinic: not linked');
    return;
  }
  await tx.organization.update({ where: { id: organizationId }, data: { stripeCustomerId: customerId } });
}

/** Locks the clinic's row: webhook deliveries and reconciliation of one clinic run one at a time. False if it is gone. */
export async function lockClinic(tx: Tx, organizationId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM organizations WHERE id = ${organizationId}::uuid FOR UPDATE`;
  return rows.length === 1;
}

/** Stripe API calls happen inside the transaction (under the lock), so it may take longer than Prisma's 5 s default. */
export const BILLING_TRANSACTION = { maxWait: 15_000, timeout: 60_000 } as const;

/** Applies one verified event exactly once. Throws (nothing committed) when Stripe or the database fails. */
export async function processStripeEvent(db: Db, event: Stripe.Event, options: WebhookOptions = {}): Promise<WebhookResult> {
  const now = options.now ?? new Date();
  const log = options.log ?? logger();
  const eventCreatedAt = new Date(event.created * 1000);
  const base = { eventId: event.id, type: event.type };

  const result = await db.$transaction(async (tx): Promise<WebhookResult> => {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO stripe_events (id, type, outcome, event_created_at, processed_at)
      VALUES (${event.id}, ${event.type}, 'ignored', ${eventCreatedAt}, ${now})
      ON CONFLICT (id) DO NOTHING
      RETURNING id`;
    if (inserted.length === 0) return { ...base, duplicate: true, outcome: null, organizationId: null, subscriptionId: null };

    const target = targetOf(event);
    let outcome: StripeEventOutcome = 'ignored';
    let organizationId: string | null = null;
    if (target) {
      const clinic = await resolveClinic(tx, target);
      if (!clinic || !(await lockClinic(tx, clinic.organizationId))) {
        log.warn({ eventId: event.id, type: event.type, subscriptionId: target.subscriptionId, customerId: target.customerId }, 'stripe event for no known clinic: ignored');
      } else {
        organizationId = clinic.organizationId;
        // Found through our own metadata (set at checkout): remember the customer, which reconciliation lists by.
        if (target.customerId && clinic.via === 'metadata') await linkCustomer(tx, organizationId, target.customerId, log);
        const subscription = await stripe().subscriptions.retrieve(target.subscriptionId);
        const synced = await syncSubscription(tx, organizationId, subscription, { eventCreatedAt, now });
        outcome = synced.outcome === 'stale' ? 'stale' : 'applied';
      }
    }
    await tx.stripeEvent.update({ where: { id: event.id }, data: { outcome, organizationId } });
    return { ...base, duplicate: false, outcome, organizationId, subscriptionId: target?.subscriptionId ?? null };
  }, BILLING_TRANSACTION);

  log.info({ eventId: result.eventId, type: result.type, duplicate: result.duplicate, outcome: result.outcome, organizationId: result.organizationId, subscriptionId: result.subscriptionId }, 'stripe event processed');
  return result;
}
