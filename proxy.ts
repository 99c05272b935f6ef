// Next.js 16 calls this file proxy.ts (it was middleware.ts). It only routes:
// signed-out visitors of app pages go to /login?next=…, signed-in visitors of
// /login and /signup go to the dashboard, visitors of a plan-gated page whose
// signed plan hint says their clinic's plan lacks its feature go to
// /pricing?feature=…, and each request gets an id for the logs. It is never a
// security boundary: every page, action and handler checks the session,
// membership and plan itself in lib/ (a request that skips this file gets the
// same answers).
import { NextResponse, type NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { gatedFeatureFor, PLAN_GATED_PAGES, PLAN_HINT_COOKIE, planGateRedirect, verifyPlanHint } from '@/lib/billing/plan-hint';
import { getConfig } from '@/lib/config';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-id';

const APP_PREFIXES = ['/dashboard', '/jobs', '/transcribe', '/triage', '/reports', '/usage', '/audit', '/settings', ...PLAN_GATED_PAGES.map((page) => page.prefix)];
const GUEST_ONLY = ['/login', '/signup'];
/** The clinic switcher's cookie (ACTIVE_CLINIC_COOKIE in lib/web/session.ts, which proxy.ts cannot import). */
const ACTIVE_CLINIC_COOKIE = 'maneiro.clinic';

const matches = (pathname: string, prefixes: string[]) => prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const requestId = requestIdFrom(request.headers);
  const { pathname, search } = request.nextUrl;
  const needsSession = matches(pathname, APP_PREFIXES);
  const guestOnly = matches(pathname, GUEST_ONLY);

  let response: NextResponse | undefined;
  if (needsSession || guestOnly) {
    const config = getConfig();
    const token = await getToken({ req: request, secret: config.auth.secret, secureCookie: config.app.url.startsWith('https://') });
    if (needsSession && !token) {
      const login = new URL('/login', request.url);
      login.searchParams.set('next', `${pathname}${search}`);
      response = NextResponse.redirect(login);
    } else if (guestOnly && token) {
      response = NextResponse.redirect(new URL('/dashboard', request.url));
    } else if (token && gatedFeatureFor(pathname) && (request.method === 'GET' || request.method === 'HEAD')) {
      // Without a valid hint nothing happens here: the page's requireFeature decides.
      const hint = await verifyPlanHint(config.auth.secret, request.cookies.get(PLAN_HINT_COOKIE)?.value);
      const target = planGateRedirect({
        pathname,
        hint,
        userId: typeof token.uid === 'string' ? token.uid : null,
        activeClinicId: request.cookies.get(ACTIVE_CLINIC_COOKIE)?.value ?? null,
      });
      if (target) response = NextResponse.redirect(new URL(target, request.url));
    }
  }
  if (!response) {
    const headers = new Headers(request.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.svg|robots.txt).*)'],
};
