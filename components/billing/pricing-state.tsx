'use client';

// The signed-in part of the static /pricing page: one fetch of GET
// /api/billing/plan (which also refreshes the plan hint cookie) decides which
// plan is marked as the clinic's and what each plan's button does. Until it
// answers, the page shows what a signed-out visitor sees.
import { createContext, use, useEffect, useState } from 'react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { CircleCheck, Info, Lock } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import type { PlanSummary } from '@/lib/billing/checkout';
import { pageForFeature } from '@/lib/billing/plan-hint';
import { FEATURE_LABELS, isPaidPlan, lowestPlanWith, PLANS, type PlanFeature, type PlanId } from '@/lib/billing/plans';
import { CheckoutButton, PortalButton } from './stripe-buttons';

type State = { status: 'loading' } | { status: 'ready'; summary: PlanSummary } | { status: 'error' };

const PricingContext = createContext<State>({ status: 'loading' });

export function PricingProvider({ children }: { children: React.ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  useEffect(() => {
    let active = true;
    fetch('/api/billing/plan', { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok) throw new Error(`status ${response.status}`);
        const summary = (await response.json()) as PlanSummary;
        if (active) setState({ status: 'ready', summary });
      })
      .catch(() => {
        if (active) setState({ status: 'error' });
      });
    return () => {
      active = false;
    };
  }, []);
  return <PricingContext value={state}>{children}</PricingContext>;
}

function useSummary(): PlanSummary | null {
  const state = use(PricingContext);
  return state.status === 'ready' ? state.summary : null;
}

/** Marks the card of the clinic's current plan. */
export function CurrentPlanBadge({ plan }: { plan: PlanId }) {
  const summary = useSummary();
  if (!summary?.signedIn || summary.plan !== plan) return null;
  return <Badge variant="success">Your clinic’s plan</Badge>;
}

const fullWidth = 'w-full';

function SignUpLink({ plan }: { plan: PlanId }) {
  return (
    <Link href="/signup" className={buttonClasses(plan === 'free' ? 'primary' : 'outline', 'md', fullWidth)}>
      {plan === 'free' ? 'Start free' : `Choose ${PLANS[plan].name}`}
    </Link>
  );
}

function Note({ children }: { children: React.ReactNode }) {
  return <p className="flex min-h-10 items-center justify-center gap-2 text-center text-sm font-medium text-slate-600">{children}</p>;
}

/** The button (or note) at the bottom of a plan's card. */
export function PlanAction({ plan }: { plan: PlanId }) {
  const state = use(PricingContext);
  if (state.status !== 'ready') return <SignUpLink plan={plan} />;
  const { summary } = state;
  // Billing off: every clinic has DEFAULT_PLAN, so there is nothing to choose (the notice says so).
  if (!summary.billingEnabled) return null;
  if (!summary.signedIn) return <SignUpLink plan={plan} />;

  const current = summary.plan === plan;
  if (summary.source === 'override') return current ? <Note>Current plan</Note> : null;
  if (summary.role !== 'owner') {
    if (current) return <Note>Current plan</Note>;
    return PLANS[plan].monthlyPriceUsd > PLANS[summary.plan].monthlyPriceUsd ? (
      <Note>
        <Lock className="size-4 shrink-0" aria-hidden="true" />
        Ask an owner to upgrade
      </Note>
    ) : null;
  }
  // A running subscription changes plan in the portal: a second checkout would mean a second subscription.
  if (summary.hasLiveSubscription) return <PortalButton variant={current ? 'primary' : 'outline'} className={fullWidth} />;
  if (current) return <Note>Current plan</Note>;
  if (!isPaidPlan(plan)) return null;
  return (
    <CheckoutButton plan={plan} variant="primary" className={fullWidth}>
      {`Upgrade to ${PLANS[plan].name}`}
    </CheckoutButton>
  );
}

function Notice({ tone, children }: { tone: 'info' | 'warning' | 'success'; children: React.ReactNode }) {
  const styles = {
    info: 'border-info-200 bg-info-50 text-info-700',
    warning: 'border-warning-200 bg-warning-50 text-warning-700',
    success: 'border-success-200 bg-success-50 text-success-700',
  }[tone];
  const Icon = tone === 'success' ? CircleCheck : Info;
  return (
    <div className={`flex gap-2 rounded-lg border p-4 text-sm ${styles}`}>
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <div>{children}</div>
    </div>
  );
}

function isFeature(value: string | null): value is PlanFeature {
  return value !== null && Object.hasOwn(FEATURE_LABELS, value);
}

/**
 * Notices above the plans: the feature that sent the visitor here (?feature=),
 * a canceled checkout, billing being off, a plan set by the operators. Reads the
 * query on the client so the page itself stays static.
 */
export function PricingNotices() {
  const params = useSearchParams();
  const state = use(PricingContext);
  const summary = state.status === 'ready' ? state.summary : null;
  const feature = params.get('feature');
  const notices: React.ReactNode[] = [];

  if (isFeature(feature)) {
    const needed = lowestPlanWith(feature);
    const has = summary?.signedIn && PLANS[summary.plan].features.has(feature);
    const page = pageForFeature(feature);
    notices.push(
      has ? (
        <Notice key="feature" tone="success">
          Your clinic’s {PLANS[summary.plan].name} plan includes {FEATURE_LABELS[feature].toLowerCase()}.{' '}
          {page && (
            <Link href={page} className="font-medium underline">
              Continue
            </Link>
          )}
        </Notice>
      ) : (
        <Notice key="feature" tone="warning">
          <strong className="font-semibold">
            {FEATURE_LABELS[feature]} needs the {needed.name} plan or higher.
          </strong>
          {summary?.signedIn && ` Your clinic is on ${PLANS[summary.plan].name}.`}
        </Notice>
      ),
    );
  }
  if (params.get('checkout') === 'canceled') {
    notices.push(
      <Notice key="canceled" tone="info">
        Checkout was canceled. Nothing was charged and your clinic’s plan has not changed.
      </Notice>,
    );
  }
  if (summary && !summary.billingEnabled) {
    notices.push(
      <Notice key="billing-off" tone="info">
        <strong className="font-semibold">Billing is not enabled on this server.</strong> Every clinic gets the{' '}
        {PLANS[summary.defaultPlan].name} plan, with nothing to pay.
        {!summary.signedIn && (
          <>
            {' '}
            <Link href="/signup" className="font-medium underline">
              Create your clinic
            </Link>
            .
          </>
        )}
      </Notice>,
    );
  } else if (summary?.signedIn && summary.source === 'override') {
    notices.push(
      <Notice key="override" tone="info">
        Your clinic’s {PLANS[summary.plan].name} plan was set by Maneiro’s operators, so it cannot be changed here. Contact
        support to change it.
      </Notice>,
    );
  } else if (summary?.signedIn && summary.role !== 'owner') {
    notices.push(
      <Notice key="non-owner" tone="info">
        Only the clinic’s owners can change its plan or how it pays.
      </Notice>,
    );
  }
  if (state.status === 'error') {
    notices.push(
      <Notice key="error" tone="warning">
        We could not check your clinic’s current plan. Reload the page to try again.
      </Notice>,
    );
  }
  // Always rendered, so that notices that appear after the fetch are announced.
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      {notices}
    </div>
  );
}
