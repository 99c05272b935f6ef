// Stores a Stripe subscription as Stripe reports it now. The webhook and the
// nightly reconciliation both call this inside a transaction that holds the
// clinic's row lock, with a subscription they have just read from Stripe, so the
// row never goes back to an older state whatever order events arrive in. The
// audit row for a change is written in the same transaction.
import type Stripe from 'stripe';
import { recordAudit, type Tx } from '@/lib/audit/record';
import type { AuditEvent, AuditMetadata } from '@/lib/audit/events';
import type { SubscriptionStatus } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import type { PlanId } from './plans';
import { idOf, planForPrice } from './stripe';

const STATUSES: readonly SubscriptionStatus[] = ['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused'];

export interface SyncOptions {
  /** `created` of the webhook event that led here; none for reconciliation. */
  eventCreatedAt?: Date;
  now: Date;
}

export interface SyncResult {
  subscriptionId: string;
  /** `stale`: the event is older than one already applied, and the row was left alone. */
  outcome: 'created' | 'changed' | 'unchanged' | 'stale';
  status: SubscriptionStatus;
  plan: PlanId | null;
  /** The audit event written, if any. */
  audited: AuditEvent | null;
}

const fromSeconds = (seconds: number | null | undefined): Date | null => (typeof seconds === 'number' ? new Date(seconds * 1000) : null);
const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const sameTime = (a: Date | null, b: Date | null): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null);

function statusOf(subscription: Stripe.Subscription): SubscriptionStatus {
  const status = STATUSES.find((s) => s === subscription.status);
  // A status Stripe added after this code was written: fail loudly (Stripe retries) rather than guess what it grants.
  if (!status) throw new AppError('internal', { message: `unknown stripe subscription status ${subscription.status}` });
  return status;
}

/** The billing period: on the subscription item since API 2025-03-31, on the subscription itself before. */
function periodOf(subscription: Stripe.Subscription): { start: Date; end: Date } {
  const item = subscription.items.data[0];
  const legacy = subscription as Stripe.Subscription & { current_period_start?: number; current_period_end?: number };
  const start = fromSeconds(item?.current_period_start ?? legacy.current_period_start);
  const end = fromSeconds(item?.current_period_end ?? legacy.current_period_end);
  if (!start || !end) throw new AppError('internal', { message: `stripe subscription ${subscription.id} has no billing period` });
  return { start, end };
}

/** Ending now or later: cancellation is "scheduled" while the subscription still runs. */
const cancellationScheduled = (row: { cancelAtPeriodEnd: boolean; cancelAt: Date | null }) => row.cancelAtPeriodEnd || row.cancelAt !== null;

export async function syncSubscription(tx: Tx, organizationId: string, subscription: Stripe.Subscription, options: SyncOptions): Promise<SyncResult> {
  const { now, eventCreatedAt } = options;
  const existing = await tx.subscription.findUnique({ where: { id: subscription.id } });
  if (existing && existing.organizationId !== organizationId) {
    // Resolution prefers an existing row's clinic, so this means a clinic and a subscription disagree: an operator must look.
    throw new AppError('conflict', { message: `subscription ${subscription.id} belongs to another clinic` });
  }
  const status = statusOf(subscription);
  const priceId = subscription.items.data[0]?.price.id;
  if (!priceId) throw new AppError('internal', { message: `stripe subscription ${subscription.id} has no items` });
  const plan: PlanId | null = planForPrice(priceId);
  const customerId = idOf(subscription.customer);
  if (!customerId) throw new AppError('internal', { message: `stripe subscription ${subscription.id} has no customer` });

  // Belt and braces: the subscription was just re-read, but an event older than
  // one already applied must not count as the latest word either.
  if (existing && eventCreatedAt && existing.lastEventAt && eventCreatedAt < existing.lastEventAt) {
    return { subscriptionId: subscription.id, outcome: 'stale', status: existing.status, plan: existing.plan, audited: null };
  }

  const period = periodOf(subscription);
  const fields = {
    customerId,
    status,
    plan,
    priceId,
    currentPeriodStart: period.start,
    currentPeriodEnd: period.end,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: fromSeconds(subscription.cancel_at),
    canceledAt: fromSeconds(subscription.canceled_at),
    endedAt: fromSeconds(subscription.ended_at),
    // The grace period counts from when we first saw it past due, and restarts after it recovers.
    pastDueSince: status === 'past_due' ? (existing?.status === 'past_due' && existing.pastDueSince ? existing.pastDueSince : now) : null,
    stripeCreatedAt: new Date(subscription.created * 1000),
  };
  const lastEventAt = eventCreatedAt && (!existing?.lastEventAt || eventCreatedAt > existing.lastEventAt) ? eventCreatedAt : (existing?.lastEventAt ?? null);

  if (!existing) {
    await tx.subscription.create({ data: { id: subscription.id, organizationId, ...fields, lastEventAt, syncedAt: now } });
    await audit(tx, organizationId, subscription.id, 'subscription.created', {
      plan,
      status,
      priceId,
      cancelAtPeriodEnd: fields.cancelAtPeriodEnd,
    });
    return { subscriptionId: subscription.id, outcome: 'created', status, plan, audited: 'subscription.created' };
  }

  const changed =
    existing.customerId !== fields.customerId ||
    existing.status !== fields.status ||
    existing.plan !== fields.plan ||
    existing.priceId !== fields.priceId ||
    existing.cancelAtPeriodEnd !== fields.cancelAtPeriodEnd ||
    !sameTime(existing.currentPeriodStart, fields.currentPeriodStart) ||
    !sameTime(existing.currentPeriodEnd, fields.currentPeriodEnd) ||
    !sameTime(existing.cancelAt, fields.cancelAt) ||
    !sameTime(existing.canceledAt, fields.canceledAt) ||
    !sameTime(existing.endedAt, fields.endedAt) ||
    !sameTime(existing.pastDueSince, fields.pastDueSince);
  await tx.subscription.update({ where: { id: subscription.id }, data: { ...(changed ? fields : {}), lastEventAt, syncedAt: now } });
  if (!changed) return { subscriptionId: subscription.id, outcome: 'unchanged', status, plan, audited: null };

  // One audit row per change, and only for what a clinic cares about: plan,
  // status and cancellation. A renewal (new period) alone is not audited.
  const before = { plan: existing.plan, status: existing.status, scheduled: cancellationScheduled(existing) };
  const after = { plan, status, scheduled: cancellationScheduled(fields) };
  const metadata: AuditMetadata = {
    plan,
    previousPlan: before.plan,
    status,
    previousStatus: before.status,
    priceId,
    cancelAtPeriodEnd: fields.cancelAtPeriodEnd,
    cancelAt: iso(fields.cancelAt),
  };
  let event: AuditEvent | null = null;
  if (status === 'canceled' && before.status !== 'canceled') {
    event = 'subscription.canceled';
    metadata.cancellation = 'ended';
  } else if (status !== 'canceled' && after.scheduled && !before.scheduled) {
    event = 'subscription.canceled';
    metadata.cancellation = fields.cancelAtPeriodEnd ? 'at_period_end' : 'scheduled';
  } else if (before.plan !== after.plan || before.status !== after.status || before.scheduled !== after.scheduled) {
    event = 'subscription.changed';
  }
  if (event) await audit(tx, organizationId, subscription.id, event, metadata);
  return { subscriptionId: subscription.id, outcome: 'changed', status, plan, audited: event };
}

function audit(tx: Tx, organizationId: string, subscriptionId: string, event: AuditEvent, metadata: AuditMetadata): Promise<void> {
  return recordAudit(tx, { organizationId, actorUserId: null, event, targetType: 'subscription', targetId: subscriptionId, metadata });
}
