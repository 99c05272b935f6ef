// Wrapper for route handlers: request id, a child logger, no caching, and errors
// mapped to the public error body. Unknown errors are logged by name and stack
// only (messages can carry input), and answered with a generic 500.
import 'server-only';
import { NextResponse } from 'next/server';
import { logger, type Logger } from '@/lib/logger';
import { describeError, toErrorBody } from '@/lib/errors';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

export interface RouteContext<P> {
  requestId: string;
  log: Logger;
  params: P;
}

type Handler<P> = (request: Request, context: RouteContext<P>) => Promise<Response>;

export function route<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, segment: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    const log = logger().child({ requestId });
    let response: Response;
    try {
      response = await handler(request, { requestId, log, params: await segment.params });
    } catch (error) {
      const { status, body } = toErrorBody(error, requestId);
      if (status >= 500) {
        log.error({ err: describeError(error) }, 'request failed');
      }
      response = NextResponse.json(body, { status });
    }
    response.headers.set(REQUEST_ID_HEADER, requestId);
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
    return response;
  };
}
