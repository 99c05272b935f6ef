// GET /api/billing/plan — the clinic's plan for the pricing and billing pages'
// buttons (plan id, role, billing on or off, subscription status; no PHI), and a
// fresh signed plan hint cookie for proxy.ts. Signed-out visitors get the
// billing facts only, and any old hint is removed.
import { NextResponse } from 'next/server';
import { getPlanSummary } from '@/lib/billing/checkout';
import { PLAN_HINT_COOKIE, planHintCookieOptions, signPlanHint } from '@/lib/billing/plan-hint';
import { getConfig } from '@/lib/config';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { getActiveActor } from '@/lib/web/session';

export const GET = route(async () => {
  const actor = await getActiveActor();
  const summary = await getPlanSummary(db(), actor);
  const response = NextResponse.json(summary);
  const config = getConfig();
  if (actor && summary.signedIn) {
    const hint = await signPlanHint(config.auth.secret, { organizationId: actor.organizationId, userId: actor.userId, plan: summary.plan });
    response.cookies.set(PLAN_HINT_COOKIE, hint, planHintCookieOptions(config.app.url));
  } else {
    response.cookies.set(PLAN_HINT_COOKIE, '', { ...planHintCookieOptions(config.app.url), maxAge: 0 });
  }
  return response;
});
