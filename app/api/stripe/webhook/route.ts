// POST /api/stripe/webhook — Stripe's event deliveries. The signature covers the
// exact bytes Stripe sent, so the body is read raw, never parsed first. 2xx is
// answered only after the event and its effects are committed; any failure is a
// 500 and Stripe delivers again. Billing off: 503 (see lib/billing/webhook.ts).
import { NextResponse } from 'next/server';
import { handleStripeWebhook } from '@/lib/billing/webhook';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Server to server, proven by Stripe's signature rather than a cookie: no cross-site check.
export const POST = route(async (request, { log }) => {
  const raw = await request.text();
  const result = await handleStripeWebhook(db(), raw, request.headers.get('stripe-signature'), { log });
  return NextResponse.json(result.duplicate ? { received: true, duplicate: true } : { received: true, outcome: result.outcome });
}, { sameOrigin: 'none' });
