// POST /api/v1/jobs/{id}/letters: starts a letter from a completed analysis.
import { apiRoute } from '@/lib/api/handler';
import { createLetterEndpoint } from '@/lib/api/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = apiRoute(createLetterEndpoint);
