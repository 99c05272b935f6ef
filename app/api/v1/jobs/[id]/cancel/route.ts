// POST /api/v1/jobs/{id}/cancel: a queued job is canceled at once, a running one at its next stage.
import { apiRoute } from '@/lib/api/handler';
import { cancelJobEndpoint } from '@/lib/api/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = apiRoute(cancelJobEndpoint);
