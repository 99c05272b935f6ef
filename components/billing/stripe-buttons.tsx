'use client';

import { useState, useTransition } from 'react';
import { Button, type ButtonProps } from '@/components/ui/button';
import { openBillingPortalAction, startCheckoutAction } from '@/app/(app)/settings/billing/actions';
import type { PaidPlanId } from '@/lib/billing/plans';
import type { ActionResult } from '@/lib/web/action';

/** 24 random bytes as base64url; getRandomValues also works where crypto.randomUUID does not (plain http). */
function newAttemptId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

type Look = Pick<ButtonProps, 'variant' | 'size' | 'className'>;

/**
 * A button whose action answers with a Stripe URL, then sends the browser there.
 * It stays busy until the page is left, so a second click cannot start a second
 * request; an error is shown under it and announced.
 */
function RedirectButton({ run, children, ...look }: Look & { run: () => Promise<ActionResult<{ url: string }>>; children: React.ReactNode }) {
  const [pending, startTransition] = useTransition();
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        type="button"
        {...look}
        loading={pending || leaving}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await run();
            if (!result.ok) {
              setError(result.error);
              return;
            }
            setLeaving(true);
            // Stripe's hosted pages: a full navigation, not a client-side route.
            window.location.assign(result.data.url);
          })
        }
      >
        {children}
      </Button>
      <p role="alert" className="text-sm text-danger-700 empty:hidden">
        {error}
      </p>
    </div>
  );
}

/** Starts Stripe Checkout for a paid plan (owners). */
export function CheckoutButton({ plan, children, ...look }: Look & { plan: PaidPlanId; children: React.ReactNode }) {
  // One id per button while the page is open: a double click reuses the same Checkout Session.
  const [attemptId] = useState(newAttemptId);
  return (
    <RedirectButton {...look} run={() => startCheckoutAction({ plan, attemptId })}>
      {children}
    </RedirectButton>
  );
}

/** Opens the Stripe customer portal (owners): plan changes, payment method, invoices, cancellation. */
export function PortalButton({ children = 'Manage subscription', ...look }: Look & { children?: React.ReactNode }) {
  return (
    <RedirectButton {...look} run={() => openBillingPortalAction()}>
      {children}
    </RedirectButton>
  );
}
