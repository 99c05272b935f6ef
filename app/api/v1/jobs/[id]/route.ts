// GET /api/v1/jobs/{id}: one job of the key's clinic, with its result once it succeeded.
import { apiRoute } from '@/lib/api/handler';
import { getJobEndpoint } from '@/lib/api/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(getJobEndpoint);
