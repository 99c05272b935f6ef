// Next.js 16 calls this file proxy.ts (it was middleware.ts). It only routes:
// signed-out visitors of app pages go to /login?next=…, signed-in visitors of
// /login and /signup go to the dashboard, visitors of a plan-gated page whose
// signed plan hint says their clinic's plan lacks its feature go to
// /pricing?feature=…, each request gets an id for the logs, and each page gets
// its Content-Security-Policy with a fresh nonce. It is never a security boundary
// for data: every page, action and handler checks the session, membership and
// plan itself in lib/ (a request that skips this file gets the same answers).
// The fixed security headers are in next.config.js (they cover static files too).
import { NextResponse, type NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { gatedFeatureFor, PLAN_GATED_PAGES, PLAN_HINT_COOKIE, planGateRedirect, verifyPlanHint } from '@/lib/billing/plan-hint';
import { getConfig, type Config } from '@/lib/config';
import { contentSecurityPolicy, createNonce, NONCE_HEADER } from '@/lib/http/content-security-policy';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-id';
import { presignedUrlOrigin } from '@/lib/storage/presigned-origin';

const APP_PREFIXES = ['/dashboard', '/jobs', '/transcribe', '/triage', '/reports', '/usage', '/audit', '/settings', '/admin', ...PLAN_GATED_PAGES.map((page) => page.prefix)];
const GUEST_ONLY = ['/login', '/signup'];
/** The clinic switcher's cookie (ACTIVE_CLINIC_COOKIE in lib/web/session.ts, which proxy.ts cannot import). */
const ACTIVE_CLINIC_COOKIE = 'maneiro.clinic';

const matches = (pathname: string, prefixes: string[]) => prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));

/** The page policy for this request. Route handlers (/api) answer data, not documents, and set their own when they serve one. */
function pagePolicy(config: Config, pathname: string): { nonce: string; policy: string } | null {
  if (matches(pathname, ['/api'])) return null;
  const nonce = createNonce();
  const bucket = presignedUrlOrigin({ ...config.aws.s3, region: config.aws.region });
  const policy = contentSecurityPolicy({
    nonce,
    development: config.app.env === 'development',
    upgradeInsecureRequests: config.app.url.startsWith('https://'),
    mediaOrigins: bucket ? [bucket] : [],
  });
  return { nonce, policy };
}

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
  const csp = pagePolicy(getConfig(), pathname);
  if (!response) {
    const headers = new Headers(request.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    if (csp) {
      // Next.js reads the nonce from the request's policy and puts it on its own scripts;
      // a caller's own copies of these headers never get through.
      headers.set('content-security-policy', csp.policy);
      headers.set(NONCE_HEADER, csp.nonce);
    } else {
      headers.delete('content-security-policy');
      headers.delete(NONCE_HEADER);
    }
    response = NextResponse.next({ request: { headers } });
  }
  if (csp) response.headers.set('content-security-policy', csp.policy);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.svg|robots.txt).*)'],
};
