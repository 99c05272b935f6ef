// Cross-site request forgery check for route handlers that act on the session
// cookie (server actions get the same check from Next.js). A browser marks every
// request with where it came from: `Sec-Fetch-Site` (all current browsers) and,
// on POST/PUT/PATCH/DELETE, `Origin`. Page JavaScript cannot set either, so a page
// on another site cannot pass as ours. A request with neither header was not sent
// by a browser (curl, a server, a test calling the handler): there is no victim's
// browser to forge with, so it is let through to the handler's own session check.
import { AppError } from '@/lib/errors';

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type OriginVerdict = { ok: true } | { ok: false; reason: 'cross-site' | 'foreign-origin' };

export interface SameOriginInput {
  headers: Headers;
  /** APP_URL: the origin users open Maneiro at. */
  appUrl: string;
}

/**
 * Whether the request came from one of our own pages (or from no browser at all).
 * `Sec-Fetch-Site` decides when present: `same-origin`, or `none` (typed into the
 * address bar, a bookmark). `same-site` is refused too: a sibling subdomain is
 * another application. Without it, `Origin` must be APP_URL's origin or name the
 * host the request was sent to (a deployment reached under a second name).
 */
export function checkSameOrigin({ headers, appUrl }: SameOriginInput): OriginVerdict {
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin' || site === 'none' ? { ok: true } : { ok: false, reason: 'cross-site' };
  const origin = headers.get('origin');
  if (origin === null) return { ok: true };
  // `Origin: null` (sandboxed frames, privacy redirects) parses to no host and is refused.
  let claimed: URL;
  try {
    claimed = new URL(origin);
  } catch {
    return { ok: false, reason: 'foreign-origin' };
  }
  if (claimed.origin === new URL(appUrl).origin) return { ok: true };
  const host = headers.get('host');
  return host !== null && claimed.host === host.toLowerCase() ? { ok: true } : { ok: false, reason: 'foreign-origin' };
}

export const CROSS_SITE_MESSAGE = 'This request came from another website, so Maneiro refused it. Open Maneiro directly and try again.';

/** The 403 a refused request gets. */
export function crossSiteError(reason: 'cross-site' | 'foreign-origin'): AppError {
  return new AppError('forbidden', { message: `request refused: ${reason}`, userMessage: CROSS_SITE_MESSAGE });
}

/** Throws a 403 AppError unless the request came from our own pages (see checkSameOrigin). */
export function assertSameOrigin(request: Pick<Request, 'headers'>, appUrl: string): void {
  const verdict = checkSameOrigin({ headers: request.headers, appUrl });
  if (!verdict.ok) throw crossSiteError(verdict.reason);
}
