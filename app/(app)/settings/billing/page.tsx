import type { Metadata } from 'next';
import Link from 'next/link';
import { Info } from 'lucide-react';
import { CheckoutProcessing } from '@/components/billing/checkout-processing';
import { formatBillingDate, STATUS_LABELS } from '@/components/billing/format';
import { PlanHintRefresher } from '@/components/billing/plan-hint-refresher';
import { CheckoutButton, PortalButton } from '@/components/billing/stripe-buttons';
import { PageHeader } from '@/components/shell/page-header';
import { Badge } from '@/components/ui/badge';
import { Progress } from '@/components/ui/progress';
import { getBillingOverview } from '@/lib/billing/checkout';
import type { ClinicPlan } from '@/lib/billing/entitlements';
import { formatQuota, PAID_PLAN_IDS, PLANS } from '@/lib/billing/plans';
import { db } from '@/lib/db/client';
import { requirePageActor } from '@/lib/web/session';
import { SettingsSection } from '../profile/settings-section';

export const metadata: Metadata = { title: 'Billing' };

function Note({ children }: { children: React.ReactNode }) {
  return (
    <p className="flex gap-2 rounded-md border border-info-200 bg-info-50 px-3 py-2 text-sm text-info-700">
      <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <span>{children}</span>
    </p>
  );
}

/** Where the plan comes from, in a sentence. */
function sourceText(clinicPlan: ClinicPlan, now: Date): string {
  const { plan, source, subscription } = clinicPlan;
  switch (source) {
    case 'default':
      return `Billing is not enabled on this server, so every clinic has the ${plan.name} plan (the DEFAULT_PLAN setting) and nothing is charged.`;
    case 'override':
      return `Set by Maneiro’s operators. It takes the place of any subscription; contact support to change it.`;
    case 'subscription':
      return 'A monthly subscription, paid through Stripe.';
    case 'free': {
      if (!subscription?.plan) return 'No subscription: the Free plan costs nothing.';
      const was = PLANS[subscription.plan].name;
      if (subscription.status === 'past_due' && subscription.graceEndsAt && now >= subscription.graceEndsAt) {
        return `A payment for the ${was} plan failed and its grace period ended on ${formatBillingDate(subscription.graceEndsAt)}, so the clinic is on Free until the payment method is updated.`;
      }
      if (subscription.status === 'canceled') {
        const ended = subscription.canceledAt ?? subscription.currentPeriodEnd;
        return `The ${was} subscription ended on ${formatBillingDate(ended)}, so the clinic is on Free.`;
      }
      return `The ${was} subscription is ${STATUS_LABELS[subscription.status].label.toLowerCase()}, so the clinic is on Free.`;
    }
  }
}

/** Renewal, end or grace date of the subscription that grants the plan. */
function dateText(clinicPlan: ClinicPlan): string | null {
  const { source, subscription: sub } = clinicPlan;
  if (source !== 'subscription' || !sub) return null;
  if (sub.status === 'past_due' && sub.graceEndsAt) return `Payment failed: the plan stays active until ${formatBillingDate(sub.graceEndsAt)}.`;
  if (sub.cancelAt) return `Ends on ${formatBillingDate(sub.cancelAt)}.`;
  if (sub.cancelAtPeriodEnd) return `Ends on ${formatBillingDate(sub.currentPeriodEnd)}.`;
  return `Renews on ${formatBillingDate(sub.currentPeriodEnd)}.`;
}

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor } = await requirePageActor();
  const now = new Date();
  const [{ quota, live, hasCustomer, canManage }, query] = await Promise.all([getBillingOverview(db(), actor, now), searchParams]);
  const { clinicPlan, used, limit, fraction } = quota;
  const { plan, source, subscription, billingEnabled } = clinicPlan;
  const returnedFromCheckout = query.checkout === 'success' && billingEnabled;
  const isOwner = actor.role === 'owner';
  const status = billingEnabled && subscription && source !== 'override' ? STATUS_LABELS[subscription.status] : null;
  const dates = dateText(clinicPlan);

  return (
    <>
      <PageHeader title="Billing" description="Your clinic’s plan, this period’s job allowance, and how the clinic pays." />
      <PlanHintRefresher plan={plan.id} />
      <div className="max-w-2xl space-y-6">
        {/* The return from Stripe Checkout is not proof of payment: only a recorded subscription is. */}
        {returnedFromCheckout && <CheckoutProcessing recorded={live !== null} planName={plan.name} />}
        <SettingsSection id="plan" title="Plan" description={sourceText(clinicPlan, now)}>
          <div className="flex flex-wrap items-center gap-3">
            <p className="text-2xl font-bold text-slate-950" data-testid="current-plan">
              {plan.name}
            </p>
            {status && <Badge variant={status.variant}>{status.label}</Badge>}
          </div>
          <p className="mt-1 text-sm text-slate-600">
            {plan.monthlyPriceUsd === 0 ? 'Free' : `$${plan.monthlyPriceUsd} per month`} ·{' '}
            {plan.monthlyJobQuota === null ? 'unlimited jobs' : `${formatQuota(plan.monthlyJobQuota)} jobs per period`}
          </p>
          {dates && <p className="mt-3 text-sm font-medium text-slate-800">{dates}</p>}

          <div className="mt-6 space-y-4">
            {!billingEnabled ? null : !canManage ? (
              <Note>Only the clinic’s owners can change the plan or how the clinic pays. Ask one of them.</Note>
            ) : source === 'override' ? (
              <Note>The plan was set by Maneiro’s operators, so checkout is not offered here.</Note>
            ) : live ? (
              <div className="space-y-2">
                <PortalButton />
                <p className="text-sm text-slate-600">
                  Change plans, update the card, download invoices or cancel in Stripe’s billing portal. Changes show here as
                  soon as Stripe reports them.
                </p>
              </div>
            ) : (
              <div>
                <h3 className="text-sm font-semibold text-slate-900">Upgrade</h3>
                <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200">
                  {PAID_PLAN_IDS.map((id) => (
                    <li key={id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
                      <div>
                        <p className="font-medium text-slate-900">{PLANS[id].name}</p>
                        <p className="text-sm text-slate-600">
                          ${PLANS[id].monthlyPriceUsd} per month ·{' '}
                          {PLANS[id].monthlyJobQuota === null ? 'unlimited jobs' : `${formatQuota(PLANS[id].monthlyJobQuota)} jobs`}
                        </p>
                      </div>
                      <CheckoutButton plan={id} variant="outline">
                        {`Upgrade to ${PLANS[id].name}`}
                      </CheckoutButton>
                    </li>
                  ))}
                </ul>
                <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
                  <Link href="/pricing" className="font-medium text-brand-700 underline-offset-2 hover:underline">
                    Compare plans
                  </Link>
                  {hasCustomer && (
                    <PortalButton variant="ghost" size="sm">
                      Past invoices and payment methods
                    </PortalButton>
                  )}
                </div>
              </div>
            )}
            {!billingEnabled && source !== 'override' && (
              <Note>
                To charge for plans, an operator sets the Stripe keys and prices (see README, Billing and plans). Until then
                every clinic has the {plan.name} plan.
              </Note>
            )}
          </div>
        </SettingsSection>

        <SettingsSection
          id="usage"
          title="This period’s jobs"
          description={`Every analysis, transcription, letter or fax triage counts as one job; failed and canceled jobs do not. The count starts again on ${formatBillingDate(clinicPlan.period.end)}.`}
        >
          <p className="text-sm text-slate-800">
            <span className="text-2xl font-bold text-slate-950 tabular-nums">{used.toLocaleString('en-US')}</span>{' '}
            {limit === null ? 'jobs so far (no monthly limit)' : `of ${formatQuota(limit)} jobs used`}
          </p>
          {fraction !== null && (
            <Progress
              className="mt-3"
              aria-label="Jobs used this period"
              value={used}
              max={Math.max(1, limit ?? 1)}
              valueText={`${used} of ${limit} jobs used`}
            />
          )}
          {fraction !== null && fraction >= 1 && (
            <p className="mt-3 text-sm font-medium text-danger-700">
              The allowance is used up: new jobs are refused until {formatBillingDate(clinicPlan.period.end)}
              {isOwner && billingEnabled ? ' or until the clinic moves to a larger plan' : ''}.
            </p>
          )}
        </SettingsSection>
      </div>
    </>
  );
}
