'use client';

import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { CircleCheck, Clock } from 'lucide-react';
import { Progress } from '@/components/ui/progress';

const POLL_MS = 2_000;
const GIVE_UP_MS = 60_000;

/**
 * After Stripe Checkout sends the owner back. Returning here proves nothing: the
 * plan changes only when Stripe's webhook has recorded the subscription, so this
 * re-renders the page every two seconds until the server says it has (`recorded`),
 * and after a minute stops with a calm note instead of spinning for ever.
 */
export function CheckoutProcessing({ recorded, planName }: { recorded: boolean; planName: string }) {
  const router = useRouter();
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    if (recorded) return;
    const started = Date.now();
    const timer = window.setInterval(() => {
      if (Date.now() - started >= GIVE_UP_MS) {
        window.clearInterval(timer);
        setGaveUp(true);
        return;
      }
      router.refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [recorded, router]);

  let body: React.ReactNode;
  if (recorded) {
    body = (
      <div className="flex gap-2 rounded-lg border border-success-200 bg-success-50 p-4 text-sm text-success-700">
        <CircleCheck className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <p>
          <strong className="font-semibold">Payment received.</strong> Your clinic is on the {planName} plan.
        </p>
      </div>
    );
  } else if (gaveUp) {
    body = (
      <div className="flex gap-2 rounded-lg border border-info-200 bg-info-50 p-4 text-sm text-info-700">
        <Clock className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <p>
          <strong className="font-semibold">Still waiting for confirmation from Stripe.</strong> This can take a minute. Reload
          this page shortly; you will not be charged twice.
        </p>
      </div>
    );
  } else {
    body = (
      <div className="space-y-3 rounded-lg border border-brand-200 bg-brand-50 p-4 text-sm text-brand-800">
        <p id="checkout-processing-label">
          <strong className="font-semibold">Processing your payment…</strong> Your plan changes here as soon as Stripe confirms
          it, usually within a few seconds.
        </p>
        <Progress aria-labelledby="checkout-processing-label" />
      </div>
    );
  }
  return (
    <div role="status" aria-live="polite">
      {body}
    </div>
  );
}
