// What a clinic may use right now: its effective plan (from its Stripe
// subscription, an operator's override, or DEFAULT_PLAN while billing is off),
// the quota period, and feature checks. Always read from the database at the
// moment of the action, never from a token or the client.
import type { Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import type { SubscriptionStatus } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { calendarMonth, monthlyPeriodAt, type Period } from './periods';
import { FEATURE_LABELS, lowestPlanWith, PLANS, type PlanDefinition, type PlanFeature, type PlanId } from './plans';

export type PlanSource = 'subscription' | 'free' | 'default' | 'override';

export interface SubscriptionView {
  id: string;
  status: SubscriptionStatus;
  plan: PlanId | null;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  cancelAt: Date | null;
  canceledAt: Date | null;
  pastDueSince: Date | null;
  /** For past_due: when the plan stops being granted. */
  graceEndsAt: Date | null;
}

export interface ClinicPlan {
  plan: PlanDefinition;
  source: PlanSource;
  billingEnabled: boolean;
  /** The subscription that decides the plan, or the latest one (to explain a lapse); null if none. */
  subscription: SubscriptionView | null;
  /** The quota period containing now. */
  period: Period;
}

/** Statuses that grant the subscribed plan (past_due only within the grace period). */
const GRANTING: ReadonlySet<SubscriptionStatus> = new Set(['active', 'trialing', 'past_due']);

function graceEnd(pastDueSince: Date | null, graceDays: number): Date | null {
  return pastDueSince ? new Date(pastDueSince.getTime() + graceDays * 86_400_000) : null;
}

function grants(sub: SubscriptionView, now: Date): boolean {
  if (!sub.plan || !GRANTING.has(sub.status)) return false;
  if (sub.status === 'past_due') return sub.graceEndsAt === null || now < sub.graceEndsAt;
  return true;
}

export async function getClinicPlan(db: Db | Tx, organizationId: string, now = new Date()): Promise<ClinicPlan> {
  const config = getConfig();
  const organization = await db.organization.findUnique({
    where: { id: organizationId },
    select: {
      planOverride: true,
      subscriptions: {
        orderBy: { stripeCreatedAt: 'desc' },
        take: 5,
        select: {
          id: true,
          status: true,
          plan: true,
          currentPeriodStart: true,
          currentPeriodEnd: true,
          cancelAtPeriodEnd: true,
          cancelAt: true,
          canceledAt: true,
          pastDueSince: true,
        },
      },
    },
  });
  if (!organization) throw new AppError('not_found', { message: 'no such clinic' });
  const billingEnabled = config.stripe.enabled;
  const subscriptions: SubscriptionView[] = organization.subscriptions.map((s) => ({
    ...s,
    // Past due without a recorded start (an older row) counts its grace from now on.
    pastDueSince: s.status === 'past_due' ? (s.pastDueSince ?? now) : s.pastDueSince,
    graceEndsAt: s.status === 'past_due' ? graceEnd(s.pastDueSince ?? now, config.stripe.graceDays) : null,
  }));
  const granting = billingEnabled ? subscriptions.find((s) => grants(s, now)) : undefined;
  const subscription = granting ?? subscriptions[0] ?? null;

  let plan: PlanId;
  let source: PlanSource;
  if (organization.planOverride) {
    plan = organization.planOverride;
    source = 'override';
  } else if (!billingEnabled) {
    plan = config.app.defaultPlan;
    source = 'default';
  } else if (granting?.plan) {
    plan = granting.plan;
    source = 'subscription';
  } else {
    plan = 'free';
    source = 'free';
  }

  let period = calendarMonth(now);
  if (source === 'subscription' && granting) {
    period =
      now >= granting.currentPeriodStart && now < granting.currentPeriodEnd
        ? { start: granting.currentPeriodStart, end: granting.currentPeriodEnd }
        : // The renewal has not reached us yet: continue the same monthly cycle.
          monthlyPeriodAt(granting.currentPeriodStart, now);
  }
  return { plan: PLANS[plan], source, billingEnabled, subscription, period };
}

export async function mayUse(db: Db | Tx, organizationId: string, feature: PlanFeature, now = new Date()): Promise<boolean> {
  return (await getClinicPlan(db, organizationId, now)).plan.features.has(feature);
}

/** The message shown when a plan lacks a feature: what is missing and which plan has it. */
export function planRequiredMessage(feature: PlanFeature, current: PlanDefinition): string {
  const needed = lowestPlanWith(feature);
  return `${FEATURE_LABELS[feature]} needs the ${needed.name} plan or higher; your clinic is on ${current.name}.`;
}

/**
 * For server actions and route handlers that need a feature: the clinic's plan,
 * or a `plan_required` error (402) naming the plan that has it.
 */
export async function requireFeature(db: Db | Tx, actor: Actor, feature: PlanFeature, now = new Date()): Promise<ClinicPlan> {
  const clinicPlan = await getClinicPlan(db, actor.organizationId, now);
  if (!clinicPlan.plan.features.has(feature)) {
    throw new AppError('plan_required', { message: `plan ${clinicPlan.plan.id} lacks ${feature}`, userMessage: planRequiredMessage(feature, clinicPlan.plan) });
  }
  return clinicPlan;
}
