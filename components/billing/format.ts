// Shared by the billing page, the pricing page's client components and the shell
// banner, so it lives outside any 'use client' module.
import type { SubscriptionStatus } from '@/lib/db/generated/enums';
import type { BadgeVariant } from '@/components/ui/badge';

/** "March 4, 2027": billing dates are shown in UTC, like Stripe's own emails default to. */
export function formatBillingDate(date: Date): string {
  return date.toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export const STATUS_LABELS: Record<SubscriptionStatus, { label: string; variant: BadgeVariant }> = {
  active: { label: 'Active', variant: 'success' },
  trialing: { label: 'Trial', variant: 'info' },
  past_due: { label: 'Payment failed', variant: 'danger' },
  unpaid: { label: 'Unpaid', variant: 'danger' },
  incomplete: { label: 'Payment incomplete', variant: 'warning' },
  incomplete_expired: { label: 'Expired', variant: 'neutral' },
  canceled: { label: 'Canceled', variant: 'neutral' },
  paused: { label: 'Paused', variant: 'warning' },
};
