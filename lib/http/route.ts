// Wrapper for route handlers: request id, a child logger, the cross-site check,
// no caching, and errors mapped to the public error body. Unknown errors are
// logged by name and stack only (messages can carry input), and answered with a
// generic 500.
import 'server-only';
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { logger, type Logger } from '@/lib/logger';
import { AppError, describeError, toErrorBody } from '@/lib/errors';
import { checkSameOrigin, crossSiteError, STATE_CHANGING_METHODS } from './csrf';
import { withLogContext } from '@/lib/observability/log-context';
import { recordHttpRequest } from '@/lib/observability/metrics';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

export interface RouteContext<P> {
  requestId: string;
  log: Logger;
  params: P;
}

type Handler<P> = (request: Request, context: RouteContext<P>) => Promise<Response>;

export interface RouteOptions {
  /**
   * Which requests must come from Maneiro's own pages (lib/http/csrf.ts), checked
   * before the handler runs. 'writes' (the default): POST, PUT, PATCH and DELETE,
   * which is every handler that acts on the session cookie. 'all': GET too, for a
   * download whose first request also stores something. 'none': callers that prove
   * themselves without cookies (the signed Stripe webhook, API keys).
   */
  sameOrigin?: 'writes' | 'all' | 'none';
}

export function route<P = Record<string, never>>(handler: Handler<P>, { sameOrigin = 'writes' }: RouteOptions = {}) {
  return async (request: Request, segment: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    const log = logger().child({ requestId });
    const started = performance.now();
    let response: Response;
    try {
      if (sameOrigin === 'all' || (sameOrigin === 'writes' && STATE_CHANGING_METHODS.has(request.method))) {
        const verdict = checkSameOrigin({ headers: request.headers, appUrl: getConfig().app.url });
        if (!verdict.ok) {
          // The origin is a site name, never user data; a wrong APP_URL shows up here as every write refused.
          log.warn({ method: request.method, reason: verdict.reason, origin: request.headers.get('origin')?.slice(0, 200) ?? null }, 'cross-site request refused');
          throw crossSiteError(verdict.reason);
        }
      }
      // Jobs created by this request carry its id to the worker (lib/observability/log-context.ts).
      response = await withLogContext({ requestId }, async () => handler(request, { requestId, log, params: await segment.params }));
    } catch (error) {
      const { status, body } = toErrorBody(error, requestId);
      if (status >= 500) {
        log.error({ err: describeError(error) }, 'request failed');
      }
      response = NextResponse.json(body, { status });
      if (error instanceof AppError && error.headers) {
        for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value);
      }
    }
    response.headers.set(REQUEST_ID_HEADER, requestId);
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
    // Time to the response head: a streamed body (SSE, downloads) is not included.
    recordHttpRequest(request, response.status, (performance.now() - started) / 1000);
    return response;
  };
}
