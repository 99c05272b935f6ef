// The one wrapper for /api/v1 route handlers: request id and logger, the API key
// (401), the clinic's plan (403), a pause by an operator (403), the per-key rate limit (429), the endpoint's
// scope (403), then the endpoint; every error becomes an RFC 9457 problem.
// Responses to an authenticated Enterprise key carry RateLimit-* headers, a
// 429 also Retry-After. The API is authenticated by a bearer key, never by
// cookies, so there is no same-origin check here.
import 'server-only';
import { getConfig } from '@/lib/config';
import { db } from '@/lib/db/client';
import { CLINIC_PAUSED_MESSAGE } from '@/lib/data-controls/state';
import { AppError, describeError } from '@/lib/errors';
import { requestContextFrom } from '@/lib/http/request-context';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-id';
import { logger, type Logger } from '@/lib/logger';
import { withLogContext } from '@/lib/observability/log-context';
import { recordHttpRequest } from '@/lib/observability/metrics';
import { apiKeyKey, checkRateLimit, rateLimitHeaders, rateLimitedErrorWith } from '@/lib/ratelimit';
import type { RequestContext } from '@/lib/audit/record';
import { assertScope, authenticateApiKey, type ApiPrincipal } from './keys';
import { ApiError, problemResponse, toProblem } from './problem';
import type { ApiScope } from './scopes';

export interface ApiCall<P> {
  request: Request;
  principal: ApiPrincipal;
  params: P;
  requestId: string;
  log: Logger;
  context: RequestContext;
}

export interface Endpoint<P> {
  /** The scope the key needs. */
  scope: ApiScope;
  handle: (call: ApiCall<P>) => Promise<Response>;
}

type Guard = (request: Request) => Promise<{ principal: ApiPrincipal; headers: Record<string, string> }>;

/** Key, plan, per-key limit: what every API request passes before its scope is checked. */
const guard: Guard = async (request) => {
  const principal = await authenticateApiKey(db(), request.headers.get('authorization'));
  // A clinic paused by a platform operator (lib/admin/pause.ts) is refused whatever the endpoint.
  const clinic = await db().organization.findUnique({ where: { id: principal.actor.organizationId }, select: { pausedAt: true } });
  if (clinic?.pausedAt) throw new ApiError('clinic_paused', 'forbidden', { message: 'clinic paused by an operator', userMessage: CLINIC_PAUSED_MESSAGE });
  const decision = await checkRateLimit('api', apiKeyKey(principal.keyId), { plan: principal.clinicPlan.plan.id });
  const headers = rateLimitHeaders(decision);
  // The error carries the same RateLimit-* headers and Retry-After.
  if (!decision.allowed) throw rateLimitedErrorWith(decision, 'This API key sent too many requests.');
  return { principal, headers };
};

async function serve<P>(endpoint: Endpoint<P>, request: Request, params: Promise<P>, authorize: Guard): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  const log = logger().child({ requestId });
  const started = performance.now();
  let limitHeaders: Record<string, string> = {};
  let response: Response;
  try {
    const { principal, headers } = await authorize(request);
    limitHeaders = headers;
    assertScope(principal, endpoint.scope);
    // Jobs created by this request carry its id to the worker (lib/observability/log-context.ts).
    response = await withLogContext({ requestId }, async () => endpoint.handle({ request, principal, params: await params, requestId, log, context: requestContextFrom(request.headers) }));
  } catch (error) {
    const problem = toProblem(error, { requestId, instance: new URL(request.url).pathname, baseUrl: getConfig().app.url });
    if (problem.status >= 500) log.error({ err: describeError(error) }, 'api request failed');
    // A 429 names its own window (the per-key limit, or the clinic's job-submission limit).
    response = problemResponse(problem, { ...limitHeaders, ...(error instanceof AppError ? error.headers : {}) });
    // RFC 6750: a 401 names the scheme the client should use.
    if (problem.status === 401) response.headers.set('www-authenticate', problem.code === 'invalid_api_key' ? 'Bearer realm="maneiro-api", error="invalid_token"' : 'Bearer realm="maneiro-api"');
  }
  for (const [name, value] of Object.entries(limitHeaders)) if (!response.headers.has(name)) response.headers.set(name, value);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
  recordHttpRequest(request, response.status, (performance.now() - started) / 1000);
  return response;
}

/** A Next route handler for an endpoint. */
export function apiRoute<P = Record<string, never>>(endpoint: Endpoint<P>) {
  return (request: Request, segment: { params: Promise<P> }): Promise<Response> => serve(endpoint, request, segment.params, guard);
}

/**
 * The same endpoint with key authentication and rate limiting skipped: the caller
 * supplies the principal. Only for the benchmark that measures what those two
 * cost (tests/bench/api.ts); no route uses it.
 */
export function serveWithoutGuard<P>(endpoint: Endpoint<P>, request: Request, params: P, principal: ApiPrincipal): Promise<Response> {
  return serve(endpoint, request, Promise.resolve(params), async () => ({ principal, headers: {} }));
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  const response = new Response(JSON.stringify(body), init);
  response.headers.set('content-type', 'application/json');
  return response;
}
