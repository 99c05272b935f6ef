// POST /api/v1/jobs (start an analysis, triage or transcription) and GET /api/v1/jobs (the clinic's jobs, by cursor).
// Authentication, plan, rate limit and scope: lib/api/handler.ts; the work: lib/api/jobs.ts.
import { apiRoute } from '@/lib/api/handler';
import { createJobEndpoint, listJobsEndpoint } from '@/lib/api/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = apiRoute(createJobEndpoint);
export const GET = apiRoute(listJobsEndpoint);
