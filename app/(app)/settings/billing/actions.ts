'use server';

// Server actions of the pricing and billing pages. Identity comes from the
// session; lib/billing/checkout.ts checks the role (owners), the verified email
// and that billing is on. Both answer with a Stripe URL the browser goes to.
import { headers } from 'next/headers';
import { createCheckoutSession, createPortalSession } from '@/lib/billing/checkout';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

export async function startCheckoutAction(input: { plan: string; attemptId: string }): Promise<ActionResult<{ url: string }>> {
  return runAction('startCheckout', async () => {
    const actor = await requireMembership();
    return createCheckoutSession(db(), actor, { plan: input?.plan, attemptId: input?.attemptId }, requestContextFrom(await headers()));
  });
}

export async function openBillingPortalAction(): Promise<ActionResult<{ url: string }>> {
  return runAction('openBillingPortal', async () => {
    const actor = await requireMembership();
    return createPortalSession(db(), actor);
  });
}
