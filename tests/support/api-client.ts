// The typed REST API client for tests: openapi-fetch with the types generated
// from the OpenAPI document (./api-types.ts), over an in-process `fetch` that
// hands each Request to the real /api/v1 route handler for its path. No server
// and no network: what is tested is exactly what Next would call.
import createClient from 'openapi-fetch';
import { POST as cancelJob } from '@/app/api/v1/jobs/[id]/cancel/route';
import { POST as createLetter } from '@/app/api/v1/jobs/[id]/letters/route';
import { GET as getJob } from '@/app/api/v1/jobs/[id]/route';
import { GET as listJobs, POST as createJob } from '@/app/api/v1/jobs/route';
import { GET as letterPdf } from '@/app/api/v1/letters/[id]/pdf/route';
import { GET as getLetter } from '@/app/api/v1/letters/[id]/route';
import { GET as openApiDocument } from '@/app/api/v1/openapi.json/route';
import { GET as usage } from '@/app/api/v1/usage/route';
import type { paths } from './api-types';

export const API_ORIGIN = 'http://maneiro.test';

type Call = (request: Request, id: string) => Promise<Response>;
const none = { params: Promise.resolve({}) };
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

const ROUTES: { pattern: RegExp; methods: Partial<Record<string, Call>> }[] = [
  { pattern: /^\/api\/v1\/jobs$/, methods: { GET: (r) => listJobs(r, none), POST: (r) => createJob(r, none) } },
  { pattern: /^\/api\/v1\/jobs\/([^/]+)$/, methods: { GET: (r, id) => getJob(r, withId(id)) } },
  { pattern: /^\/api\/v1\/jobs\/([^/]+)\/cancel$/, methods: { POST: (r, id) => cancelJob(r, withId(id)) } },
  { pattern: /^\/api\/v1\/jobs\/([^/]+)\/letters$/, methods: { POST: (r, id) => createLetter(r, withId(id)) } },
  { pattern: /^\/api\/v1\/letters\/([^/]+)$/, methods: { GET: (r, id) => getLetter(r, withId(id)) } },
  { pattern: /^\/api\/v1\/letters\/([^/]+)\/pdf$/, methods: { GET: (r, id) => letterPdf(r, withId(id)) } },
  { pattern: /^\/api\/v1\/usage$/, methods: { GET: (r) => usage(r, none) } },
  { pattern: /^\/api\/v1\/openapi\.json$/, methods: { GET: () => Promise.resolve(openApiDocument()) } },
];

/** A `fetch` that dispatches to the route handlers by path, as Next's router would. */
export async function apiFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(input, init);
  const { pathname } = new URL(request.url);
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const call = route.methods[request.method];
    if (!call) return new Response(null, { status: 405 });
    return call(request, decodeURIComponent(match[1] ?? ''));
  }
  return new Response(null, { status: 404 });
}

/** A typed client authenticated with `key` (or with no Authorization header for null). */
export function apiClient(key: string | null) {
  return createClient<paths>({
    baseUrl: API_ORIGIN,
    fetch: (request: Request) => apiFetch(request),
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
}
