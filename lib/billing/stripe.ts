// The Stripe SDK, configured from lib/config. Billing is on exactly when
// STRIPE_SECRET_KEY is set (with its webhook secret and the three prices).
// Not marked server-only: the worker (plain Node) loads it for the nightly
// reconciliation. The secret never reaches a client bundle because nothing a
// client component imports leads here (lib/config has no NEXT_PUBLIC_ values).
import Stripe from 'stripe';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { PAID_PLAN_IDS, type PaidPlanId } from './plans';

export function billingEnabled(): boolean {
  return getConfig().stripe.enabled;
}

let cached: { key: string; apiUrl: string | undefined; client: Stripe } | undefined;

/** The shared client. Throws `unavailable` when billing is off. */
export function stripe(): Stripe {
  const { secretKey, apiUrl } = getConfig().stripe;
  if (!secretKey) throw new AppError('unavailable', { message: 'billing is off (STRIPE_SECRET_KEY unset)', userMessage: 'Billing is not enabled.' });
  if (cached?.key === secretKey && cached.apiUrl === apiUrl) return cached.client;
  const target = apiUrl ? new URL(apiUrl) : undefined;
  const client = new Stripe(secretKey, {
    // Retries reuse the request's idempotency key, so a retried create never duplicates.
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'Maneiro' },
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === 'https:' ? 443 : 80),
          protocol: target.protocol === 'http:' ? ('http' as const) : ('https' as const),
        }
      : {}),
  });
  cached = { key: secretKey, apiUrl, client };
  return client;
}

export function priceIdFor(plan: PaidPlanId): string {
  const price = getConfig().stripe.prices[plan];
  if (!price) throw new AppError('unavailable', { message: `STRIPE_PRICE_${plan.toUpperCase()} unset`, userMessage: 'Billing is not enabled.' });
  return price;
}

/** The plan a configured price belongs to; null for a price we do not sell (never grants anything). */
export function planForPrice(priceId: string): PaidPlanId | null {
  const { prices } = getConfig().stripe;
  return PAID_PLAN_IDS.find((plan) => prices[plan] === priceId) ?? null;
}

/** The id of an expandable Stripe field (`"cus_…"` or `{ id: "cus_…" }`). */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
