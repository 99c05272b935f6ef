import { CreditCard } from 'lucide-react';
import type { ClinicPlan } from '@/lib/billing/entitlements';
import { formatBillingDate } from './format';
import { PortalButton } from './stripe-buttons';

/** When the clinic's plan is being kept only by the past_due grace period: the plan and the day it ends. */
export function pastDueGrace(clinicPlan: ClinicPlan, now = new Date()): { planName: string; graceEndsAt: Date } | null {
  const sub = clinicPlan.subscription;
  if (!clinicPlan.billingEnabled || clinicPlan.source !== 'subscription' || sub?.status !== 'past_due') return null;
  if (!sub.graceEndsAt || now >= sub.graceEndsAt) return null;
  return { planName: clinicPlan.plan.name, graceEndsAt: sub.graceEndsAt };
}

/** Shown on every page of the app to every member while a failed payment's grace period runs. */
export function PastDueBanner({ planName, graceEndsAt, isOwner }: { planName: string; graceEndsAt: Date; isOwner: boolean }) {
  return (
    <div
      role="region"
      aria-label="Payment problem"
      className="mb-6 flex flex-col gap-3 rounded-lg border border-danger-200 bg-danger-50 p-4 text-sm text-danger-700 sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="flex gap-2">
        <CreditCard className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          <strong className="font-semibold">Payment failed:</strong> {planName} stays active until {formatBillingDate(graceEndsAt)}.{' '}
          {isOwner ? 'Update the payment method to keep it.' : 'Ask an owner of the clinic to update the payment method.'}
        </span>
      </p>
      {isOwner && (
        <PortalButton variant="outline" size="sm">
          Update payment
        </PortalButton>
      )}
    </div>
  );
}
